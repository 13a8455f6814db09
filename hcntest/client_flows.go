package hcntest

import (
	"context"
	"net/netip"
	"slices"
	"sync"

	"github.com/hcnkit/hcn"
)

var clientFlowScenarios = []clientScenario{
	{name: "client/list-under-deletes", fn: clientListUnderDeletes},
	{name: "client/restart-mid-flow", fn: clientRestartMidFlow},
}

// clientListUnderDeletes lists endpoints while another goroutine deletes
// half of them: every list succeeds, returns only endpoints that existed,
// and includes every endpoint that is never deleted.
func clientListUnderDeletes(e *cenv) {
	_, nid, _ := e.network()
	var keep, drop []hcn.GUID
	for i := range 16 {
		_, id := e.endpoint(nid, netip.Addr{})
		if i%2 == 0 {
			keep = append(keep, id)
		} else {
			drop = append(drop, id)
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, id := range drop {
			if err := e.c.DeleteEndpoint(context.Background(), id.ID(), nil); err != nil {
				e.t.Errorf("DeleteEndpoint during lists: %v", err)
			}
		}
	}()
	for range 8 {
		eps, err := e.c.ListEndpoints(e.ctx, &hcn.ListOptions{Network: nid.ID()})
		if err != nil {
			e.t.Errorf("ListEndpoints under concurrent deletes: %v", err)
			continue
		}
		got := ids(e, eps, epID)
		for _, id := range keep {
			if !slices.Contains(got, id) {
				e.t.Errorf("ListEndpoints under concurrent deletes misses %s, which was never deleted", id)
			}
		}
		for _, id := range got {
			if !slices.Contains(keep, id) && !slices.Contains(drop, id) {
				e.t.Errorf("ListEndpoints listed an unknown endpoint %s", id)
			}
		}
	}
	wg.Wait()
	eps, err := e.c.ListEndpoints(e.ctx, &hcn.ListOptions{Network: nid.ID()})
	e.ok(err, "ListEndpoints after the deletes")
	e.sameIDs(ids(e, eps, epID), keep, "ListEndpoints after the deletes")
}

// clientRestartMidFlow restarts the service in the middle of a flow: a
// watch sees ServiceDisconnect and keeps delivering; a handle from before
// fails as an invalid handle (never as not found); a persistent network
// survives and a non-persistent one is gone.
func clientRestartMidFlow(e *cenv) {
	rs, ok := e.svc.(Restarter)
	if !ok {
		e.t.Skip("the service cannot be restarted")
	}
	events, stop := e.watch(e.c.Watch)
	_, keep, _ := e.network()
	volatile := natNetwork(e.name("net"), e.prefix())
	volatile.Flags = hcn.NetworkFlagEnableNonPersistent
	gone, err := e.c.CreateNetwork(e.ctx, volatile)
	e.ok(err, "CreateNetwork (non-persistent)")
	goneID := e.id(gone.ID)
	e.cleanup(hcn.KindNetwork, goneID)
	nh, err := e.c.OpenNetwork(e.ctx, keep.ID())
	e.ok(err, "OpenNetwork")
	defer nh.Close()
	_, err = e.c.ServiceVersion(e.ctx)
	e.ok(err, "ServiceVersion")

	e.ok(rs.Restart(), "Restart")
	e.nextEvent(events, hcn.NotificationServiceDisconnect, 0, hcn.NilGUID)
	_, err = nh.Query(e.ctx)
	e.wantIs(err, hcn.ErrInvalidHandle, "a handle from before the restart")
	if hcn.IsNotFound(err) {
		e.t.Errorf("a stale handle reported as not found: %v", err)
	}
	nh.Close() // the service may refuse it; the Client forgets it either way
	if _, err := e.c.GetNetwork(e.ctx, keep.ID()); err != nil {
		e.t.Errorf("a persistent network after the restart: %v", err)
	}
	_, err = e.c.GetNetwork(e.ctx, goneID.ID())
	e.wantIs(err, hcn.ErrNotFound, "a non-persistent network after the restart")
	if _, err := e.c.ServiceVersion(e.ctx); err != nil {
		e.t.Errorf("ServiceVersion after the restart: %v", err)
	}
	_, after, _ := e.network()
	e.nextEvent(events, hcn.NotificationNetworkCreate, hcn.KindNetwork, after)
	stop()
}
