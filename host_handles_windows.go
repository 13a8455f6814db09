//go:build windows

package hcn

import (
	"errors"
	"sync"

	"github.com/hcnkit/hcn/internal/computenetwork"
)

// hostKind is what a host handle refers to: an object kind, or one of the
// handle types that are not objects.
type hostKind uint8

const (
	hostKindServiceCallback hostKind = 100 + iota // HCN_CALLBACK from HcnRegisterServiceCallback
	hostKindGNSCallback                           // HCN_CALLBACK from HcnRegisterGuestNetworkServiceCallback
	hostKindReservation                           // port reservation HANDLE
)

// hostEntry is one open DLL handle. Calls that use it hold mu shared;
// closing takes it exclusively, so a close from another goroutine waits
// for the calls in flight and no call uses the handle after it is closed.
type hostEntry struct {
	mu   sync.RWMutex
	kind hostKind
	raw  computenetwork.Handle
	aux  uintptr // the notification context of a callback handle
	dead bool
}

// hostHandles maps the service's handles to DLL handles. Handles are
// issued in increasing order and never reused, so a stale handle can never
// reach another object's DLL handle.
type hostHandles struct {
	mu   sync.Mutex
	last Handle
	live map[Handle]*hostEntry
}

func newHostHandles() hostHandles { return hostHandles{live: map[Handle]*hostEntry{}} }

// add records a DLL handle and returns the service's handle for it.
func (t *hostHandles) add(kind hostKind, raw computenetwork.Handle, aux uintptr) Handle {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last++
	t.live[t.last] = &hostEntry{kind: kind, raw: raw, aux: aux}
	return t.last
}

// use returns the live entry for h, held shared (release it with done),
// or false when h is not an open handle of this kind.
func (t *hostHandles) use(kind hostKind, h Handle) (*hostEntry, bool) {
	t.mu.Lock()
	e := t.live[h]
	t.mu.Unlock()
	if e == nil || e.kind != kind {
		return nil, false
	}
	e.mu.RLock()
	if e.dead {
		e.mu.RUnlock()
		return nil, false
	}
	return e, true
}

func (e *hostEntry) done() { e.mu.RUnlock() }

// remove takes h out of the table, waits for the calls using it, and
// returns the entry, whose DLL handle the caller then closes exactly once;
// false when h is not an open handle of this kind (closed before, never
// issued, or of another kind).
func (t *hostHandles) remove(kind hostKind, h Handle) (*hostEntry, bool) {
	t.mu.Lock()
	e := t.live[h]
	if e == nil || e.kind != kind {
		t.mu.Unlock()
		return nil, false
	}
	delete(t.live, h)
	t.mu.Unlock()
	e.mu.Lock()
	e.dead = true
	e.mu.Unlock()
	return e, true
}

// errHandleNotOpen says that E_HANDLE was found by the host service, not
// returned by the DLL.
var errHandleNotOpen = errors.New("the handle is not open (closed, never issued, or of another kind); no call was made")

// hostBadHandle is the error for a handle that is not open: E_HANDLE, as
// the service gives for a closed handle, found before any call so that a
// stale handle never reaches the DLL.
func hostBadHandle(op string, kind Kind) error {
	return &Error{Op: op, Kind: kind, HRESULT: E_HANDLE, Err: errHandleNotOpen}
}
