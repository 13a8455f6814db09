//go:build windows && cgo

package main

import (
	"sync"

	"github.com/hcnkit/hcn"
)

// dllKind is what a DLL handle refers to.
type dllKind uint8

const (
	kindCallback    dllKind = 100 + iota // service callback registration
	kindGNSCallback                      // guest network service callback registration
	kindReservation                      // port reservation
)

// dllHandle is one open DLL handle: the backend's handle and its kind.
type dllHandle struct {
	kind  dllKind
	inner hcn.Handle
}

// fault is one pending injected failure: the (skip+1)-th next call of op
// ("" = of any export) fails with hr.
type fault struct {
	op   string
	skip uint32
	hr   hcn.HRESULT
}

// state is the DLL's process-wide state.
var state = struct {
	mu      sync.Mutex
	svc     backend
	handles map[uintptr]dllHandle
	next    uintptr
	calls   map[string]uint64
	total   uint64
	faults  []fault
	success hcn.HRESULT // returned by successful calls (S_OK or S_FALSE)
	info    bool        // with an informational error record on success
}{svc: newBackend(), handles: map[uintptr]dllHandle{}, calls: map[string]uint64{}}

// handleBase makes handles look like nothing a caller could mistake for a
// small integer or for another handle type: kind in bits 40-47, a counter
// below, never zero.
const handleBase = 0x4843_0000_0000_0000

func svc() backend {
	state.mu.Lock()
	defer state.mu.Unlock()
	return state.svc
}

// addHandle records a backend handle and returns the DLL handle for it.
func addHandle(kind dllKind, inner hcn.Handle) uintptr {
	state.mu.Lock()
	defer state.mu.Unlock()
	state.next++
	h := handleBase | uintptr(kind)<<40 | state.next<<4
	state.handles[h] = dllHandle{kind: kind, inner: inner}
	return h
}

// lookup returns the backend handle for a live DLL handle of kind.
func lookup(kind dllKind, h uintptr) (hcn.Handle, bool) {
	state.mu.Lock()
	defer state.mu.Unlock()
	d, ok := state.handles[h]
	if !ok || d.kind != kind {
		return 0, false
	}
	return d.inner, true
}

// takeHandle removes a live DLL handle of kind and returns its backend
// handle; later uses of h fail with E_HANDLE.
func takeHandle(kind dllKind, h uintptr) (hcn.Handle, bool) {
	state.mu.Lock()
	defer state.mu.Unlock()
	d, ok := state.handles[h]
	if !ok || d.kind != kind {
		return 0, false
	}
	delete(state.handles, h)
	return d.inner, true
}

// enter counts a call of export op and returns the injected failure for
// it, if one is due.
func enter(op string) (hcn.HRESULT, bool) {
	state.mu.Lock()
	defer state.mu.Unlock()
	state.calls[op]++
	state.total++
	for i := range state.faults {
		f := &state.faults[i]
		if f.op != "" && f.op != op {
			continue
		}
		if f.skip > 0 {
			f.skip--
			continue
		}
		hr := f.hr
		state.faults = append(state.faults[:i], state.faults[i+1:]...)
		return hr, true
	}
	return 0, false
}

// successCode is what a successful call returns, and whether it carries
// an informational record.
func successCode() (hcn.HRESULT, bool) {
	state.mu.Lock()
	defer state.mu.Unlock()
	return state.success, state.info
}
