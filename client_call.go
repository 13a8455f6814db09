package hcn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// How a Client call flows. A public method first checks what it was given
// (ids parsed, documents validated, the features they need required from
// the cached service version) before it calls the service about an object.
// Its service calls then pass through these layers, outermost first:
//
//  1. context (abandonable): the calls run as one unit, on the calling
//     goroutine when ctx can never end, else on a goroutine of their own,
//     and the method returns ctx.Err() as soon as ctx ends. An abandoned
//     unit finishes unseen: once ctx has ended it starts no service call
//     but its cleanup, closes the handles it opened, and hands a result
//     that arrives after its caller left to an orphan function, which
//     closes the handle, releases the port reservation or undoes the
//     create.
//  2. retry (retryAfter): within the unit, an idempotent read that failed
//     transiently runs again after a backoff; a write never does.
//  3. handle: a unit opens the handle it needs and closes it on every path
//     (readRetried, withOpened, createOnNetwork). A unit on a handle the
//     caller owns (adopt: OpenX, CreateXHandle) holds it in use so that
//     Close waits for the unit (onOwned).
//  4. service: the Service method; seen notes a failure that hints at a
//     service restart.
//  5. undo (undoCreate): an object whose creating unit was abandoned, or
//     whose read-back failed, is deleted again. A create unit counts as in
//     flight until then (abandonableCreate), so that Settle can wait for
//     what an abandoned create leaves behind to be gone.
//
// Inside a unit, helpers call the Service directly and check ctx before
// each call. A unit may start another (an edit's prune enumerates); under
// a ctx that can end the inner one gets a goroutine too. An edit
// (client_edits.go) runs under its object's lock, and its ctx counts the
// units in flight so that the lock outlives an abandoned one.

// abandonable runs unit and returns its result, or ctx.Err() as soon as
// ctx ends (layer 1). When ctx ends first, orphan (when non-nil) receives
// the result of a unit that succeeds later. A ctx that can never end runs
// unit on the calling goroutine. Under an edit's ctx (see lockEdit) the
// unit counts as in flight until it and the orphan have returned.
func abandonable[T any](ctx context.Context, unit func() (T, error), orphan func(T)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	if ctx.Done() == nil {
		return unit()
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
	tr, ct := inflightOf(ctx), createsOf(ctx)
	tr.add()
	ct.add()
	go func() {
		v, err := unit()
		if !state.CompareAndSwap(running, finished) {
			if err == nil && orphan != nil {
				orphan(v)
			}
			tr.done()
			ct.done()
			return
		}
		tr.done()
		ct.done()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		if state.CompareAndSwap(running, abandoned) {
			return zero, ctx.Err()
		}
		r := <-ch // the unit finished just now: its result wins
		return r.v, r.err
	}
}

// abandonableCreate is abandonable for a unit that creates an object, with
// undo as its orphan: the unit counts for Settle until it has returned and,
// when its caller gave up, its object has been deleted again.
func abandonableCreate[T any](ctx context.Context, c *Client, unit func() (T, error), undo func(T)) (T, error) {
	return abandonable(context.WithValue(ctx, createsKey{}, &c.creates), unit, undo)
}

// createsKey carries a Client's settleTracker to abandonable.
type createsKey struct{}

func createsOf(ctx context.Context) *settleTracker {
	t, _ := ctx.Value(createsKey{}).(*settleTracker)
	return t
}

// settleTracker counts units in flight and lets Settle wait until there are
// none.
type settleTracker struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to 0
}

func (t *settleTracker) add() {
	if t == nil {
		return
	}
	t.mu.Lock()
	if t.n == 0 {
		t.idle = make(chan struct{})
	}
	t.n++
	t.mu.Unlock()
}

func (t *settleTracker) done() {
	if t == nil {
		return
	}
	t.mu.Lock()
	if t.n--; t.n == 0 {
		close(t.idle)
	}
	t.mu.Unlock()
}

// wait returns when no unit is in flight, or ctx.Err() when ctx ends first.
func (t *settleTracker) wait(ctx context.Context) error {
	t.mu.Lock()
	if t.n == 0 {
		t.mu.Unlock()
		return nil
	}
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Settle waits until every create this Client has started under a context
// that can end has finished, and in particular until the object of each
// create whose caller gave up (its context ended first) has been deleted
// again. Until then such an object can still be seen on the host, and a
// reader that acts on it (a reconcile pass that finds it present) is
// overtaken by its deletion. Call Settle before reading the host after a
// cancelled pass; apply.Plan does. It returns ctx.Err() if ctx ends first,
// so a create hung in the service does not hold the caller.
func (c *Client) Settle(ctx context.Context) error { return c.creates.wait(ctx) }

// abandonableErr is abandonable for a unit with only an error result.
func abandonableErr(ctx context.Context, unit func() error) error {
	_, err := abandonable(ctx, func() (struct{}, error) { return struct{}{}, unit() }, nil)
	return err
}

// retryAfter decides, after attempt (from 1) of an idempotent read ended
// with err, whether to run the read again (layer 2): when err is a failure
// again accepts, attempts are left and ctx lasts, it waits out the backoff
// and returns true. Otherwise it returns false and the error to give up
// with: err, or ctx.Err() when ctx ended during the wait.
func (c *Client) retryAfter(ctx context.Context, attempt int, err error, again func(error) bool) (bool, error) {
	if err == nil || !again(err) || attempt >= c.retry.MaxAttempts || ctx.Err() != nil {
		return false, err
	}
	wait := c.retry.backoff(attempt)
	c.log.Debug("hcn: retrying a read after a transient failure", "attempt", attempt, "wait", wait, "err", err)
	t := time.NewTimer(wait)
	select {
	case <-ctx.Done():
		t.Stop()
		return false, ctx.Err()
	case <-t.C:
		return true, nil
	}
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

// readRetried is HcnOpen + HcnQueryProperties + HcnClose on one object, on
// the calling goroutine (layers 2 to 4): the whole sequence is retried on
// transient failures, including a handle a service restart invalidated
// between open and query. The handle is closed on every path, and no query
// starts once ctx has ended. It is exactly three service calls when
// nothing fails.
func (c *Client) readRetried(ctx context.Context, kind Kind, id GUID, query string) (string, error) {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		var s string
		h, err := c.svc.Open(kind, id)
		if err == nil {
			if err = ctx.Err(); err == nil {
				s, err = c.svc.Query(kind, h, query)
			}
			c.closeOwn(kind, id, h)
		}
		if retry, err := c.retryAfter(ctx, attempt, c.seen(err), retryable); !retry {
			return s, err
		}
	}
}

// openRetried is HcnOpen<Kind> on the calling goroutine, retried on
// transient failures.
func (c *Client) openRetried(ctx context.Context, kind Kind, id GUID) (Handle, error) {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		h, err := c.svc.Open(kind, id)
		if retry, err := c.retryAfter(ctx, attempt, c.seen(err), retryable); !retry {
			return h, err
		}
	}
}

// readOn runs read, a read-only call on the open handle h (Query,
// QueryEndpointStats, ...), with query on the calling goroutine, retried
// on transient failures: a handle the service invalidated stays invalid.
func (c *Client) readOn(ctx context.Context, h Handle, query string, read func(Handle, string) (string, error)) (string, error) {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		s, err := read(h, query)
		if retry, err := c.retryAfter(ctx, attempt, c.seen(err), transient); !retry {
			return s, err
		}
	}
}

// queryOn is HcnQuery<Kind>Properties on the open handle h, as readOn
// runs it.
func (c *Client) queryOn(ctx context.Context, kind Kind, h Handle, query string) (string, error) {
	return c.readOn(ctx, h, query, func(h Handle, q string) (string, error) { return c.svc.Query(kind, h, q) })
}

// withOpened opens id, runs use with the handle and closes it, as one
// unit under ctx (layers 1 and 3): the open-use-close of a method that
// names an object by id. use runs inside the unit and calls the Service
// directly on the handle; it does not run once ctx has ended.
func withOpened[T any](ctx context.Context, c *Client, kind Kind, id GUID, use func(Handle) (T, error)) (T, error) {
	return abandonable(ctx, func() (T, error) {
		var zero T
		h, err := c.openRetried(ctx, kind, id)
		if err != nil {
			return zero, err
		}
		defer c.closeOwn(kind, id, h)
		if err := ctx.Err(); err != nil {
			return zero, err
		}
		return use(h)
	}, nil)
}

// onOwned runs call with the service handle of hc, a handle the caller
// owns, as one unit under ctx (layers 1 and 3). The handle is acquired
// inside the unit, so that a unit that never starts holds nothing, and
// held in use until the unit returns, so that Close never closes it under
// a call. orphan receives a result that arrives after the caller left.
func onOwned[T any](ctx context.Context, hc *handleCore, op string, call func(Handle) (T, error), orphan func(T)) (T, error) {
	return abandonable(ctx, func() (T, error) {
		h, err := hc.acquire(op)
		if err != nil {
			var zero T
			return zero, err
		}
		defer hc.release()
		return call(h)
	}, orphan)
}

// handleCore is the shared state of an owned handle: the service handle,
// the units in flight on it, and whether Close was called. The service
// handle is closed exactly once, when Close has been called and no unit is
// in flight on it, so a unit abandoned by its context never runs on a
// closed handle and Close never waits for a hung call.
type handleCore struct {
	c    *Client
	kind Kind
	id   GUID

	mu      sync.Mutex
	h       Handle
	users   int
	closing bool
}

// adopt makes h, an open handle to object id, a handle the caller owns:
// its methods run through onOwned and its Close is idempotent.
func (c *Client) adopt(kind Kind, id GUID, h Handle) handleCore {
	return handleCore{c: c, kind: kind, id: id, h: h}
}

// acquire marks a unit in flight and returns the service handle, or an
// ErrInvalidHandle failure once Close was called.
func (hc *handleCore) acquire(op string) (Handle, error) {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if hc.closing {
		return 0, opError(op, hc.kind, hc.id.String(), fmt.Errorf("%w: %w", ErrInvalidHandle, errHandleClosed))
	}
	hc.users++
	return hc.h, nil
}

// release ends a unit; the last one out closes a handle whose Close ran
// while it was in flight.
func (hc *handleCore) release() {
	hc.mu.Lock()
	hc.users--
	last := hc.closing && hc.users == 0
	h := hc.h
	hc.mu.Unlock()
	if last {
		hc.c.closeHandle(hc.kind, h)
	}
}

// close is the idempotent Close of every handle type.
func (hc *handleCore) close() error {
	hc.mu.Lock()
	if hc.closing {
		hc.mu.Unlock()
		return nil
	}
	hc.closing = true
	busy := hc.users > 0
	h := hc.h
	hc.mu.Unlock()
	if busy {
		return nil // the last unit in flight closes it
	}
	return hc.c.closeRetry(hc.kind, h)
}

// closeOwn closes a handle a unit opened for itself, logging a failure (at
// Debug for a handle a service restart invalidated: it needs no close).
func (c *Client) closeOwn(kind Kind, id GUID, h Handle) {
	if err := c.closeRetry(kind, h); err != nil {
		level := slog.LevelWarn
		if errors.Is(err, ErrInvalidHandle) {
			level = slog.LevelDebug
		}
		c.log.Log(context.Background(), level, "hcn: close failed", "op", OpName(VerbClose, kind), "id", id.String(), "err", err)
	}
}

// closeHandle closes h, logging (not returning) a failure. It is the
// cleanup of handles nobody else will close: a late result's orphan.
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
	for attempt := 1; ; attempt++ {
		err := c.svc.Close(kind, h)
		if attempt > 1 && errors.Is(err, ErrInvalidHandle) {
			return nil
		}
		if retry, err := c.retryAfter(context.Background(), attempt, err, transient); !retry {
			return err
		}
	}
}

// undoCreate deletes object id again, closing h first when it is open
// (layer 5): the orphan of a create whose caller gave up.
func (c *Client) undoCreate(kind Kind, id GUID, h Handle) {
	if h != 0 {
		c.closeHandle(kind, h)
	}
	c.deleteQuiet(kind, id, "hcn: deleting an object created by an abandoned call failed")
}

// deleteQuiet is HcnDelete<Kind> for a cleanup: already gone is success,
// and another failure is logged with msg.
func (c *Client) deleteQuiet(kind Kind, id GUID, msg string) {
	if err := c.svc.Delete(kind, id); err != nil && !IsNotFound(err) {
		c.log.Warn(msg, "op", OpName(VerbDelete, kind), "id", id.String(), "err", err)
	}
}
