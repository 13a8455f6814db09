package winetest

import (
	"os"
	"testing"
	"unsafe"

	"github.com/hcnkit/hcn"
	"golang.org/x/sys/windows"
)

// The stand-in DLL's control surface (HcnSim* exports).
var (
	simDLL                = windows.NewLazySystemDLL("computenetwork.dll")
	procOpenHandles       = simDLL.NewProc("HcnSimOpenHandles")
	procOutstandingBufs   = simDLL.NewProc("HcnSimOutstandingBuffers")
	procFreedBufs         = simDLL.NewProc("HcnSimFreedBuffers")
	procCallCount         = simDLL.NewProc("HcnSimCallCount")
	procInjectFault       = simDLL.NewProc("HcnSimInjectFault")
	procClearFaults       = simDLL.NewProc("HcnSimClearFaults")
	procSetSuccessCode    = simDLL.NewProc("HcnSimSetSuccessCode")
	procReset             = simDLL.NewProc("HcnSimReset")
	procRestart           = simDLL.NewProc("HcnSimRestart")
	procSetServiceVersion = simDLL.NewProc("HcnSimSetServiceVersion")
	procBackendHandles    = simDLL.NewProc("HcnSimBackendOpenHandles")
)

// realHost reports whether the suite runs against the host's real
// computenetwork.dll (HCNKIT_REAL_HOST=1) rather than the stand-in.
func realHost() bool { return os.Getenv("HCNKIT_REAL_HOST") == "1" }

// needSim skips tests that need the stand-in's control surface.
func needSim(t testing.TB) {
	t.Helper()
	if realHost() {
		t.Skip("needs the stand-in computenetwork.dll (HCNKIT_REAL_HOST=1 is set)")
	}
	if err := procReset.Find(); err != nil {
		t.Fatalf("the stand-in computenetwork.dll is not installed in system32: %v", err)
	}
}

func call0(t testing.TB, p *windows.LazyProc, args ...uintptr) uintptr {
	t.Helper()
	r, _, _ := p.Call(args...)
	return r
}

// simReset gives the test a fresh emulator and checks the DLL at the end.
func simReset(t testing.TB) {
	t.Helper()
	needSim(t)
	if hr := uint32(call0(t, procReset)); hr != 0 {
		t.Fatalf("HcnSimReset = 0x%08X", hr)
	}
	t.Cleanup(func() { assertNoLeaks(t) })
}

func openHandles(t testing.TB) int { return int(uint32(call0(t, procOpenHandles))) }

func outstandingBuffers(t testing.TB) int64 { return int64(call0(t, procOutstandingBufs)) }

func freedBuffers(t testing.TB) int64 { return int64(call0(t, procFreedBufs)) }

// assertNoLeaks fails when the DLL (or the emulator behind it) holds an
// open handle, or a buffer was handed out and not freed.
func assertNoLeaks(t testing.TB) {
	t.Helper()
	if n := openHandles(t); n != 0 {
		t.Errorf("leak: %d handle(s) still open in computenetwork.dll", n)
	}
	if n := int(uint32(call0(t, procBackendHandles))); n != 0 {
		t.Errorf("leak: %d handle(s) still open in the emulator behind computenetwork.dll", n)
	}
	switch n := outstandingBuffers(t); {
	case n < 0:
		t.Errorf("the stand-in cannot observe CoTaskMemFree (CoRegisterMallocSpy failed)")
	case n != 0:
		t.Errorf("leak: %d CoTaskMem buffer(s) handed out by computenetwork.dll not freed", n)
	}
}

// callCount returns the number of calls of export op ("" = all exports).
func callCount(t testing.TB, op string) uint64 {
	var p *uint16
	if op != "" {
		p = windows.StringToUTF16Ptr(op)
	}
	return uint64(call0(t, procCallCount, uintptr(unsafe.Pointer(p))))
}

// injectFault makes the nth call of op ("" = any export) from now on fail
// with hr (nth 0: every call until cleared).
func injectFault(t testing.TB, op string, nth int, hr hcn.HRESULT) {
	t.Helper()
	var p *uint16
	if op != "" {
		p = windows.StringToUTF16Ptr(op)
	}
	if r := uint32(call0(t, procInjectFault, uintptr(unsafe.Pointer(p)), uintptr(nth), uintptr(hr))); r != 0 {
		t.Fatalf("HcnSimInjectFault = 0x%08X", r)
	}
}

func clearFaults(t testing.TB) { call0(t, procClearFaults) }

// setSuccessCode makes successful calls return hr, with an informational
// error record when record is set.
func setSuccessCode(t testing.TB, hr hcn.HRESULT, record bool) {
	t.Helper()
	var b uintptr
	if record {
		b = 1
	}
	if r := uint32(call0(t, procSetSuccessCode, uintptr(hr), b)); r != 0 {
		t.Fatalf("HcnSimSetSuccessCode = 0x%08X", r)
	}
}

// newHost returns the host service over whatever computenetwork.dll is in
// system32.
func newHost(t testing.TB) hcn.Service {
	t.Helper()
	svc, err := hcn.NewHostService(nil)
	if err != nil {
		t.Fatalf("NewHostService: %v", err)
	}
	return svc
}
