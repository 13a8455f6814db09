package winetest

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/hcnkit/hcn"
	"golang.org/x/sys/windows"
)

var (
	procSetLatency = simDLL.NewProc("HcnSimSetLatency")
	procQPC        = windows.NewLazySystemDLL("kernel32.dll").NewProc("QueryPerformanceCounter")
	procQPF        = windows.NewLazySystemDLL("kernel32.dll").NewProc("QueryPerformanceFrequency")
)

// qpc returns the performance counter as a duration (Go's clock under Wine
// advances in steps of several milliseconds).
func qpc() time.Duration {
	var t, f int64
	procQPC.Call(uintptr(unsafe.Pointer(&t)))
	procQPF.Call(uintptr(unsafe.Pointer(&f)))
	return time.Duration(float64(t) * 1e9 / float64(f))
}

// fastestCall returns the shortest of n timed HcnEnumerateNamespaces calls.
func fastestCall(t *testing.T, svc hcn.Service, n int) time.Duration {
	t.Helper()
	best := time.Duration(1<<63 - 1)
	for range n {
		start := qpc()
		if _, err := svc.Enumerate(hcn.KindNamespace, ""); err != nil {
			t.Fatalf("Enumerate: %v", err)
		}
		best = min(best, qpc()-start)
	}
	return best
}

// TestLatencyKnob: HcnSimSetLatency and HCNSIM_LATENCY (read on
// HcnSimReset) make every HCN call wait at least the latency asked for —
// never less, whatever the load, so the lower bound is a deterministic
// check — and an invalid HCNSIM_LATENCY makes every call fail with
// E_INVALIDARG and a record naming it. The accuracy above the bound is
// measured by make wine-bench-peers (BenchmarkKnob), not asserted.
func TestLatencyKnob(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	t.Cleanup(func() {
		os.Unsetenv("HCNSIM_LATENCY")
		call0(t, procReset)
	})
	if hr := uint32(call0(t, procSetLatency, uintptr(3*time.Millisecond))); hr != 0 {
		t.Fatalf("HcnSimSetLatency = 0x%08X", hr)
	}
	if d := fastestCall(t, svc, 3); d < 3*time.Millisecond {
		t.Errorf("a call with HcnSimSetLatency(3ms) took %v", d)
	}
	if hr := hcn.HRESULT(call0(t, procSetLatency, ^uintptr(0))); hr != hcn.E_INVALIDARG {
		t.Errorf("HcnSimSetLatency(-1) = %v, want E_INVALIDARG", hr)
	}

	os.Setenv("HCNSIM_LATENCY", "4ms")
	call0(t, procReset)
	if d := fastestCall(t, svc, 3); d < 4*time.Millisecond {
		t.Errorf("a call with HCNSIM_LATENCY=4ms took %v", d)
	}

	os.Setenv("HCNSIM_LATENCY", "soon")
	call0(t, procReset)
	_, err := svc.Enumerate(hcn.KindNamespace, "")
	var he *hcn.Error
	if !errors.As(err, &he) || he.HRESULT != hcn.E_INVALIDARG || !strings.Contains(err.Error(), "HCNSIM_LATENCY") {
		t.Errorf("a call with HCNSIM_LATENCY=soon: %v, want E_INVALIDARG naming HCNSIM_LATENCY", err)
	}

	os.Unsetenv("HCNSIM_LATENCY")
	call0(t, procReset)
	if _, err := svc.Enumerate(hcn.KindNamespace, ""); err != nil {
		t.Errorf("after HCNSIM_LATENCY is unset and HcnSimReset: %v", err)
	}
}
