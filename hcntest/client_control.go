package hcntest

import (
	"maps"
	"net/netip"
	"slices"

	"github.com/hcnkit/hcn"
)

var clientControlScenarios = []clientScenario{
	{name: "client/list-cost", fn: clientListCost},
	{name: "client/validation-before-calls", fn: clientValidation},
	{name: "client/list-skips-vanished", fn: clientListSkipsVanished},
	{name: "client/transient-retry", fn: clientTransientRetry},
	{name: "client/fault-sweep", ownServices: true, fn: clientFaultSweep},
}

// extraOps are the service operations outside the seven-verb families.
var extraOps = []string{
	hcn.OpQueryEndpointStats, hcn.OpQueryEndpointAddresses,
	hcn.OpRegisterServiceCallback, hcn.OpUnregisterServiceCallback,
	hcn.OpRegisterGuestNetworkServiceCallback, hcn.OpUnregisterGuestNetworkServiceCallback,
	hcn.OpReserveGuestNetworkServicePort, hcn.OpReserveGuestNetworkServicePortRange,
	hcn.OpReleaseGuestNetworkServicePort, hcn.OpEnumerateGuestNetworkPortReservations,
	hcn.OpHNSCall,
}

// allOps lists every service operation by name.
func allOps() []string {
	var ops []string
	for _, k := range hcn.Kinds {
		for _, v := range []string{hcn.VerbEnumerate, hcn.VerbCreate, hcn.VerbOpen, hcn.VerbModify, hcn.VerbQuery, hcn.VerbDelete, hcn.VerbClose} {
			ops = append(ops, hcn.OpName(v, k))
		}
	}
	return append(ops, extraOps...)
}

// callCounts snapshots the count of every operation.
func callCounts(cc CallCounter) map[string]uint64 {
	out := map[string]uint64{}
	for _, op := range allOps() {
		out[op] = cc.Calls(op)
	}
	return out
}

// callDelta returns the calls made since before, by operation (zero
// counts left out).
func callDelta(cc CallCounter, before map[string]uint64) map[string]uint64 {
	out := map[string]uint64{}
	for op, n := range callCounts(cc) {
		if d := n - before[op]; d != 0 {
			out[op] = d
		}
	}
	return out
}

func (e *cenv) counter() CallCounter {
	cc, ok := e.svc.(CallCounter)
	if !ok {
		e.t.Skip("the service counts no calls")
	}
	return cc
}

func (e *cenv) injector() FaultInjector {
	fi, ok := e.svc.(FaultInjector)
	if !ok {
		e.t.Skip("the service cannot inject faults")
	}
	return fi
}

// clientListCost checks that a list of N objects costs exactly 1 + 3N
// service calls (enumerate, then open, query and close each) and a get 3.
func clientListCost(e *cenv) {
	cc := e.counter()
	_, nid, _ := e.network()
	const n = 6
	var want []hcn.GUID
	for range n {
		_, id := e.endpoint(nid, netip.Addr{})
		want = append(want, id)
	}
	before := callCounts(cc)
	eps, err := e.c.ListEndpoints(e.ctx, &hcn.ListOptions{Network: nid.ID()})
	e.ok(err, "ListEndpoints")
	e.sameIDs(ids(e, eps, epID), want, "ListEndpoints")
	wantCalls := map[string]uint64{hcn.OpEnumerateEndpoints: 1, hcn.OpOpenEndpoint: n, hcn.OpQueryEndpoint: n, hcn.OpCloseEndpoint: n}
	if got := callDelta(cc, before); !maps.Equal(got, wantCalls) {
		e.t.Errorf("a list of %d endpoints made the calls %v, want %v (1+3N)", n, got, wantCalls)
	}
	before = callCounts(cc)
	_, err = e.c.GetEndpoint(e.ctx, want[0].ID())
	e.ok(err, "GetEndpoint")
	wantCalls = map[string]uint64{hcn.OpOpenEndpoint: 1, hcn.OpQueryEndpoint: 1, hcn.OpCloseEndpoint: 1}
	if got := callDelta(cc, before); !maps.Equal(got, wantCalls) {
		e.t.Errorf("a get made the calls %v, want %v", got, wantCalls)
	}
}

// clientValidation checks that bad input is refused before any call.
func clientValidation(e *cenv) {
	cc := e.counter()
	_, nid, _ := e.network()
	before := callCounts(cc)
	bad := natNetwork(e.name("net"), e.prefix())
	bad.Ipams[0].Subnets[0].IpAddressPrefix = "10.0.0.0/33"
	_, err := e.c.CreateNetwork(e.ctx, bad)
	e.wantIs(err, hcn.ErrInvalid, "a network with a bad prefix")
	_, err = e.c.CreateEndpoint(e.ctx, &hcn.Endpoint{Name: e.name("ep")})
	e.wantIs(err, hcn.ErrInvalid, "an endpoint without a network")
	err = e.c.AddNetworkSubnet(e.ctx, nid.ID(), hcn.Subnet{IpAddressPrefix: "nope"})
	e.wantIs(err, hcn.ErrInvalid, "a bad subnet")
	err = e.c.DeleteNamespace(e.ctx, e.id(hcn.HostDefaultNamespaceID).ID(), nil)
	e.wantIs(err, hcn.ErrInvalid, "deleting the host default namespace")
	if got := callDelta(cc, before); len(got) != 0 {
		e.t.Errorf("invalid input reached the service: %v", got)
	}
}

// clientListSkipsVanished makes objects vanish between the enumerate and
// their open or query (the service answers not found): the list skips
// them and succeeds.
func clientListSkipsVanished(e *cenv) {
	fi := e.injector()
	_, nid, _ := e.network()
	var all []hcn.GUID
	for range 3 {
		_, id := e.endpoint(nid, netip.Addr{})
		all = append(all, id)
	}
	for _, op := range []string{hcn.OpOpenEndpoint, hcn.OpQueryEndpoint} {
		fi.InjectFault(op, 2, hcn.HCN_E_ENDPOINT_NOT_FOUND)
		eps, err := e.c.ListEndpoints(e.ctx, &hcn.ListOptions{Network: nid.ID()})
		e.ok(err, "ListEndpoints with an endpoint vanishing at "+op)
		got := ids(e, eps, epID)
		if len(got) != 2 || !slices.ContainsFunc(all, func(id hcn.GUID) bool { return !slices.Contains(got, id) }) {
			e.t.Errorf("vanishing at %s: listed %v of %v, want all but one", op, got, all)
		}
	}
}

// clientTransientRetry checks that a transient failure is retried on a
// read and never on a write, and never reported as not found.
func clientTransientRetry(e *cenv) {
	fi := e.injector()
	_, nid, _ := e.network()
	opens := e.calls(hcn.OpOpenNetwork)
	fi.InjectFault(hcn.OpOpenNetwork, 1, hcn.RPC_S_SERVER_UNAVAILABLE)
	if _, err := e.c.GetNetwork(e.ctx, nid.ID()); err != nil {
		e.t.Errorf("GetNetwork with one transient failure: %v, want a retried success", err)
	}
	if _, counts := e.svc.(CallCounter); counts && e.calls(hcn.OpOpenNetwork)-opens != 2 {
		e.t.Errorf("%d opens for a get with one transient failure, want 2", e.calls(hcn.OpOpenNetwork)-opens)
	}
	deletes := e.calls(hcn.OpDeleteNetwork)
	fi.InjectFault(hcn.OpDeleteNetwork, 1, hcn.RPC_S_SERVER_UNAVAILABLE)
	err := e.c.DeleteNetwork(e.ctx, nid.ID(), &hcn.DeleteOptions{IgnoreNotFound: true})
	e.wantIs(err, hcn.ErrTransient, "a delete with a transient failure")
	if hcn.IsNotFound(err) {
		e.t.Errorf("a transient failure reported as not found: %v", err)
	}
	if _, counts := e.svc.(CallCounter); counts && e.calls(hcn.OpDeleteNetwork)-deletes != 1 {
		e.t.Errorf("a delete was retried: %d calls", e.calls(hcn.OpDeleteNetwork)-deletes)
	}
	if _, err := e.c.GetNetwork(e.ctx, nid.ID()); err != nil {
		e.t.Errorf("the network after a failed delete: %v", err)
	}
}
