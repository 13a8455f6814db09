package hcnsim_test

import (
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// TestConformance runs the conformance suite against fresh emulators.
func TestConformance(t *testing.T) {
	hcntest.Run(t, func(t *testing.T) hcn.Service { return hcnsim.New(nil) }, nil)
}

// TestConformanceShared runs the suite with one emulator for every
// scenario, as on a real host where objects of earlier scenarios and
// other users exist.
func TestConformanceShared(t *testing.T) {
	sim := hcnsim.New(nil)
	hcntest.Run(t, func(t *testing.T) hcn.Service { return sim }, nil)
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open after the suite", n)
	}
}
