//go:build windows && cgo

package main

/*
#include <windows.h>
*/
import "C"

import (
	"time"

	"github.com/hcnkit/hcn"
)

// The test-only control surface. Every HcnSim* export is safe to call at
// any time from any thread; none of them is counted as a call. In client
// mode (HCNSIM_ADDR, see remote_windows.go) the exports that act on the
// DLL's own state (handles, buffers, call counts, faults, success code,
// latency) work as ever and apply to this process's calls only; those
// that need the emulator in the process (HcnSimReset, HcnSimRestart,
// HcnSimSetServiceVersion) give E_NOTIMPL, and HcnSimBackendOpenHandles
// gives 0xFFFFFFFF.

// HcnSimOpenHandles returns the number of handles (objects, callback
// registrations, port reservations) the DLL handed out that are not
// closed yet.
//
//export HcnSimOpenHandles
func HcnSimOpenHandles() C.ULONG {
	state.mu.Lock()
	defer state.mu.Unlock()
	return C.ULONG(len(state.handles))
}

// HcnSimOutstandingBuffers returns the number of CoTaskMem buffers the DLL
// handed out that the process has not freed yet, or -1 when frees cannot
// be observed (CoRegisterMallocSpy failed).
//
//export HcnSimOutstandingBuffers
func HcnSimOutstandingBuffers() C.LONGLONG { return C.LONGLONG(outstandingBuffers()) }

// HcnSimFreedBuffers returns how many of the DLL's buffers the process has
// freed since load, so a test can see that frees are observed at all.
//
//export HcnSimFreedBuffers
func HcnSimFreedBuffers() C.LONGLONG { return C.LONGLONG(freedBuffers()) }

// HcnSimCallCount returns the number of calls of export op since load or
// the last reset; NULL or empty gives the number of call positions: calls
// of every export that returns an HRESULT (what a fault for any export
// counts), which leaves out HcnFreeGuestNetworkPortReservations.
//
//export HcnSimCallCount
func HcnSimCallCount(op *C.WCHAR) C.ULONGLONG {
	name := wstr(op)
	state.mu.Lock()
	defer state.mu.Unlock()
	if name == "" {
		return C.ULONGLONG(state.total)
	}
	return C.ULONGLONG(state.calls[name])
}

// HcnSimInjectFault makes the nth call of export op (NULL or empty: of any
// export) from now on fail with hr and an error record (1 = the next call;
// 0 = every call until HcnSimClearFaults), before the call has any effect.
// Close, unregister and release calls free their handle even then.
//
//export HcnSimInjectFault
func HcnSimInjectFault(op *C.WCHAR, nth C.ULONG, hr C.HRESULT) C.HRESULT {
	if !hcn.HRESULT(uint32(hr)).Failed() {
		return hrC(hcn.E_INVALIDARG)
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	state.faults = append(state.faults, fault{op: wstr(op), nth: uint32(nth), hr: hcn.HRESULT(uint32(hr))})
	return 0
}

// HcnSimClearFaults drops the injected faults that have not fired.
//
//export HcnSimClearFaults
func HcnSimClearFaults() {
	state.mu.Lock()
	defer state.mu.Unlock()
	state.faults = nil
}

// HcnSimBackendOpenHandles returns the emulator's own count of open
// handles, which the DLL's handles map onto one to one; 0xFFFFFFFF in
// client mode (HCNSIM_ADDR), where the emulator is in another process.
//
//export HcnSimBackendOpenHandles
func HcnSimBackendOpenHandles() C.ULONG { return C.ULONG(backendOpenHandles(svc())) }

// HcnSimSetSuccessCode makes successful calls return hr (S_OK or S_FALSE)
// and, when record is TRUE, an informational error record the caller must
// free like any other.
//
//export HcnSimSetSuccessCode
func HcnSimSetSuccessCode(hr C.HRESULT, record C.BOOL) C.HRESULT {
	if hcn.HRESULT(uint32(hr)).Failed() {
		return hrC(hcn.E_INVALIDARG)
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	state.success = hcn.HRESULT(uint32(hr))
	state.info = record != 0
	return 0
}

// HcnSimReset starts over with a fresh emulator: no objects, no handles,
// no faults, zeroed call counts, S_OK on success, and the latency
// HCNSIM_LATENCY asks for now. Outstanding buffers are not forgotten: they
// are the caller's to free. In client mode (HCNSIM_ADDR) it gives
// E_NOTIMPL and changes nothing: the emulator is shared.
//
//export HcnSimReset
func HcnSimReset() C.HRESULT {
	if isRemote() {
		return hrC(hcn.E_NOTIMPL)
	}
	fresh := newBackend()
	state.mu.Lock()
	defer state.mu.Unlock()
	state.svc = fresh
	state.handles = map[uintptr]dllHandle{}
	state.calls = map[string]uint64{}
	state.total = 0
	state.faults = nil
	state.success, state.info = 0, false
	resetLatency()
	return 0
}

// HcnSimSetLatency makes every HCN call (every export but this control
// surface, HcnSimHNSCall apart) last at least ns nanoseconds, from now until
// the next HcnSimSetLatency or HcnSimReset (which reads HCNSIM_LATENCY
// again); 0 removes the wait. It replaces an invalid HCNSIM_LATENCY.
// Negative ns gives E_INVALIDARG.
//
//export HcnSimSetLatency
func HcnSimSetLatency(ns C.LONGLONG) C.HRESULT {
	if ns < 0 {
		return hrC(hcn.E_INVALIDARG)
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	state.badEnv = ""
	setLatency(time.Duration(ns))
	return 0
}

// HcnSimRestart restarts the emulated service: its handles become invalid
// (the DLL's handles stay open until closed, and calls on them fail).
// E_NOTIMPL in client mode (HCNSIM_ADDR).
//
//export HcnSimRestart
func HcnSimRestart() C.HRESULT { return hrC(restartBackend(svc())) }

// HcnSimSetServiceVersion sets the HNS service version HNSCall GET
// /globals/version reports. E_NOTIMPL in client mode (HCNSIM_ADDR).
//
//export HcnSimSetServiceVersion
func HcnSimSetServiceVersion(major, minor C.ULONG) C.HRESULT {
	return hrC(setBackendVersion(svc(), uint32(major), uint32(minor)))
}
