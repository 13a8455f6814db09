// The call gate of the stand-in computenetwork.dll (gate_windows.go): the
// HCN exports are C functions that hand their arguments to the DLL's Go
// code through a slot, so that a call never enters the Go runtime from the
// caller's thread.
#ifndef HCNSIM_GATE_H
#define HCNSIM_GATE_H

#include <windows.h>

// The types of ComputeNetwork.h the exports use.
typedef void (CALLBACK *HCN_NOTIFICATION_CALLBACK)(DWORD NotificationType, void *Context, HRESULT NotificationStatus, PCWSTR NotificationData);
typedef struct { USHORT startingPort; USHORT endingPort; } HCN_PORT_RANGE_RESERVATION;
typedef struct HCN_PORT_RANGE_ENTRY HCN_PORT_RANGE_ENTRY;

// The operations, one per export; the seven-call families come first, in
// the order of gateFamilies in gate_windows.go, each in the order
// Enumerate, Create, Open, Modify, Query, Delete, Close.
enum {
	GATE_FAMILY_CALLS = 7,
	GATE_FAMILIES = 6,
	GATE_QueryEndpointAddresses = GATE_FAMILY_CALLS * GATE_FAMILIES,
	GATE_QueryEndpointStats,
	GATE_RegisterServiceCallback,
	GATE_UnregisterServiceCallback,
	GATE_RegisterGuestNetworkServiceCallback,
	GATE_UnregisterGuestNetworkServiceCallback,
	GATE_ReserveGuestNetworkServicePort,
	GATE_ReserveGuestNetworkServicePortRange,
	GATE_ReleaseGuestNetworkServicePortReservationHandle,
	GATE_EnumerateGuestNetworkPortReservations,
	GATE_FreeGuestNetworkPortReservations,
	GATE_HNSCall,
};

// A slot's phases; GATE_WAITING is or-ed in when its caller blocks on the
// slot's event.
enum {
	GATE_FREE,
	GATE_CLAIMED,
	GATE_POSTED,
	GATE_TAKEN,
	GATE_DONE,
	GATE_PHASE = 0xff,
	GATE_WAITING = 0x100,
};

#define GATE_ARGS 5
#define GATE_SLOTS 256

typedef struct {
	volatile LONG state;
	LONG op;
	void *a[GATE_ARGS];
	HRESULT hr;
	HANDLE ev;
} gate_slot;

// hcnsim_qpc is the performance counter; hcnsim_qpf its ticks a second.
static inline LONGLONG hcnsim_qpc(void) {
	LARGE_INTEGER t;
	QueryPerformanceCounter(&t);
	return t.QuadPart;
}
static inline LONGLONG hcnsim_qpf(void) {
	LARGE_INTEGER f;
	QueryPerformanceFrequency(&f);
	return f.QuadPart;
}

HRESULT hcnsim_gate(LONG op, void *a0, void *a1, void *a2, void *a3, void *a4);

#endif
