package hcntest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// TestSerialListEndpoints: the plain listing returns every endpoint in
// enumeration order with 1+3N calls, closes every handle, and stops at
// the first failure, closing the handle it holds.
func TestSerialListEndpoints(t *testing.T) {
	sim := hcnsim.New(nil)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, &hcn.Network{Name: "serial", Type: hcn.NetworkTypeNAT,
		Ipams: []hcn.IPAM{{Type: hcn.IPAMTypeStatic, Subnets: []hcn.Subnet{{IpAddressPrefix: "10.30.0.0/24"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID}); err != nil {
			t.Fatal(err)
		}
	}
	listed, err := c.ListEndpoints(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var order []hcn.ID
	for _, ep := range listed {
		order = append(order, ep.ID.Canonical())
	}
	calls := func() uint64 {
		var n uint64
		for _, v := range sim.Stats().Calls {
			n += v
		}
		return n
	}
	before := calls()
	eps, err := hcntest.SerialListEndpoints(sim)
	if err != nil {
		t.Fatal(err)
	}
	if got := calls() - before; got != 1+3*5 {
		t.Errorf("%d calls, want 16", got)
	}
	if len(eps) != len(order) {
		t.Fatalf("%d endpoints, want %d", len(eps), len(order))
	}
	for i, ep := range eps {
		if ep.ID.Canonical() != order[i] || !ep.HostComputeNetwork.Equal(net.ID) {
			t.Errorf("endpoint %d: %s on %s, want %s", i, ep.ID, ep.HostComputeNetwork, order[i])
		}
	}
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles left open", n)
	}
	sim.InjectFault(hcn.OpQueryEndpoint, 3, hcn.E_FAIL)
	if _, err := hcntest.SerialListEndpoints(sim); !errors.Is(err, hcn.E_FAIL) {
		t.Errorf("a failing query: %v, want E_FAIL", err)
	}
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("after a failure: %d handles left open", n)
	}
}
