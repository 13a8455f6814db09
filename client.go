package hcn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
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
// cancelled, so the Client runs each one on a goroutine: when the context
// ends first the method returns ctx.Err() at once, and whatever the
// abandoned call produces later is cleaned up (a handle is closed, a port
// reservation released, an object created by an abandoned Create is
// deleted again so that a failed call has no effect).
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

// call runs fn, the body of one seam call, and waits for it or for ctx.
// When ctx ends first call returns ctx.Err() and, if fn later succeeds,
// orphan (when non-nil) receives fn's result so that a handle it produced
// can be closed. A ctx that can never end runs fn on the calling goroutine.
// A ctx of an edit (see lockEdit) counts fn as in flight until it and the
// orphan handling have returned.
func call[T any](ctx context.Context, fn func() (T, error), orphan func(T)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	if ctx.Done() == nil {
		return fn()
	}
	type result struct {
		v   T
		err error
	}
	const (
		running = iota
		finished
		abandoned
	)
	var state atomic.Int32
	ch := make(chan result, 1)
	tr := inflightOf(ctx)
	tr.add()
	go func() {
		v, err := fn()
		if !state.CompareAndSwap(running, finished) {
			if err == nil && orphan != nil {
				orphan(v)
			}
			tr.done()
			return
		}
		tr.done()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		if state.CompareAndSwap(running, abandoned) {
			return zero, ctx.Err()
		}
		r := <-ch // fn finished just now: its result wins
		return r.v, r.err
	}
}

// call0 is call for a function with only an error result.
func call0(ctx context.Context, fn func() error) error {
	_, err := call(ctx, func() (struct{}, error) { return struct{}{}, fn() }, nil)
	return err
}

// seen records a failure's effect on cached state: a transient or
// invalid-handle failure may mean the service restarted, so the cached
// service version is dropped and queried again next time.
func (c *Client) seen(err error) error {
	if err != nil && (errors.Is(err, ErrTransient) || errors.Is(err, ErrInvalidHandle)) {
		c.ver.invalidate()
	}
	return err
}

// closeHandle closes h, logging (not returning) a failure. It is the
// cleanup path for handles nobody else will close.
func (c *Client) closeHandle(kind Kind, h Handle) {
	if err := c.closeRetry(kind, h); err != nil {
		c.log.Warn("hcn: closing an orphaned handle failed", "op", OpName(VerbClose, kind), "err", err)
	}
}

// closeRetry is HcnClose<Kind>, retried per the policy when it fails
// transiently (the service restarting: the close may not have happened).
// A retry that finds the handle already invalid means the failed attempt
// released it after all (RPC context handles are freed on the caller's
// side), which is success. Other failures are returned at once.
func (c *Client) closeRetry(kind Kind, h Handle) error {
	retried := false
	return c.retryReadIf(context.Background(), transient, func() error {
		err := c.svc.Close(kind, h)
		if retried && errors.Is(err, ErrInvalidHandle) {
			return nil
		}
		retried = true
		return err
	})
}

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
