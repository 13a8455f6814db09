package hcn_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hcnkit/hcn"
)

func TestSimTypedModifies(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("mod", "10.19.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	netID := net.ID

	// Network: DNS, policies (add, update, remove), subnets.
	if err := c.UpdateNetworkDNS(ctx, netID, hcn.DNS{Domain: "corp.example", ServerList: []string{"10.19.0.53"}}); err != nil {
		t.Fatal(err)
	}
	vx := hcn.VxlanPortPolicy(4789)
	if err := c.AddNetworkPolicies(ctx, netID, vx); err != nil {
		t.Fatal(err)
	}
	if err := c.AddNetworkPolicies(ctx, netID, vx); !errors.Is(err, hcn.ErrAlreadyExists) {
		t.Errorf("adding the same policy twice: %v", err)
	}
	if err := c.UpdateNetworkPolicies(ctx, netID, hcn.VxlanPortPolicy(4790)); err != nil {
		t.Fatal(err)
	}
	n, err := c.GetNetwork(ctx, netID)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := n.Policy(hcn.PolicyTypeVxlanPort)
	if s, isVx := hcn.SettingsAs[*hcn.VxlanPortPolicySetting](p); !ok || !isVx || s.Port != 4790 || n.Dns.Domain != "corp.example" {
		t.Errorf("network after modifies: %+v", n)
	}
	if err := c.RemoveNetworkPolicies(ctx, netID, hcn.VxlanPortPolicy(4790)); err != nil {
		t.Fatal(err)
	}
	sub := hcn.Subnet{IpAddressPrefix: "10.20.0.0/24", Routes: []hcn.Route{{NextHop: "10.20.0.1", DestinationPrefix: "0.0.0.0/0"}}}
	if err := c.AddNetworkSubnet(ctx, netID, sub); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.GetNetwork(ctx, netID); len(n.Subnets()) != 2 {
		t.Errorf("subnets after add: %v", n.Subnets())
	}
	if err := c.RemoveNetworkSubnet(ctx, netID, sub); err != nil {
		t.Fatal(err)
	}
	// Invalid requests are refused before any call.
	modifies := sim.Calls(hcn.OpModifyNetwork)
	if err := c.AddNetworkSubnet(ctx, netID, hcn.Subnet{IpAddressPrefix: "nope"}); !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("bad subnet: %v", err)
	}
	if err := c.ModifyNetwork(ctx, netID, hcn.ModifyNamespaceContainer(hcn.RequestAdd, "c")); !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("namespace request on a network: %v", err)
	}
	if sim.Calls(hcn.OpModifyNetwork) != modifies {
		t.Error("an invalid request was sent")
	}

	// Endpoint: policies, port attach and detach, by name.
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "vm-nic", HostComputeNetwork: net.ID})
	if err != nil {
		t.Fatal(err)
	}
	epID := ep.ID
	if err := c.AddEndpointPolicies(ctx, epID, hcn.OutBoundNATPolicy()); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateEndpointPolicies(ctx, epID, hcn.OutBoundNATPolicy()); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveEndpointPolicies(ctx, epID, hcn.OutBoundNATPolicy()); err != nil {
		t.Fatal(err)
	}
	port := hcn.EndpointPortRequest{PortID: hcn.NewGUID().String(), VirtualNicName: "nic", VirtualMachineID: hcn.NewGUID().String()}
	if err := c.AttachEndpointPort(ctx, epID, port); err != nil {
		t.Fatal(err)
	}
	if err := c.AttachEndpointPort(ctx, epID, port); !errors.Is(err, hcn.ErrAlreadyExists) {
		t.Errorf("second attach: %v", err)
	}
	if err := c.DetachEndpointPort(ctx, epID, port); err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetEndpointByName(ctx, "vm-nic"); err != nil || got.ID != ep.ID {
		t.Errorf("by name: %v, %v", got, err)
	}
	eh, err := c.OpenEndpoint(ctx, epID)
	if err != nil {
		t.Fatal(err)
	}
	if err := eh.Modify(ctx, hcn.ModifyPolicies(hcn.RequestAdd, hcn.QOSPolicy(1000))); err != nil {
		t.Fatal(err)
	}
	if e, err := eh.Query(ctx); err != nil || len(e.Policies) != 1 {
		t.Errorf("handle query: %+v, %v", e, err)
	}
	eh.Close()

	// Namespace: containers and endpoints, handle level.
	nh, err := c.CreateNamespaceHandle(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		t.Fatal(err)
	}
	if err := nh.AddEndpoint(ctx, epID); err != nil {
		t.Fatal(err)
	}
	if err := c.AddNamespaceContainer(ctx, nh.ID(), "container-1"); err != nil {
		t.Fatal(err)
	}
	ns, err := nh.Query(ctx)
	if err != nil || len(ns.Resources) != 2 {
		t.Fatalf("namespace resources: %+v, %v", ns, err)
	}
	if err := c.RemoveNamespaceContainer(ctx, nh.ID(), "container-1"); err != nil {
		t.Fatal(err)
	}
	if err := nh.RemoveEndpoint(ctx, epID); err != nil {
		t.Fatal(err)
	}
	nss, err := c.ListNamespaces(ctx, &hcn.ListOptions{Detailed: true})
	if err != nil || len(nss) != 2 { // the host default namespace and ours
		t.Errorf("namespaces: %d, %v", len(nss), err)
	}
	nh.Close()

	// SDN route handle level.
	rh, err := c.CreateSDNRouteHandle(ctx, &hcn.SDNRoute{HostComputeNetwork: net.ID,
		Routes: []hcn.SDNRoutePolicySetting{{DestinationPrefix: "10.30.0.0/16"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := rh.Modify(ctx, &hcn.SDNRoute{HostComputeNetwork: net.ID, HostComputeEndpoints: []hcn.ID{ep.ID},
		Routes: []hcn.SDNRoutePolicySetting{{DestinationPrefix: "10.31.0.0/16"}}}); err != nil {
		t.Fatal(err)
	}
	r, err := rh.Query(ctx)
	if err != nil || len(r.Routes) != 1 || r.Routes[0].DestinationPrefix != "10.31.0.0/16" {
		t.Errorf("route after modify: %+v, %v", r, err)
	}
	rh.Close()
	if nets, err := c.ListNetworks(ctx, &hcn.ListOptions{Name: "mod"}); err != nil || len(nets) != 1 {
		t.Errorf("list networks by name: %v, %v", nets, err)
	}
	noLeaks(t, sim)
}
