package hcntest_test

import (
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// The emulator provides every optional interface of the Client suite.
var (
	_ hcntest.HandleCounter = (*hcnsim.Sim)(nil)
	_ hcntest.FaultInjector = (*hcnsim.Sim)(nil)
	_ hcntest.VersionSetter = (*hcnsim.Sim)(nil)
	_ hcntest.CallCounter   = (*hcnsim.Sim)(nil)
)

// TestClientOnSim runs the Client conformance suite on the emulator in
// process, a fresh one per scenario.
func TestClientOnSim(t *testing.T) {
	hcntest.RunClient(t, func(t *testing.T) hcn.Service { return hcnsim.New(nil) }, nil)
}

// TestClientOnPlainService runs the Client suite as on a real host:
// without the control interfaces and without emulator choices.
func TestClientOnPlainService(t *testing.T) {
	type plain struct{ hcn.Service }
	hcntest.RunClient(t, func(t *testing.T) hcn.Service { return plain{hcnsim.New(nil)} },
		&hcntest.Options{SkipEmulatorChoices: true, NamePrefix: "real"})
}

func TestClientScenarioNames(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range append(hcntest.Scenarios(), hcntest.ClientScenarios()...) {
		if seen[n] {
			t.Errorf("scenario %q twice", n)
		}
		seen[n] = true
	}
}
