//go:build windows && cgo

package main

/*
#include <windows.h>
*/
import "C"

import (
	"unsafe"

	"github.com/hcnkit/hcn"
)

// The seven calls of every family, shared by the exports.

func doEnumerate(kind hcn.Kind, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	op := hcn.OpName(hcn.VerbEnumerate, kind)
	if hr, ok := begin(op, record, unsafe.Pointer(result)); !ok {
		return hr
	}
	ids, err := svc().Enumerate(kind, wstr(query))
	return finish(err, record, func() C.HRESULT { return setOut(result, ids) })
}

func doCreate(kind hcn.Kind, id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	op := hcn.OpName(hcn.VerbCreate, kind)
	if hr, ok := begin(op, record, unsafe.Pointer(out)); !ok {
		return hr
	}
	g, ok := guidIn(id)
	if !ok {
		return fail(record, hcn.E_POINTER, op+": NULL id")
	}
	h, err := svc().Create(kind, g, wstr(settings))
	return finish(err, record, func() C.HRESULT { putHandle(out, addHandle(dllKind(kind), h)); return 0 })
}

func doCreateEndpoint(network C.UINT_PTR, id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	op := hcn.OpName(hcn.VerbCreate, hcn.KindEndpoint)
	if hr, ok := begin(op, record, unsafe.Pointer(out)); !ok {
		return hr
	}
	g, ok := guidIn(id)
	if !ok {
		return fail(record, hcn.E_POINTER, op+": NULL id")
	}
	nh, ok := lookup(dllKind(hcn.KindNetwork), uintptr(network))
	if !ok {
		return fail(record, hcn.E_HANDLE, op+": invalid network handle")
	}
	h, err := svc().CreateEndpoint(nh, g, wstr(settings))
	return finish(err, record, func() C.HRESULT { putHandle(out, addHandle(dllKind(hcn.KindEndpoint), h)); return 0 })
}

func doOpen(kind hcn.Kind, id *C.GUID, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	op := hcn.OpName(hcn.VerbOpen, kind)
	if hr, ok := begin(op, record, unsafe.Pointer(out)); !ok {
		return hr
	}
	g, ok := guidIn(id)
	if !ok {
		return fail(record, hcn.E_POINTER, op+": NULL id")
	}
	h, err := svc().Open(kind, g)
	return finish(err, record, func() C.HRESULT { putHandle(out, addHandle(dllKind(kind), h)); return 0 })
}

func doModify(kind hcn.Kind, h C.UINT_PTR, settings *C.WCHAR, record **C.WCHAR) C.HRESULT {
	op := hcn.OpName(hcn.VerbModify, kind)
	if hr, ok := begin(op, record); !ok {
		return hr
	}
	inner, ok := lookup(dllKind(kind), uintptr(h))
	if !ok {
		return fail(record, hcn.E_HANDLE, op+": invalid handle")
	}
	return finish(svc().Modify(kind, inner, wstr(settings)), record, nil)
}

func doQuery(kind hcn.Kind, h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	op := hcn.OpName(hcn.VerbQuery, kind)
	return queryLike(op, kind, h, query, result, record, func(inner hcn.Handle, q string) (string, error) {
		return svc().Query(kind, inner, q)
	})
}

// queryLike is a (handle, query) → (result, record) call.
func queryLike(op string, kind hcn.Kind, h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR,
	fn func(hcn.Handle, string) (string, error)) C.HRESULT {
	if hr, ok := begin(op, record, unsafe.Pointer(result)); !ok {
		return hr
	}
	inner, ok := lookup(dllKind(kind), uintptr(h))
	if !ok {
		return fail(record, hcn.E_HANDLE, op+": invalid handle")
	}
	s, err := fn(inner, wstr(query))
	return finish(err, record, func() C.HRESULT { return setOut(result, s) })
}

func doDelete(kind hcn.Kind, id *C.GUID, record **C.WCHAR) C.HRESULT {
	op := hcn.OpName(hcn.VerbDelete, kind)
	if hr, ok := begin(op, record); !ok {
		return hr
	}
	g, ok := guidIn(id)
	if !ok {
		return fail(record, hcn.E_POINTER, op+": NULL id")
	}
	return finish(svc().Delete(kind, g), record, nil)
}

// doClose frees the handle even when it reports a failure (an injected
// one included), like an RPC context handle freed locally.
func doClose(kind hcn.Kind, h C.UINT_PTR) C.HRESULT {
	op := hcn.OpName(hcn.VerbClose, kind)
	injected, faulted := enter(op)
	inner, ok := takeHandle(dllKind(kind), uintptr(h))
	if !ok {
		return hrC(hcn.E_HANDLE)
	}
	err := svc().Close(kind, inner)
	if faulted {
		return hrC(injected)
	}
	return finishNoRecord(err, nil)
}
