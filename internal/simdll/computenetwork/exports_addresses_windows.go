//go:build windows && cgo && !simdll_noexport

package main

/*
#include "gate.h"

// HcnQueryEndpointAddresses is left out of the simdll_noexport build, which
// proves that a missing export is reported as not supported.
__declspec(dllexport) HRESULT WINAPI HcnQueryEndpointAddresses(UINT_PTR h, PCWSTR q, PWSTR *r, PWSTR *rec) {
	return hcnsim_gate(GATE_QueryEndpointAddresses, (void*)h, (void*)q, r, rec, 0);
}
*/
import "C"

import "github.com/hcnkit/hcn"

func endpointAddressesExport() func(C.UINT_PTR, *C.WCHAR, **C.WCHAR, **C.WCHAR) C.HRESULT {
	return queryAddresses
}

func queryAddresses(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return queryLike(hcn.OpQueryEndpointAddresses, hcn.KindEndpoint, h, query, result, record, func(inner hcn.Handle, q string) (string, error) {
		return svc().QueryEndpointAddresses(inner, q)
	})
}
