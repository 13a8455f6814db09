package hcn_test

import (
	"context"
	"errors"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// flow exercises most operations; it stops at the first error.
func flow(ctx context.Context, c *hcn.Client) error {
	net, err := c.CreateNetwork(ctx, natNetwork("flow", "10.9.0.0/24"))
	if err != nil {
		return err
	}
	netID, _ := hcn.ParseGUID(string(net.ID))
	defer c.DeleteNetwork(context.Background(), netID.ID(), &hcn.DeleteOptions{IgnoreNotFound: true})
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "e", HostComputeNetwork: net.ID})
	if err != nil {
		return err
	}
	epID, _ := hcn.ParseGUID(string(ep.ID))
	defer c.DeleteEndpoint(context.Background(), epID.ID(), &hcn.DeleteOptions{IgnoreNotFound: true})
	ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		return err
	}
	nsID, _ := hcn.ParseGUID(string(ns.ID))
	defer c.DeleteNamespace(context.Background(), nsID.ID(), &hcn.DeleteOptions{IgnoreNotFound: true})
	if err := c.AddNamespaceEndpoint(ctx, nsID.ID(), epID.ID()); err != nil {
		return err
	}
	if _, err := c.ListEndpoints(ctx, &hcn.ListOptions{Network: netID.ID()}); err != nil {
		return err
	}
	if _, err := c.EndpointStats(ctx, epID.ID()); err != nil {
		return err
	}
	if _, err := c.EndpointAddresses(ctx, epID.ID()); err != nil {
		return err
	}
	lb, err := c.CreateLoadBalancer(ctx, (&hcn.LoadBalancerSpec{Endpoints: []hcn.ID{epID.ID()},
		FrontendVIPs: []netip.Addr{netip.MustParseAddr("10.9.1.1")},
		Ports:        []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 80}}}).Document())
	if err != nil {
		return err
	}
	lbID, _ := hcn.ParseGUID(string(lb.ID))
	defer c.DeleteLoadBalancer(context.Background(), lbID.ID(), &hcn.DeleteOptions{IgnoreNotFound: true})
	if _, err := c.RemoveLoadBalancerEndpoints(ctx, lbID.ID(), epID.ID()); err != nil {
		return err
	}
	nh, err := c.OpenNetwork(ctx, netID.ID())
	if err != nil {
		return err
	}
	defer nh.Close()
	if _, err := nh.Query(ctx); err != nil {
		return err
	}
	return c.RemoveNamespaceEndpoint(ctx, nsID.ID(), epID.ID())
}

// TestSimEveryFaultLeaksNothing runs the flow once to learn the
// operations it calls, then again with a failure injected into each call
// of each operation in turn: every run must fail with the injected code
// (or succeed where a read retried a transient one), and no handle may be
// left open.
func TestSimEveryFaultLeaksNothing(t *testing.T) {
	sim, c := simClient(t)
	if err := flow(context.Background(), c); err != nil {
		t.Fatalf("clean flow: %v", err)
	}
	noLeaks(t, sim)
	calls := sim.Stats().Calls
	ops := make([]string, 0, len(calls))
	for op := range calls {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	runs := 0
	for _, op := range ops {
		for nth := 1; nth <= int(calls[op]); nth++ {
			for _, hr := range []hcn.HRESULT{hcn.E_FAIL, hcn.RPC_S_SERVER_UNAVAILABLE} {
				sim, c := simClient(t)
				sim.InjectFault(op, nth, hr)
				err := flow(context.Background(), c)
				runs++
				if err != nil && !errors.Is(err, hr) && !errors.Is(err, hcn.ErrNotSupported) {
					t.Errorf("%s #%d %v: unexpected error %v", op, nth, hr, err)
				}
				if err != nil && hr == hcn.RPC_S_SERVER_UNAVAILABLE && hcn.IsNotFound(err) {
					t.Errorf("%s #%d: a transient failure reported as not found: %v", op, nth, err)
				}
				if hr == hcn.E_FAIL && strings.HasPrefix(op, "HcnClose") {
					// A close that fails for good is logged, not
					// returned, and still releases the handle.
					if err != nil || sim.OpenHandles() != 0 {
						t.Errorf("%s #%d: flow error %v, %d handles open, want nil and 0", op, nth, err, sim.OpenHandles())
					}
					continue
				}
				if !settled(sim) {
					t.Fatalf("%s #%d %v: %d handles left open: %+v (flow error %v)", op, nth, hr, sim.OpenHandles(), sim.Stats().OpenHandles, err)
				}
				// The flow's own cleanup uses deletes: a failed one leaves
				// its object, which is not the Client's doing.
				if n := sim.Stats().Objects; !strings.HasPrefix(op, "HcnDelete") &&
					n[hcn.KindNetwork]+n[hcn.KindEndpoint]+n[hcn.KindLoadBalancer] != 0 || n[hcn.KindNamespace] > 1 && !strings.HasPrefix(op, "HcnDelete") {
					t.Errorf("%s #%d %v: objects left: %v", op, nth, hr, n)
				}
			}
		}
	}
	t.Logf("%d faulted runs over %d operations", runs, len(ops))
}

func TestSimTransientReadsRetriedWritesNot(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	sim.InjectFault(hcn.OpEnumerateNetworks, 1, hcn.HCN_E_MANAGER_STOPPED)
	sim.InjectFault(hcn.OpOpenNetwork, 1, hcn.RPC_S_CALL_FAILED)
	net, err := c.CreateNetwork(ctx, natNetwork("t", "10.3.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	if nets, err := c.ListNetworks(ctx, nil); err != nil || len(nets) != 1 {
		t.Fatalf("list with transient failures: %v, %v", nets, err)
	}
	id, _ := hcn.ParseGUID(string(net.ID))
	sim.InjectFault(hcn.OpDeleteNetwork, 1, hcn.RPC_S_SERVER_UNAVAILABLE)
	err = c.DeleteNetwork(ctx, id.ID(), &hcn.DeleteOptions{IgnoreNotFound: true})
	if !errors.Is(err, hcn.ErrTransient) {
		t.Errorf("delete: got %v, want the transient failure", err)
	}
	if n := sim.Calls(hcn.OpDeleteNetwork); n != 1 {
		t.Errorf("delete retried: %d calls", n)
	}
	sim.InjectFault(hcn.OpOpenNetwork, 0, hcn.RPC_S_SERVER_UNAVAILABLE)
	_, err = c.GetNetwork(ctx, id.ID())
	if !errors.Is(err, hcn.ErrTransient) || hcn.IsNotFound(err) {
		t.Errorf("get during an outage: %v", err)
	}
	if n := sim.Calls(hcn.OpOpenNetwork); n != 2+uint64(hcn.DefaultRetryPolicy.MaxAttempts) {
		t.Errorf("HcnOpenNetwork calls %d", n)
	}
	noLeaks(t, sim)
}

func TestSimHungCallCancelled(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("hang", "10.4.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := hcn.ParseGUID(string(net.ID))
	for _, op := range []string{hcn.OpOpenNetwork, hcn.OpQueryNetwork} {
		release := sim.Hang(op)
		cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		start := time.Now()
		_, err := c.GetNetwork(cctx, id.ID())
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s: got %v", op, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: returned after %v", op, d)
		}
		release()
		noLeaks(t, sim)
	}
	// A create abandoned by its context is undone once it completes.
	release := sim.Hang(hcn.OpCreateNetwork)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	_, err = c.CreateNetwork(cctx, natNetwork("late", "10.5.0.0/24"))
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("create: %v", err)
	}
	release()
	noLeaks(t, sim)
	waitObjects(t, sim, hcn.KindNetwork, 1)
	if _, err := c.GetNetworkByName(ctx, "late"); !hcn.IsNotFound(err) {
		t.Errorf("abandoned create left the network: %v", err)
	}
	// A hung handle-level query: Close does not wait for it, and the
	// handle closes when it returns.
	nh, err := c.OpenNetwork(ctx, id.ID())
	if err != nil {
		t.Fatal(err)
	}
	release = sim.Hang(hcn.OpQueryNetwork)
	cctx, cancel = context.WithTimeout(ctx, 30*time.Millisecond)
	_, err = nh.Query(cctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("handle query: %v", err)
	}
	if err := nh.Close(); err != nil {
		t.Fatal(err)
	}
	if sim.OpenHandles() != 1 {
		t.Errorf("handle closed under a call in flight")
	}
	release()
	noLeaks(t, sim)
}

// TestSettle: a create whose caller gave up stays in flight until its
// object has been deleted again. Settle waits for that, gives the error of
// a context that ends first, and once it has returned no reader sees the
// object.
func TestSettle(t *testing.T) {
	sim := hcnsim.New(nil)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Settle(ctx); err != nil {
		t.Fatalf("Settle with nothing in flight: %v", err)
	}
	release := sim.Hang(hcn.OpCreateNetwork)
	cctx, cancel := context.WithCancel(ctx)
	created := make(chan error, 1)
	go func() {
		_, err := c.CreateNetwork(cctx, natNetwork("settle", "10.6.0.0/24"))
		created <- err
	}()
	for sim.Calls(hcn.OpCreateNetwork) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-created; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned create: %v", err)
	}
	ended, end := context.WithCancel(ctx)
	end()
	if err := c.Settle(ended); !errors.Is(err, context.Canceled) {
		t.Fatalf("Settle under an ended context while the create hangs: %v, want context.Canceled", err)
	}
	settled := make(chan error, 1)
	go func() { settled <- c.Settle(ctx) }()
	release()
	if err := <-settled; err != nil {
		t.Fatal(err)
	}
	// The create has completed and been undone before Settle returned.
	if n := sim.Calls(hcn.OpDeleteNetwork); n != 1 {
		t.Errorf("%d network deletes when Settle returned, want the undo's 1", n)
	}
	if _, err := c.GetNetworkByName(ctx, "settle"); !hcn.IsNotFound(err) {
		t.Errorf("after Settle: %v, want not found", err)
	}
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open after Settle", n)
	}
}

// settled waits up to 5s for the emulator to hold no open handle.
func settled(sim *hcnsim.Sim) bool {
	deadline := time.Now().Add(5 * time.Second)
	for sim.OpenHandles() != 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

func waitObjects(t *testing.T, sim *hcnsim.Sim, k hcn.Kind, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for sim.Stats().Objects[k] != want {
		if time.Now().After(deadline) {
			t.Fatalf("%d %s objects, want %d", sim.Stats().Objects[k], k, want)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSimListUnderConcurrentDeletes(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("churn", "10.6.0.0/16"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []hcn.ID
	for i := range 200 {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "e" + strconv.Itoa(i), HostComputeNetwork: net.ID})
		if err != nil {
			t.Fatal(err)
		}
		g, _ := hcn.ParseGUID(string(ep.ID))
		ids = append(ids, g.ID())
	}
	sim.SetLatency(hcn.OpQueryEndpoint, 100*time.Microsecond)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < len(ids); i += 2 {
			if err := c.DeleteEndpoint(ctx, ids[i], nil); err != nil {
				t.Error(err)
			}
		}
	}()
	for range 3 {
		eps, err := c.ListEndpoints(ctx, nil)
		if err != nil {
			t.Fatalf("list under deletes: %v", err)
		}
		pos := map[string]int{}
		for i, id := range ids {
			pos[id.String()] = i
		}
		for i := 1; i < len(eps); i++ {
			if pos[string(eps[i-1].ID)] >= pos[string(eps[i].ID)] {
				t.Fatal("list not in creation order")
			}
		}
	}
	wg.Wait()
	eps, err := c.ListEndpoints(ctx, nil)
	if err != nil || len(eps) != 100 {
		t.Fatalf("after deletes: %d, %v", len(eps), err)
	}
	noLeaks(t, sim)
}

func TestSimListCallCount(t *testing.T) {
	for _, n := range []int{0, 1, 10, 50} {
		sim, c := simClient(t)
		ctx := context.Background()
		net, err := c.CreateNetwork(ctx, natNetwork("count", "10.7.0.0/20"))
		if err != nil {
			t.Fatal(err)
		}
		for range n {
			if _, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID}); err != nil {
				t.Fatal(err)
			}
		}
		before := totalCalls(sim)
		eps, err := c.ListEndpoints(ctx, nil)
		if err != nil || len(eps) != n {
			t.Fatalf("n=%d: %d, %v", n, len(eps), err)
		}
		if calls := totalCalls(sim) - before; calls != uint64(1+3*n) {
			t.Errorf("n=%d: %d service calls, want 1+3N = %d", n, calls, 1+3*n)
		}
		noLeaks(t, sim)
	}
}

func totalCalls(sim *hcnsim.Sim) uint64 {
	var n uint64
	for _, c := range sim.Stats().Calls {
		n += c
	}
	return n
}

// A close that fails transiently is retried; when the failed attempt had
// released the handle after all, the retry's E_HANDLE counts as success.
func TestSimTransientCloseIsRetried(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	n, err := c.CreateNetwork(ctx, natNetwork("close-retry", "10.31.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	nh, err := c.OpenNetwork(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	before := sim.Calls(hcn.OpCloseNetwork)
	sim.InjectFault(hcn.OpCloseNetwork, 1, hcn.RPC_S_SERVER_UNAVAILABLE)
	if err := nh.Close(); err != nil {
		t.Fatalf("Close after a transient failure: %v, want nil", err)
	}
	if got := sim.Calls(hcn.OpCloseNetwork) - before; got != 2 {
		t.Errorf("HcnCloseNetwork called %d times, want 2 (one retry)", got)
	}
	noLeaks(t, sim)
}
