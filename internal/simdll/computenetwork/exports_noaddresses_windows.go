//go:build windows && cgo && simdll_noexport

package main

/*
#include <windows.h>
*/
import "C"

// endpointAddressesExport: this build lacks HcnQueryEndpointAddresses.
func endpointAddressesExport() func(C.UINT_PTR, *C.WCHAR, **C.WCHAR, **C.WCHAR) C.HRESULT {
	return nil
}
