//go:build windows && cgo

package main

/*
#include "gate.h"

// callNotify calls the caller's callback; it runs on a thread of the
// DLL's Go runtime, which is a foreign thread to the caller.
static void callNotify(HCN_NOTIFICATION_CALLBACK cb, DWORD type, UINT_PTR context, HRESULT status, WCHAR *data) {
	cb(type, (void *)context, status, data);
}
*/
import "C"

import (
	"unicode/utf16"
	"unsafe"

	"github.com/hcnkit/hcn"
)

// notifier returns the backend callback that forwards notifications to
// the caller's C callback with its context. The data string lives only
// for the duration of the call, as with the real service; an empty
// payload is passed as NULL.
func notifier(cb C.HCN_NOTIFICATION_CALLBACK, context C.UINT_PTR) hcn.NotificationFunc {
	return func(typ hcn.NotificationType, status hcn.HRESULT, data string) {
		var p *C.WCHAR
		if data != "" {
			u := append(utf16.Encode([]rune(data)), 0)
			p = (*C.WCHAR)(unsafe.Pointer(&u[0]))
		}
		C.callNotify(cb, C.DWORD(typ), context, C.HRESULT(int32(status)), p)
	}
}
