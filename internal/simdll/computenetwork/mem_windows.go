//go:build windows && cgo

package main

/*
#cgo LDFLAGS: -lole32 -luuid
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <objidl.h>

// The tracker: every buffer the DLL hands out, until the spy sees it freed.
static CRITICAL_SECTION mu;
static void **live;
static size_t nlive, caplive;
static LONG64 allocated, freed;
static int spyActive;

static void track(void *p) {
	EnterCriticalSection(&mu);
	if (nlive == caplive) {
		size_t n = caplive ? caplive * 2 : 64;
		void **q = realloc(live, n * sizeof *q);
		if (!q) { LeaveCriticalSection(&mu); return; }
		live = q; caplive = n;
	}
	live[nlive++] = p;
	allocated++;
	LeaveCriticalSection(&mu);
}

static void untrack(void *p) {
	if (!p) return;
	EnterCriticalSection(&mu);
	for (size_t i = 0; i < nlive; i++) {
		if (live[i] == p) {
			live[i] = live[--nlive];
			freed++;
			break;
		}
	}
	LeaveCriticalSection(&mu);
}

// IMallocSpy: passes every call through, and untracks a buffer when the
// process frees it (PreFree sees the pointer the caller passed to
// CoTaskMemFree).
static HRESULT STDMETHODCALLTYPE spyQI(IMallocSpy *This, REFIID riid, void **out) {
	if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMallocSpy)) { *out = This; return S_OK; }
	*out = NULL;
	return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE spyAddRef(IMallocSpy *This) { return 2; }
static ULONG STDMETHODCALLTYPE spyRelease(IMallocSpy *This) { return 1; }
static SIZE_T STDMETHODCALLTYPE spyPreAlloc(IMallocSpy *This, SIZE_T n) { return n; }
static void *STDMETHODCALLTYPE spyPostAlloc(IMallocSpy *This, void *p) { return p; }
static void *STDMETHODCALLTYPE spyPreFree(IMallocSpy *This, void *p, WINBOOL spyed) { untrack(p); return p; }
static void STDMETHODCALLTYPE spyPostFree(IMallocSpy *This, WINBOOL spyed) {}
static SIZE_T STDMETHODCALLTYPE spyPreRealloc(IMallocSpy *This, void *p, SIZE_T n, void **np, WINBOOL spyed) { *np = p; return n; }
static void *STDMETHODCALLTYPE spyPostRealloc(IMallocSpy *This, void *p, WINBOOL spyed) { return p; }
static void *STDMETHODCALLTYPE spyPreGetSize(IMallocSpy *This, void *p, WINBOOL spyed) { return p; }
static SIZE_T STDMETHODCALLTYPE spyPostGetSize(IMallocSpy *This, SIZE_T n, WINBOOL spyed) { return n; }
static void *STDMETHODCALLTYPE spyPreDidAlloc(IMallocSpy *This, void *p, WINBOOL spyed) { return p; }
static int STDMETHODCALLTYPE spyPostDidAlloc(IMallocSpy *This, void *p, WINBOOL spyed, int actual) { return actual; }
static void STDMETHODCALLTYPE spyPreHeapMinimize(IMallocSpy *This) {}
static void STDMETHODCALLTYPE spyPostHeapMinimize(IMallocSpy *This) {}

static IMallocSpyVtbl spyVtbl = {
	spyQI, spyAddRef, spyRelease, spyPreAlloc, spyPostAlloc, spyPreFree, spyPostFree,
	spyPreRealloc, spyPostRealloc, spyPreGetSize, spyPostGetSize, spyPreDidAlloc,
	spyPostDidAlloc, spyPreHeapMinimize, spyPostHeapMinimize,
};
static IMallocSpy spy = { &spyVtbl };

static HRESULT memInit(void) {
	InitializeCriticalSection(&mu);
	HRESULT hr = CoRegisterMallocSpy(&spy);
	spyActive = SUCCEEDED(hr);
	return hr;
}

static void *memAlloc(SIZE_T n) {
	void *p = CoTaskMemAlloc(n);
	if (p) track(p);
	return p;
}

// memOutstanding is the number of buffers handed out and not yet freed, or
// -1 when the spy could not be registered (frees cannot be observed).
static LONG64 memOutstanding(void) {
	if (!spyActive) return -1;
	EnterCriticalSection(&mu);
	LONG64 n = (LONG64)nlive;
	LeaveCriticalSection(&mu);
	return n;
}

static LONG64 memFreed(void) {
	EnterCriticalSection(&mu);
	LONG64 n = freed;
	LeaveCriticalSection(&mu);
	return n;
}
*/
import "C"

import (
	"unicode/utf16"
	"unsafe"
)

// spyHR is the result of CoRegisterMallocSpy at load.
var spyHR = C.memInit()

// allocString copies s into a new CoTaskMem UTF-16 string and tracks it.
// It returns nil when out of memory.
func allocString(s string) *C.WCHAR {
	u := utf16.Encode([]rune(s))
	p := C.memAlloc(C.SIZE_T(2 * (len(u) + 1)))
	if p == nil {
		return nil
	}
	dst := unsafe.Slice((*uint16)(p), len(u)+1)
	copy(dst, u)
	dst[len(u)] = 0
	return (*C.WCHAR)(p)
}

// allocBytes returns a tracked CoTaskMem block of n bytes, or nil.
func allocBytes(n int) unsafe.Pointer { return C.memAlloc(C.SIZE_T(n)) }

func outstandingBuffers() int64 { return int64(C.memOutstanding()) }

func freedBuffers() int64 { return int64(C.memFreed()) }

// freeBlock frees a CoTaskMem block (the spy sees it like any other free).
func freeBlock(p unsafe.Pointer) { C.CoTaskMemFree(C.LPVOID(p)) }
