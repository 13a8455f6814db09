package winetest

import (
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcntest"
)

// clientService is simService plus the call counts of the stand-in's
// HcnSimCallCount export, so that the Client suite's call-count and
// fault-sweep scenarios run through the DLL too.
type clientService struct{ simService }

var _ hcntest.CallCounter = clientService{}

// Calls returns the number of calls of export op since the last reset.
func (s clientService) Calls(op string) uint64 { return callCount(s.t, op) }

// TestClientConformance runs the Client conformance suite (the same
// scenarios the root module runs on hcnsim in process) through
// hcn.Client → host service → computenetwork.dll → hcnsim, each scenario
// and each fault position on a freshly reset emulator, checking after each
// that the DLL holds no open handle and no buffer the host service did not
// free.
func TestClientConformance(t *testing.T) {
	if realHost() {
		t.Skip("HCNKIT_REAL_HOST=1: see TestClientConformanceRealHost")
	}
	needSim(t)
	hcntest.RunClient(t, func(t *testing.T) hcn.Service {
		simReset(t)
		return clientService{simService{Service: newHost(t), t: t}}
	}, nil)
}

// TestClientConformanceRealHost runs the Client suite against the host's
// real computenetwork.dll when HCNKIT_REAL_HOST=1 (never by default),
// without the scenarios that need the stand-in's control surface or pin
// emulator choices.
func TestClientConformanceRealHost(t *testing.T) {
	if !realHost() {
		t.Skip("set HCNKIT_REAL_HOST=1 on a Windows host with HCN (as Administrator) to run the Client suite against the real service")
	}
	hcntest.RunClient(t, func(t *testing.T) hcn.Service { return newHost(t) },
		&hcntest.Options{SkipEmulatorChoices: true, NamePrefix: "hcnkit-realhost"})
}
