package overlay_test

import (
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// The emulator provides every control interface the node-flow suite uses.
var (
	_ hcntest.HandleCounter = (*hcnsim.Sim)(nil)
	_ hcntest.Restarter     = (*hcnsim.Sim)(nil)
	_ hcntest.FaultInjector = (*hcnsim.Sim)(nil)
	_ hcntest.CallCounter   = (*hcnsim.Sim)(nil)
)

// TestNodeFlowSim runs the node-flow suite on the emulator in process, a
// fresh one per scenario.
func TestNodeFlowSim(t *testing.T) {
	hcntest.RunNodeFlow(t, func(t *testing.T) hcn.Service { return hcnsim.New(nil) }, nil)
}
