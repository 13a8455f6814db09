package hcntest

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/overlay"
)

// flowThirteen fills a /28: 13 containers get .2 … .14 in order, each
// attachment as documented; the 14th is ErrSliceExhausted before any call.
func flowThirteen(e *fenv) {
	cc, counts := e.svc.(CallCounter)
	slice := e.slice(28)
	n, net := e.ensured(slice)
	gw := addr(slice, 1)
	ids := cids("c", 13)
	for i, id := range ids {
		a := e.attach(n, id, addr(slice, 2+i))
		e.checkAttachment(n, net, id, a)
	}
	before := e.objects()
	var calls map[string]uint64
	if counts {
		calls = callCounts(cc)
	}
	_, err := n.Attach(e.ctx, "c14", nil)
	if !errors.Is(err, overlay.ErrSliceExhausted) {
		e.t.Errorf("the 14th attach on a /28: %v, want ErrSliceExhausted", err)
	}
	if counts {
		if got := callDelta(cc, calls); len(got) != 0 {
			e.t.Errorf("the 14th attach on a /28 made the calls %v, want none", got)
		}
	}
	e.sameObjects(before, "after the 14th attach")
	if eps := e.endpointsOn(net.ID); len(eps) != 13 {
		e.t.Errorf("%d endpoints on the network, want 13", len(eps))
	}
	if n.Gateway() != gw || n.Slice() != slice {
		e.t.Errorf("node slice %s gateway %s, want %s and %s", n.Slice(), n.Gateway(), slice, gw)
	}
	for _, id := range ids {
		e.detach(n, id)
	}
	if eps := e.endpointsOn(net.ID); len(eps) != 0 {
		e.t.Errorf("%d endpoints left after detaching all", len(eps))
	}
	e.teardown(n)
}

// checkAttachment checks an Attachment and the objects behind it as the
// service reports them.
func (e *fenv) checkAttachment(n *overlay.Node, net *hcn.Network, id string, a overlay.Attachment) {
	e.t.Helper()
	slice := n.Slice()
	gw := addr(slice, 1)
	if a.ContainerID != id || a.Prefix != netip.PrefixFrom(a.IP, slice.Bits()) || a.Gateway != gw ||
		!a.NetworkID.Equal(net.ID) || a.Adopted {
		e.t.Errorf("Attach %s: %+v, want Prefix %s/%d, Gateway %s, NetworkID %s, not adopted",
			id, a, a.IP, slice.Bits(), gw, net.ID)
	}
	if !bareGUID(a.NamespaceID) || !bareGUID(a.EndpointID) {
		e.t.Errorf("Attach %s: NamespaceID %q, EndpointID %q, want bare lower-case GUIDs", id, a.NamespaceID, a.EndpointID)
	}
	ep, err := e.c.GetEndpoint(e.ctx, a.EndpointID)
	e.ok(err, "GetEndpoint "+id)
	if want := e.tag + "-" + id; ep.Name != want {
		e.t.Errorf("endpoint of %s named %q, want %q", id, ep.Name, want)
	}
	if len(ep.IpConfigurations) != 1 {
		e.t.Errorf("endpoint of %s has the addresses %+v, want one", id, ep.IpConfigurations)
	} else if ip, err := ep.IpConfigurations[0].Addr(); err != nil || ip != a.IP ||
		int(ep.IpConfigurations[0].PrefixLength) != slice.Bits() {
		e.t.Errorf("endpoint of %s has the address %+v, want %s/%d", id, ep.IpConfigurations[0], a.IP, slice.Bits())
	}
	var defaults []string
	for _, r := range ep.Routes {
		if r.IsDefault() {
			defaults = append(defaults, r.NextHop)
		}
	}
	if len(ep.Routes) != 1 || len(defaults) != 1 || defaults[0] != gw.String() {
		e.t.Errorf("endpoint of %s has the routes %+v, want one default route via %s", id, ep.Routes, gw)
	}
	if len(ep.Policies) != 0 {
		e.t.Errorf("endpoint of %s has the policies %+v, want none", id, ep.Policies)
	}
	if !ep.HostComputeNamespace.Equal(a.NamespaceID) || !ep.HostComputeNetwork.Equal(net.ID) {
		e.t.Errorf("endpoint of %s in namespace %q on network %q, want %s on %s",
			id, ep.HostComputeNamespace, ep.HostComputeNetwork, a.NamespaceID, net.ID)
	}
	ns, err := e.c.GetNamespace(e.ctx, a.NamespaceID)
	e.ok(err, "GetNamespace "+id)
	eps := ns.EndpointIDs()
	if !ns.Type.Is(hcn.NamespaceTypeHost) || len(ns.Resources) != 1 || len(eps) != 1 || !eps[0].Equal(a.EndpointID) {
		e.t.Errorf("namespace of %s: Type %s, Resources %+v, want Host holding endpoint %s", id, ns.Type, ns.Resources, a.EndpointID)
	}
}

// flowDetachReturnsIP checks that a detach frees its address for the next
// attach and that detaching nothing is a success.
func flowDetachReturnsIP(e *fenv) {
	slice := e.slice(28)
	n, net := e.ensured(slice)
	ids := cids("c", 5)
	var atts []overlay.Attachment
	for i, id := range ids {
		atts = append(atts, e.attach(n, id, addr(slice, 2+i)))
	}
	e.detach(n, "c3")
	if e.exists(hcn.KindEndpoint, atts[2].EndpointID) || e.exists(hcn.KindNamespace, atts[2].NamespaceID) {
		e.t.Errorf("the endpoint or namespace of a detached container is left")
	}
	e.attach(n, "c6", atts[2].IP)
	e.detach(n, "c7") // never attached
	e.detach(n, "c3") // twice
	if eps := e.endpointsOn(net.ID); len(eps) != 5 {
		e.t.Errorf("%d endpoints on the network, want 5", len(eps))
	}
	for _, id := range []string{"c1", "c2", "c4", "c5", "c6"} {
		e.detach(n, id)
	}
	e.teardown(n)
}

// The calls of one Attach and one Detach as the package documents them.
var (
	attachCalls = map[string]uint64{hcn.OpEnumerateEndpoints: 1, hcn.OpOpenNetwork: 1, hcn.OpCreateEndpoint: 1,
		hcn.OpCloseNetwork: 1, hcn.OpQueryEndpoint: 1, hcn.OpCloseEndpoint: 1, hcn.OpCreateNamespace: 1, hcn.OpModifyNamespace: 1}
	detachCalls = map[string]uint64{hcn.OpModifyNamespace: 1, hcn.OpCloseNamespace: 1, hcn.OpDeleteEndpoint: 1,
		hcn.OpDeleteNamespace: 1}
)

func sum(m map[string]uint64) uint64 {
	var s uint64
	for _, v := range m {
		s += v
	}
	return s
}

// flowCallsPerOp checks that an Attach makes 8 calls and a Detach 4,
// whether 1 or 40 containers are attached already.
func flowCallsPerOp(e *fenv) {
	cc := e.counter()
	slice := e.slice(24)
	n, _ := e.ensured(slice)
	measure := func(already int) {
		before := callCounts(cc)
		e.attach(n, "probe", netip.Addr{})
		got := callDelta(cc, before)
		if sum(got) != 8 || !maps.Equal(got, attachCalls) {
			e.t.Errorf("with %d attached, an Attach made %d calls %v, want 8: %v", already, sum(got), got, attachCalls)
		}
		before = callCounts(cc)
		e.detach(n, "probe")
		got = callDelta(cc, before)
		if sum(got) != 4 || !maps.Equal(got, detachCalls) {
			e.t.Errorf("with %d attached, a Detach made %d calls %v, want 4: %v", already, sum(got), got, detachCalls)
		}
	}
	ids := cids("c", 40)
	e.attach(n, ids[0], addr(slice, 2))
	measure(1)
	for i, id := range ids[1:] {
		e.attach(n, id, addr(slice, 3+i))
	}
	measure(40)
	for _, id := range ids {
		e.detach(n, id)
	}
	e.teardown(n)
}

// flowSweepAfterCrash leaves a crashed node's containers behind and
// sweeps them from a new node, then with the package-level Sweep.
func flowSweepAfterCrash(e *fenv) {
	slice := e.slice(28)
	cfg := e.config(slice)
	a := e.node(cfg)
	_, err := a.EnsureNetwork(e.ctx)
	e.ok(err, "EnsureNetwork")
	atts := map[string]overlay.Attachment{}
	for i, id := range cids("c", 4) {
		atts[id] = e.attach(a, id, addr(slice, 2+i))
	}
	e.ok(a.Close(), "Close (the crash)")
	e.wantHandles(e.handles, "after the crashed node's Close")

	cfg.Client = e.newClient()
	b := e.node(cfg)
	alive := func(id string) bool { return id == "c2" }
	dead := []string{"c1", "c3", "c4"}
	check := func(rep *overlay.SweepReport, dry bool) {
		e.t.Helper()
		if rep == nil {
			e.t.Fatalf("Sweep returned no report")
		}
		if rep.DryRun != dry {
			e.t.Errorf("SweepReport.DryRun %v, want %v", rep.DryRun, dry)
		}
		var got []string
		for _, se := range rep.Endpoints {
			got = append(got, se.ContainerID)
			at, ok := atts[se.ContainerID]
			if !ok {
				continue
			}
			if !se.ID.Equal(at.EndpointID) || !se.Namespace.Equal(at.NamespaceID) || se.Name != e.tag+"-"+se.ContainerID ||
				!se.Network.Equal(at.NetworkID) || !slices.Equal(se.IPs, []netip.Addr{at.IP}) {
				e.t.Errorf("swept endpoint %+v, want the one of %+v", se, at)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, dead) {
			e.t.Errorf("swept containers %v, want %v", got, dead)
		}
		var wantNS []string
		for _, id := range dead {
			wantNS = append(wantNS, string(atts[id].NamespaceID.Canonical()))
		}
		var gotNS []string
		for _, ns := range rep.Namespaces {
			gotNS = append(gotNS, string(ns.Canonical()))
		}
		slices.Sort(wantNS)
		slices.Sort(gotNS)
		if !slices.Equal(gotNS, wantNS) {
			e.t.Errorf("swept namespaces %v, want %v", gotNS, wantNS)
		}
	}
	before := e.objects()
	rep, err := b.Sweep(e.ctx, alive, &overlay.SweepOptions{DryRun: true})
	e.ok(err, "Sweep (dry run)")
	check(rep, true)
	e.sameObjects(before, "after a dry run")
	rep, err = b.Sweep(e.ctx, alive, nil)
	e.ok(err, "Sweep")
	check(rep, false)
	for id, at := range atts {
		gone := id != "c2"
		if e.exists(hcn.KindEndpoint, at.EndpointID) == gone || e.exists(hcn.KindNamespace, at.NamespaceID) == gone {
			e.t.Errorf("after the sweep, %s's endpoint or namespace: want gone %v", id, gone)
		}
	}
	e.detach(b, "c2")
	if e.exists(hcn.KindEndpoint, atts["c2"].EndpointID) || e.exists(hcn.KindNamespace, atts["c2"].NamespaceID) {
		e.t.Errorf("c2 is left after its Detach")
	}

	// The package-level Sweep, without a Node.
	cfg.Client = e.newClient()
	d := e.node(cfg)
	left := map[string]overlay.Attachment{}
	for i, id := range cids("d", 2) {
		left[id] = e.attach(d, id, addr(slice, 2+i))
	}
	e.ok(d.Close(), "Close (the crash)")
	rep, err = overlay.Sweep(e.ctx, e.newClient(), e.tag, func(string) bool { return false }, nil)
	e.ok(err, "overlay.Sweep")
	var got []string
	for _, se := range rep.Endpoints {
		got = append(got, se.ContainerID)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"d1", "d2"}) || len(rep.Namespaces) != 2 || rep.DryRun {
		e.t.Errorf("overlay.Sweep: %+v, want d1 and d2 with their namespaces", rep)
	}
	for id, at := range left {
		if e.exists(hcn.KindEndpoint, at.EndpointID) || e.exists(hcn.KindNamespace, at.NamespaceID) {
			e.t.Errorf("%s is left after overlay.Sweep", id)
		}
	}
	e.teardown(b)
}

// flowRestart restarts the service between attaches: the namespace
// handles the node holds become invalid, and detach still removes all.
func flowRestart(e *fenv) {
	rs, ok := e.svc.(Restarter)
	if !ok {
		e.t.Skip("the service cannot be restarted")
	}
	slice := e.slice(28)
	n, net := e.ensured(slice)
	ids := cids("c", 5)
	for i, id := range ids[:3] {
		e.attach(n, id, addr(slice, 2+i))
	}
	e.ok(rs.Restart(), "Restart")
	for i, id := range ids[3:] {
		e.attach(n, id, addr(slice, 5+i))
	}
	if eps := e.endpointsOn(net.ID); len(eps) != 5 {
		e.t.Errorf("%d endpoints on the network, want 5", len(eps))
	}
	for _, id := range ids {
		e.detach(n, id)
	}
	e.teardown(n)
	e.wantHandles(e.handles, "after detaching across a restart")
}

// flowConcurrentAttach attaches and detaches 50 containers at once.
func flowConcurrentAttach(e *fenv) {
	slice := e.slice(24)
	n, net := e.ensured(slice)
	ids := cids("c", 50)
	ips := make([]netip.Addr, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			a, err := n.Attach(e.ctx, id, nil)
			ips[i], errs[i] = a.IP, err
		})
	}
	wg.Wait()
	e.ok(errors.Join(errs...), "concurrent Attach")
	e.wantAddrs(ips, slice, 2, len(ids))
	if eps := e.endpointsOn(net.ID); len(eps) != len(ids) {
		e.t.Errorf("%d endpoints on the network, want %d", len(eps), len(ids))
	}
	for i, id := range ids {
		wg.Go(func() { errs[i] = n.Detach(e.ctx, id) })
	}
	wg.Wait()
	e.ok(errors.Join(errs...), "concurrent Detach")
	e.teardown(n)
}

// wantAddrs checks that ips are exactly network+from … network+from+n-1,
// in any order.
func (e *fenv) wantAddrs(ips []netip.Addr, slice netip.Prefix, from, n int) {
	e.t.Helper()
	got := slices.Clone(ips)
	slices.SortFunc(got, netip.Addr.Compare)
	var want []netip.Addr
	for i := range n {
		want = append(want, addr(slice, from+i))
	}
	if !slices.Equal(got, want) {
		e.t.Errorf("addresses %v, want %s … %s, each once", got, want[0], want[len(want)-1])
	}
}

// flowTwoNodes runs two Nodes with the same Config over one service:
// racing EnsureNetwork ends with one network, and concurrent attaches get
// distinct addresses.
func flowTwoNodes(e *fenv) {
	slice := e.slice(24)
	a, b := e.node(e.config(slice)), e.node(e.config(slice))
	const rounds = 4
	for r := range rounds {
		var wg sync.WaitGroup
		ids := make([]hcn.ID, 4)
		errs := make([]error, 4)
		for i := range 4 {
			n := a
			if i%2 == 1 {
				n = b
			}
			wg.Go(func() {
				net, err := n.EnsureNetwork(e.ctx)
				if err == nil {
					ids[i] = net.ID
				}
				errs[i] = err
			})
		}
		wg.Wait()
		e.ok(errors.Join(errs...), fmt.Sprintf("round %d: racing EnsureNetwork", r))
		nets, err := e.c.ListNetworks(e.ctx, &hcn.ListOptions{Name: a.NetworkName()})
		e.ok(err, "ListNetworks")
		if len(nets) != 1 {
			e.t.Fatalf("round %d: %d networks named %q, want 1", r, len(nets), a.NetworkName())
		}
		for i, id := range ids {
			if !id.Equal(nets[0].ID) {
				e.t.Errorf("round %d: EnsureNetwork #%d returned %s, the network is %s", r, i, id, nets[0].ID)
			}
		}
		if !a.NetworkID().Equal(nets[0].ID) || !b.NetworkID().Equal(nets[0].ID) {
			e.t.Errorf("round %d: the nodes record %s and %s, the network is %s", r, a.NetworkID(), b.NetworkID(), nets[0].ID)
		}
		if r < rounds-1 {
			e.ok(e.c.DeleteNetwork(e.ctx, nets[0].ID, nil), "DeleteNetwork")
		}
	}
	ids := append(cids("a", 10), cids("b", 10)...)
	ips := make([]netip.Addr, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		n := a
		if strings.HasPrefix(id, "b") {
			n = b
		}
		wg.Go(func() {
			at, err := n.Attach(e.ctx, id, nil)
			ips[i], errs[i] = at.IP, err
		})
	}
	wg.Wait()
	e.ok(errors.Join(errs...), "concurrent Attach on two nodes")
	seen := map[netip.Addr]string{}
	for i, ip := range ips {
		if other, dup := seen[ip]; dup {
			e.t.Errorf("%s and %s both got %s", other, ids[i], ip)
		}
		seen[ip] = ids[i]
		if !slice.Contains(ip) || ip.Compare(addr(slice, 2)) < 0 {
			e.t.Errorf("%s got %s, outside %s's container addresses", ids[i], ip, slice)
		}
	}
	if eps := e.endpointsOn(a.NetworkID()); len(eps) != len(ids) {
		e.t.Errorf("%d endpoints on the network, want %d", len(eps), len(ids))
	}
	for i, id := range ids {
		n := a
		if strings.HasPrefix(id, "b") {
			n = b
		}
		wg.Go(func() { errs[i] = n.Detach(e.ctx, id) })
	}
	wg.Wait()
	e.ok(errors.Join(errs...), "concurrent Detach on two nodes")
	e.detach(b, "a1") // detached through the other node already: a success
	e.teardown(a)
	rep, err := b.Teardown(e.ctx, nil)
	e.ok(err, "the second node's Teardown")
	if len(rep.Networks) != 0 || len(rep.Detached) != 0 {
		e.t.Errorf("the second node's Teardown: %+v, want nothing to do", rep)
	}
}

// flowAgentRestart restarts the agent: a new Node with the recorded
// network id resumes where the service is and adopts a container.
func flowAgentRestart(e *fenv) {
	slice := e.slice(28)
	cfg := e.config(slice)
	a := e.node(cfg)
	net, err := a.EnsureNetwork(e.ctx)
	e.ok(err, "EnsureNetwork")
	atts := map[string]overlay.Attachment{}
	for i, id := range cids("c", 5) {
		atts[id] = e.attach(a, id, addr(slice, 2+i))
	}
	e.detach(a, "c2")
	e.ok(a.Close(), "Close (the agent stops)")

	cfg.Client, cfg.NetworkID = e.newClient(), a.NetworkID()
	b := e.node(cfg)
	net2, err := b.EnsureNetwork(e.ctx)
	e.ok(err, "EnsureNetwork of the restarted agent")
	if !net2.ID.Equal(net.ID) || !b.NetworkID().Equal(net.ID) {
		e.t.Errorf("the restarted agent's network %s (recorded %s), want %s", net2.ID, b.NetworkID(), net.ID)
	}
	e.attach(b, "c6", atts["c2"].IP)
	e.attach(b, "c7", addr(slice, 7))
	c1, err := b.Attach(e.ctx, "c1", nil)
	e.ok(err, "Attach of a container attached by the earlier run")
	if want := atts["c1"]; !c1.Adopted || c1.IP != want.IP || !c1.EndpointID.Equal(want.EndpointID) ||
		!c1.NamespaceID.Equal(want.NamespaceID) || !bareGUID(c1.NamespaceID) {
		e.t.Errorf("adopted c1: %+v, want Adopted with %+v", c1, want)
	}
	e.detach(b, "c1")
	if e.exists(hcn.KindEndpoint, c1.EndpointID) || e.exists(hcn.KindNamespace, c1.NamespaceID) {
		e.t.Errorf("the adopted c1 is left after its Detach")
	}
	for _, id := range []string{"c3", "c4", "c5", "c6", "c7"} {
		e.detach(b, id)
	}
	if eps := e.endpointsOn(net.ID); len(eps) != 0 {
		e.t.Errorf("%d endpoints left", len(eps))
	}
	e.teardown(b)
}

// flowIPv6 attaches on an IPv6 slice.
func flowIPv6(e *fenv) {
	slice := e.slice6()
	n, net := e.ensured(slice)
	ids := cids("c", 3)
	for i, id := range ids {
		a := e.attach(n, id, addr(slice, 2+i))
		e.checkAttachment(n, net, id, a)
	}
	for _, id := range ids {
		e.detach(n, id)
	}
	e.teardown(n)
}

// flowMismatch finds a NAT network with the node's name: a
// *MismatchError changing nothing, or a replacement.
func flowMismatch(e *fenv) {
	slice := e.slice(28)
	cfg := e.config(slice)
	n := e.node(cfg)
	doc := natNetwork(n.NetworkName(), slice)
	doc.Ipams[0].Subnets[0].Routes[0].NextHop = addr(slice, 1).String()
	nat, err := e.c.CreateNetwork(e.ctx, doc)
	e.ok(err, "CreateNetwork NAT")
	before := e.objects()
	_, err = n.EnsureNetwork(e.ctx)
	var me *overlay.MismatchError
	if !errors.Is(err, overlay.ErrNetworkMismatch) || !errors.As(err, &me) {
		e.t.Fatalf("EnsureNetwork over a NAT network: %v, want a *MismatchError", err)
	}
	want := []string{"Type: want Internal, have NAT"}
	if !me.ID.Equal(nat.ID) || me.Name != n.NetworkName() || !slices.Equal(me.Differences, want) {
		e.t.Errorf("MismatchError %+v, want network %s %q with differences %q", me, nat.ID, n.NetworkName(), want)
	}
	e.sameObjects(before, "after a mismatch")
	cfg.ReplaceMismatched = true
	r := e.node(cfg)
	net, err := r.EnsureNetwork(e.ctx)
	e.ok(err, "EnsureNetwork with ReplaceMismatched")
	if net.ID.Equal(nat.ID) || !net.Type.Is(hcn.NetworkTypeInternal) || net.Name != n.NetworkName() {
		e.t.Errorf("the replacement: %s %s %q, want a new Internal network named %q", net.ID, net.Type, net.Name, n.NetworkName())
	}
	if e.exists(hcn.KindNetwork, nat.ID) {
		e.t.Errorf("the NAT network survived its replacement")
	}
	e.teardown(r)
}

// flowTeardown tears down a node with containers attached.
func flowTeardown(e *fenv) {
	slice := e.slice(28)
	n, net := e.ensured(slice)
	e.attach(n, "c2", addr(slice, 2))
	e.attach(n, "c1", addr(slice, 3))
	rep, err := n.Teardown(e.ctx, nil)
	e.ok(err, "Teardown")
	if !slices.Equal(rep.Detached, []string{"c1", "c2"}) || len(rep.Networks) != 1 || !rep.Networks[0].Equal(net.ID) {
		e.t.Errorf("Teardown report %+v, want c1, c2 detached and network %s deleted", rep, net.ID)
	}
	e.nothingLeft("after Teardown")
	rep, err = n.Teardown(e.ctx, nil)
	e.ok(err, "a second Teardown")
	if len(rep.Detached) != 0 || len(rep.Networks) != 0 {
		e.t.Errorf("a second Teardown: %+v, want nothing to do", rep)
	}
	e.nothingLeft("after a second Teardown")
}

// flowValidation checks that bad arguments are refused, naming the
// field, before any call (counted with a CallCounter).
func flowValidation(e *fenv) {
	cc, counts := e.svc.(CallCounter)
	slice := e.slice(28)
	n, _ := e.ensured(slice)
	var before map[string]uint64
	if counts {
		before = callCounts(cc)
	}
	for _, id := range []string{"", "a b", "a/b", `a\b`, "a\tb", strings.Repeat("x", 201)} {
		_, err := n.Attach(e.ctx, id, nil)
		e.wantValidation(err, "containerID", fmt.Sprintf("Attach %q", id))
		e.wantValidation(n.Detach(e.ctx, id), "containerID", fmt.Sprintf("Detach %q", id))
	}
	for _, ip := range []netip.Addr{addr(slice, 0), addr(slice, 1), addr(slice, 15), addr(slice, 16), slice.Addr().Prev(),
		netip.MustParseAddr("fd00::2")} {
		_, err := n.Attach(e.ctx, "c1", &overlay.AttachOptions{IP: ip})
		e.wantValidation(err, "AttachOptions.IP", "Attach with static IP "+ip.String())
	}
	cases := []struct {
		path string
		o    overlay.AttachOptions
	}{
		{"AttachOptions.OutBoundNAT", overlay.AttachOptions{OutBoundNAT: &overlay.OutBoundNAT{}}},
		{"AttachOptions.SDNRoutes", overlay.AttachOptions{SDNRoutes: []overlay.SDNRoute{{Destination: netip.MustParsePrefix("10.0.0.0/8")}}}},
		{"AttachOptions.InboundACL", overlay.AttachOptions{InboundACL: &overlay.InboundACL{}}},
	}
	for _, c := range cases {
		_, err := n.Attach(e.ctx, "c1", &c.o)
		e.wantValidation(err, c.path, "Attach with "+c.path+" on an Internal network")
	}
	if counts {
		if got := callDelta(cc, before); len(got) != 0 {
			e.t.Errorf("invalid arguments reached the service: %v", got)
		}
	}
	if eps := e.endpointsOn(n.NetworkID()); len(eps) != 0 {
		e.t.Errorf("%d endpoints after invalid attaches, want none", len(eps))
	}
	e.teardown(n)
}
