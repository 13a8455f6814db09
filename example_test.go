package hcn_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/netip"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// newExampleClient returns a Client over an in-memory emulator. On a
// Windows host, hcn.NewClient(nil) talks to the real service instead.
func newExampleClient() (*hcn.Client, *hcnsim.Sim) {
	sim := hcnsim.New(nil)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		log.Fatal(err)
	}
	return c, sim
}

// natExample is a NAT network on 172.20.0.0/24 with its default route.
func natExample() *hcn.Network {
	return &hcn.Network{
		Name: "nat",
		Type: hcn.NetworkTypeNAT,
		Ipams: []hcn.IPAM{{
			Type: hcn.IPAMTypeStatic,
			Subnets: []hcn.Subnet{{
				IpAddressPrefix: "172.20.0.0/24",
				Routes:          []hcn.Route{{NextHop: "172.20.0.1", DestinationPrefix: "0.0.0.0/0"}},
			}},
		}},
	}
}

// Create a NAT network and an endpoint with a static address on it.
func ExampleClient_CreateEndpoint() {
	c, _ := newExampleClient()
	ctx := context.Background()

	network, err := c.CreateNetwork(ctx, natExample())
	if err != nil {
		log.Fatal(err)
	}
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{
		Name:               "web",
		HostComputeNetwork: network.ID,
		IpConfigurations:   []hcn.IPConfig{{IpAddress: "172.20.0.10", PrefixLength: 24}},
	})
	if err != nil {
		log.Fatal(err)
	}
	ip, _ := ep.PrimaryIP()
	fmt.Println(network.Name, network.Type, ep.Name, ip)
	// Output: nat NAT web 172.20.0.10
}

// Attach an endpoint to a new Host namespace, as a container runtime does,
// and detach it again.
func ExampleClient_AddNamespaceEndpoint() {
	c, _ := newExampleClient()
	ctx := context.Background()

	network, err := c.CreateNetwork(ctx, natExample())
	if err != nil {
		log.Fatal(err)
	}
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "pod", HostComputeNetwork: network.ID})
	if err != nil {
		log.Fatal(err)
	}
	ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.AddNamespaceEndpoint(ctx, ns.ID, ep.ID); err != nil {
		log.Fatal(err)
	}
	attached, err := c.ListEndpoints(ctx, &hcn.ListOptions{Namespace: ns.ID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("endpoints in the namespace:", len(attached))

	// Teardown tolerates what is already gone.
	_ = c.RemoveNamespaceEndpoint(ctx, ns.ID, ep.ID)
	_ = c.DeleteEndpoint(ctx, ep.ID, &hcn.DeleteOptions{IgnoreNotFound: true})
	_ = c.DeleteNamespace(ctx, ns.ID, &hcn.DeleteOptions{IgnoreNotFound: true})
	fmt.Println(hcn.IgnoreNotFound(c.DeleteEndpoint(ctx, ep.ID, nil)))
	// Output:
	// endpoints in the namespace: 1
	// <nil>
}

// Create a load balancer for two backends on a VIP, then add a third
// backend: HcnModifyLoadBalancer where the service has a working one
// (15.5 and later; the id stays), else a replacement.
func ExampleClient_CreateLoadBalancer() {
	c, _ := newExampleClient()
	ctx := context.Background()

	network, err := c.CreateNetwork(ctx, natExample())
	if err != nil {
		log.Fatal(err)
	}
	var backends []hcn.ID
	for range 3 {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: network.ID})
		if err != nil {
			log.Fatal(err)
		}
		backends = append(backends, ep.ID)
	}
	spec := hcn.LoadBalancerSpec{
		Endpoints:    backends[:2],
		FrontendVIPs: []netip.Addr{netip.MustParseAddr("10.0.0.100")},
		Ports:        []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 8080, ExternalPort: 80}},
	}
	lb, err := c.CreateLoadBalancer(ctx, spec.Document())
	if err != nil {
		log.Fatal(err)
	}
	// A second load balancer on the same VIP and port collides.
	_, err = c.CreateLoadBalancer(ctx, spec.Document())
	fmt.Println("duplicate frontend:", errors.Is(err, hcn.ErrPortInUse))

	updated, err := c.AddLoadBalancerEndpoints(ctx, lb.ID, backends[2])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("backends:", len(updated.HostComputeEndpoints), "same id:", updated.ID == lb.ID)
	// Output:
	// duplicate frontend: true
	// backends: 3 same id: true
}

// Watch service notifications until the context ends.
func ExampleClient_Watch() {
	c, _ := newExampleClient()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	events, err := c.Watch(ctx)
	if err != nil {
		log.Fatal(err)
	}
	network, err := c.CreateNetwork(context.Background(), natExample())
	if err != nil {
		log.Fatal(err)
	}
	for e := range events {
		if e.Type.Base() == hcn.NotificationNetworkCreate && e.ID.Equal(network.ID) {
			fmt.Println(e.Type, e.Kind)
			break
		}
	}
	// Output: NetworkCreate network
}

// Check a feature before relying on it; the Client itself refuses what the
// service's version lacks.
func ExampleClient_Supports() {
	c, sim := newExampleClient()
	ctx := context.Background()
	sim.SetServiceVersion(13, 1) // an older host

	v, err := c.ServiceVersion(ctx)
	if err != nil {
		log.Fatal(err)
	}
	ok, _ := c.Supports(ctx, hcn.FeatureModifyLoadBalancer)
	fmt.Println("service", v, "can modify load balancers:", ok)

	spec := hcn.LoadBalancerSpec{
		FrontendVIPs: []netip.Addr{netip.MustParseAddr("fd00::10")}, // IPv6: needs IPv6DualStack, which 13.1 has
		Ports:        []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 80}},
	}
	fmt.Println("IPv6 flag set:", spec.Document().Flags&hcn.LoadBalancerFlagIPv6 != 0)
	err = c.RequireFeature(ctx, hcn.FeatureTierACL)
	fmt.Println(errors.Is(err, hcn.ErrNotSupported))
	// Output:
	// service 13.1 can modify load balancers: false
	// IPv6 flag set: true
	// true
}

// Errors carry the operation, the object and the service's HRESULT; test
// the class with errors.Is and read the details with errors.As.
func ExampleError() {
	c, _ := newExampleClient()
	ctx := context.Background()

	_, err := c.GetNetwork(ctx, "5f0b1190-63be-4e0c-b974-bd0f55675a42")
	var he *hcn.Error
	fmt.Println(errors.Is(err, hcn.ErrNotFound), errors.As(err, &he) && he.Op == hcn.OpOpenNetwork)

	// A bad id never reaches the service: the error names the argument.
	_, err = c.GetNetwork(ctx, "not-a-guid")
	var ve *hcn.ValidationError
	fmt.Println(errors.Is(err, hcn.ErrInvalid), errors.As(err, &ve) && ve.Path == "id")
	// Output:
	// true true
	// true true
}

// The Service seam is computenetwork.dll call for call: JSON text in and
// out, handles that must be closed. The Client wraps all of it; use the
// seam for what it does not.
func ExampleService() {
	var svc hcn.Service = hcnsim.New(nil)
	h, err := svc.Create(hcn.KindNamespace, hcn.NewGUID(), `{"Type":"Host","SchemaVersion":{"Major":2,"Minor":0}}`)
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close(hcn.KindNamespace, h)
	props, err := svc.Query(hcn.KindNamespace, h, "")
	if err != nil {
		log.Fatal(err)
	}
	var ns hcn.Namespace
	if err := json.Unmarshal([]byte(props), &ns); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ns.Type, ns.ID.IsZero())
	// Output: Host false
}
