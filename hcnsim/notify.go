package hcnsim

import (
	"encoding/json"
	"sync"

	"github.com/hcnkit/hcn"
)

// registration is one callback registration with its own delivery
// goroutine, so calls to one callback are in order and never overlap.
type registration struct {
	fn     hcn.NotificationFunc
	gns    hcn.GUID // zero for service callbacks
	mu     sync.Mutex
	cond   *sync.Cond
	queue  []note
	closed bool
	done   chan struct{}
}

type note struct {
	typ    hcn.NotificationType
	status hcn.HRESULT
	data   string
}

// notifier fans notifications out to the registrations.
type notifier struct {
	mu   sync.Mutex
	regs map[*registration]struct{}
}

func newNotifier() *notifier { return &notifier{regs: map[*registration]struct{}{}} }

func (n *notifier) register(fn hcn.NotificationFunc, gns hcn.GUID) *registration {
	r := &registration{fn: fn, gns: gns, done: make(chan struct{})}
	r.cond = sync.NewCond(&r.mu)
	n.mu.Lock()
	n.regs[r] = struct{}{}
	n.mu.Unlock()
	go r.run()
	return r
}

// unregister stops r: no notification is queued for it any more, the
// ones already queued are delivered, and it returns once no call of its
// callback is in flight. It must not be called from within the callback
// itself.
func (n *notifier) unregister(r *registration) {
	n.mu.Lock()
	delete(n.regs, r)
	n.mu.Unlock()
	r.mu.Lock()
	r.closed = true
	r.cond.Signal()
	r.mu.Unlock()
	<-r.done
}

func (r *registration) run() {
	defer close(r.done)
	for {
		r.mu.Lock()
		for len(r.queue) == 0 && !r.closed {
			r.cond.Wait()
		}
		if len(r.queue) == 0 { // closed and drained
			r.mu.Unlock()
			return
		}
		nt := r.queue[0]
		r.queue[0] = note{}
		r.queue = r.queue[1:]
		r.mu.Unlock()
		r.fn(nt.typ, nt.status, nt.data)
	}
}

func (r *registration) enqueue(nt note) {
	r.mu.Lock()
	if !r.closed {
		r.queue = append(r.queue, nt)
		r.cond.Signal()
	}
	r.mu.Unlock()
}

// publish queues ev for every registration it concerns: GNS-scoped events
// go to that service's registrations, the others to service callbacks.
func (n *notifier) publish(ev event) {
	nt := note{typ: ev.typ, data: payload(ev)}
	n.mu.Lock()
	defer n.mu.Unlock()
	for r := range n.regs {
		if r.gns == ev.gns {
			r.enqueue(nt)
		}
	}
}

// payload is {"ID":"<guid>","Flags":0,"Data":{...}}; ServiceDisconnect
// carries an empty payload.
func payload(ev event) string {
	if ev.typ == hcn.NotificationServiceDisconnect {
		return ""
	}
	b, _ := json.Marshal(struct {
		ID    string
		Flags uint32
		Data  obj `json:",omitempty"`
	}{ID: ev.id.String(), Data: ev.data})
	return string(b)
}
