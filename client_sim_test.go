package hcn_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// simClient returns an emulator and a Client over it with fast retries.
func simClient(t testing.TB) (*hcnsim.Sim, *hcn.Client) {
	t.Helper()
	sim := hcnsim.New(nil)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim,
		Retry: &hcn.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// noLeaks fails when the emulator holds open handles (after waiting a
// little for cleanups of abandoned calls).
func noLeaks(t testing.TB, sim *hcnsim.Sim) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for sim.OpenHandles() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d handles left open: %+v", sim.OpenHandles(), sim.Stats().OpenHandles)
		}
		time.Sleep(time.Millisecond)
	}
}

func natNetwork(name, prefix string) *hcn.Network {
	p := netip.MustParsePrefix(prefix)
	gw := p.Addr().Next()
	return &hcn.Network{
		Name: name,
		Type: hcn.NetworkTypeNAT,
		Ipams: []hcn.IPAM{{Type: hcn.IPAMTypeStatic, Subnets: []hcn.Subnet{{
			IpAddressPrefix: p.String(),
			Routes:          []hcn.Route{{NextHop: gw.String(), DestinationPrefix: "0.0.0.0/0"}},
		}}}},
	}
}

func TestSimNetworkEndpointNamespaceFlow(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("nat", "172.20.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	netID := net.ID
	if net.Name != "nat" || net.Type != hcn.NetworkTypeNAT {
		t.Errorf("created network %+v", net)
	}
	if _, err := c.CreateNetwork(ctx, natNetwork("nat", "172.21.0.0/24")); !errors.Is(err, hcn.ErrAlreadyExists) {
		t.Errorf("duplicate name: got %v, want ErrAlreadyExists", err)
	}
	byName, err := c.GetNetworkByName(ctx, "nat")
	if err != nil || byName.ID != net.ID {
		t.Fatalf("GetNetworkByName: %v, %v", byName, err)
	}
	if _, err := c.GetNetworkByName(ctx, "nope"); !hcn.IsNotFound(err) {
		t.Errorf("GetNetworkByName(nope): %v", err)
	}

	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "ep1", HostComputeNetwork: net.ID,
		IpConfigurations: []hcn.IPConfig{{IpAddress: "172.20.0.10", PrefixLength: 24}}})
	if err != nil {
		t.Fatal(err)
	}
	epID := ep.ID
	if ip, ok := ep.PrimaryIP(); !ok || ip.String() != "172.20.0.10" {
		t.Errorf("endpoint IP %v", ep.IpConfigurations)
	}
	ep2, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "ep2", HostComputeNetwork: net.ID})
	if err != nil {
		t.Fatal(err)
	}

	ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		t.Fatal(err)
	}
	nsID := ns.ID
	if err := c.AddNamespaceEndpoint(ctx, nsID, epID); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetNamespace(ctx, nsID)
	if err != nil || len(got.EndpointIDs()) != 1 || !got.EndpointIDs()[0].Equal(ep.ID) {
		t.Fatalf("namespace after add: %+v, %v", got, err)
	}

	for _, tc := range []struct {
		name string
		opts *hcn.ListOptions
		want []string
	}{
		{"all", nil, []string{string(ep.ID), string(ep2.ID)}},
		{"name", &hcn.ListOptions{Name: "ep2"}, []string{string(ep2.ID)}},
		{"network", &hcn.ListOptions{Network: netID}, []string{string(ep.ID), string(ep2.ID)}},
		{"other network", &hcn.ListOptions{Network: hcn.NewGUID().ID()}, nil},
		{"ip", &hcn.ListOptions{IP: netip.MustParseAddr("172.20.0.10")}, []string{string(ep.ID)}},
		{"namespace", &hcn.ListOptions{Namespace: nsID}, []string{string(ep.ID)}},
	} {
		eps, err := c.ListEndpoints(ctx, tc.opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var ids []string
		for _, e := range eps {
			ids = append(ids, string(e.ID))
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, ids, tc.want)
		}
	}

	if err := c.AddEndpointPolicies(ctx, epID, hcn.PortMappingPolicy(hcn.ProtocolTCP, 80, 8080)); err != nil {
		t.Fatal(err)
	}
	e, err := c.GetEndpoint(ctx, epID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Policy(hcn.PolicyTypePortMapping); !ok {
		t.Errorf("policy not added: %+v", e.Policies)
	}
	if err := c.RemoveNamespaceEndpoint(ctx, nsID, epID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []hcn.ID{epID, ep2.ID} {
		if err := c.DeleteEndpoint(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.DeleteEndpoint(ctx, epID, nil); !hcn.IsNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
	if err := c.DeleteEndpoint(ctx, epID, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
		t.Errorf("IgnoreNotFound: %v", err)
	}
	if err := c.DeleteNamespace(ctx, nsID, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteNamespace(ctx, hcn.HostDefaultNamespaceID, nil); !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("deleting the host default namespace: %v", err)
	}
	if err := c.DeleteNetwork(ctx, netID, nil); err != nil {
		t.Fatal(err)
	}
	noLeaks(t, sim)
}

func TestSimHandleLevel(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	nh, err := c.CreateNetworkHandle(ctx, natNetwork("h", "10.1.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := nh.Query(ctx)
	if err != nil || n.Name != "h" || !n.ID.Equal(nh.ID()) {
		t.Fatalf("Query: %+v, %v", n, err)
	}
	if err := nh.Modify(ctx, hcn.ModifyPolicies(hcn.RequestAdd, hcn.HostRoutePolicy())); err != nil {
		t.Fatal(err)
	}
	if err := nh.Close(); err != nil {
		t.Fatal(err)
	}
	if err := nh.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := nh.Query(ctx); !errors.Is(err, hcn.ErrInvalidHandle) {
		t.Errorf("Query after Close: %v", err)
	}
	if _, err := c.GetNetwork(ctx, nh.ID()); err != nil {
		t.Errorf("Close deleted the network: %v", err)
	}
	oh, err := c.OpenNetwork(ctx, nh.ID())
	if err != nil {
		t.Fatal(err)
	}
	oh.Close()
	if _, err := c.OpenNetwork(ctx, hcn.NewGUID().ID()); !hcn.IsNotFound(err) {
		t.Errorf("open missing: %v", err)
	}
	eh, err := c.CreateEndpointHandle(ctx, &hcn.Endpoint{HostComputeNetwork: nh.ID()})
	if err != nil {
		t.Fatal(err)
	}
	a, err := eh.Addresses(ctx)
	if err != nil || len(a.IPAddresses) != 1 {
		t.Errorf("Addresses: %+v, %v", a, err)
	}
	if _, err := eh.Stats(ctx); err != nil {
		t.Errorf("Stats: %v", err)
	}
	eh.Close()
	noLeaks(t, sim)
}

func TestSimValidationBeforeAnyCall(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	bad := natNetwork("bad", "10.0.0.0/24")
	bad.Ipams[0].Subnets[0].IpAddressPrefix = "10.0.0.0/33"
	before := sim.Stats().Calls
	_, err := c.CreateNetwork(ctx, bad)
	var ve *hcn.ValidationError
	if !errors.Is(err, hcn.ErrInvalid) || !errors.As(err, &ve) || !strings.Contains(ve.Path, "IpAddressPrefix") {
		t.Errorf("got %v, want a validation error naming IpAddressPrefix", err)
	}
	if _, err := c.CreateEndpoint(ctx, &hcn.Endpoint{}); !errors.Is(err, hcn.ErrInvalid) || !strings.Contains(err.Error(), "HostComputeNetwork") {
		t.Errorf("endpoint without network: %v", err)
	}
	if _, err := c.CreateNetwork(ctx, nil); !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("nil network: %v", err)
	}
	if after := sim.Stats().Calls; fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("service called for invalid input: %v", after)
	}
}

func TestSimEnsureNetwork(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	n1, created, err := c.EnsureNetwork(ctx, natNetwork("node", "10.40.0.0/24"))
	if err != nil || !created {
		t.Fatalf("first: %v, %v", created, err)
	}
	n2, created, err := c.EnsureNetwork(ctx, natNetwork("node", "10.41.0.0/24"))
	if err != nil || created || n2.ID != n1.ID {
		t.Fatalf("second: %v, %v, %v", n2, created, err)
	}
	if _, _, err := c.EnsureNetwork(ctx, &hcn.Network{}); !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("no name: %v", err)
	}
	noLeaks(t, sim)
}

func TestSimRestartDuringList(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("rl", "10.42.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID}); err != nil {
			t.Fatal(err)
		}
	}
	queries, opens := sim.Calls(hcn.OpQueryEndpoint), sim.Calls(hcn.OpOpenEndpoint)
	release := sim.Hang(hcn.OpQueryEndpoint)
	done := make(chan error, 1)
	var eps []*hcn.Endpoint
	go func() {
		var err error
		eps, err = c.ListEndpoints(ctx, nil)
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for sim.Calls(hcn.OpQueryEndpoint) == queries && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	// The handles the list holds die with the restart; the list reopens.
	if err := sim.Restart(); err != nil {
		t.Fatal(err)
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("list across a restart: %v", err)
	}
	if len(eps) != 20 {
		t.Errorf("%d endpoints, want 20", len(eps))
	}
	if n := sim.Calls(hcn.OpOpenEndpoint) - opens; n <= 20 {
		t.Errorf("%d opens: no handle was reopened after the restart", n)
	}
	noLeaks(t, sim)
}
