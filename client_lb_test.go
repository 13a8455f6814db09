package hcn_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// lbFixture creates a network with three endpoints and an LB on VIP
// 10.8.1.1 TCP 80 with the first endpoint as backend.
func lbFixture(t *testing.T, major, minor uint32) (*hcnsim.Sim, *hcn.Client, *hcn.LoadBalancer, []hcn.ID) {
	t.Helper()
	sim, c := simClient(t)
	sim.SetServiceVersion(major, minor)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("lbnet", "10.8.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	var eps []hcn.ID
	for range 3 {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID})
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep.ID)
	}
	lb, err := c.CreateLoadBalancer(ctx, lbSpec(eps[:1], 80).Document())
	if err != nil {
		t.Fatal(err)
	}
	return sim, c, lb, eps
}

func lbSpec(eps []hcn.ID, port uint16) *hcn.LoadBalancerSpec {
	return &hcn.LoadBalancerSpec{Endpoints: eps, FrontendVIPs: []netip.Addr{netip.MustParseAddr("10.8.1.1")},
		Ports: []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 8080, ExternalPort: port}}}
}

func TestSimLoadBalancerCreate(t *testing.T) {
	sim, c, lb, eps := lbFixture(t, 15, 5)
	ctx := context.Background()
	if len(lb.HostComputeEndpoints) != 1 || len(lb.PortMappings) != 1 || lb.PortMappings[0].ExternalPort != 80 {
		t.Errorf("created %+v", lb)
	}
	if _, err := c.CreateLoadBalancer(ctx, lbSpec(eps, 80).Document()); !errors.Is(err, hcn.ErrPortInUse) {
		t.Errorf("colliding LB: %v, want ErrPortInUse", err)
	}
	spec := lbSpec(eps, 443)
	spec.DSR = true
	spec.Ports[0].ILB, spec.Ports[0].PreserveDIP, spec.Ports[0].LocalRoutedVIP, spec.Ports[0].SessionAffinity = true, true, true, true
	doc := spec.Document()
	if doc.Flags != hcn.LoadBalancerFlagEnableDirectServerReturn ||
		doc.PortMappings[0].Flags != hcn.PortMappingFlagEnableInternalLoadBalancer|hcn.PortMappingFlagEnablePreserveDIP|hcn.PortMappingFlagLocalRoutedVIP ||
		doc.PortMappings[0].DistributionType != hcn.DistributionSourceIP {
		t.Errorf("spec document %+v", doc)
	}
	got, err := c.CreateLoadBalancer(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if got.Flags != doc.Flags || got.PortMappings[0].Flags != doc.PortMappings[0].Flags {
		t.Errorf("service reports %+v", got)
	}
	v6 := (&hcn.LoadBalancerSpec{FrontendVIPs: []netip.Addr{netip.MustParseAddr("fd00::1")}}).Document()
	if v6.Flags&hcn.LoadBalancerFlagIPv6 == 0 {
		t.Error("IPv6 VIP without the IPv6 flag")
	}
	lbs, err := c.ListLoadBalancers(ctx, &hcn.ListOptions{IP: netip.MustParseAddr("10.8.1.1")})
	if err != nil || len(lbs) != 2 {
		t.Errorf("list by VIP: %d, %v", len(lbs), err)
	}
	noLeaks(t, sim)
}

func TestSimLoadBalancerFeatureRefusal(t *testing.T) {
	for _, tc := range []struct {
		major, minor uint32
		edit         func(*hcn.LoadBalancerSpec)
		feature      string
	}{
		{10, 1, func(s *hcn.LoadBalancerSpec) { s.DSR = true }, "DSR"},
		{11, 9, func(s *hcn.LoadBalancerSpec) { s.IPv6 = true }, "IPv6DualStack"},
		{11, 99, func(s *hcn.LoadBalancerSpec) { s.Ports[0].SessionAffinity = true }, "SessionAffinity"},
	} {
		sim, c := simClient(t)
		sim.SetServiceVersion(tc.major, tc.minor)
		spec := lbSpec(nil, 80)
		tc.edit(spec)
		_, err := c.CreateLoadBalancer(context.Background(), spec.Document())
		if !errors.Is(err, hcn.ErrNotSupported) || !strings.Contains(err.Error(), tc.feature) {
			t.Errorf("%s on %d.%d: got %v", tc.feature, tc.major, tc.minor, err)
		}
		if sim.Calls(hcn.OpCreateLoadBalancer) != 0 {
			t.Errorf("%s: the create was sent", tc.feature)
		}
	}
}

func TestSimLoadBalancerUpdateNewService(t *testing.T) {
	sim, c, lb, eps := lbFixture(t, 15, 5)
	ctx := context.Background()
	id := lb.ID
	got, err := c.UpdateLoadBalancer(ctx, id, lbSpec(eps[:2], 80).Document())
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != lb.ID || len(got.HostComputeEndpoints) != 2 {
		t.Errorf("after modify: %+v", got)
	}
	if sim.Calls(hcn.OpModifyLoadBalancer) != 1 || sim.Calls(hcn.OpDeleteLoadBalancer) != 0 {
		t.Errorf("calls %v", sim.Stats().Calls)
	}
	got, err = c.AddLoadBalancerEndpoints(ctx, id, eps[2], eps[0])
	if err != nil || len(got.HostComputeEndpoints) != 3 || got.ID != lb.ID {
		t.Fatalf("add: %+v, %v", got, err)
	}
	// Removing an absent endpoint changes nothing and removes no other.
	modifies := sim.Calls(hcn.OpModifyLoadBalancer)
	got, err = c.RemoveLoadBalancerEndpoints(ctx, id, hcn.NewGUID().ID())
	if err != nil || len(got.HostComputeEndpoints) != 3 || sim.Calls(hcn.OpModifyLoadBalancer) != modifies {
		t.Fatalf("remove absent: %+v, %v", got, err)
	}
	got, err = c.RemoveLoadBalancerEndpoints(ctx, id, eps[1])
	if err != nil || len(got.HostComputeEndpoints) != 2 || hasEP(got, eps[1]) || !hasEP(got, eps[0]) || !hasEP(got, eps[2]) {
		t.Fatalf("remove: %+v, %v", got, err)
	}
	// The handle-level modify works here.
	lh, err := c.OpenLoadBalancer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer lh.Close()
	if err := lh.Modify(ctx, lbSpec(eps[:1], 80).Document()); err != nil {
		t.Fatal(err)
	}
	if q, err := lh.Query(ctx); err != nil || len(q.HostComputeEndpoints) != 1 {
		t.Errorf("after handle modify: %+v, %v", q, err)
	}
}

func hasEP(lb *hcn.LoadBalancer, id hcn.ID) bool {
	for _, s := range lb.HostComputeEndpoints {
		if s.Equal(id) {
			return true
		}
	}
	return false
}

func TestSimLoadBalancerUpdateOldService(t *testing.T) {
	sim, c, lb, eps := lbFixture(t, 15, 3)
	ctx := context.Background()
	id := lb.ID

	// The handle-level modify is refused, naming the feature.
	lh, err := c.OpenLoadBalancer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	err = lh.Modify(ctx, lbSpec(eps, 80).Document())
	lh.Close()
	if !errors.Is(err, hcn.ErrNotSupported) || !strings.Contains(err.Error(), "ModifyLoadBalancer") {
		t.Errorf("handle modify on 15.3: %v", err)
	}

	// Same frontend: delete then create under the same id.
	got, err := c.UpdateLoadBalancer(ctx, id, lbSpec(eps[:2], 80).Document())
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != lb.ID || len(got.HostComputeEndpoints) != 2 {
		t.Errorf("colliding replace: %+v", got)
	}
	if sim.Calls(hcn.OpModifyLoadBalancer) != 0 || sim.Calls(hcn.OpDeleteLoadBalancer) != 1 {
		t.Errorf("calls %v", sim.Stats().Calls)
	}

	// A different frontend: create first (new id), then delete the old.
	got, err = c.UpdateLoadBalancer(ctx, id, lbSpec(eps[:2], 81).Document())
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == lb.ID || got.PortMappings[0].ExternalPort != 81 {
		t.Errorf("non-colliding replace: %+v", got)
	}
	if _, err := c.GetLoadBalancer(ctx, id); !hcn.IsNotFound(err) {
		t.Errorf("old LB still there: %v", err)
	}
	newID := got.ID

	// A refused replacement restores the old document under its id.
	bad := lbSpec([]hcn.ID{hcn.NewGUID().ID()}, 81).Document() // unknown endpoint
	if _, err := c.UpdateLoadBalancer(ctx, newID, bad); !hcn.IsNotFound(err) {
		t.Errorf("refused replacement: %v", err)
	}
	back, err := c.GetLoadBalancer(ctx, newID)
	if err != nil || len(back.HostComputeEndpoints) != 2 {
		t.Errorf("old LB not restored: %+v, %v", back, err)
	}
	noLeaks(t, sim)
}

func TestSimLoadBalancerUpdateNotImplFallsBack(t *testing.T) {
	sim, c, lb, eps := lbFixture(t, 15, 5)
	sim.InjectFault(hcn.OpModifyLoadBalancer, 1, hcn.E_NOTIMPL)
	got, err := c.UpdateLoadBalancer(context.Background(), lb.ID, lbSpec(eps, 80).Document())
	if err != nil || got.ID != lb.ID || len(got.HostComputeEndpoints) != 3 {
		t.Fatalf("%+v, %v", got, err)
	}
	if sim.Calls(hcn.OpDeleteLoadBalancer) != 1 {
		t.Errorf("no fallback: %v", sim.Stats().Calls)
	}
	noLeaks(t, sim)
}

func TestSimSDNRoutes(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("rt", "10.10.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	var eps []hcn.ID
	for range 2 {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID})
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep.ID)
	}
	r, err := c.CreateSDNRoute(ctx, &hcn.SDNRoute{HostComputeNetwork: net.ID,
		HostComputeEndpoints: []hcn.ID{eps[0], eps[1]},
		Routes:               []hcn.SDNRoutePolicySetting{{DestinationPrefix: "10.20.0.0/16", NextHop: "10.10.0.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := r.ID
	// Removing an absent endpoint is a no-op; it never removes index 0.
	got, err := c.RemoveSDNRouteEndpoints(ctx, id, hcn.NewGUID().ID())
	if err != nil || len(got.HostComputeEndpoints) != 2 {
		t.Fatalf("remove absent: %+v, %v", got, err)
	}
	got, err = c.RemoveSDNRouteEndpoints(ctx, id, eps[1])
	if err != nil || len(got.HostComputeEndpoints) != 1 || !got.HostComputeEndpoints[0].Equal(eps[0]) {
		t.Fatalf("remove: %+v, %v", got, err)
	}
	if got.ID != r.ID {
		t.Errorf("update changed the id")
	}
	// Where modify is not implemented, the route is replaced (new id).
	sim.InjectFault(hcn.OpModifySDNRoute, 1, hcn.E_NOTIMPL)
	got, err = c.AddSDNRouteEndpoints(ctx, id, eps[1])
	if err != nil || len(got.HostComputeEndpoints) != 2 {
		t.Fatalf("add with fallback: %+v, %v", got, err)
	}
	if _, err := c.GetSDNRoute(ctx, id); !hcn.IsNotFound(err) {
		t.Errorf("old route kept: %v", err)
	}
	routes, err := c.ListSDNRoutes(ctx, &hcn.ListOptions{Network: net.ID})
	if err != nil || len(routes) != 1 || routes[0].ID != got.ID {
		t.Errorf("list: %v, %v", routes, err)
	}
	if err := c.DeleteSDNRoute(ctx, got.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSDNRoute(ctx, got.ID, nil); !hcn.IsNotFound(err) {
		t.Errorf("delete of a missing route: %v", err)
	}
	noLeaks(t, sim)
}

func TestSimLoadBalancerReplaceOutlivesContext(t *testing.T) {
	sim, c, lb, eps := lbFixture(t, 15, 3)
	id := lb.ID
	release := sim.Hang(hcn.OpCreateLoadBalancer)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.UpdateLoadBalancer(ctx, id, lbSpec(eps, 80).Document())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v", d)
	}
	release()
	// The replacement completes: same id, new backends, nothing leaked.
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := c.GetLoadBalancer(context.Background(), id)
		if err == nil && len(got.HostComputeEndpoints) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replacement did not complete: %+v, %v", got, err)
		}
		time.Sleep(time.Millisecond)
	}
	noLeaks(t, sim)
}

// An update keeps the load balancer's and the route's Owner tag, whether
// the service modifies in place (15.5) or the Client replaces (15.4).
func TestSimUpdateKeepsOwner(t *testing.T) {
	for _, minor := range []uint32{4, 5} {
		_, c, _, eps := lbFixture(t, 15, minor)
		ctx := context.Background()
		doc := lbSpec(eps[:1], 81).Document()
		doc.Owner = "proxy"
		lb, err := c.CreateLoadBalancer(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.AddLoadBalancerEndpoints(ctx, lb.ID, eps[1])
		if err != nil {
			t.Fatalf("15.%d: %v", minor, err)
		}
		if back, err := c.GetLoadBalancer(ctx, got.ID); err != nil || back.Owner != "proxy" || len(back.HostComputeEndpoints) != 2 {
			t.Errorf("15.%d: after the update: %+v, %v; want Owner proxy and two backends", minor, back, err)
		}
		net, err := c.GetNetworkByName(ctx, "lbnet")
		if err != nil {
			t.Fatal(err)
		}
		rt, err := c.CreateSDNRoute(ctx, &hcn.SDNRoute{HostComputeNetwork: net.ID, HostComputeEndpoints: eps[:1],
			Routes: []hcn.SDNRoutePolicySetting{{DestinationPrefix: "10.99.0.0/16"}}, BaseFields: hcn.BaseFields{Owner: "proxy"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddSDNRouteEndpoints(ctx, rt.ID, eps[1]); err != nil {
			t.Fatal(err)
		}
		if back, err := c.GetSDNRoute(ctx, rt.ID); err != nil || back.Owner != "proxy" || len(back.HostComputeEndpoints) != 2 {
			t.Errorf("15.%d: the route after the update: %+v, %v; want Owner proxy and two endpoints", minor, back, err)
		}
	}
}
