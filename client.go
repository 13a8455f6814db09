package hcn

import (
	"fmt"
	"log/slog"
)

// DefaultListParallelism bounds the number of objects a list fetches at
// once when ClientOptions.ListParallelism is zero (a list fans out to it
// only when that pays; see ClientOptions.ListParallelism).
const DefaultListParallelism = 8

// ClientOptions configures a Client. A nil *ClientOptions means defaults;
// each field documents what its zero value means.
type ClientOptions struct {
	// Service is the implementation of the HCN service the Client talks
	// to: the host service (NewHostService) on Windows, or an emulator
	// such as hcnsim on any OS. Nil means the host service on Windows;
	// elsewhere NewClient fails with ErrNotSupported and asks for one.
	Service Service
	// Logger receives debug records of calls and warnings about cleanup
	// failures (a handle that would not close, a rollback that failed).
	// Nil means no logging.
	Logger *slog.Logger
	// ListParallelism bounds how many objects a list opens and queries at
	// once. A list starts serial and fans out to this bound only when its
	// reads are slow (they wait on the service) and a short trial shows
	// that reading several at once is faster; otherwise it stays serial,
	// which is fastest when calls are cheap. Zero means
	// DefaultListParallelism; 1 makes lists serial. Negative values are
	// rejected.
	//
	// A read blocked in the host service's DLL holds one of the Go
	// runtime's processors until the runtime hands it to another
	// goroutine (Go aims at 20-40µs; under Wine it takes some 200µs). A
	// fan-out of calls shorter than that handoff therefore overlaps at
	// most GOMAXPROCS of them, whatever this bound.
	ListParallelism int
	// Retry is the policy for transient failures of idempotent reads
	// (Get, List, Query, Enumerate, the service version). Nil means
	// DefaultRetryPolicy; &RetryPolicy{MaxAttempts: 1} disables retries.
	Retry *RetryPolicy
}

// Client is the typed, context-aware face of the HCN service. It is safe
// for concurrent use. Create one with NewClient; there is no package-level
// client.
//
// Every method takes a context. The service's own calls cannot be
// cancelled, so under a context that can end the Client runs a method's
// calls on a goroutine: when the context ends first the method returns
// ctx.Err() at once, no further call starts, and whatever the abandoned
// calls produce later is cleaned up (a handle is closed, a port
// reservation released, an object created by an abandoned Create is
// deleted again so that a failed call has no effect). Under a context that
// can never end (context.Background) the calls run on the caller's
// goroutine. client_call.go describes the layers a call passes through.
type Client struct {
	svc   Service
	log   *slog.Logger
	par   int
	retry RetryPolicy

	ver   versionCache
	watch watchHub
	// scope keys this Client's objects in the edit lock table (see
	// client_edits.go).
	scope any
	// creates counts the create units in flight, undo included (Settle).
	creates settleTracker
}

// NewClient returns a Client over opts.Service (see ClientOptions).
func NewClient(opts *ClientOptions) (*Client, error) {
	var o ClientOptions
	if opts != nil {
		o = *opts
	}
	if o.ListParallelism < 0 {
		return nil, fmt.Errorf("hcn: %w: ClientOptions.ListParallelism: must not be negative, got %d", ErrInvalid, o.ListParallelism)
	}
	retry := DefaultRetryPolicy
	if o.Retry != nil {
		if err := o.Retry.validate(); err != nil {
			return nil, err
		}
		retry = o.Retry.withDefaults()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Service == nil {
		svc, err := NewHostService(&HostServiceOptions{Logger: o.Logger})
		if err != nil {
			return nil, fmt.Errorf("hcn: no default service: %w (set ClientOptions.Service, for example to an hcnsim emulator)", err)
		}
		o.Service = svc
	}
	if o.ListParallelism == 0 {
		o.ListParallelism = DefaultListParallelism
	}
	c := &Client{svc: o.Service, log: o.Logger, par: o.ListParallelism, retry: retry}
	c.watch.c = c
	c.scope = editScopeOf(c, o.Service)
	return c, nil
}

// Service returns the service implementation the Client calls.
func (c *Client) Service() Service { return c.svc }

// opError wraps err (a library-side failure, found before or between
// service calls) as an *Error for op.
func opError(op string, kind Kind, id string, err error) error {
	return &Error{Op: op, Kind: kind, ID: id, Err: err}
}

// invalidf returns an *Error wrapping ErrInvalid for bad caller input:
// field names the offending field.
func invalidf(op string, kind Kind, field, format string, args ...any) error {
	return opError(op, kind, "", fmt.Errorf("%w: %s: %s", ErrInvalid, field, fmt.Sprintf(format, args...)))
}
