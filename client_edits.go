package hcn

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
)

// How a read-modify-write edit flows. Load balancers and SDN routes are
// modified whole: HcnModifyLoadBalancer and HcnModifySdnRoute take the
// complete document, so an edit of one member (AddLoadBalancerEndpoints
// and the like) reads the document, changes it and writes it all back,
// and two edits that overlap would each write back a document without the
// other's change. The Client therefore runs every edit and every whole
// update (UpdateLoadBalancer, UpdateSDNRoute) of one object like this:
//
//  1. lock: the object's entry in a process-wide table keyed by the
//     service, the kind and the id. Every Client over the same Service
//     value (on Windows: every Client of the host service) shares it, so
//     edits to one object from any goroutine of the process run one at a
//     time. Entries are reference counted and removed when unused. A
//     call the caller abandoned (its context ended) keeps the lock until
//     the service returns from it, so an abandoned write never lands
//     after the next edit's read.
//  2. read: HcnOpen + HcnQueryProperties; the handle stays open.
//  3. apply the edit; when it changes nothing the document is returned.
//  4. prune: backend ids the service no longer has (HcnEnumerateEndpoints)
//     and the caller did not name are dropped and logged; an endpoint the
//     caller asked to add that does not exist is ErrNotFound naming it.
//  5. write: HcnModify on the same handle, then HcnQueryProperties (the
//     read-back), then HcnClose. Where the service has no modify, the
//     object is replaced (see UpdateLoadBalancer).
//  6. verify: the read-back must show the edit. When it does not, a writer
//     outside the lock (another process, or a Client over another Service
//     value) overwrote it after the write: back to 2, at most editAttempts
//     times in all, then ErrConflict.
//
// What is and is not guaranteed: within one process, every edit through
// Clients sharing a Service value that reports success is in the result
// and stays there until someone removes it. Against writers outside the
// lock, an edit that reports success was in the object when it was read
// back; it can still be lost afterwards, and this Client's write can
// silently undo another writer's edit that landed between step 2 and step
// 5 (the whole-document modify leaves no way to detect it): the window is
// the time between the read and the write on one open handle.

// editAttempts bounds the read-apply-write-verify rounds of one edit.
const editAttempts = 5

// ErrConflict reports an edit that other writers kept overwriting: the
// Client wrote it five times and each time the read-back lacked
// it. Retrying later may succeed.
var ErrConflict = errors.New("hcn: the object was changed by another writer")

// editKey names one object of one service in the edit lock table.
type editKey struct {
	scope any
	kind  Kind
	id    GUID
}

// editEntry is one object's lock: a one-slot channel (so that waiting
// honours a context) and the number of holders and waiters.
type editEntry struct {
	slot chan struct{}
	refs int
}

// editTable is the process-wide table of per-object edit locks.
type editTable struct {
	mu sync.Mutex
	m  map[editKey]*editEntry
}

var editLocks = editTable{m: map[editKey]*editEntry{}}

// lock waits for the object's lock or for ctx, whichever comes first.
func (t *editTable) lock(ctx context.Context, key editKey) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.mu.Lock()
	e := t.m[key]
	if e == nil {
		e = &editEntry{slot: make(chan struct{}, 1)}
		t.m[key] = e
	}
	e.refs++
	t.mu.Unlock()
	select {
	case e.slot <- struct{}{}:
		// The reference goes before the slot frees, so that the entry
		// is gone (when unused) by the time a waiter holds the lock.
		return func() { t.release(key, e); <-e.slot }, nil
	case <-ctx.Done():
		t.release(key, e)
		return nil, ctx.Err()
	}
}

// release drops one reference and removes the entry when none is left.
func (t *editTable) release(key editKey, e *editEntry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e.refs--; e.refs == 0 {
		delete(t.m, key)
	}
}

// len returns the number of entries (for tests: zero when idle).
func (t *editTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// editScoper is implemented by services whose values all reach the same
// objects (the host service): editScope returns the key they share.
type editScoper interface{ editScope() any }

// editScopeOf returns the lock scope of a Client over svc: the shared key
// of an editScoper, else the service value itself when it is a pointer
// (always a valid map key), else the Client alone.
func editScopeOf(c *Client, svc Service) any {
	if s, ok := svc.(editScoper); ok {
		return s.editScope()
	}
	if v := reflect.ValueOf(svc); v.Kind() == reflect.Pointer {
		return svc
	}
	return c
}

// lockEdit takes the edit lock of one object (step 1) and returns the
// context the edit's calls must use. A call its caller abandons (ctx
// ended) may still be running in the service; unlock then leaves the lock
// held until every such call has returned, so that an abandoned write can
// never land after the next edit's read.
func (c *Client) lockEdit(ctx context.Context, kind Kind, id GUID) (context.Context, func(), error) {
	release, err := editLocks.lock(ctx, editKey{scope: c.scope, kind: kind, id: id})
	if err != nil {
		return nil, nil, err
	}
	tr := &inflight{}
	return context.WithValue(ctx, inflightKey{}, tr), tr.unlockWith(release), nil
}

// inflightKey is the context key of an edit's in-flight call counter.
type inflightKey struct{}

// inflight counts the service calls of one edit still running; a nil
// *inflight counts nothing.
type inflight struct {
	mu      sync.Mutex
	n       int
	pending func() // the lock's release, once unlock waits for calls
}

// inflightOf returns the counter ctx carries, or nil.
func inflightOf(ctx context.Context) *inflight {
	tr, _ := ctx.Value(inflightKey{}).(*inflight)
	return tr
}

func (t *inflight) add() {
	if t != nil {
		t.mu.Lock()
		t.n++
		t.mu.Unlock()
	}
}

// done ends one call; the last one out releases a lock unlock left held.
func (t *inflight) done() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.n--
	var release func()
	if t.n == 0 {
		release, t.pending = t.pending, nil
	}
	t.mu.Unlock()
	if release != nil {
		release()
	}
}

// unlockWith returns the edit's unlock: release now when no call is in
// flight, else when the last one returns.
func (t *inflight) unlockWith(release func()) func() {
	return func() {
		t.mu.Lock()
		if t.n > 0 {
			t.pending = release
			release = nil
		}
		t.mu.Unlock()
		if release != nil {
			release()
		}
	}
}

// memberEdit is an edit of a load balancer's or SDN route's backend list
// (HostComputeEndpoints): add ids, or remove them.
type memberEdit struct {
	op  string
	add bool
	ids []GUID
}

// apply returns cur with the edit made and whether that changed it.
func (e memberEdit) apply(cur []ID) ([]ID, bool) {
	if e.add {
		return addIDs(cur, e.ids)
	}
	return removeIDs(cur, e.ids)
}

// holds reports whether cur shows the edit: every added id present, every
// removed id absent.
func (e memberEdit) holds(cur []ID) bool {
	for _, id := range e.ids {
		if hasID(cur, id) != e.add {
			return false
		}
	}
	return true
}

// named reports whether the caller named g.
func (e memberEdit) named(g GUID) bool {
	for _, id := range e.ids {
		if id == g {
			return true
		}
	}
	return false
}

// editArgs is edit for the id arguments of a Client method.
func (w wholeDoc[D, P]) editArgs(ctx context.Context, c *Client, arg ID, op string, add bool, members []ID) (P, error) {
	id, err := argID(op, w.kind, "id", arg)
	if err != nil {
		return nil, err
	}
	ids, err := argIDs(op, w.kind, "endpoints", members)
	if err != nil {
		return nil, err
	}
	return w.edit(ctx, c, id, memberEdit{op: op, add: add, ids: ids})
}

// edit runs one member edit of object id (steps 1–6 above) and returns
// the document as read back.
func (w wholeDoc[D, P]) edit(ctx context.Context, c *Client, id GUID, e memberEdit) (P, error) {
	ctx, unlock, err := c.lockEdit(ctx, w.kind, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	for attempt := 1; ; attempt++ {
		out, err := w.editOnce(ctx, c, id, e)
		if err != nil || e.holds(*w.members(out)) {
			return out, err
		}
		if attempt == editAttempts {
			return nil, opError(e.op, w.kind, id.String(), fmt.Errorf(
				"%w: the edit was written %d times and each time another writer overwrote it before the read-back",
				ErrConflict, editAttempts))
		}
		c.log.Debug("hcn: an edit was overwritten by another writer; trying again", "op", e.op, "id", id.String(), "attempt", attempt)
		if g, err := w.idOf(out).GUID(); err == nil {
			id = g // a replacement gave the object a new id
		}
	}
}

// editOnce is steps 2–5 once: read, apply, prune and write on one open
// handle, falling back to a replacement where modify is missing.
func (w wholeDoc[D, P]) editOnce(ctx context.Context, c *Client, id GUID, e memberEdit) (P, error) {
	useModify, err := w.modifySupported(ctx, c)
	if err != nil {
		return nil, err
	}
	if !useModify {
		return w.editByReplace(ctx, c, id, e)
	}
	out, err := withOpened(ctx, c, w.kind, id, func(h Handle) (P, error) { return w.editOn(ctx, c, id, h, e) })
	if errors.As(err, new(modifyNotImplemented)) {
		c.log.Debug("hcn: modify not supported; replacing", "kind", w.kind.String(), "id", id.String())
		return w.editByReplace(ctx, c, id, e)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// editOn is steps 2 to 5 on the open handle h, inside editOnce's unit:
// read, apply, prune, then write and read back.
func (w wholeDoc[D, P]) editOn(ctx context.Context, c *Client, id GUID, h Handle, e memberEdit) (P, error) {
	base, err := docOn[D, P](ctx, c, w.kind, id, h)
	if err != nil {
		return nil, err
	}
	next, changed, err := w.prepareEdit(ctx, c, id, base, e)
	if err != nil || !changed {
		return base, err
	}
	text, err := w.encode(OpName(VerbModify, w.kind), id, next)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := c.seen(c.svc.Modify(w.kind, h, text)); err != nil {
		if errors.Is(err, ErrNotSupported) {
			return nil, modifyNotImplemented{err}
		}
		return nil, err
	}
	return docOn[D, P](ctx, c, w.kind, id, h)
}

// modifyNotImplemented marks an edit's HcnModify that the service refused
// as not implemented: the edit falls back to a replacement.
type modifyNotImplemented struct{ err error }

func (m modifyNotImplemented) Error() string { return m.err.Error() }
func (m modifyNotImplemented) Unwrap() error { return m.err }

// editByReplace is editOnce on a service without modify: read, apply,
// prune, and replace the object (UpdateLoadBalancer describes how).
func (w wholeDoc[D, P]) editByReplace(ctx context.Context, c *Client, id GUID, e memberEdit) (P, error) {
	base, err := getDoc[D, P](ctx, c, w.kind, id)
	if err != nil {
		return nil, err
	}
	next, changed, err := w.prepareEdit(ctx, c, id, base, e)
	if err != nil || !changed {
		return base, err
	}
	return w.replaceFrom(ctx, c, id, base, next)
}

// prepareEdit applies e to a copy of base (step 3), prunes its backend
// list (step 4) and checks the result. changed is false when the edit is
// already in base.
func (w wholeDoc[D, P]) prepareEdit(ctx context.Context, c *Client, id GUID, base P, e memberEdit) (P, bool, error) {
	members, changed := e.apply(*w.members(base))
	if !changed {
		return base, false, nil
	}
	members, err := c.pruneMembers(ctx, w.kind, id, members, e)
	if err != nil {
		return nil, false, err
	}
	next := P(new(D))
	*next = *base
	*w.members(next) = members
	if err := w.check(ctx, c, e.op, id, next); err != nil {
		return nil, false, err
	}
	return next, true, nil
}

// pruneMembers checks a backend list against the endpoints the service
// has (HcnEnumerateEndpoints). An id the caller did not name whose
// endpoint is gone (deleted elsewhere: the service keeps such dangling
// ids, and refuses a document that carries one) is dropped and logged at
// Warn. An endpoint the caller asked to add that does not exist is
// ErrNotFound naming it.
func (c *Client) pruneMembers(ctx context.Context, kind Kind, id GUID, members []ID, e memberEdit) ([]ID, error) {
	ids, err := c.enumerate(ctx, KindEndpoint, defaultQuery)
	if err != nil {
		return nil, err
	}
	have := make(map[GUID]bool, len(ids))
	for _, g := range ids {
		have[g] = true
	}
	for _, g := range e.ids {
		if e.add && !have[g] {
			return nil, opError(e.op, KindEndpoint, g.String(),
				fmt.Errorf("%w: endpoint %s, named in the call, does not exist", ErrNotFound, g))
		}
	}
	out := make([]ID, 0, len(members))
	var dropped []ID
	for _, s := range members {
		if g, err := s.GUID(); err == nil && !have[g] && !e.named(g) {
			dropped = append(dropped, s)
			continue
		}
		out = append(out, s)
	}
	if len(dropped) > 0 {
		c.log.Warn("hcn: dropping backend endpoints that no longer exist", "op", e.op,
			"kind", kind.String(), "id", id.String(), "endpoints", dropped)
	}
	return out, nil
}

// updateLocked is update under the object's edit lock: a whole update
// never interleaves with an edit of the same object in this process.
func (w wholeDoc[D, P]) updateLocked(ctx context.Context, c *Client, id GUID, next P) (P, error) {
	ctx, unlock, err := c.lockEdit(ctx, w.kind, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return w.update(ctx, c, id, next)
}
