//go:build windows && cgo

package main

/*
#include "gate.h"
*/
import "C"

import (
	"unsafe"

	"github.com/hcnkit/hcn"
	cn "github.com/hcnkit/hcn/internal/computenetwork"
)

// The Go side of the exports other than the seven-call families; their C
// side, and the operation numbers that lead here, are in gate_windows.go.

func queryEndpointStats(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return queryLike(hcn.OpQueryEndpointStats, hcn.KindEndpoint, h, query, result, record, func(inner hcn.Handle, q string) (string, error) {
		return svc().QueryEndpointStats(inner, q)
	})
}

func registerServiceCallback(cb C.HCN_NOTIFICATION_CALLBACK, context C.UINT_PTR, out *C.HANDLE) C.HRESULT {
	if hr, ok := begin(hcn.OpRegisterServiceCallback, nil, unsafe.Pointer(out)); !ok {
		return hr
	}
	if cb == nil {
		return hrC(hcn.E_INVALIDARG)
	}
	inner, err := svc().RegisterServiceCallback(notifier(cb, context))
	return finishNoRecord(err, func() { putHandle(out, addHandle(kindCallback, inner)) })
}

func unregisterServiceCallback(h C.UINT_PTR) C.HRESULT {
	return release(hcn.OpUnregisterServiceCallback, kindCallback, h, svc().UnregisterServiceCallback)
}

func registerGuestNetworkServiceCallback(gns C.UINT_PTR, cb C.HCN_NOTIFICATION_CALLBACK, context C.UINT_PTR, out *C.HANDLE) C.HRESULT {
	if hr, ok := begin(hcn.OpRegisterGuestNetworkServiceCallback, nil, unsafe.Pointer(out)); !ok {
		return hr
	}
	inner, ok := lookup(dllKind(hcn.KindGuestNetworkService), uintptr(gns))
	if !ok {
		return hrC(hcn.E_HANDLE)
	}
	if cb == nil {
		return hrC(hcn.E_INVALIDARG)
	}
	reg, err := svc().RegisterGuestNetworkServiceCallback(inner, notifier(cb, context))
	return finishNoRecord(err, func() { putHandle(out, addHandle(kindGNSCallback, reg)) })
}

func unregisterGuestNetworkServiceCallback(h C.UINT_PTR) C.HRESULT {
	return release(hcn.OpUnregisterGuestNetworkServiceCallback, kindGNSCallback, h, svc().UnregisterGuestNetworkServiceCallback)
}

// release frees a non-object handle exactly once, even when it reports a
// failure.
func release(op string, kind dllKind, h C.UINT_PTR, fn func(hcn.Handle) error) C.HRESULT {
	injected, faulted := enter(op)
	inner, ok := takeHandle(kind, uintptr(h))
	if !ok {
		return hrC(hcn.E_HANDLE)
	}
	err := fn(inner)
	if faulted {
		return hrC(injected)
	}
	return finishNoRecord(err, nil)
}

func reserveGuestNetworkServicePort(gns C.UINT_PTR, protocol, access C.ULONG, port C.USHORT, out *C.HANDLE) C.HRESULT {
	if hr, ok := begin(hcn.OpReserveGuestNetworkServicePort, nil, unsafe.Pointer(out)); !ok {
		return hr
	}
	inner, ok := lookup(dllKind(hcn.KindGuestNetworkService), uintptr(gns))
	if !ok {
		return hrC(hcn.E_HANDLE)
	}
	r, err := svc().ReserveGuestNetworkServicePort(inner, hcn.PortProtocol(protocol), hcn.PortAccess(access), uint16(port))
	return finishNoRecord(err, func() { putHandle(out, addHandle(kindReservation, r)) })
}

func reserveGuestNetworkServicePortRange(gns C.UINT_PTR, count C.USHORT, rr *C.HCN_PORT_RANGE_RESERVATION, out *C.HANDLE) C.HRESULT {
	if hr, ok := begin(hcn.OpReserveGuestNetworkServicePortRange, nil, unsafe.Pointer(out)); !ok {
		return hr
	}
	if rr == nil {
		return hrC(hcn.E_POINTER)
	}
	inner, ok := lookup(dllKind(hcn.KindGuestNetworkService), uintptr(gns))
	if !ok {
		return hrC(hcn.E_HANDLE)
	}
	pr, r, err := svc().ReserveGuestNetworkServicePortRange(inner, uint16(count))
	return finishNoRecord(err, func() {
		*(*cn.PortRangeReservation)(unsafe.Pointer(rr)) = cn.PortRangeReservation{StartingPort: pr.Start, EndingPort: pr.End}
		putHandle(out, addHandle(kindReservation, r))
	})
}

func releaseGuestNetworkServicePortReservationHandle(h C.UINT_PTR) C.HRESULT {
	return release(hcn.OpReleaseGuestNetworkServicePort, kindReservation, h, svc().ReleaseGuestNetworkServicePortReservation)
}

func enumerateGuestNetworkPortReservations(count *C.ULONG, entries **C.HCN_PORT_RANGE_ENTRY) C.HRESULT {
	if count != nil {
		*count = 0
	}
	if hr, ok := begin(hcn.OpEnumerateGuestNetworkPortReservations, nil, unsafe.Pointer(entries)); !ok {
		return hr
	}
	if count == nil {
		return hrC(hcn.E_POINTER)
	}
	list, err := svc().EnumerateGuestNetworkPortReservations()
	if err != nil || len(list) == 0 {
		return finishNoRecord(err, nil)
	}
	p := allocBytes(len(list) * int(unsafe.Sizeof(cn.PortRangeEntry{})))
	if p == nil {
		return hrC(hcn.E_OUTOFMEMORY)
	}
	dst := unsafe.Slice((*cn.PortRangeEntry)(p), len(list))
	for i, e := range list {
		dst[i] = cn.PortRangeEntry{OwningPartitionID: cn.GUID(e.OwningPartitionID), TargetPartitionID: cn.GUID(e.TargetPartitionID),
			Protocol: uint32(e.Protocol), Priority: e.Priority, ReservationType: e.ReservationType, SharingFlags: e.SharingFlags,
			DeliveryMode: e.DeliveryMode, StartingPort: e.StartingPort, EndingPort: e.EndingPort}
	}
	*count = C.ULONG(len(list))
	*entries = (*C.HCN_PORT_RANGE_ENTRY)(p)
	return finishNoRecord(nil, nil)
}

func freeGuestNetworkPortReservations(entries *C.HCN_PORT_RANGE_ENTRY) {
	countOnly("HcnFreeGuestNetworkPortReservations")
	freeBlock(unsafe.Pointer(entries))
}

// hnsCall is HcnSimHNSCall, HNSCall (HNS v1) for the stand-in
// vmcompute.dll to forward to.
func hnsCall(method, path, request *C.WCHAR, response **C.WCHAR) C.HRESULT {
	if hr, ok := begin(hcn.OpHNSCall, nil, unsafe.Pointer(response)); !ok {
		return hr
	}
	resp, err := svc().HNSCall(wstr(method), wstr(path), wstr(request))
	if err != nil {
		hr, _ := hrOf(err)
		return hrC(hr)
	}
	if r := setOut(response, resp); r != 0 {
		return r
	}
	return finishNoRecord(nil, nil)
}
