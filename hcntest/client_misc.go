package hcntest

import (
	"context"
	"crypto/rand"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/hcnkit/hcn"
)

var clientMiscScenarios = []clientScenario{
	{name: "client/stats-and-addresses", fn: clientStats},
	{name: "client/watch", fn: clientWatch},
	{name: "client/port-reservations", fn: clientPorts},
	{name: "client/guest-network-service", fn: clientGNS},
	{name: "client/version-and-features", fn: clientVersion},
}

func clientStats(e *cenv) {
	_, nid, p := e.network()
	ip := host(p, 20)
	ep, id := e.endpoint(nid, ip)
	st, err := e.c.EndpointStats(e.ctx, id.ID())
	e.ok(err, "EndpointStats")
	if st.EndpointID != "" && !hcn.EqualFoldGUID(st.EndpointID, id.String()) {
		e.t.Errorf("stats EndpointID %q, want %s", st.EndpointID, id)
	}
	a, err := e.c.EndpointAddresses(e.ctx, id.ID())
	e.ok(err, "EndpointAddresses")
	if !slices.ContainsFunc(a.IPAddresses, func(c hcn.IPConfig) bool { return c.IpAddress == ip.String() }) {
		e.t.Errorf("EndpointAddresses %+v misses %s", a.IPAddresses, ip)
	}
	if ep.MacAddress != "" && !strings.EqualFold(a.MacAddress, ep.MacAddress) {
		e.t.Errorf("EndpointAddresses MAC %q, the endpoint's is %q", a.MacAddress, ep.MacAddress)
	}
	eh, err := e.c.OpenEndpoint(e.ctx, id.ID())
	e.ok(err, "OpenEndpoint")
	defer eh.Close()
	if _, err := eh.Stats(e.ctx); err != nil {
		e.t.Errorf("EndpointHandle.Stats: %v", err)
	}
	if ha, err := eh.Addresses(e.ctx); err != nil || ha.Raw == "" || len(ha.IPAddresses) != len(a.IPAddresses) {
		e.t.Errorf("EndpointHandle.Addresses: %+v, %v", ha, err)
	}
	e.ok(eh.Close(), "Close")
	_, err = e.c.EndpointStats(e.ctx, hcn.NewGUID().ID())
	e.wantIs(err, hcn.ErrNotFound, "EndpointStats of a missing endpoint")
	_, err = e.c.EndpointAddresses(e.ctx, hcn.NewGUID().ID())
	e.wantIs(err, hcn.ErrNotFound, "EndpointAddresses of a missing endpoint")
}

// nextEvent waits for an event of typ about id (zero: any) on ch.
func (e *cenv) nextEvent(ch <-chan hcn.Event, typ hcn.NotificationType, kind hcn.Kind, id hcn.GUID) {
	e.t.Helper()
	timeout := time.After(e.opts.Timeout)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				e.t.Fatalf("the watch ended waiting for %s", typ)
			}
			if ev.Type.Base() == typ && (id.IsZero() || ev.ID.Equal(id.ID())) {
				if ev.Kind != kind {
					e.t.Errorf("%s event of kind %s, want %s", typ, ev.Kind, kind)
				}
				return
			}
		case <-timeout:
			e.t.Fatalf("no %s event about %s within %s", typ, id, e.opts.Timeout)
		}
	}
}

// watch starts a Client watch ended (and drained, so its registration is
// gone) in a cleanup or by the returned stop.
func (e *cenv) watch(watch func(context.Context) (<-chan hcn.Event, error)) (<-chan hcn.Event, func()) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := watch(ctx)
	if err != nil {
		cancel()
		e.t.Fatalf("Watch: %v", err)
	}
	stop := func() {
		cancel()
		for range ch {
		}
	}
	e.t.Cleanup(stop)
	return ch, stop
}

func clientWatch(e *cenv) {
	start := e.handles()
	ch1, stop1 := e.watch(e.c.Watch)
	ch2, stop2 := e.watch(e.c.Watch)
	e.wantHandles(start+1, "two watchers of one Client (one service registration)")
	_, nid, _ := e.network()
	for _, ch := range []<-chan hcn.Event{ch1, ch2} {
		e.nextEvent(ch, hcn.NotificationNetworkCreate, hcn.KindNetwork, nid)
	}
	_, ep := e.endpoint(nid, netip.Addr{})
	ns, err := e.c.CreateNamespace(e.ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	e.ok(err, "CreateNamespace")
	nsID := e.id(ns.ID)
	e.cleanup(hcn.KindNamespace, nsID)
	e.nextEvent(ch1, hcn.NotificationNamespaceCreate, hcn.KindNamespace, nsID)
	stop2()
	e.ok(e.c.AddNamespaceEndpoint(e.ctx, nsID.ID(), ep.ID()), "attach")
	e.nextEvent(ch1, hcn.NotificationNetworkEndpointAttached, hcn.KindEndpoint, ep)
	e.ok(e.c.RemoveNamespaceEndpoint(e.ctx, nsID.ID(), ep.ID()), "detach")
	e.nextEvent(ch1, hcn.NotificationNetworkEndpointDetached, hcn.KindEndpoint, ep)
	e.ok(e.c.DeleteNamespace(e.ctx, nsID.ID(), nil), "DeleteNamespace")
	e.nextEvent(ch1, hcn.NotificationNamespaceDelete, hcn.KindNamespace, nsID)
	e.ok(e.c.DeleteEndpoint(e.ctx, ep.ID(), nil), "DeleteEndpoint")
	e.ok(e.c.DeleteNetwork(e.ctx, nid.ID(), nil), "DeleteNetwork")
	e.nextEvent(ch1, hcn.NotificationNetworkDelete, hcn.KindNetwork, nid)
	stop1()
	e.wantHandles(start, "after both watches ended")
}

// randomPort returns a port in 40000-47999.
func randomPort() uint16 {
	var b [2]byte
	rand.Read(b[:])
	return 40000 + (uint16(b[0])<<8|uint16(b[1]))%8000
}

func clientPorts(e *cenv) {
	start := e.handles()
	gh, err := e.c.CreateGuestNetworkServiceHandle(e.ctx, &hcn.GuestNetworkService{})
	e.ok(err, "CreateGuestNetworkServiceHandle")
	e.cleanup(hcn.KindGuestNetworkService, hcn.MustParseGUID(string(gh.ID())))
	defer gh.Close()
	port := randomPort()
	r1, err := gh.ReservePort(e.ctx, hcn.PortProtocolTCP, hcn.PortAccessExclusive, port)
	e.ok(err, "ReservePort")
	defer r1.Release()
	if r1.Range() != (hcn.PortRange{Start: port, End: port}) {
		e.t.Errorf("reservation range %+v, want %d", r1.Range(), port)
	}
	if r, err := gh.ReservePort(e.ctx, hcn.PortProtocolTCP, hcn.PortAccessExclusive, port); err == nil {
		r.Release()
		e.t.Errorf("a second exclusive reservation of %d succeeded", port)
	} else {
		e.wantIs(err, hcn.ErrPortInUse, "a second exclusive reservation")
	}
	r2, err := gh.ReservePortRange(e.ctx, 4)
	e.ok(err, "ReservePortRange")
	defer r2.Release()
	if rg := r2.Range(); int(rg.End)-int(rg.Start) != 3 {
		e.t.Errorf("range %+v is not 4 ports", rg)
	}
	e.wantHandles(start+3, "a service handle and two reservations")
	entries, err := e.c.PortReservations(e.ctx)
	e.ok(err, "PortReservations")
	for _, r := range []*hcn.PortReservation{r1, r2} {
		if !hasReservation(entries, r.Range()) {
			e.t.Errorf("PortReservations %+v misses %+v", entries, r.Range())
		}
	}
	for _, r := range []*hcn.PortReservation{r1, r2, r1} {
		e.ok(r.Release(), "Release")
	}
	entries, err = e.c.PortReservations(e.ctx)
	e.ok(err, "PortReservations after release")
	for _, r := range []*hcn.PortReservation{r1, r2} {
		if hasReservation(entries, r.Range()) {
			e.t.Errorf("PortReservations still lists %+v after release", r.Range())
		}
	}
	e.ok(gh.Close(), "Close")
	e.wantHandles(start, "after release and close")
}

func hasReservation(entries []hcn.PortRangeEntry, r hcn.PortRange) bool {
	return slices.ContainsFunc(entries, func(en hcn.PortRangeEntry) bool {
		return en.StartingPort == r.Start && en.EndingPort == r.End
	})
}

func gnsID(g *hcn.GuestNetworkService) hcn.ID { return g.ID }

func clientGNS(e *cenv) {
	vm := hcn.NewGUID().String()
	g, err := e.c.CreateGuestNetworkService(e.ctx, &hcn.GuestNetworkService{VirtualMachineID: vm})
	e.ok(err, "CreateGuestNetworkService")
	id := e.id(g.ID)
	e.cleanup(hcn.KindGuestNetworkService, id)
	if !hcn.EqualFoldGUID(g.VirtualMachineID, vm) {
		e.t.Errorf("created service VirtualMachineID %q, want %s", g.VirtualMachineID, vm)
	}
	e.ok(e.c.SetGuestNetworkServiceState(e.ctx, id.ID(), hcn.GNSStateSynchronized), "SetGuestNetworkServiceState")
	got, err := e.c.GetGuestNetworkService(e.ctx, id.ID())
	e.ok(err, "GetGuestNetworkService")
	if !got.State.Is(hcn.GNSStateSynchronized) {
		e.t.Errorf("state %q after setting Synchronized", got.State)
	}
	all, err := e.c.ListGuestNetworkServices(e.ctx, nil)
	e.ok(err, "ListGuestNetworkServices")
	if !slices.Contains(ids(e, all, gnsID), id) {
		e.t.Errorf("ListGuestNetworkServices misses %s", id)
	}
	gh, err := e.c.OpenGuestNetworkService(e.ctx, id.ID())
	e.ok(err, "OpenGuestNetworkService")
	defer gh.Close()
	events, stop := e.watch(gh.Watch)
	e.ok(gh.SetState(e.ctx, hcn.GNSStatePaused), "GuestNetworkServiceHandle.SetState")
	e.nextEvent(events, hcn.NotificationGuestNetworkServiceStateChanged, hcn.KindGuestNetworkService, id)
	stop()
	q, err := gh.Query(e.ctx)
	e.ok(err, "GuestNetworkServiceHandle.Query")
	if !q.State.Is(hcn.GNSStatePaused) {
		e.t.Errorf("state %q after setting Paused", q.State)
	}
	e.ok(gh.Close(), "Close")
	e.ok(e.c.DeleteGuestNetworkService(e.ctx, id.ID(), nil), "DeleteGuestNetworkService")
	e.wantIs(e.c.DeleteGuestNetworkService(e.ctx, id.ID(), nil), hcn.ErrNotFound, "DeleteGuestNetworkService twice")
	e.ok(e.c.DeleteGuestNetworkService(e.ctx, id.ID(), &hcn.DeleteOptions{IgnoreNotFound: true}), "with IgnoreNotFound")
}

func clientVersion(e *cenv) {
	v, err := e.c.ServiceVersion(e.ctx)
	e.ok(err, "ServiceVersion")
	if v.IsZero() {
		e.t.Fatalf("service version 0.0")
	}
	fs, err := e.c.Features(e.ctx)
	e.ok(err, "Features")
	if fs != hcn.FeaturesOf(v) || !fs.Has(hcn.FeatureV2API) {
		e.t.Errorf("features of %s: %v, want %v with V2API", v, fs, hcn.FeaturesOf(v))
	}
	e.ok(e.c.RequireFeature(e.ctx, hcn.FeatureV2API), "RequireFeature(V2API)")
	if fi, ok := e.svc.(FaultInjector); ok {
		// A failed version query is not cached: the next one asks again.
		c := e.newClient()
		fi.InjectFault(hcn.OpHNSCall, 1, hcn.E_FAIL)
		_, err := c.ServiceVersion(e.ctx)
		e.wantHR(err, hcn.E_FAIL, "ServiceVersion with a failing HNSCall")
		if got, err := c.ServiceVersion(e.ctx); err != nil || got != v {
			e.t.Errorf("ServiceVersion after a failure: %v, %v; want %v", got, err, v)
		}
	}
	vs, ok := e.svc.(VersionSetter)
	if !ok {
		return
	}
	defer vs.SetServiceVersion(v.Major, v.Minor)
	vs.SetServiceVersion(10, 1)
	c := e.newClient()
	if ok, err := c.Supports(e.ctx, hcn.FeatureDSR); ok || err != nil {
		e.t.Errorf("Supports(DSR) on 10.1: %v, %v", ok, err)
	}
	_, nid, p := e.network()
	_, ep := e.endpoint(nid, netip.Addr{})
	spec := &hcn.LoadBalancerSpec{Endpoints: []hcn.ID{ep.ID()}, FrontendVIPs: []netip.Addr{host(p, 202)}, DSR: true,
		Ports: []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 80}}}
	creates := e.calls(hcn.OpCreateLoadBalancer)
	lb, err := c.CreateLoadBalancer(e.ctx, spec.Document())
	if err == nil {
		e.cleanup(hcn.KindLoadBalancer, e.id(lb.ID))
	}
	e.wantIs(err, hcn.ErrNotSupported, "a DSR load balancer on 10.1")
	if err != nil && !strings.Contains(err.Error(), "DSR") {
		e.t.Errorf("the refusal does not name DSR: %v", err)
	}
	if e.calls(hcn.OpCreateLoadBalancer) != creates {
		e.t.Errorf("a refused create reached the service")
	}
}

// calls returns the count of op, or 0 when the service counts no calls.
func (e *cenv) calls(op string) uint64 {
	if cc, ok := e.svc.(CallCounter); ok {
		return cc.Calls(op)
	}
	return 0
}
