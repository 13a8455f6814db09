package hcntest

import (
	"context"
	"net/netip"
	"slices"

	"github.com/hcnkit/hcn"
)

var clientObjectScenarios = []clientScenario{
	{name: "client/network-crud", fn: clientNetworkCRUD},
	{name: "client/endpoint-crud", fn: clientEndpointCRUD},
	{name: "client/handles", fn: clientHandles},
	{name: "client/namespace-attach", fn: clientNamespaceAttach},
	{name: "client/typed-modifies", fn: clientTypedModifies},
	{name: "client/endpoint-port", choice: true, fn: clientEndpointPort},
}

func netID(n *hcn.Network) hcn.ID   { return n.ID }
func epID(ep *hcn.Endpoint) hcn.ID  { return ep.ID }
func nsID(ns *hcn.Namespace) hcn.ID { return ns.ID }

func clientNetworkCRUD(e *cenv) {
	name := e.name("net")
	n, err := e.c.CreateNetwork(e.ctx, natNetwork(name, e.prefix()))
	e.ok(err, "CreateNetwork")
	id := e.id(n.ID)
	e.cleanup(hcn.KindNetwork, id)
	if n.Name != name || n.Type != hcn.NetworkTypeNAT || len(n.Subnets()) != 1 {
		e.t.Errorf("created network %+v: want name %q, type NAT, one subnet", n, name)
	}
	got, err := e.c.GetNetwork(e.ctx, id.ID())
	e.ok(err, "GetNetwork")
	if got.ID != n.ID || got.Name != name {
		e.t.Errorf("GetNetwork: %+v, want %s %q", got, id, name)
	}
	byName, err := e.c.GetNetworkByName(e.ctx, name)
	e.ok(err, "GetNetworkByName")
	if byName.ID != n.ID {
		e.t.Errorf("GetNetworkByName: id %s, want %s", byName.ID, n.ID)
	}
	_, err = e.c.GetNetworkByName(e.ctx, e.name("missing"))
	e.wantIs(err, hcn.ErrNotFound, "GetNetworkByName of a missing name")
	_, err = e.c.CreateNetwork(e.ctx, natNetwork(name, e.prefix()))
	e.wantIs(err, hcn.ErrAlreadyExists, "a second network with the name")
	same, created, err := e.c.EnsureNetwork(e.ctx, natNetwork(name, e.prefix()))
	if err != nil || created || same.ID != n.ID {
		e.t.Errorf("EnsureNetwork of an existing name: %v, created %v, %v; want the existing one", same, created, err)
	}
	other, _, _ := e.network()
	byFilter, err := e.c.ListNetworks(e.ctx, &hcn.ListOptions{Name: name})
	e.ok(err, "ListNetworks by name")
	e.sameIDs(ids(e, byFilter, netID), []hcn.GUID{id}, "ListNetworks by name")
	all, err := e.c.ListNetworks(e.ctx, nil)
	e.ok(err, "ListNetworks")
	for _, want := range []string{string(n.ID), string(other.ID)} {
		if !slices.Contains(ids(e, all, netID), e.id(hcn.ID(want))) {
			e.t.Errorf("ListNetworks misses %s", want)
		}
	}
	e.ok(e.c.DeleteNetwork(e.ctx, id.ID(), nil), "DeleteNetwork")
	_, err = e.c.GetNetwork(e.ctx, id.ID())
	e.wantIs(err, hcn.ErrNotFound, "GetNetwork after delete")
	e.wantIs(e.c.DeleteNetwork(e.ctx, id.ID(), nil), hcn.ErrNotFound, "DeleteNetwork twice")
	e.ok(e.c.DeleteNetwork(e.ctx, id.ID(), &hcn.DeleteOptions{IgnoreNotFound: true}), "DeleteNetwork of a gone network with IgnoreNotFound")
	e.ok(hcn.IgnoreNotFound(e.c.DeleteNetwork(e.ctx, id.ID(), nil)), "IgnoreNotFound(DeleteNetwork)")
}

func clientEndpointCRUD(e *cenv) {
	_, nid, p := e.network()
	ip := host(p, 10)
	ep1, id1 := e.endpoint(nid, ip)
	if got, ok := ep1.PrimaryIP(); !ok || got != ip {
		e.t.Errorf("created endpoint address %v, want %s", ep1.IpConfigurations, ip)
	}
	if !hcn.EqualFoldGUID(string(ep1.HostComputeNetwork), nid.String()) {
		e.t.Errorf("created endpoint network %q, want %s", ep1.HostComputeNetwork, nid)
	}
	ep2, id2 := e.endpoint(nid, netip.Addr{})
	if got, ok := ep2.PrimaryIP(); !ok || !p.Contains(got) || got == ip {
		e.t.Errorf("assigned address %v, want a free one in %s", ep2.IpConfigurations, p)
	}
	_, otherNet, _ := e.network()
	_, id3 := e.endpoint(otherNet, netip.Addr{})
	got, err := e.c.GetEndpoint(e.ctx, id1.ID())
	e.ok(err, "GetEndpoint")
	if got.ID != ep1.ID || got.Name != ep1.Name {
		e.t.Errorf("GetEndpoint: %+v, want %s", got, ep1.ID)
	}
	byName, err := e.c.GetEndpointByName(e.ctx, ep2.Name)
	e.ok(err, "GetEndpointByName")
	if byName.ID != ep2.ID {
		e.t.Errorf("GetEndpointByName: %s, want %s", byName.ID, ep2.ID)
	}
	_, err = e.c.GetEndpointByName(e.ctx, e.name("missing"))
	e.wantIs(err, hcn.ErrNotFound, "GetEndpointByName of a missing name")
	for _, tc := range []struct {
		what string
		opts *hcn.ListOptions
		want []hcn.GUID
	}{
		{"name", &hcn.ListOptions{Name: ep2.Name}, []hcn.GUID{id2}},
		{"network", &hcn.ListOptions{Network: nid.ID()}, []hcn.GUID{id1, id2}},
		{"other network", &hcn.ListOptions{Network: otherNet.ID()}, []hcn.GUID{id3}},
		{"missing network", &hcn.ListOptions{Network: hcn.NewGUID().ID()}, nil},
		{"ip", &hcn.ListOptions{IP: ip}, []hcn.GUID{id1}},
		{"network and ip", &hcn.ListOptions{Network: otherNet.ID(), IP: ip}, nil},
		{"detailed", &hcn.ListOptions{Network: nid.ID(), Detailed: true}, []hcn.GUID{id1, id2}},
	} {
		eps, err := e.c.ListEndpoints(e.ctx, tc.opts)
		e.ok(err, "ListEndpoints by "+tc.what)
		e.sameIDs(ids(e, eps, epID), tc.want, "ListEndpoints by "+tc.what)
	}
	e.ok(e.c.DeleteEndpoint(e.ctx, id1.ID(), nil), "DeleteEndpoint")
	_, err = e.c.GetEndpoint(e.ctx, id1.ID())
	e.wantIs(err, hcn.ErrNotFound, "GetEndpoint after delete")
	e.wantIs(e.c.DeleteEndpoint(e.ctx, id1.ID(), nil), hcn.ErrNotFound, "DeleteEndpoint twice")
	e.ok(e.c.DeleteEndpoint(e.ctx, id1.ID(), &hcn.DeleteOptions{IgnoreNotFound: true}), "DeleteEndpoint with IgnoreNotFound")
	eps, err := e.c.ListEndpoints(e.ctx, &hcn.ListOptions{Network: nid.ID()})
	e.ok(err, "ListEndpoints after a delete")
	e.sameIDs(ids(e, eps, epID), []hcn.GUID{id2}, "ListEndpoints after a delete")
}

func clientHandles(e *cenv) {
	start := e.handles()
	nh, err := e.c.CreateNetworkHandle(e.ctx, natNetwork(e.name("net"), e.prefix()))
	e.ok(err, "CreateNetworkHandle")
	e.cleanup(hcn.KindNetwork, hcn.MustParseGUID(string(nh.ID())))
	defer nh.Close()
	e.wantHandles(start+1, "with a network handle open")
	n, err := nh.Query(e.ctx)
	e.ok(err, "NetworkHandle.Query")
	if !n.ID.Equal(nh.ID()) {
		e.t.Errorf("Query: ID %s, want %s", n.ID, nh.ID())
	}
	e.ok(nh.Modify(e.ctx, hcn.ModifyPolicies(hcn.RequestAdd, hcn.HostRoutePolicy())), "NetworkHandle.Modify")
	n, err = nh.Query(e.ctx)
	e.ok(err, "Query after Modify")
	if _, ok := n.Policy(hcn.PolicyTypeHostRoute); !ok {
		e.t.Errorf("policies after a handle-level add: %+v", n.Policies)
	}
	oh, err := e.c.OpenNetwork(e.ctx, nh.ID())
	e.ok(err, "OpenNetwork")
	raw, err := oh.QueryJSON(e.ctx, "")
	if err != nil || raw == "" {
		e.t.Errorf("QueryJSON: %q, %v", raw, err)
	}
	e.wantHandles(start+2, "with two network handles open")
	e.ok(oh.Close(), "Close")
	e.ok(oh.Close(), "a second Close")
	_, err = oh.Query(e.ctx)
	e.wantIs(err, hcn.ErrInvalidHandle, "Query after Close")
	e.ok(nh.Close(), "Close")
	e.wantHandles(start, "after closing both handles")
	if _, err := e.c.GetNetwork(e.ctx, nh.ID()); err != nil {
		e.t.Errorf("closing a handle deleted the network: %v", err)
	}
	_, err = e.c.OpenNetwork(e.ctx, hcn.NewGUID().ID())
	e.wantIs(err, hcn.ErrNotFound, "OpenNetwork of a missing id")

	eh, err := e.c.CreateEndpointHandle(e.ctx, &hcn.Endpoint{Name: e.name("ep"), HostComputeNetwork: hcn.ID(nh.ID().String())})
	e.ok(err, "CreateEndpointHandle")
	e.cleanup(hcn.KindEndpoint, hcn.MustParseGUID(string(eh.ID())))
	ep, err := eh.Query(e.ctx)
	e.ok(err, "EndpointHandle.Query")
	if !hcn.EqualFoldGUID(string(ep.HostComputeNetwork), nh.ID().String()) {
		e.t.Errorf("endpoint network %q, want %s", ep.HostComputeNetwork, nh.ID())
	}
	e.ok(eh.Modify(e.ctx, hcn.ModifyPolicies(hcn.RequestAdd, hcn.OutBoundNATPolicy())), "EndpointHandle.Modify")
	e.ok(eh.Close(), "EndpointHandle.Close")
	e.ok(eh.Close(), "a second EndpointHandle.Close")
	e.wantHandles(start, "after closing the endpoint handle")
	got, err := e.c.GetEndpoint(e.ctx, eh.ID())
	e.ok(err, "GetEndpoint after Close")
	if _, ok := got.Policy(hcn.PolicyTypeOutBoundNAT); !ok {
		e.t.Errorf("policies after a handle-level add: %+v", got.Policies)
	}
}

func clientNamespaceAttach(e *cenv) {
	_, nid, _ := e.network()
	ep, id := e.endpoint(nid, netip.Addr{})
	_, other := e.endpoint(nid, netip.Addr{})
	ns, err := e.c.CreateNamespace(e.ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	e.ok(err, "CreateNamespace")
	ns1 := e.id(ns.ID)
	e.cleanup(hcn.KindNamespace, ns1)
	e.ok(e.c.AddNamespaceEndpoint(e.ctx, ns1.ID(), id.ID()), "AddNamespaceEndpoint")
	e.attached(ns1, id, true)
	eps, err := e.c.ListEndpoints(e.ctx, &hcn.ListOptions{Namespace: ns1.ID()})
	e.ok(err, "ListEndpoints by namespace")
	e.sameIDs(ids(e, eps, epID), []hcn.GUID{id}, "ListEndpoints by namespace")
	all, err := e.c.ListNamespaces(e.ctx, nil)
	e.ok(err, "ListNamespaces")
	if !slices.Contains(ids(e, all, nsID), ns1) {
		e.t.Errorf("ListNamespaces misses %s", ns1)
	}
	e.ok(e.c.RemoveNamespaceEndpoint(e.ctx, ns1.ID(), id.ID()), "RemoveNamespaceEndpoint")
	e.attached(ns1, id, false)

	// The handle-level API, with a namespace kept open as a container would.
	nh, err := e.c.CreateNamespaceHandle(e.ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	e.ok(err, "CreateNamespaceHandle")
	e.cleanup(hcn.KindNamespace, hcn.MustParseGUID(string(nh.ID())))
	defer nh.Close()
	e.ok(nh.AddEndpoint(e.ctx, other.ID()), "NamespaceHandle.AddEndpoint")
	e.attached(hcn.MustParseGUID(string(nh.ID())), other, true)
	e.ok(nh.RemoveEndpoint(e.ctx, other.ID()), "NamespaceHandle.RemoveEndpoint")
	e.attached(hcn.MustParseGUID(string(nh.ID())), other, false)
	e.ok(nh.Close(), "NamespaceHandle.Close")

	err = e.c.DeleteNamespace(e.ctx, e.id(hcn.HostDefaultNamespaceID).ID(), nil)
	e.wantIs(err, hcn.ErrInvalid, "deleting the host default namespace")
	e.ok(e.c.DeleteNamespace(e.ctx, ns1.ID(), nil), "DeleteNamespace")
	_, err = e.c.GetNamespace(e.ctx, ns1.ID())
	e.wantIs(err, hcn.ErrNotFound, "GetNamespace after delete")
	if got, err := e.c.GetEndpoint(e.ctx, id.ID()); err != nil || got.ID != ep.ID {
		e.t.Errorf("the endpoint after its namespace was deleted: %v, %v", got, err)
	}
}

// attached checks both sides of a namespace membership: the namespace's
// endpoint resources and the endpoint's HostComputeNamespace.
func (e *cenv) attached(ns, ep hcn.GUID, want bool) {
	e.t.Helper()
	n, err := e.c.GetNamespace(e.ctx, ns.ID())
	e.ok(err, "GetNamespace")
	inNS := slices.ContainsFunc(n.EndpointIDs(), func(s hcn.ID) bool { return s.Equal(ep.ID()) })
	got, err := e.c.GetEndpoint(e.ctx, ep.ID())
	e.ok(err, "GetEndpoint")
	onEP := got.HostComputeNamespace.Equal(ns.ID())
	if inNS != want || onEP != want {
		e.t.Errorf("endpoint %s in namespace %s: namespace lists it %v, endpoint names it %v; want %v (namespace %v, endpoint namespace %q)",
			ep, ns, inNS, onEP, want, n.EndpointIDs(), got.HostComputeNamespace)
	}
}

func clientTypedModifies(e *cenv) {
	_, nid, _ := e.network()
	dns := hcn.DNS{Domain: "hcntest.example", ServerList: []string{"10.1.2.53"}}
	e.ok(e.c.UpdateNetworkDNS(e.ctx, nid.ID(), dns), "UpdateNetworkDNS")
	e.ok(e.c.AddNetworkPolicies(e.ctx, nid.ID(), hcn.HostRoutePolicy()), "AddNetworkPolicies")
	n, err := e.c.GetNetwork(e.ctx, nid.ID())
	e.ok(err, "GetNetwork")
	if n.Dns.Domain != dns.Domain || !slices.Equal(n.Dns.ServerList, dns.ServerList) {
		e.t.Errorf("DNS after update: %+v, want %+v", n.Dns, dns)
	}
	if _, ok := n.Policy(hcn.PolicyTypeHostRoute); !ok {
		e.t.Errorf("network policies after add: %+v", n.Policies)
	}
	e.ok(e.c.RemoveNetworkPolicies(e.ctx, nid.ID(), hcn.HostRoutePolicy()), "RemoveNetworkPolicies")
	n, err = e.c.GetNetwork(e.ctx, nid.ID())
	e.ok(err, "GetNetwork")
	if _, ok := n.Policy(hcn.PolicyTypeHostRoute); ok {
		e.t.Errorf("network policies after remove: %+v", n.Policies)
	}

	_, id := e.endpoint(nid, netip.Addr{})
	pm := hcn.PortMappingPolicy(hcn.ProtocolTCP, 80, 8080)
	e.ok(e.c.AddEndpointPolicies(e.ctx, id.ID(), pm), "AddEndpointPolicies")
	ep, err := e.c.GetEndpoint(e.ctx, id.ID())
	e.ok(err, "GetEndpoint")
	if _, ok := ep.Policy(hcn.PolicyTypePortMapping); !ok {
		e.t.Errorf("endpoint policies after add: %+v", ep.Policies)
	}
	e.ok(e.c.RemoveEndpointPolicies(e.ctx, id.ID(), pm), "RemoveEndpointPolicies")
	ep, err = e.c.GetEndpoint(e.ctx, id.ID())
	e.ok(err, "GetEndpoint")
	if _, ok := ep.Policy(hcn.PolicyTypePortMapping); ok {
		e.t.Errorf("endpoint policies after remove: %+v", ep.Policies)
	}
	// A bad request is refused before any call, naming the field.
	err = e.c.AddNetworkSubnet(e.ctx, nid.ID(), hcn.Subnet{IpAddressPrefix: "not-a-prefix"})
	e.wantIs(err, hcn.ErrInvalid, "a subnet that is not a prefix")
	err = e.c.ModifyNetwork(e.ctx, nid.ID(), hcn.ModifyNamespaceContainer(hcn.RequestAdd, "c"))
	e.wantIs(err, hcn.ErrInvalid, "a namespace request on a network")
	_, err = e.c.CreateEndpoint(e.ctx, &hcn.Endpoint{Name: e.name("ep")})
	e.wantIs(err, hcn.ErrInvalid, "an endpoint without a network")
}

func clientEndpointPort(e *cenv) {
	_, nid, _ := e.network()
	_, id := e.endpoint(nid, netip.Addr{})
	port := hcn.EndpointPortRequest{PortID: hcn.NewGUID().String(), VirtualNicName: "nic", VirtualMachineID: hcn.NewGUID().String()}
	e.ok(e.c.AttachEndpointPort(e.ctx, id.ID(), port), "AttachEndpointPort")
	e.wantIs(e.c.AttachEndpointPort(e.ctx, id.ID(), port), hcn.ErrAlreadyExists, "a second attach")
	e.ok(e.c.DetachEndpointPort(context.Background(), id.ID(), port), "DetachEndpointPort")
}
