package hcn_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/hcnkit/hcn"
)

// TestSimPolicyPlacements sends, through the Client, the policies
// Microsoft's hcn integration tests put on networks, endpoints and subnets
// (all accepted), and policies on objects that do not take them (refused
// before any call).
func TestSimPolicyPlacements(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()

	overlay := natNetwork("overlay", "10.41.0.0/24")
	overlay.Type = hcn.NetworkTypeOverlay
	overlay.Ipams[0].Subnets[0].Policies = []hcn.Policy{hcn.VSIDPolicy(5000)}
	n, err := c.CreateNetwork(ctx, overlay)
	if err != nil {
		t.Fatal(err)
	}
	netID := n.ID
	acl := hcn.ACLPolicySetting{Protocols: "6", Action: hcn.ActionAllow, Direction: hcn.DirectionIn,
		LocalAddresses: "192.168.100.0/24,10.0.0.21", RemoteAddresses: "192.168.100.0/24,10.0.0.21",
		LocalPorts: "80,8080", RemotePorts: "80,8080", RuleType: hcn.RuleTypeSwitch, Priority: 200}
	networkACL := hcn.NetworkACLPolicySetting(acl)
	for _, p := range []hcn.Policy{hcn.NewPolicy(&networkACL),
		hcn.RemoteSubnetRoutePolicy(netip.MustParsePrefix("192.168.2.0/24"), 5000, netip.MustParseAddr("1.1.1.1"), "00-12-34-56-78-9a"),
		hcn.HostRoutePolicy()} {
		if err := c.AddNetworkPolicies(ctx, netID, p); err != nil {
			t.Errorf("network %s: %v", p.Type, err)
		}
	}
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "ep", HostComputeNetwork: n.ID,
		Policies: []hcn.Policy{hcn.PortMappingPolicy(hcn.ProtocolTCP, 8080, 8090)}})
	if err != nil {
		t.Fatal(err)
	}
	epID := ep.ID
	wfp := hcn.L4WFPProxyPolicySetting{InboundProxyPort: "80", OutboundProxyPort: "81",
		FilterTuple: hcn.FiveTuple{Protocols: "6", RemoteAddresses: "10.0.0.4", Priority: 8}}
	tier := hcn.TierACLPolicySetting{Name: "tier", Direction: hcn.DirectionIn, Order: 1000}
	if err := c.UpdateEndpointPolicies(ctx, epID, hcn.NewPolicy(&acl)); err != nil {
		t.Errorf("endpoint ACL: %v", err)
	}
	if err := c.AddEndpointPolicies(ctx, epID, hcn.NewPolicy(&wfp)); err != nil {
		t.Errorf("endpoint L4WFPPROXY: %v", err)
	}
	if err := c.AddEndpointPolicies(ctx, epID, hcn.NewPolicy(&tier)); err != nil {
		t.Errorf("endpoint TierAcl: %v", err)
	}

	creates, modifies := sim.Calls(hcn.OpCreateNetwork), sim.Calls(hcn.OpModifyNetwork)
	epCreates, epModifies := sim.Calls(hcn.OpCreateEndpoint), sim.Calls(hcn.OpModifyEndpoint)
	bad := natNetwork("bad", "10.42.0.0/24")
	bad.Policies = []hcn.Policy{hcn.PortMappingPolicy(hcn.ProtocolTCP, 80, 80)}
	refused := []struct {
		name string
		err  error
		path string
	}{
		{"network with a port mapping", func() error { _, err := c.CreateNetwork(ctx, bad); return err }(), "Policies[0].Type"},
		{"endpoint with an adapter name", func() error {
			_, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: n.ID, Policies: []hcn.Policy{hcn.NetAdapterNamePolicy("eth0")}})
			return err
		}(), "Policies[0].Type"},
		{"port mapping added to a network", c.AddNetworkPolicies(ctx, netID, hcn.PortMappingPolicy(hcn.ProtocolTCP, 80, 80)), "Settings.Policies[0].Type"},
		{"VSID added to a network", c.AddNetworkPolicies(ctx, netID, hcn.VSIDPolicy(4096)), "Settings.Policies[0].Type"},
		{"host route added to an endpoint", c.AddEndpointPolicies(ctx, epID, hcn.HostRoutePolicy()), "Settings.Policies[0].Type"},
		{"network ACL removed from an endpoint", c.RemoveEndpointPolicies(ctx, epID, hcn.NewPolicy(&networkACL)), "Settings.Policies[0].Type"},
	}
	for _, r := range refused {
		var ve *hcn.ValidationError
		if !errors.Is(r.err, hcn.ErrInvalid) || !errors.As(r.err, &ve) || ve.Path != r.path {
			t.Errorf("%s: %v (want a refusal naming %s)", r.name, r.err, r.path)
		}
	}
	if sim.Calls(hcn.OpCreateNetwork) != creates || sim.Calls(hcn.OpModifyNetwork) != modifies ||
		sim.Calls(hcn.OpCreateEndpoint) != epCreates || sim.Calls(hcn.OpModifyEndpoint) != epModifies {
		t.Error("a refused document was sent")
	}

	// A type the library does not model is the service's to judge.
	err = c.AddEndpointPolicies(ctx, epID, hcn.Policy{Type: "Future", Settings: hcn.RawSettings(`{}`)})
	if sim.Calls(hcn.OpModifyEndpoint) != epModifies+1 {
		t.Errorf("an unknown policy type was not sent: %v", err)
	}
}
