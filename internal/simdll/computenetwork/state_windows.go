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

// fault is one injected failure, as in hcnsim.Sim.InjectFault: the nth
// call of op ("" = of any export) from injection fails with hr; nth 0
// makes every call fail until the faults are cleared.
type fault struct {
	op    string
	nth   uint32
	count uint32
	hr    hcn.HRESULT
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
	badEnv  string      // when set, an invalid HCNSIM_LATENCY: every call fails with it
}{svc: newBackend(), handles: map[uintptr]dllHandle{}, calls: map[string]uint64{}}

// init is the DLL's only init: the state first, then the gate, so that
// no call runs before the latency is known.
func init() {
	resetLatency()
	startGate()
}

// resetLatency sets the latency HCNSIM_LATENCY asks for (none when it is
// invalid, and every call then fails). state.mu is held, or not needed.
func resetLatency() {
	d, bad := latencyFromEnv()
	state.badEnv = bad
	setLatency(d)
}

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

// enter counts a call of export op (which has waited the configured
// latency on the caller's thread, see gate_windows.go) and returns the injected failure for it, if one is due (E_INVALIDARG for
// every call while HCNSIM_LATENCY is invalid).
func enter(op string) (hcn.HRESULT, bool) {
	state.mu.Lock()
	hr := fire(op)
	if state.badEnv != "" {
		hr = hcn.E_INVALIDARG
	}
	state.mu.Unlock()
	return hr, hr != 0
}

// fire counts a call of op and advances the injected faults; it returns
// the HRESULT of the first that triggers. state.mu is held.
func fire(op string) hcn.HRESULT {
	state.calls[op]++
	state.total++
	var hr hcn.HRESULT
	kept := state.faults[:0]
	for _, f := range state.faults {
		if f.op != "" && f.op != op {
			kept = append(kept, f)
			continue
		}
		f.count++
		fires := f.nth == 0 || f.count == f.nth
		if fires && hr == 0 {
			hr = f.hr
		}
		if f.nth == 0 || !fires {
			kept = append(kept, f)
		}
	}
	state.faults = kept
	return hr
}

// countOnly counts a call of an export that cannot fail (a VOID one). It
// is not a call position: no fault is spent on it and it is not in the
// total.
func countOnly(op string) {
	state.mu.Lock()
	state.calls[op]++
	state.mu.Unlock()
}

// faultText is the error record of a call enter failed: the invalid
// HCNSIM_LATENCY, or an injected fault.
func faultText(op string) string {
	state.mu.Lock()
	defer state.mu.Unlock()
	if state.badEnv != "" {
		return state.badEnv
	}
	return "injected fault in " + op
}

// successCode is what a successful call returns, and whether it carries
// an informational record.
func successCode() (hcn.HRESULT, bool) {
	state.mu.Lock()
	defer state.mu.Unlock()
	return state.success, state.info
}
