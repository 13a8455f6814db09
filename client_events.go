package hcn

import (
	"context"
	"sync"
	"time"
)

// Watch is HcnRegisterServiceCallback as a channel: it delivers the
// service's notifications as Events until ctx ends, then closes the
// channel. Every event reaches every watcher, in the service's order; a
// slow reader delays only itself (each watcher has its own unbounded
// queue, so none is lost and the service's callback is never blocked).
//
// All watchers of one Client share one service registration, made by the
// first Watch and removed (HcnUnregisterServiceCallback) when the last
// watcher's ctx ends. A ServiceDisconnect notification is delivered like
// any other; the Client then registers again (retrying with the Client's
// backoff while watchers remain) and only then drops the old registration,
// so a watch survives a service restart. While both registrations are live
// an event may be delivered twice; an event the service sends after the
// disconnect is never lost for want of a registration, unless the service
// itself dropped the old one before the new one was made.
func (c *Client) Watch(ctx context.Context) (<-chan Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := &watcher{out: make(chan Event), wake: make(chan struct{}, 1)}
	if err := c.watch.add(ctx, w); err != nil {
		return nil, err
	}
	go w.pump(ctx, func() { c.watch.remove(w) })
	return w.out, nil
}

// watcher is one Watch: a queue fed by the hub and a goroutine pumping it
// into out.
type watcher struct {
	out  chan Event
	wake chan struct{}
	mu   sync.Mutex
	q    []Event
}

func (w *watcher) push(e Event) {
	w.mu.Lock()
	w.q = append(w.q, e)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *watcher) pop() (Event, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.q) == 0 {
		return Event{}, false
	}
	e := w.q[0]
	w.q[0] = Event{}
	w.q = w.q[1:]
	return e, true
}

func (w *watcher) pump(ctx context.Context, done func()) {
	defer close(w.out)
	defer done()
	for {
		e, ok := w.pop()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
				continue
			}
		}
		select {
		case <-ctx.Done():
			return
		case w.out <- e:
		}
	}
}

// watchHub multiplexes one service registration to many watchers. regMu
// serializes registering and unregistering; mu guards the watcher set and
// the registration handle and is never held across a service call, so the
// service's callback (which takes mu) can always run.
type watchHub struct {
	c        *Client
	regMu    sync.Mutex
	mu       sync.Mutex
	watchers map[*watcher]struct{}
	reg      Handle // zero when not registered
}

// add registers w, registering with the service first if none is.
func (hub *watchHub) add(ctx context.Context, w *watcher) error {
	hub.regMu.Lock()
	defer hub.regMu.Unlock()
	hub.mu.Lock()
	registered := hub.reg != 0
	hub.mu.Unlock()
	if !registered {
		h, err := abandonable(ctx, func() (Handle, error) {
			return hub.c.svc.RegisterServiceCallback(hub.dispatch)
		}, func(h Handle) { hub.unregister(h) })
		if err != nil {
			return err
		}
		hub.mu.Lock()
		hub.reg = h
		hub.mu.Unlock()
	}
	hub.mu.Lock()
	if hub.watchers == nil {
		hub.watchers = make(map[*watcher]struct{})
	}
	hub.watchers[w] = struct{}{}
	hub.mu.Unlock()
	return nil
}

// remove drops w and unregisters when no watcher is left.
func (hub *watchHub) remove(w *watcher) {
	hub.regMu.Lock()
	defer hub.regMu.Unlock()
	hub.mu.Lock()
	delete(hub.watchers, w)
	var h Handle
	if len(hub.watchers) == 0 {
		h, hub.reg = hub.reg, 0
	}
	hub.mu.Unlock()
	if h != 0 {
		hub.unregister(h)
	}
}

func (hub *watchHub) unregister(h Handle) {
	if err := hub.c.svc.UnregisterServiceCallback(h); err != nil {
		hub.c.log.Debug("hcn: HcnUnregisterServiceCallback failed", "err", err)
	}
}

// dispatch is the service callback: it hands the event to every watcher.
func (hub *watchHub) dispatch(t NotificationType, status HRESULT, data string) {
	e := newEvent(t, status, data)
	hub.mu.Lock()
	for w := range hub.watchers {
		w.push(e)
	}
	hub.mu.Unlock()
	if e.Disconnected() {
		go hub.reregister()
	}
}

// reregister replaces the registration after a ServiceDisconnect: a new
// one is made first and the old one dropped after it, so there is no moment
// without a registration; it retries with the Client's backoff while
// watchers remain.
func (hub *watchHub) reregister() {
	for attempt := 1; ; attempt++ {
		if hub.reregisterOnce() {
			return
		}
		time.Sleep(hub.c.retry.backoff(attempt))
	}
}

// reregisterOnce makes one attempt; it reports whether no more are needed.
func (hub *watchHub) reregisterOnce() bool {
	hub.regMu.Lock()
	defer hub.regMu.Unlock()
	hub.mu.Lock()
	old, left := hub.reg, len(hub.watchers)
	hub.mu.Unlock()
	if left == 0 {
		hub.mu.Lock()
		hub.reg = 0
		hub.mu.Unlock()
		if old != 0 {
			hub.unregister(old)
		}
		return true
	}
	h, err := hub.c.svc.RegisterServiceCallback(hub.dispatch)
	if err != nil {
		hub.c.log.Debug("hcn: re-registering the service callback failed", "err", err)
		return false
	}
	hub.mu.Lock()
	hub.reg = h
	hub.mu.Unlock()
	if old != 0 {
		hub.unregister(old)
	}
	return true
}
