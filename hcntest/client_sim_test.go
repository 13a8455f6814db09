package hcntest_test

import (
	"os"
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

// undeletable reports success for namespace deletes without deleting.
type undeletable struct{ *hcnsim.Sim }

func (u undeletable) Delete(k hcn.Kind, id hcn.GUID) error {
	if k == hcn.KindNamespace {
		return nil
	}
	return u.Sim.Delete(k, id)
}

// TestBrokenClientService is the body the Client self-test runs in a
// child process.
func TestBrokenClientService(t *testing.T) {
	mode := os.Getenv("HCNTEST_BROKEN_CLIENT")
	if mode == "" {
		t.Skip("run by TestClientSuiteCatchesBrokenServices")
	}
	hcntest.RunClient(t, func(t *testing.T) hcn.Service {
		if mode == "leak" {
			return leaky{hcnsim.New(nil)}
		}
		return undeletable{hcnsim.New(nil)}
	}, nil)
}

// TestClientSuiteCatchesBrokenServices checks that the Client suite fails
// a service that leaks handles and one that leaves objects behind.
func TestClientSuiteCatchesBrokenServices(t *testing.T) {
	expectSuiteFailures(t, "TestBrokenClientService", "HCNTEST_BROKEN_CLIENT", []brokenCase{
		{"leak", "client/endpoint-crud", "handle leak"},
		{"leak", "client/fault-sweep", "handle leak"},
		{"undeletable", "client/namespace-attach", "object leak"},
	})
}
