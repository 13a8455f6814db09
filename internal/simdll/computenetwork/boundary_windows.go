//go:build windows && cgo

package main

/*
#include <windows.h>
*/
import "C"

import (
	"encoding/json"
	"errors"
	"unsafe"

	"github.com/hcnkit/hcn"
	"golang.org/x/sys/windows"
)

// wstr copies a caller's PCWSTR; NULL is the empty string.
func wstr(p *C.WCHAR) string {
	if p == nil {
		return ""
	}
	return windows.UTF16PtrToString((*uint16)(unsafe.Pointer(p)))
}

// guidIn reads a REFGUID; false when it is NULL.
func guidIn(p *C.GUID) (hcn.GUID, bool) {
	if p == nil {
		return hcn.GUID{}, false
	}
	return *(*hcn.GUID)(unsafe.Pointer(p)), true
}

// putHandle writes a handle to a HANDLE* out-parameter. Handles are
// integers to the DLL; they are never dereferenced.
func putHandle(out *C.HANDLE, h uintptr) { *(*uintptr)(unsafe.Pointer(out)) = h }

// clearOut sets a pointer-sized out-parameter to NULL.
func clearOut(p unsafe.Pointer) { *(*uintptr)(p) = 0 }

// setOut hands s to the caller as a CoTaskMem string.
func setOut(pp **C.WCHAR, s string) C.HRESULT {
	p := allocString(s)
	if p == nil {
		return hrC(hcn.E_OUTOFMEMORY)
	}
	*pp = p
	return 0
}

// writeRecord hands an error record to the caller when it asked for one.
func writeRecord(pp **C.WCHAR, text string) {
	if pp != nil && text != "" {
		*pp = allocString(text)
	}
}

// recordText is the service's error-record shape.
func recordText(hr hcn.HRESULT, msg string) string {
	b, _ := json.Marshal(struct {
		Success   bool
		Error     string
		ErrorCode uint32
	}{!hr.Failed(), msg + " ", uint32(hr)})
	return string(b)
}

func hrC(hr hcn.HRESULT) C.HRESULT { return C.HRESULT(int32(hr)) }

// classHRESULT maps the sentinel classes to the code the service uses for
// them, for backend errors that carry no HRESULT of their own.
var classHRESULT = []struct {
	class error
	hr    hcn.HRESULT
}{
	{hcn.ErrInvalidHandle, hcn.E_HANDLE},
	{hcn.ErrInvalid, hcn.E_INVALIDARG},
	{hcn.ErrNotFound, hcn.ERROR_NOT_FOUND},
	{hcn.ErrAlreadyExists, hcn.ERROR_ALREADY_EXISTS},
	{hcn.ErrAccessDenied, hcn.E_ACCESSDENIED},
	{hcn.ErrAddressReserved, hcn.HCN_E_ADDR_INVALID_OR_RESERVED},
	{hcn.ErrPortInUse, hcn.HCN_E_PORT_ALREADY_EXISTS},
	{hcn.ErrInUse, hcn.HCN_E_ENTITY_HAS_REFERENCES},
	{hcn.ErrTransient, hcn.RPC_S_SERVER_UNAVAILABLE},
	{hcn.ErrNotSupported, hcn.E_NOTIMPL},
}

// hrOf returns the HRESULT and error-record text for a backend error.
func hrOf(err error) (hcn.HRESULT, string) {
	var e *hcn.Error
	if errors.As(err, &e) && e.HRESULT.Failed() {
		if e.Record != nil && e.Record.Raw != "" {
			return e.HRESULT, e.Record.Raw
		}
		return e.HRESULT, recordText(e.HRESULT, err.Error())
	}
	var hr hcn.HRESULT
	if errors.As(err, &hr) && hr.Failed() {
		return hr, recordText(hr, err.Error())
	}
	for _, c := range classHRESULT {
		if errors.Is(err, c.class) {
			return c.hr, recordText(c.hr, err.Error())
		}
	}
	return hcn.E_FAIL, recordText(hcn.E_FAIL, err.Error())
}

// begin starts an export that writes an error record: it clears the
// out-parameters, counts the call, and returns false with the HRESULT to
// return when the call fails before reaching the backend (an injected
// fault, or a NULL required out-parameter).
func begin(op string, record **C.WCHAR, outs ...unsafe.Pointer) (C.HRESULT, bool) {
	if record != nil {
		*record = nil
	}
	for _, p := range outs {
		if p != nil {
			clearOut(p)
		}
	}
	if hr, ok := enter(op); ok {
		writeRecord(record, recordText(hr, faultText(op)))
		return hrC(hr), false
	}
	for _, p := range outs {
		if p == nil {
			return fail(record, hcn.E_POINTER, op+": NULL out-parameter"), false
		}
	}
	return 0, true
}

// fail writes a record for hr and returns it.
func fail(record **C.WCHAR, hr hcn.HRESULT, msg string) C.HRESULT {
	writeRecord(record, recordText(hr, msg))
	return hrC(hr)
}

// finish ends an export: a backend error becomes its HRESULT and record;
// on success, out writes the results and the configured success code is
// returned (with an informational record when so configured).
func finish(err error, record **C.WCHAR, out func() C.HRESULT) C.HRESULT {
	if err != nil {
		hr, text := hrOf(err)
		writeRecord(record, text)
		return hrC(hr)
	}
	if out != nil {
		if r := out(); r != 0 {
			return r
		}
	}
	code, info := successCode()
	if info {
		writeRecord(record, recordText(code, "informational record on success"))
	}
	return hrC(code)
}

// finishNoRecord is finish for exports without an error record.
func finishNoRecord(err error, out func()) C.HRESULT {
	if err != nil {
		hr, _ := hrOf(err)
		return hrC(hr)
	}
	if out != nil {
		out()
	}
	code, _ := successCode()
	return hrC(code)
}
