package hcn_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// moreEndpoints creates n endpoints on the network named "lbnet" (the
// load balancer fixture's).
func moreEndpoints(t *testing.T, c *hcn.Client, network string, n int) []hcn.ID {
	t.Helper()
	ctx := context.Background()
	net, err := c.GetNetworkByName(ctx, network)
	if err != nil {
		t.Fatal(err)
	}
	eps := make([]hcn.ID, n)
	for i := range eps {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID})
		if err != nil {
			t.Fatal(err)
		}
		eps[i] = ep.ID
	}
	return eps
}

// concurrently runs fn(i) for i in [0, n) on n goroutines and returns
// their errors.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	return errs
}

// checkMembers fails unless got holds every id in want and nothing else.
func checkMembers(t *testing.T, got []hcn.ID, want []hcn.ID, errs []error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Errorf("an edit failed: %v", err)
		}
	}
	for _, id := range want {
		found := false
		for _, s := range got {
			found = found || s.Equal(id)
		}
		if !found {
			t.Errorf("%s reported success but is missing from %v", id, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d members %v, want %d", len(got), got, len(want))
	}
	if n := hcn.EditLocksHeld(); n != 0 {
		t.Errorf("%d edit lock entries left", n)
	}
}

// TestSimConcurrentLoadBalancerEdits: ten goroutines each add a backend to
// one load balancer through one Client, on a service with modify and on
// one that replaces in place; every add that reports success is in the
// result.
func TestSimConcurrentLoadBalancerEdits(t *testing.T) {
	for _, v := range [][2]uint32{{15, 5}, {15, 3}} {
		sim, c, lb, eps := lbFixture(t, v[0], v[1])
		ctx := context.Background()
		id := lb.ID
		more := moreEndpoints(t, c, "lbnet", 10)
		errs := concurrently(len(more), func(i int) error {
			_, err := c.AddLoadBalancerEndpoints(ctx, id, more[i])
			return err
		})
		got, err := c.GetLoadBalancer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		checkMembers(t, got.HostComputeEndpoints, append(eps[:1:1], more...), errs)
		// Removes and adds interleaved: each lands.
		errs = concurrently(10, func(i int) error {
			var err error
			if i%2 == 0 {
				_, err = c.RemoveLoadBalancerEndpoints(ctx, id, more[i])
			} else {
				_, err = c.AddLoadBalancerEndpoints(ctx, id, eps[1+i%2])
			}
			return err
		})
		got, err = c.GetLoadBalancer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		checkMembers(t, got.HostComputeEndpoints, []hcn.ID{eps[0], more[1], more[3], more[5], more[7], more[9], eps[2]}, errs)
		noLeaks(t, sim)
	}
}

// TestSimConcurrentEditsAcrossClients: two Clients over one service edit
// one load balancer and one SDN route at once; every edit lands.
func TestSimConcurrentEditsAcrossClients(t *testing.T) {
	sim, c1, lb, eps := lbFixture(t, 15, 5)
	c2, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	net, err := c1.GetNetworkByName(ctx, "lbnet")
	if err != nil {
		t.Fatal(err)
	}
	r, err := c1.CreateSDNRoute(ctx, &hcn.SDNRoute{HostComputeNetwork: net.ID,
		Routes: []hcn.SDNRoutePolicySetting{{DestinationPrefix: "10.20.0.0/16", NextHop: "10.8.0.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	lbID, routeID := lb.ID, r.ID
	more := moreEndpoints(t, c1, "lbnet", 12)
	clients := []*hcn.Client{c1, c2}
	errs := concurrently(2*len(more), func(i int) error {
		c, ep := clients[i%2], more[i/2]
		if i%4 < 2 {
			_, err := c.AddLoadBalancerEndpoints(ctx, lbID, ep)
			return err
		}
		_, err := c.AddSDNRouteEndpoints(ctx, routeID, ep)
		return err
	})
	gotLB, err := c2.GetLoadBalancer(ctx, lbID)
	if err != nil {
		t.Fatal(err)
	}
	gotRoute, err := c2.GetSDNRoute(ctx, routeID)
	if err != nil {
		t.Fatal(err)
	}
	var lbWant, routeWant []hcn.ID
	for i, ep := range more {
		if i%2 == 0 {
			lbWant = append(lbWant, ep)
		} else {
			routeWant = append(routeWant, ep)
		}
	}
	checkMembers(t, gotLB.HostComputeEndpoints, append(eps[:1:1], lbWant...), errs)
	checkMembers(t, gotRoute.HostComputeEndpoints, routeWant, nil)
	noLeaks(t, sim)
}

// clobberer is a Service over an emulator on which, after each of the
// first n load balancer modifies, another writer writes back the document
// it read before that modify, as a writer in another process with a stale
// read would.
type clobberer struct {
	hcn.Service
	mu sync.Mutex
	n  int
}

func (s *clobberer) Modify(kind hcn.Kind, h hcn.Handle, settings string) error {
	stale, err := s.Service.Query(kind, h, "")
	if err != nil {
		return err
	}
	if err := s.Service.Modify(kind, h, settings); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if kind != hcn.KindLoadBalancer || s.n == 0 {
		return nil
	}
	s.n--
	return s.Service.Modify(kind, h, stale)
}

// TestSimEditOverwrittenByAnotherWriter: an edit whose read-back lacks it
// is made again; one overwritten every time fails with ErrConflict after a
// bounded number of attempts.
func TestSimEditOverwrittenByAnotherWriter(t *testing.T) {
	sim, c0, lb, eps := lbFixture(t, 15, 5)
	ctx := context.Background()
	id := lb.ID
	for _, tc := range []struct {
		clobbers int
		ok       bool
	}{{2, true}, {100, false}} {
		svc := &clobberer{Service: sim, n: tc.clobbers}
		c, err := hcn.NewClient(&hcn.ClientOptions{Service: svc})
		if err != nil {
			t.Fatal(err)
		}
		before := sim.Calls(hcn.OpModifyLoadBalancer)
		got, err := c.AddLoadBalancerEndpoints(ctx, id, eps[1])
		modifies := sim.Calls(hcn.OpModifyLoadBalancer) - before
		switch {
		case tc.ok && (err != nil || !hasEP(got, eps[1])):
			t.Errorf("after %d overwrites: %+v, %v", tc.clobbers, got, err)
		case tc.ok && modifies != 2*uint64(tc.clobbers)+1:
			t.Errorf("after %d overwrites: %d modifies, want %d", tc.clobbers, modifies, 2*tc.clobbers+1)
		case !tc.ok && (!errors.Is(err, hcn.ErrConflict) || !strings.Contains(err.Error(), "AddLoadBalancerEndpoints")):
			t.Errorf("overwritten every time: %v, want ErrConflict naming the operation", err)
		case !tc.ok && modifies != 10:
			t.Errorf("overwritten every time: %d modifies, want 10 (5 attempts)", modifies)
		}
		if _, err := c0.RemoveLoadBalancerEndpoints(ctx, id, eps[1]); err != nil {
			t.Fatal(err)
		}
	}
	noLeaks(t, sim)
}

// TestSimEditLockHonoursContext: an edit waiting for another edit of the
// same object returns when its context ends; the lock table empties.
func TestSimEditLockHonoursContext(t *testing.T) {
	sim, c, lb, eps := lbFixture(t, 15, 5)
	id := lb.ID
	release := sim.Hang(hcn.OpModifyLoadBalancer)
	first := make(chan error, 1)
	go func() {
		_, err := c.AddLoadBalancerEndpoints(context.Background(), id, eps[1])
		first <- err
	}()
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error, 1)
	go func() {
		_, err := c.AddLoadBalancerEndpoints(ctx, id, eps[2])
		second <- err
	}()
	cancel()
	if err := <-second; !errors.Is(err, context.Canceled) {
		t.Errorf("waiting edit: %v, want context.Canceled", err)
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if n := hcn.EditLocksHeld(); n != 0 {
		t.Errorf("%d edit lock entries left", n)
	}
	noLeaks(t, sim)
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSimDanglingBackends: a backend deleted elsewhere does not block an
// edit: its id is dropped and logged. An endpoint to add that does not
// exist is refused naming it, before any write.
func TestSimDanglingBackends(t *testing.T) {
	sim, c0, lb, eps := lbFixture(t, 15, 5)
	ctx := context.Background()
	var log syncBuffer
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	id := lb.ID
	if _, err := c.AddLoadBalancerEndpoints(ctx, id, eps[1]); err != nil {
		t.Fatal(err)
	}
	r, err := c.CreateSDNRoute(ctx, &hcn.SDNRoute{HostComputeEndpoints: []hcn.ID{eps[0], eps[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c0.DeleteEndpoint(ctx, eps[1], nil); err != nil {
		t.Fatal(err)
	}
	got, err := c.AddLoadBalancerEndpoints(ctx, id, eps[2])
	if err != nil || len(got.HostComputeEndpoints) != 2 || !hasEP(got, eps[0]) || !hasEP(got, eps[2]) {
		t.Errorf("add beside a dangling backend: %+v, %v", got, err)
	}
	gotR, err := c.RemoveSDNRouteEndpoints(ctx, r.ID, eps[0])
	if err != nil || len(gotR.HostComputeEndpoints) != 0 {
		t.Errorf("remove beside a dangling member: %+v, %v", gotR, err)
	}
	if n := strings.Count(log.String(), "dropping backend endpoints that no longer exist"); n != 2 || !strings.Contains(log.String(), eps[1].String()) {
		t.Errorf("want two warnings naming %s, log:\n%s", eps[1], log.String())
	}
	missing := hcn.NewGUID()
	before := sim.Calls(hcn.OpModifyLoadBalancer)
	_, err = c.AddLoadBalancerEndpoints(ctx, id, missing.ID())
	if !hcn.IsNotFound(err) || !strings.Contains(err.Error(), missing.String()) {
		t.Errorf("add of a missing endpoint: %v, want ErrNotFound naming it", err)
	}
	if sim.Calls(hcn.OpModifyLoadBalancer) != before {
		t.Error("the add of a missing endpoint was sent")
	}
	noLeaks(t, sim)
}

var _ hcn.Service = (*clobberer)(nil)

// TestSimAbandonedEditHoldsTheLock: an edit whose caller gives up while
// its write is still in the service keeps the object's lock until that
// write returns, so the next edit reads after it and neither is lost.
func TestSimAbandonedEditHoldsTheLock(t *testing.T) {
	sim, c, lb, eps := lbFixture(t, 15, 5)
	id := lb.ID
	release := sim.Hang(hcn.OpModifyLoadBalancer)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.AddLoadBalancerEndpoints(ctx, id, eps[1])
		first <- err
	}()
	waitCalls(t, sim, hcn.OpModifyLoadBalancer, 1)
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned edit: %v, want context.Canceled", err)
	}
	if n := hcn.EditLocksHeld(); n != 1 {
		t.Errorf("%d edit lock entries while the abandoned write runs, want 1", n)
	}
	second := make(chan error, 1)
	go func() {
		_, err := c.AddLoadBalancerEndpoints(context.Background(), id, eps[2])
		second <- err
	}()
	release()
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	got, err := c.GetLoadBalancer(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !hasEP(got, eps[1]) || !hasEP(got, eps[2]) {
		t.Errorf("backends %v, want the abandoned write's %s and the next edit's %s", got.HostComputeEndpoints, eps[1], eps[2])
	}
	if n := hcn.EditLocksHeld(); n != 0 {
		t.Errorf("%d edit lock entries left", n)
	}
	noLeaks(t, sim)
}

// waitCalls waits until the emulator has seen n calls of op.
func waitCalls(t *testing.T, sim interface{ Calls(string) uint64 }, op string, n uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for sim.Calls(op) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s was not called %d times", op, n)
		}
		runtime.Gosched()
	}
}
