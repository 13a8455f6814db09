package winetest

import (
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcntest"
)

// TestNodeFlow runs the overlay node flow (package overlay: slice network,
// attach, detach, sweep, teardown, fault sweeps, a service restart) through
// overlay → hcn.Client → host service → computenetwork.dll → hcnsim, each
// scenario on a freshly reset emulator, checking after each that the DLL
// holds no open handle and no object is left behind.
func TestNodeFlow(t *testing.T) {
	if realHost() {
		t.Skip("HCNKIT_REAL_HOST=1: see TestNodeFlowRealHost")
	}
	needSim(t)
	hcntest.RunNodeFlow(t, func(t *testing.T) hcn.Service {
		simReset(t)
		return clientService{simService{Service: newHost(t), t: t}}
	}, nil)
}

// TestNodeFlowRealHost runs the node flow against the host's real
// computenetwork.dll when HCNKIT_REAL_HOST=1 (never by default), without
// the scenarios that need the stand-in's control surface or pin emulator
// choices. The scenarios create Internal networks only.
func TestNodeFlowRealHost(t *testing.T) {
	if !realHost() {
		t.Skip("set HCNKIT_REAL_HOST=1 on a Windows host with HCN (as Administrator) to run the node flow against the real service")
	}
	hcntest.RunNodeFlow(t, func(t *testing.T) hcn.Service { return newHost(t) },
		&hcntest.Options{SkipEmulatorChoices: true, NamePrefix: "hcnkitrealhost"})
}
