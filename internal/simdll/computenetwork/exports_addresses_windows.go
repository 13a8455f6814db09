//go:build windows && cgo && !simdll_noexport

package main

/*
#include <windows.h>
*/
import "C"

import "github.com/hcnkit/hcn"

// HcnQueryEndpointAddresses is left out of the simdll_noexport build, which
// proves that a missing export is reported as not supported.
//
//export HcnQueryEndpointAddresses
func HcnQueryEndpointAddresses(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return queryLike(hcn.OpQueryEndpointAddresses, hcn.KindEndpoint, h, query, result, record, func(inner hcn.Handle, q string) (string, error) {
		return svc().QueryEndpointAddresses(inner, q)
	})
}
