package hcnsim

import (
	"crypto/rand"
	"encoding/binary"
	"sync"

	"github.com/hcnkit/hcn"
)

// HandleKind names what an open handle refers to, for the counters.
type HandleKind uint8

// Handle kinds: one per object family (the hcn.Kind values), then
// callback registrations and port reservations.
const (
	HandleNetwork             = HandleKind(hcn.KindNetwork)
	HandleEndpoint            = HandleKind(hcn.KindEndpoint)
	HandleNamespace           = HandleKind(hcn.KindNamespace)
	HandleLoadBalancer        = HandleKind(hcn.KindLoadBalancer)
	HandleSDNRoute            = HandleKind(hcn.KindSDNRoute)
	HandleGuestNetworkService = HandleKind(hcn.KindGuestNetworkService)
	// HandleServiceCallback is a HcnRegisterServiceCallback registration.
	HandleServiceCallback HandleKind = 7
	// HandleGuestNetworkServiceCallback is a
	// HcnRegisterGuestNetworkServiceCallback registration.
	HandleGuestNetworkServiceCallback HandleKind = 8
	// HandlePortReservation is a HcnReserveGuestNetworkServicePort(Range)
	// reservation.
	HandlePortReservation HandleKind = 9

	numHandleKinds = 10
)

var handleKindNames = [numHandleKinds]string{"", "network", "endpoint", "namespace", "loadbalancer",
	"sdnroute", "guestnetworkservice", "servicecallback", "gnscallback", "portreservation"}

// String returns the lower-case name ("endpoint", "servicecallback", ...).
func (k HandleKind) String() string {
	if k == 0 || k >= numHandleKinds {
		return "invalid"
	}
	return handleKindNames[k]
}

// handleEntry is what a handle refers to.
type handleEntry struct {
	kind HandleKind
	id   hcn.GUID // object id, or the GNS of a reservation/registration
	reg  *registration
	res  *reservation
}

// handleTable holds the open handles of this process. Handle values are
// never reused, so a closed or invalidated one stays invalid.
type handleTable struct {
	mu     sync.Mutex
	next   uintptr
	m      map[hcn.Handle]*handleEntry
	counts [numHandleKinds]int
}

// newHandleTable starts handle values at a random base, so handles of
// two Sims in one process (or of two processes) do not coincide.
func newHandleTable() *handleTable {
	var b [4]byte
	rand.Read(b[:])
	base := 0x10000 + uintptr(binary.LittleEndian.Uint32(b[:])&0x0fffffff)&^7
	return &handleTable{next: base, m: map[hcn.Handle]*handleEntry{}}
}

func (t *handleTable) open(e *handleEntry) hcn.Handle {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next += 8
	h := hcn.Handle(t.next)
	t.m[h] = e
	t.counts[e.kind]++
	return h
}

// get returns the entry of h when it is open and of kind k.
func (t *handleTable) get(h hcn.Handle, k HandleKind) (*handleEntry, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.m[h]
	if !ok || e.kind != k {
		return nil, false
	}
	return e, true
}

// close removes h when it is open and of kind k.
func (t *handleTable) close(h hcn.Handle, k HandleKind) (*handleEntry, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.m[h]
	if !ok || e.kind != k {
		return nil, false
	}
	delete(t.m, h)
	t.counts[k]--
	return e, true
}

// invalidate drops every handle except callback registrations (a service
// restart) and returns the port reservations dropped.
func (t *handleTable) invalidate() []*reservation {
	t.mu.Lock()
	defer t.mu.Unlock()
	var res []*reservation
	for h, e := range t.m {
		if e.kind == HandleServiceCallback || e.kind == HandleGuestNetworkServiceCallback {
			continue
		}
		if e.res != nil {
			res = append(res, e.res)
		}
		delete(t.m, h)
		t.counts[e.kind]--
	}
	return res
}

// snapshot returns the open counts per kind.
func (t *handleTable) snapshot() [numHandleKinds]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts
}
