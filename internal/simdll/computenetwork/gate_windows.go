//go:build windows && cgo

package main

/*
#include "gate.h"

// The gate. A Go DLL's export runs its Go code on the caller's thread,
// which the DLL's runtime must adopt for the call and give back after it:
// on Windows that is a DuplicateHandle and a CloseHandle per call, and
// the P the call used is left in a system call for the runtime's monitor
// to take back, which keeps the monitor waking every 20µs. Under Wine
// every one of those steps, and every wait and wake of a runtime thread,
// is a request to the single wineserver: a call into an export made in Go
// cost some 140µs there, and concurrent calls hardly overlapped. The HCN
// exports are therefore C functions: a call posts its operation and
// arguments in a free slot, waits out the latency knob on its own thread
// (latency_windows.go), and waits until the DLL's Go code (dispatch,
// below) has run it. The caller spins briefly, then yields its
// thread while the call is young, and blocks on the slot's event only when
// the call takes long (a hanging fault, a remote emulator); the
// dispatcher polls while calls keep coming and sleeps on an event when
// they stop. A steady stream of calls thus makes no request to the
// wineserver at all.

gate_slot gate_slots[GATE_SLOTS];
volatile LONG gate_posted;   // posts since the dispatcher last looked
volatile LONG gate_sleeping; // 1: the dispatcher waits on gate_wake
static HANDLE gate_wake;
static volatile LONG gate_next;
static LONGLONG gate_freq;
static int gate_ok; // the events were made

// gate_init makes the events when the DLL loads: an export can be called
// before the DLL's Go runtime has started (its calls then wait in their
// slots until the dispatcher runs).
__attribute__((constructor)) static void gate_init(void) {
	gate_freq = hcnsim_qpf();
	gate_wake = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (!gate_wake) return;
	for (int i = 0; i < GATE_SLOTS; i++) {
		gate_slots[i].ev = CreateEventW(NULL, FALSE, FALSE, NULL);
		if (!gate_slots[i].ev) return;
	}
	gate_ok = 1;
}

static int gate_ready(void) { return gate_ok; }

// gate_sleep is the dispatcher's wait for a post.
static void gate_sleep(void) { WaitForSingleObject(gate_wake, INFINITE); }

// gate_poll yields the dispatcher's thread until a call is posted (1) or
// us microseconds have passed (0).
static int gate_poll(LONGLONG us) {
	LONGLONG until = hcnsim_qpc() + us * gate_freq / 1000000;
	while (!gate_posted) {
		if (hcnsim_qpc() >= until) return 0;
		SwitchToThread();
	}
	return 1;
}

static void gate_signal(gate_slot *s) { SetEvent(s->ev); }

extern LONGLONG hcnsim_deadline(void);
extern void hcnsim_wait_until(LONGLONG end);

// How long a caller yields its thread before it blocks on the slot's
// event: longer than a call takes when nothing makes it wait.
#define GATE_YIELD_US 500

HRESULT hcnsim_gate(LONG op, void *a0, void *a1, void *a2, void *a3, void *a4) {
	if (!gate_ok) return E_OUTOFMEMORY;
	LONGLONG deadline = hcnsim_deadline();
	gate_slot *s;
	for (unsigned n = 1;; n++) {
		s = &gate_slots[(ULONG)InterlockedIncrement(&gate_next) % GATE_SLOTS];
		if (s->state == GATE_FREE && InterlockedCompareExchange(&s->state, GATE_CLAIMED, GATE_FREE) == GATE_FREE) break;
		if (n % GATE_SLOTS == 0) SwitchToThread();
	}
	s->op = op;
	s->a[0] = a0; s->a[1] = a1; s->a[2] = a2; s->a[3] = a3; s->a[4] = a4;
	InterlockedExchange(&s->state, GATE_POSTED);
	InterlockedIncrement(&gate_posted);
	if (gate_sleeping && InterlockedCompareExchange(&gate_sleeping, 0, 1) == 1) SetEvent(gate_wake);
	if (deadline) hcnsim_wait_until(deadline);
	LONGLONG until = hcnsim_qpc() + GATE_YIELD_US * gate_freq / 1000000;
	for (unsigned n = 0;; n++) {
		LONG st = s->state;
		if ((st & GATE_PHASE) == GATE_DONE) break;
		if (n < 64) {
			YieldProcessor();
			continue;
		}
		if (!(st & GATE_WAITING) && hcnsim_qpc() < until) {
			SwitchToThread();
			continue;
		}
		// Block. The worker swaps in GATE_DONE and signals the event when
		// the state it replaced had GATE_WAITING: either it sees the flag
		// or this thread sees GATE_DONE.
		if (!(st & GATE_WAITING) && InterlockedCompareExchange(&s->state, st | GATE_WAITING, st) != st) continue;
		WaitForSingleObject(s->ev, INFINITE);
	}
	MemoryBarrier(); // the result is read after the state that says it is there
	HRESULT hr = s->hr;
	InterlockedExchange(&s->state, GATE_FREE);
	return hr;
}

// The exports. Handles are UINT_PTR (the header's void* handle types).
#define GATE_EXPORT __declspec(dllexport) HRESULT WINAPI
#define GATE_FAMILY(Kind, Kinds, n) \
	GATE_EXPORT HcnEnumerate##Kinds(PCWSTR q, PWSTR *r, PWSTR *rec) { return hcnsim_gate(n*7+0, (void*)q, r, rec, 0, 0); } \
	GATE_EXPORT HcnOpen##Kind(const GUID *id, UINT_PTR *h, PWSTR *rec) { return hcnsim_gate(n*7+2, (void*)id, h, rec, 0, 0); } \
	GATE_EXPORT HcnModify##Kind(UINT_PTR h, PCWSTR s, PWSTR *rec) { return hcnsim_gate(n*7+3, (void*)h, (void*)s, rec, 0, 0); } \
	GATE_EXPORT HcnQuery##Kind##Properties(UINT_PTR h, PCWSTR q, PWSTR *r, PWSTR *rec) { return hcnsim_gate(n*7+4, (void*)h, (void*)q, r, rec, 0); } \
	GATE_EXPORT HcnDelete##Kind(const GUID *id, PWSTR *rec) { return hcnsim_gate(n*7+5, (void*)id, rec, 0, 0, 0); } \
	GATE_EXPORT HcnClose##Kind(UINT_PTR h) { return hcnsim_gate(n*7+6, (void*)h, 0, 0, 0, 0); }
#define GATE_CREATE(Kind, n) \
	GATE_EXPORT HcnCreate##Kind(const GUID *id, PCWSTR s, UINT_PTR *h, PWSTR *rec) { return hcnsim_gate(n*7+1, (void*)id, (void*)s, h, rec, 0); }

GATE_FAMILY(Network, Networks, 0)
GATE_CREATE(Network, 0)
GATE_FAMILY(Endpoint, Endpoints, 1)
GATE_EXPORT HcnCreateEndpoint(UINT_PTR net, const GUID *id, PCWSTR s, UINT_PTR *h, PWSTR *rec) {
	return hcnsim_gate(1*7+1, (void*)net, (void*)id, (void*)s, h, rec);
}
GATE_FAMILY(Namespace, Namespaces, 2)
GATE_CREATE(Namespace, 2)
GATE_FAMILY(LoadBalancer, LoadBalancers, 3)
GATE_CREATE(LoadBalancer, 3)
GATE_FAMILY(SdnRoute, SdnRoutes, 4)
GATE_CREATE(SdnRoute, 4)
GATE_FAMILY(GuestNetworkService, GuestNetworkServices, 5)
GATE_CREATE(GuestNetworkService, 5)

GATE_EXPORT HcnQueryEndpointStats(UINT_PTR h, PCWSTR q, PWSTR *r, PWSTR *rec) {
	return hcnsim_gate(GATE_QueryEndpointStats, (void*)h, (void*)q, r, rec, 0);
}
GATE_EXPORT HcnRegisterServiceCallback(void *cb, UINT_PTR ctx, UINT_PTR *h) {
	return hcnsim_gate(GATE_RegisterServiceCallback, cb, (void*)ctx, h, 0, 0);
}
GATE_EXPORT HcnUnregisterServiceCallback(UINT_PTR h) {
	return hcnsim_gate(GATE_UnregisterServiceCallback, (void*)h, 0, 0, 0, 0);
}
GATE_EXPORT HcnRegisterGuestNetworkServiceCallback(UINT_PTR gns, void *cb, UINT_PTR ctx, UINT_PTR *h) {
	return hcnsim_gate(GATE_RegisterGuestNetworkServiceCallback, (void*)gns, cb, (void*)ctx, h, 0);
}
GATE_EXPORT HcnUnregisterGuestNetworkServiceCallback(UINT_PTR h) {
	return hcnsim_gate(GATE_UnregisterGuestNetworkServiceCallback, (void*)h, 0, 0, 0, 0);
}
GATE_EXPORT HcnReserveGuestNetworkServicePort(UINT_PTR gns, ULONG protocol, ULONG access, USHORT port, UINT_PTR *h) {
	return hcnsim_gate(GATE_ReserveGuestNetworkServicePort, (void*)gns, (void*)(UINT_PTR)protocol, (void*)(UINT_PTR)access, (void*)(UINT_PTR)port, h);
}
GATE_EXPORT HcnReserveGuestNetworkServicePortRange(UINT_PTR gns, USHORT count, void *rr, UINT_PTR *h) {
	return hcnsim_gate(GATE_ReserveGuestNetworkServicePortRange, (void*)gns, (void*)(UINT_PTR)count, rr, h, 0);
}
GATE_EXPORT HcnReleaseGuestNetworkServicePortReservationHandle(UINT_PTR h) {
	return hcnsim_gate(GATE_ReleaseGuestNetworkServicePortReservationHandle, (void*)h, 0, 0, 0, 0);
}
GATE_EXPORT HcnEnumerateGuestNetworkPortReservations(ULONG *count, void **entries) {
	return hcnsim_gate(GATE_EnumerateGuestNetworkPortReservations, count, entries, 0, 0, 0);
}
__declspec(dllexport) void WINAPI HcnFreeGuestNetworkPortReservations(void *entries) {
	hcnsim_gate(GATE_FreeGuestNetworkPortReservations, entries, 0, 0, 0, 0);
}
// HcnSimHNSCall is HNSCall (HNS v1); the stand-in vmcompute.dll forwards
// its HNSCall export here so both DLLs share one emulator.
GATE_EXPORT HcnSimHNSCall(PCWSTR method, PCWSTR path, PCWSTR request, PWSTR *response) {
	return hcnsim_gate(GATE_HNSCall, (void*)method, (void*)path, (void*)request, response, 0);
}
*/
import "C"

import (
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"github.com/hcnkit/hcn"
)

// gateFamilies are the kinds of the seven-call families, in the order of
// their operation numbers (gate.h).
var gateFamilies = [C.GATE_FAMILIES]hcn.Kind{hcn.KindNetwork, hcn.KindEndpoint, hcn.KindNamespace,
	hcn.KindLoadBalancer, hcn.KindSDNRoute, hcn.KindGuestNetworkService}

// queryEndpointAddresses is HcnQueryEndpointAddresses, nil in the
// simdll_noexport build, which lacks the export.
var queryEndpointAddresses = endpointAddressesExport()

// gateIdleSpin is how long, in microseconds, the dispatcher keeps polling
// for calls after the last one before it sleeps until the next post.
const gateIdleSpin = 2000

// startGate starts the dispatcher; the DLL's last init calls it, so that
// no call runs before the DLL's state is ready.
func startGate() {
	if C.gate_ready() == 0 {
		fmt.Fprintln(os.Stderr, "computenetwork.dll: CreateEvent failed at load; every HCN call fails with E_OUTOFMEMORY")
		return
	}
	go dispatch()
}

func slotState(s *C.gate_slot) *int32 { return (*int32)(unsafe.Pointer(&s.state)) }

// dispatch runs the posted calls. It runs a call itself when the backend
// is the emulator in this process, which takes one call at a time anyway:
// a call on a goroutine of its own would wake another runtime thread, a
// request to the wineserver. A call to a remote emulator, which may wait
// on the network or on a fault that hangs, and the (un)registration of a
// callback, which may wait for a callback that calls the DLL, each get a
// goroutine, so that they hold up no other call.
func dispatch() {
	posted := (*int32)(unsafe.Pointer(&C.gate_posted))
	sleeping := (*int32)(unsafe.Pointer(&C.gate_sleeping))
	remote := isRemote()
	for {
		if atomic.SwapInt32(posted, 0) > 0 {
			for i := range C.gate_slots {
				s := &C.gate_slots[i]
				st := atomic.LoadInt32(slotState(s))
				if st&C.GATE_PHASE != C.GATE_POSTED || !atomic.CompareAndSwapInt32(slotState(s), st, st&C.GATE_WAITING|C.GATE_TAKEN) {
					continue
				}
				if remote || mayWait(int(s.op)) {
					go run(s)
				} else {
					run(s)
				}
			}
			continue
		}
		if C.gate_poll(gateIdleSpin) != 0 {
			continue
		}
		// Sleep: announce it, then look once more, so that a post either
		// sees the announcement (and sets the event) or is seen here.
		atomic.StoreInt32(sleeping, 1)
		if atomic.LoadInt32(posted) > 0 && atomic.CompareAndSwapInt32(sleeping, 1, 0) {
			continue
		}
		C.gate_sleep()
	}
}

// mayWait reports the operations that can wait on the caller's own
// callbacks.
func mayWait(op int) bool {
	switch op {
	case C.GATE_RegisterServiceCallback, C.GATE_UnregisterServiceCallback,
		C.GATE_RegisterGuestNetworkServiceCallback, C.GATE_UnregisterGuestNetworkServiceCallback:
		return true
	}
	return false
}

// run carries out the call in s and hands the result back.
func run(s *C.gate_slot) {
	a := (*[C.GATE_ARGS]unsafe.Pointer)(unsafe.Pointer(&s.a))
	s.hr = call(int(s.op), a)
	if old := atomic.SwapInt32(slotState(s), C.GATE_DONE); old&C.GATE_WAITING != 0 {
		C.gate_signal(s)
	}
}

// Typed views of a slot's arguments.
func wp(p unsafe.Pointer) *C.WCHAR   { return (*C.WCHAR)(p) }
func wpp(p unsafe.Pointer) **C.WCHAR { return (**C.WCHAR)(p) }
func gp(p unsafe.Pointer) *C.GUID    { return (*C.GUID)(p) }
func hp(p unsafe.Pointer) *C.HANDLE  { return (*C.HANDLE)(p) }
func up(p unsafe.Pointer) C.UINT_PTR { return C.UINT_PTR(uintptr(p)) }
func ul(p unsafe.Pointer) C.ULONG    { return C.ULONG(uintptr(p)) }
func us(p unsafe.Pointer) C.USHORT   { return C.USHORT(uintptr(p)) }
func cb(p unsafe.Pointer) C.HCN_NOTIFICATION_CALLBACK {
	return C.HCN_NOTIFICATION_CALLBACK(p)
}

// call runs operation op (gate.h) on its arguments.
func call(op int, a *[C.GATE_ARGS]unsafe.Pointer) C.HRESULT {
	if op < C.GATE_QueryEndpointAddresses {
		k := gateFamilies[op/C.GATE_FAMILY_CALLS]
		switch op % C.GATE_FAMILY_CALLS {
		case 0:
			return doEnumerate(k, wp(a[0]), wpp(a[1]), wpp(a[2]))
		case 1:
			if k == hcn.KindEndpoint {
				return doCreateEndpoint(up(a[0]), gp(a[1]), wp(a[2]), hp(a[3]), wpp(a[4]))
			}
			return doCreate(k, gp(a[0]), wp(a[1]), hp(a[2]), wpp(a[3]))
		case 2:
			return doOpen(k, gp(a[0]), hp(a[1]), wpp(a[2]))
		case 3:
			return doModify(k, up(a[0]), wp(a[1]), wpp(a[2]))
		case 4:
			return doQuery(k, up(a[0]), wp(a[1]), wpp(a[2]), wpp(a[3]))
		case 5:
			return doDelete(k, gp(a[0]), wpp(a[1]))
		default:
			return doClose(k, up(a[0]))
		}
	}
	switch op {
	case C.GATE_QueryEndpointAddresses:
		if queryEndpointAddresses == nil {
			return hrC(hcn.E_NOTIMPL)
		}
		return queryEndpointAddresses(up(a[0]), wp(a[1]), wpp(a[2]), wpp(a[3]))
	case C.GATE_QueryEndpointStats:
		return queryEndpointStats(up(a[0]), wp(a[1]), wpp(a[2]), wpp(a[3]))
	case C.GATE_RegisterServiceCallback:
		return registerServiceCallback(cb(a[0]), up(a[1]), hp(a[2]))
	case C.GATE_UnregisterServiceCallback:
		return unregisterServiceCallback(up(a[0]))
	case C.GATE_RegisterGuestNetworkServiceCallback:
		return registerGuestNetworkServiceCallback(up(a[0]), cb(a[1]), up(a[2]), hp(a[3]))
	case C.GATE_UnregisterGuestNetworkServiceCallback:
		return unregisterGuestNetworkServiceCallback(up(a[0]))
	case C.GATE_ReserveGuestNetworkServicePort:
		return reserveGuestNetworkServicePort(up(a[0]), ul(a[1]), ul(a[2]), us(a[3]), hp(a[4]))
	case C.GATE_ReserveGuestNetworkServicePortRange:
		return reserveGuestNetworkServicePortRange(up(a[0]), us(a[1]), (*C.HCN_PORT_RANGE_RESERVATION)(a[2]), hp(a[3]))
	case C.GATE_ReleaseGuestNetworkServicePortReservationHandle:
		return releaseGuestNetworkServicePortReservationHandle(up(a[0]))
	case C.GATE_EnumerateGuestNetworkPortReservations:
		return enumerateGuestNetworkPortReservations((*C.ULONG)(a[0]), (**C.HCN_PORT_RANGE_ENTRY)(a[1]))
	case C.GATE_FreeGuestNetworkPortReservations:
		freeGuestNetworkPortReservations((*C.HCN_PORT_RANGE_ENTRY)(a[0]))
		return 0
	case C.GATE_HNSCall:
		return hnsCall(wp(a[0]), wp(a[1]), wp(a[2]), wpp(a[3]))
	}
	return hrC(hcn.E_NOTIMPL)
}
