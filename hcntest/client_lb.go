package hcntest

import (
	"net/netip"
	"strings"

	"github.com/hcnkit/hcn"
)

var clientLBScenarios = []clientScenario{
	{name: "client/loadbalancer", fn: clientLoadBalancer},
	{name: "client/loadbalancer-update-by-version", fn: clientLBVersions},
	{name: "client/sdn-routes", fn: clientSDNRoutes},
}

// lbSetup makes a network with n endpoints.
func (e *cenv) lbSetup(n int) (hcn.GUID, netip.Prefix, []hcn.GUID) {
	_, nid, p := e.network()
	var eps []hcn.GUID
	for range n {
		_, id := e.endpoint(nid, netip.Addr{})
		eps = append(eps, id)
	}
	return nid, p, eps
}

func lbSpec(vip netip.Addr, port uint16, eps ...hcn.GUID) *hcn.LoadBalancer {
	return (&hcn.LoadBalancerSpec{Endpoints: asIDs(eps), FrontendVIPs: []netip.Addr{vip},
		Ports: []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 8080, ExternalPort: port}}}).Document()
}

// createLB creates a load balancer, deleted in a cleanup.
func (e *cenv) createLB(lb *hcn.LoadBalancer) (*hcn.LoadBalancer, hcn.GUID) {
	e.t.Helper()
	got, err := e.c.CreateLoadBalancer(e.ctx, lb)
	e.ok(err, "CreateLoadBalancer")
	id := e.id(got.ID)
	e.cleanup(hcn.KindLoadBalancer, id)
	return got, id
}

// backends checks a load balancer's backend endpoints.
func (e *cenv) backends(lb *hcn.LoadBalancer, want []hcn.GUID, what string) {
	e.t.Helper()
	got := make([]hcn.GUID, 0, len(lb.HostComputeEndpoints))
	for _, s := range lb.HostComputeEndpoints {
		got = append(got, e.id(s))
	}
	e.sameIDs(got, want, what)
}

func lbID(lb *hcn.LoadBalancer) hcn.ID { return lb.ID }

func clientLoadBalancer(e *cenv) {
	_, p, eps := e.lbSetup(3)
	vip := host(p, 200)
	lb, id := e.createLB(lbSpec(vip, 80, eps[0]))
	if len(lb.PortMappings) != 1 || lb.PortMappings[0].ExternalPort != 80 || lb.PortMappings[0].InternalPort != 8080 {
		e.t.Errorf("created load balancer port mappings %+v", lb.PortMappings)
	}
	e.backends(lb, eps[:1], "created load balancer")
	got, err := e.c.GetLoadBalancer(e.ctx, id.ID())
	e.ok(err, "GetLoadBalancer")
	e.backends(got, eps[:1], "GetLoadBalancer")
	_, err = e.c.CreateLoadBalancer(e.ctx, lbSpec(vip, 80, eps[1]))
	e.wantIs(err, hcn.ErrPortInUse, "a second load balancer on the same frontend")
	byIP, err := e.c.ListLoadBalancers(e.ctx, &hcn.ListOptions{IP: vip})
	e.ok(err, "ListLoadBalancers by VIP")
	e.sameIDs(ids(e, byIP, lbID), []hcn.GUID{id}, "ListLoadBalancers by VIP")

	// Backends: add, remove an absent one (no change), remove one.
	canModify, err := e.c.Supports(e.ctx, hcn.FeatureModifyLoadBalancer)
	e.ok(err, "Supports(ModifyLoadBalancer)")
	got, err = e.c.AddLoadBalancerEndpoints(e.ctx, id.ID(), eps[1].ID(), eps[2].ID(), eps[0].ID())
	e.ok(err, "AddLoadBalancerEndpoints")
	e.backends(got, eps, "after adding backends")
	id = e.keepLB(id, got, canModify)
	got, err = e.c.RemoveLoadBalancerEndpoints(e.ctx, id.ID(), hcn.NewGUID().ID())
	e.ok(err, "RemoveLoadBalancerEndpoints of an absent endpoint")
	e.backends(got, eps, "after removing an absent backend")
	got, err = e.c.RemoveLoadBalancerEndpoints(e.ctx, id.ID(), eps[1].ID())
	e.ok(err, "RemoveLoadBalancerEndpoints")
	e.backends(got, []hcn.GUID{eps[0], eps[2]}, "after removing a backend")
	id = e.keepLB(id, got, canModify)

	lh, err := e.c.OpenLoadBalancer(e.ctx, id.ID())
	e.ok(err, "OpenLoadBalancer")
	q, err := lh.Query(e.ctx)
	e.ok(err, "LoadBalancerHandle.Query")
	e.backends(q, []hcn.GUID{eps[0], eps[2]}, "LoadBalancerHandle.Query")
	e.ok(lh.Close(), "LoadBalancerHandle.Close")
	e.ok(e.c.DeleteLoadBalancer(e.ctx, id.ID(), nil), "DeleteLoadBalancer")
	e.wantIs(e.c.DeleteLoadBalancer(e.ctx, id.ID(), nil), hcn.ErrNotFound, "DeleteLoadBalancer twice")
	_, err = e.c.GetLoadBalancer(e.ctx, id.ID())
	e.wantIs(err, hcn.ErrNotFound, "GetLoadBalancer after delete")
}

// keepLB checks an updated load balancer's id (kept when the service can
// modify in place) and returns it, registering the cleanup of a new one.
func (e *cenv) keepLB(old hcn.GUID, lb *hcn.LoadBalancer, modified bool) hcn.GUID {
	e.t.Helper()
	id := e.id(lb.ID)
	if modified && id != old {
		e.t.Errorf("an update on a service with HcnModifyLoadBalancer changed the id from %s to %s", old, id)
	}
	if id != old {
		e.cleanup(hcn.KindLoadBalancer, id)
	}
	return id
}

// clientLBVersions updates a load balancer on an emulated 15.5 (modify in
// place) and 15.3 (no HcnModifyLoadBalancer: replaced, with the same id
// when the frontend stays, a new one when it changes), and checks that the
// Client does not use HcnModifyLoadBalancer on 15.4, where it may not apply
// a new backend list.
func clientLBVersions(e *cenv) {
	vs, ok := e.svc.(VersionSetter)
	if !ok {
		e.t.Skip("the service's version cannot be set")
	}
	was, err := e.c.ServiceVersion(e.ctx)
	e.ok(err, "ServiceVersion")
	defer vs.SetServiceVersion(was.Major, was.Minor)
	_, p, eps := e.lbSetup(3)
	vip := host(p, 201)
	cc, counts := e.svc.(CallCounter)
	calls := func(op string) uint64 {
		if !counts {
			return 0
		}
		return cc.Calls(op)
	}

	vs.SetServiceVersion(15, 5)
	c := e.newClient()
	_, id := e.createLB(lbSpec(vip, 80, eps[0]))
	modifies, deletes := calls(hcn.OpModifyLoadBalancer), calls(hcn.OpDeleteLoadBalancer)
	got, err := c.UpdateLoadBalancer(e.ctx, id.ID(), lbSpec(vip, 80, eps[0], eps[1]))
	e.ok(err, "UpdateLoadBalancer on 15.5")
	if e.id(got.ID) != id {
		e.t.Errorf("UpdateLoadBalancer on 15.5 changed the id")
	}
	e.backends(got, eps[:2], "UpdateLoadBalancer on 15.5")
	if counts && (calls(hcn.OpModifyLoadBalancer) != modifies+1 || calls(hcn.OpDeleteLoadBalancer) != deletes) {
		e.t.Errorf("UpdateLoadBalancer on 15.5: %d modifies and %d deletes, want 1 and 0",
			calls(hcn.OpModifyLoadBalancer)-modifies, calls(hcn.OpDeleteLoadBalancer)-deletes)
	}
	lh, err := c.OpenLoadBalancer(e.ctx, id.ID())
	e.ok(err, "OpenLoadBalancer")
	e.ok(lh.Modify(e.ctx, lbSpec(vip, 80, eps[2])), "LoadBalancerHandle.Modify on 15.5")
	q, err := lh.Query(e.ctx)
	e.ok(err, "Query")
	e.backends(q, eps[2:], "after a handle-level modify")
	e.ok(lh.Close(), "Close")

	// 15.4 has HcnModifyLoadBalancer, but it may not apply a new backend
	// list: the Client does not use it there.
	vs.SetServiceVersion(15, 4)
	if ok, err := e.newClient().Supports(e.ctx, hcn.FeatureModifyLoadBalancer); err != nil || ok {
		e.t.Errorf("Supports(ModifyLoadBalancer) on 15.4 = %v, %v; want false", ok, err)
	}

	vs.SetServiceVersion(15, 3)
	c = e.newClient()
	lh, err = c.OpenLoadBalancer(e.ctx, id.ID())
	e.ok(err, "OpenLoadBalancer")
	modifies = calls(hcn.OpModifyLoadBalancer)
	err = lh.Modify(e.ctx, lbSpec(vip, 80, eps[0]))
	e.ok(lh.Close(), "Close")
	e.wantIs(err, hcn.ErrNotSupported, "LoadBalancerHandle.Modify on 15.3")
	if err != nil && !strings.Contains(err.Error(), "ModifyLoadBalancer") {
		e.t.Errorf("the refusal does not name the feature: %v", err)
	}
	if counts && calls(hcn.OpModifyLoadBalancer) != modifies {
		e.t.Errorf("a refused modify reached the service")
	}
	deletes = calls(hcn.OpDeleteLoadBalancer)
	got, err = c.UpdateLoadBalancer(e.ctx, id.ID(), lbSpec(vip, 80, eps...))
	e.ok(err, "UpdateLoadBalancer on 15.3, same frontend")
	if e.id(got.ID) != id {
		e.t.Errorf("a same-frontend replacement changed the id from %s to %s", id, got.ID)
	}
	e.backends(got, eps, "same-frontend replacement")
	if counts && (calls(hcn.OpModifyLoadBalancer) != modifies || calls(hcn.OpDeleteLoadBalancer) != deletes+1) {
		e.t.Errorf("same-frontend replacement on 15.3: %d modifies and %d deletes, want 0 and 1",
			calls(hcn.OpModifyLoadBalancer)-modifies, calls(hcn.OpDeleteLoadBalancer)-deletes)
	}
	got, err = c.UpdateLoadBalancer(e.ctx, id.ID(), lbSpec(vip, 81, eps[:2]...))
	e.ok(err, "UpdateLoadBalancer on 15.3, new frontend")
	newID := e.id(got.ID)
	e.cleanup(hcn.KindLoadBalancer, newID)
	if newID == id || got.PortMappings[0].ExternalPort != 81 {
		e.t.Errorf("a new-frontend replacement: %+v, want a new id and port 81", got)
	}
	_, err = c.GetLoadBalancer(e.ctx, id.ID())
	e.wantIs(err, hcn.ErrNotFound, "the replaced load balancer")
}

func routeID(r *hcn.SDNRoute) hcn.ID { return r.ID }

func clientSDNRoutes(e *cenv) {
	nid, p, eps := e.lbSetup(2)
	r, err := e.c.CreateSDNRoute(e.ctx, &hcn.SDNRoute{HostComputeNetwork: nid.ID(),
		HostComputeEndpoints: asIDs(eps[:2]),
		Routes:               []hcn.SDNRoutePolicySetting{{DestinationPrefix: "192.168.77.0/24", NextHop: host(p, 1).String()}}})
	e.ok(err, "CreateSDNRoute")
	id := e.id(r.ID)
	e.cleanup(hcn.KindSDNRoute, id)
	routeEPs := func(r *hcn.SDNRoute, want []hcn.GUID, what string) {
		e.t.Helper()
		got := make([]hcn.GUID, 0, len(r.HostComputeEndpoints))
		for _, s := range r.HostComputeEndpoints {
			got = append(got, e.id(s))
		}
		e.sameIDs(got, want, what)
	}
	got, err := e.c.GetSDNRoute(e.ctx, id.ID())
	e.ok(err, "GetSDNRoute")
	routeEPs(got, eps, "GetSDNRoute")
	got, err = e.c.RemoveSDNRouteEndpoints(e.ctx, id.ID(), hcn.NewGUID().ID())
	e.ok(err, "RemoveSDNRouteEndpoints of an absent endpoint")
	routeEPs(got, eps, "after removing an absent endpoint (never index 0)")
	got, err = e.c.RemoveSDNRouteEndpoints(e.ctx, id.ID(), eps[1].ID())
	e.ok(err, "RemoveSDNRouteEndpoints")
	routeEPs(got, eps[:1], "after removing an endpoint")
	id = e.keepRoute(id, got)
	got, err = e.c.AddSDNRouteEndpoints(e.ctx, id.ID(), eps[1].ID())
	e.ok(err, "AddSDNRouteEndpoints")
	routeEPs(got, eps, "after adding an endpoint")
	id = e.keepRoute(id, got)
	list, err := e.c.ListSDNRoutes(e.ctx, &hcn.ListOptions{Network: nid.ID()})
	e.ok(err, "ListSDNRoutes by network")
	e.sameIDs(ids(e, list, routeID), []hcn.GUID{id}, "ListSDNRoutes by network")
	rh, err := e.c.OpenSDNRoute(e.ctx, id.ID())
	e.ok(err, "OpenSDNRoute")
	q, err := rh.Query(e.ctx)
	e.ok(err, "SDNRouteHandle.Query")
	if len(q.Routes) != 1 || q.Routes[0].DestinationPrefix != "192.168.77.0/24" {
		e.t.Errorf("route settings %+v", q.Routes)
	}
	e.ok(rh.Close(), "SDNRouteHandle.Close")
	e.ok(e.c.DeleteSDNRoute(e.ctx, id.ID(), nil), "DeleteSDNRoute")
	e.wantIs(e.c.DeleteSDNRoute(e.ctx, id.ID(), nil), hcn.ErrNotFound, "DeleteSDNRoute twice")
}

// keepRoute returns an updated route's id, registering the cleanup of a
// new one (a service without HcnModifySdnRoute replaces the route).
func (e *cenv) keepRoute(old hcn.GUID, r *hcn.SDNRoute) hcn.GUID {
	id := e.id(r.ID)
	if id != old {
		e.cleanup(hcn.KindSDNRoute, id)
	}
	return id
}
