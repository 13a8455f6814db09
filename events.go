package hcn

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// Event is one service notification, typed.
type Event struct {
	// Type is the notification type as the service sent it, flag bits
	// included; switch on Type.Base().
	Type NotificationType
	// Kind is the object family the notification is about: networks for
	// Network*, namespaces for Namespace*, guest network services for
	// GuestNetworkService*, endpoints for NetworkEndpointAttached/Detached,
	// zero for ServiceDisconnect and unknown types.
	Kind Kind
	// ID is the payload's "ID": the object the notification is about, as
	// the service sent it; zero when the payload has none.
	ID GUID
	// Flags is the payload's "Flags".
	Flags uint32
	// Status is the HRESULT the service delivered with the notification.
	Status HRESULT
	// Data is the payload's "Data" (raw JSON), if any.
	Data json.RawMessage
	// Payload is the whole payload text as received (may be empty).
	Payload string
}

// Disconnected reports whether e is NotificationServiceDisconnect: the
// service went away (a restart). Handles opened before it may be invalid.
func (e Event) Disconnected() bool { return e.Type.Base() == NotificationServiceDisconnect }

// eventKind maps a notification type to the family it is about.
func eventKind(t NotificationType) Kind {
	switch t.Base() {
	case NotificationNetworkPreCreate, NotificationNetworkCreate, NotificationNetworkPreDelete, NotificationNetworkDelete:
		return KindNetwork
	case NotificationNamespaceCreate, NotificationNamespaceDelete:
		return KindNamespace
	case NotificationGuestNetworkServiceCreate, NotificationGuestNetworkServiceDelete,
		NotificationGuestNetworkServiceStateChanged, NotificationGuestNetworkServiceInterfaceStateChanged:
		return KindGuestNetworkService
	case NotificationNetworkEndpointAttached, NotificationNetworkEndpointDetached:
		return KindEndpoint
	}
	return 0
}

// newEvent decodes a notification. A payload that is not the expected
// JSON still gives an event (with Payload set); decoding never fails.
func newEvent(t NotificationType, status HRESULT, data string) Event {
	e := Event{Type: t, Kind: eventKind(t), Status: status, Payload: data}
	if strings.TrimSpace(data) == "" {
		return e
	}
	var p struct {
		ID    string          `json:"ID"`
		Flags uint32          `json:"Flags"`
		Data  json.RawMessage `json:"Data"`
	}
	if json.Unmarshal([]byte(data), &p) != nil {
		return e
	}
	if id, err := ParseGUID(p.ID); err == nil {
		e.ID = id
	}
	e.Flags, e.Data = p.Flags, p.Data
	return e
}

// Watch is HcnRegisterServiceCallback as a channel: it delivers the
// service's notifications as Events until ctx ends, then closes the
// channel. Every event reaches every watcher, in the service's order; a
// slow reader delays only itself (each watcher has its own unbounded
// queue, so none is lost and the service's callback is never blocked).
//
// All watchers of one Client share one service registration, made by the
// first Watch and removed (HcnUnregisterServiceCallback) when the last
// watcher's ctx ends. A ServiceDisconnect notification is delivered like
// any other; the Client then drops the dead registration and registers
// again (retrying with the Client's backoff while watchers remain), so a
// watch survives a service restart. Events during the gap are lost.
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

// watchHub multiplexes one service registration to many watchers.
type watchHub struct {
	c        *Client
	mu       sync.Mutex
	watchers map[*watcher]struct{}
	reg      Handle // zero when not registered
}

// add registers w, registering with the service first if w is the first.
func (hub *watchHub) add(ctx context.Context, w *watcher) error {
	hub.mu.Lock()
	defer hub.mu.Unlock()
	if hub.reg == 0 {
		h, err := call(ctx, func() (Handle, error) {
			return hub.c.svc.RegisterServiceCallback(hub.dispatch)
		}, func(h Handle) { hub.unregister(h) })
		if err != nil {
			return err
		}
		hub.reg = h
	}
	if hub.watchers == nil {
		hub.watchers = make(map[*watcher]struct{})
	}
	hub.watchers[w] = struct{}{}
	return nil
}

// remove drops w and unregisters when no watcher is left.
func (hub *watchHub) remove(w *watcher) {
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

// reregister replaces a registration the service dropped, retrying with
// backoff while watchers remain.
func (hub *watchHub) reregister() {
	hub.mu.Lock()
	old := hub.reg
	hub.mu.Unlock()
	if old != 0 {
		hub.unregister(old)
	}
	for attempt := 1; ; attempt++ {
		hub.mu.Lock()
		if len(hub.watchers) == 0 || hub.reg != old {
			hub.mu.Unlock()
			return // nobody left, or someone registered anew
		}
		h, err := hub.c.svc.RegisterServiceCallback(hub.dispatch)
		if err == nil {
			hub.reg = h
			hub.mu.Unlock()
			return
		}
		hub.mu.Unlock()
		hub.c.log.Debug("hcn: re-registering the service callback failed", "attempt", attempt, "err", err)
		time.Sleep(hub.c.retry.backoff(attempt))
	}
}
