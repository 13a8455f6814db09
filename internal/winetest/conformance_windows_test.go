package winetest

import (
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcntest"
	"golang.org/x/sys/windows"
)

// simService is the host service (over the stand-in DLL) plus the optional
// control interfaces of hcntest, implemented through the DLL's HcnSim*
// exports. Every Service call still goes host service → DLL → emulator.
type simService struct {
	hcn.Service
	t testing.TB
}

var (
	_ hcntest.HandleCounter = simService{}
	_ hcntest.Restarter     = simService{}
	_ hcntest.FaultInjector = simService{}
	_ hcntest.VersionSetter = simService{}
)

// OpenHandles counts the handles open in the DLL.
func (s simService) OpenHandles() int { return openHandles(s.t) }

// Restart restarts the emulated service behind the DLL.
func (s simService) Restart() error {
	if hr := hcn.HRESULT(uint32(call0(s.t, procRestart))); hr.Failed() {
		return &hcn.Error{Op: "HcnSimRestart", HRESULT: hr}
	}
	return nil
}

// InjectFault injects a fault at the DLL boundary.
func (s simService) InjectFault(op string, nth int, hr hcn.HRESULT) { injectFault(s.t, op, nth, hr) }

// SetServiceVersion sets the version HNSCall GET /globals/version reports.
func (s simService) SetServiceVersion(major, minor uint32) {
	call0(s.t, procSetServiceVersion, uintptr(major), uintptr(minor))
}

// TestConformance runs the conformance suite through host service →
// computenetwork.dll → hcnsim, each scenario on a fresh emulator, and
// checks after every scenario that the DLL holds no open handle and no
// buffer the host service did not free.
func TestConformance(t *testing.T) {
	if realHost() {
		t.Skip("HCNKIT_REAL_HOST=1: see TestConformanceRealHost")
	}
	needSim(t)
	before := freedBuffers(t)
	hcntest.Run(t, func(t *testing.T) hcn.Service {
		simReset(t)
		return simService{Service: newHost(t), t: t}
	}, nil)
	if freedBuffers(t) == before {
		t.Errorf("the stand-in observed no CoTaskMemFree during the suite: the buffer checks prove nothing")
	}
}

// TestConformanceRealHost runs the suite against the host's real
// computenetwork.dll when HCNKIT_REAL_HOST=1 (never by default). Objects
// get random names and are deleted in cleanups; scenarios that pin
// emulator choices or need a Transparent network are skipped.
func TestConformanceRealHost(t *testing.T) {
	if !realHost() {
		t.Skip("set HCNKIT_REAL_HOST=1 on a Windows host with HCN (as Administrator) to run the suite against the real service")
	}
	hcntest.Run(t, func(t *testing.T) hcn.Service { return newHost(t) },
		&hcntest.Options{SkipEmulatorChoices: true, NoTransparent: true, NamePrefix: "hcnkit-realhost"})
}

// TestHNSCallThroughVMCompute checks that vmcompute.dll!HNSCall reaches the
// same emulator: the version set through the control surface comes back.
func TestHNSCallThroughVMCompute(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	simService{Service: svc, t: t}.SetServiceVersion(13, 2)
	out, err := svc.HNSCall("GET", "/globals/version", "")
	if err != nil {
		t.Fatalf("HNSCall: %v", err)
	}
	if !strings.Contains(out, `"Major":13`) || !strings.Contains(out, `"Minor":2`) {
		t.Errorf("GET /globals/version = %s, want version 13.2", out)
	}
	vm := windows.NewLazySystemDLL("vmcompute.dll").NewProc(hcn.OpHNSCall)
	if err := vm.Find(); err != nil {
		t.Fatalf("vmcompute.dll!HNSCall: %v", err)
	}
}
