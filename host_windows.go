//go:build windows

package hcn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"syscall"
	"unsafe"

	"github.com/hcnkit/hcn/internal/computenetwork"
	"golang.org/x/sys/windows"
)

// hostService is the Service over computenetwork.dll and
// vmcompute.dll!HNSCall. Handles it returns are its own: each maps to one
// DLL handle, so a handle closes exactly once however often and from
// whichever goroutine Close is called.
type hostService struct {
	handles hostHandles
	logger  *slog.Logger
}

var _ Service = (*hostService)(nil)

// hostScope is the edit lock scope every host service shares: all reach
// the one HNS service of the machine.
type hostScope struct{}

// editScope makes Clients of different host services share edit locks.
func (*hostService) editScope() any { return hostScope{} }

// NewHostService returns the Service over the host's computenetwork.dll
// (the HCN v2 API: HcnEnumerateNetworks, HcnCreateNetwork, ...) and
// vmcompute.dll!HNSCall. The DLLs are loaded from System32 only. Unless
// opts.SkipLoadCheck is set, it fails with an error wrapping
// ErrNotSupported when computenetwork.dll cannot be loaded.
func NewHostService(opts *HostServiceOptions) (Service, error) {
	if opts == nil {
		opts = &HostServiceOptions{}
	}
	if !opts.SkipLoadCheck {
		if err := computenetwork.Load(); err != nil {
			return nil, &Error{Op: "NewHostService", Err: fmt.Errorf("%w: %v", ErrNotSupported, err)}
		}
	}
	return &hostService{handles: newHostHandles(), logger: opts.Logger}, nil
}

// hostResult turns a binding's result into the call's error: nil for S_OK
// and for any other success code (S_FALSE), an *Error with the HRESULT and
// the parsed record for a failure, and an *Error wrapping ErrNotSupported
// when the DLL or the export is missing. record is the error record text,
// already copied and freed.
func (s *hostService) hostResult(op string, kind Kind, id string, err error, record string) error {
	var errno syscall.Errno
	var dllErr *windows.DLLError
	switch {
	case err == nil:
	case errors.As(err, &dllErr):
		// Before the Errno case: a DLLError unwraps to the Win32 code
		// (ERROR_PROC_NOT_FOUND), which is not an HRESULT.
		return &Error{Op: op, Kind: kind, ID: id, Err: fmt.Errorf("%w: %s", ErrNotSupported, dllErr.Msg)}
	case errors.As(err, &errno):
		hr := HRESULT(uint32(errno))
		if hr.Failed() {
			return &Error{Op: op, Kind: kind, ID: id, HRESULT: hr, Record: ParseErrorRecord(record)}
		}
	default:
		return &Error{Op: op, Kind: kind, ID: id, Err: err}
	}
	if record != "" && s.logger != nil {
		s.logger.LogAttrs(context.Background(), slog.LevelDebug, "hcn: error record on success",
			slog.String("op", op), slog.String("record", record))
	}
	return nil
}

// hostUTF16 converts an input string to a NUL-terminated UTF-16 string.
// A string with an embedded NUL cannot cross the C API and is rejected
// with ErrInvalid before any call.
func hostUTF16(op string, kind Kind, id, field, s string) (*uint16, error) {
	p, err := windows.UTF16PtrFromString(s)
	if err != nil {
		return nil, &Error{Op: op, Kind: kind, ID: id,
			Err: fmt.Errorf("%w: %s contains a NUL character", ErrInvalid, field)}
	}
	return p, nil
}

// hostTake copies the CoTaskMem string *p into Go memory, frees it with
// CoTaskMemFree and clears *p, so it is freed exactly once. A NULL *p is
// the empty string.
func hostTake(p **uint16) string {
	if *p == nil {
		return ""
	}
	s := windows.UTF16PtrToString(*p)
	windows.CoTaskMemFree(unsafe.Pointer(*p))
	*p = nil
	return s
}

// hostOut holds the out-strings of one call: the result (when the call
// has one) and the error record. take copies and frees both; it is
// deferred-safe and idempotent.
type hostOut struct {
	result, record *uint16
}

func (o *hostOut) take() (result, record string) {
	return hostTake(&o.result), hostTake(&o.record)
}
