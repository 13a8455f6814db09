package hcn

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how the Client retries idempotent reads (Get, List,
// Query, Enumerate, the service version) that fail with ErrTransient (the
// service restarting, RPC failures) or, for open-query-close reads, with a
// handle invalidated by a service restart (ErrInvalidHandle). Writes
// (create, modify, delete) are never retried: the Client cannot know
// whether a failed write took effect. A transient failure that outlasts the
// policy is returned as is — never as not found.
type RetryPolicy struct {
	// MaxAttempts is the number of tries including the first. Zero means
	// 4; 1 disables retries.
	MaxAttempts int
	// InitialBackoff is the wait before the second try; each later wait
	// doubles it, with up to 25% random jitter. Zero means 50ms.
	InitialBackoff time.Duration
	// MaxBackoff caps one wait. Zero means 2s.
	MaxBackoff time.Duration
}

// DefaultRetryPolicy is the policy of a Client whose options set none:
// 4 attempts, 50ms doubling to at most 2s.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, InitialBackoff: 50 * time.Millisecond, MaxBackoff: 2 * time.Second}

func (p *RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 0:
		return fmt.Errorf("hcn: %w: ClientOptions.Retry.MaxAttempts: must not be negative, got %d", ErrInvalid, p.MaxAttempts)
	case p.InitialBackoff < 0:
		return fmt.Errorf("hcn: %w: ClientOptions.Retry.InitialBackoff: must not be negative, got %v", ErrInvalid, p.InitialBackoff)
	case p.MaxBackoff < 0:
		return fmt.Errorf("hcn: %w: ClientOptions.Retry.MaxBackoff: must not be negative, got %v", ErrInvalid, p.MaxBackoff)
	}
	return nil
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultRetryPolicy.MaxAttempts
	}
	if p.InitialBackoff == 0 {
		p.InitialBackoff = DefaultRetryPolicy.InitialBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = DefaultRetryPolicy.MaxBackoff
	}
	if p.MaxBackoff < p.InitialBackoff {
		p.MaxBackoff = p.InitialBackoff
	}
	return p
}

// backoff returns the wait after the given failed attempt (1-based).
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.InitialBackoff
	for i := 1; i < attempt && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	if q := int64(d / 4); q > 0 {
		d += time.Duration(rand.Int64N(q))
	}
	return d
}

// retryable reports whether a read that opens its own handle may be tried
// again after err.
func retryable(err error) bool {
	return errors.Is(err, ErrTransient) || errors.Is(err, ErrInvalidHandle) && !errors.Is(err, errHandleClosed)
}

// transient reports whether a read on a caller's handle may be tried again
// after err: a handle the service invalidated stays invalid.
func transient(err error) bool { return errors.Is(err, ErrTransient) }

// errHandleClosed marks use of a handle the caller closed: retrying that
// cannot help.
var errHandleClosed = errors.New("the handle is closed")
