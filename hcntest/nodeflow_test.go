package hcntest_test

import (
	"os"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// The emulator provides every control interface the node-flow suite uses.
var _ hcntest.Restarter = (*hcnsim.Sim)(nil)

// TestNodeFlowOnPlainService runs the node-flow suite as on a real host:
// without the control interfaces, with a name prefix that is no owner tag
// as it is.
func TestNodeFlowOnPlainService(t *testing.T) {
	type plain struct{ hcn.Service }
	hcntest.RunNodeFlow(t, func(t *testing.T) hcn.Service { return plain{hcnsim.New(nil)} },
		&hcntest.Options{SkipEmulatorChoices: true, NamePrefix: "real-host node"})
}

func TestNodeFlowScenarioNames(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range append(append(hcntest.Scenarios(), hcntest.ClientScenarios()...), hcntest.NodeFlowScenarios()...) {
		if seen[n] {
			t.Errorf("scenario %q twice", n)
		}
		seen[n] = true
	}
	if len(hcntest.NodeFlowScenarios()) != 14 {
		t.Errorf("%d node-flow scenarios, want 14", len(hcntest.NodeFlowScenarios()))
	}
}

// TestBrokenNodeFlowService is the body the node-flow self-test runs in a
// child process.
func TestBrokenNodeFlowService(t *testing.T) {
	mode := os.Getenv("HCNTEST_BROKEN_NODEFLOW")
	if mode == "" {
		t.Skip("run by TestNodeFlowSuiteCatchesBrokenServices")
	}
	hcntest.RunNodeFlow(t, func(t *testing.T) hcn.Service {
		if mode == "leak" {
			return leaky{hcnsim.New(nil)}
		}
		return undeletable{hcnsim.New(nil)}
	}, nil)
}

// TestNodeFlowSuiteCatchesBrokenServices checks that the node-flow suite
// fails a service that leaks handles and one that leaves objects behind.
func TestNodeFlowSuiteCatchesBrokenServices(t *testing.T) {
	expectSuiteFailures(t, "TestBrokenNodeFlowService", "HCNTEST_BROKEN_NODEFLOW", []brokenCase{
		{"leak", "nodeflow/thirteen-on-a-28", "handle leak"},
		{"leak", "nodeflow/attach-fault-sweep", "handle leak"},
		{"undeletable", "nodeflow/detach-returns-ip", "is left"},
		{"undeletable", "nodeflow/teardown", "is new"},
	})
}
