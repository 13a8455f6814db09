package overlay

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// The tests of this file each pin one defect of the node flow this package
// replaces; each fails if the defect comes back.

func TestRegressionNoPoliciesOnInternalOrTransparent(t *testing.T) {
	for _, typ := range []hcn.NetworkType{hcn.NetworkTypeInternal, hcn.NetworkTypeTransparent} {
		t.Run(string(typ), func(t *testing.T) {
			sim, c := newClient(t)
			ctx := context.Background()
			n := newNode(t, c, Config{Type: typ})
			for _, id := range []string{"c1", "c2"} {
				if _, err := n.Attach(ctx, id, &AttachOptions{DNS: DNS{Servers: []netip.Addr{ip("10.0.0.10")}}}); err != nil {
					t.Fatal(err)
				}
			}
			eps, err := c.ListEndpoints(ctx, &hcn.ListOptions{Network: n.NetworkID()})
			if err != nil {
				t.Fatal(err)
			}
			if len(eps) != 2 {
				t.Fatalf("%d endpoints, want 2", len(eps))
			}
			for _, ep := range eps {
				if len(ep.Policies) != 0 {
					t.Errorf("endpoint %s on a %s network has policies %v", ep.Name, typ, ep.Policies)
				}
			}
			for name, o := range map[string]AttachOptions{
				"OutBoundNAT": {OutBoundNAT: &OutBoundNAT{}},
				"SDNRoutes":   {SDNRoutes: []SDNRoute{{Destination: netip.MustParsePrefix("10.0.0.0/8")}}},
				"InboundACL":  {InboundACL: &InboundACL{}},
			} {
				before := totalCalls(sim)
				if _, err := n.Attach(ctx, "c3", &o); !slices.Equal(errPaths(err), []string{"AttachOptions." + name}) {
					t.Errorf("opting in to %s on %s: %v, want an error naming AttachOptions.%s", name, typ, err, name)
				}
				if d := totalCalls(sim) - before; d != 0 {
					t.Errorf("opting in to %s on %s made %d service calls", name, typ, d)
				}
			}
		})
	}
}

func TestRegressionNamespaceHandleHeldUntilDetach(t *testing.T) {
	sim, c := newClient(t)
	ctx := context.Background()
	n := newNode(t, c, Config{})
	ids := []string{"c1", "c2", "c3"}
	for i, id := range ids {
		a, err := n.Attach(ctx, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := sim.OpenHandlesOf(hcnsim.HandleNamespace); got != i+1 {
			t.Fatalf("%d attached, %d namespace handles open", i+1, got)
		}
		ns, err := c.GetNamespace(ctx, a.NamespaceID)
		if err != nil {
			t.Fatal(err)
		}
		if eps := ns.EndpointIDs(); len(eps) != 1 || !eps[0].Equal(a.EndpointID) {
			t.Fatalf("namespace %s holds %v, want [%s]", a.NamespaceID, eps, a.EndpointID)
		}
	}
	for i, id := range ids {
		if err := n.Detach(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got, want := sim.OpenHandlesOf(hcnsim.HandleNamespace), len(ids)-i-1; got != want {
			t.Fatalf("after detaching %s, %d namespace handles open, want %d", id, got, want)
		}
	}
}

func TestRegressionDetachDeletesEndpointAndNamespace(t *testing.T) {
	sim, c := newClient(t)
	ctx := context.Background()
	n := newNode(t, c, Config{})
	var as []Attachment
	for _, id := range []string{"c1", "c2"} {
		a, err := n.Attach(ctx, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	for _, a := range as {
		if err := n.Detach(ctx, a.ContainerID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetEndpoint(ctx, a.EndpointID); !hcn.IsNotFound(err) {
			t.Errorf("endpoint %s after Detach: %v", a.EndpointID, err)
		}
		if _, err := c.GetNamespace(ctx, a.NamespaceID); !hcn.IsNotFound(err) {
			t.Errorf("namespace %s after Detach: %v", a.NamespaceID, err)
		}
	}
	if eps, nss := leftovers(t, c); len(eps)+len(nss) != 0 {
		t.Fatalf("left after Detach: %d endpoints, %d namespaces", len(eps), len(nss))
	}
	if got := sim.OpenHandles(); got != 0 {
		t.Fatalf("%d handles left open: %v", got, sim.Stats().OpenHandles)
	}
	// The addresses are free again, lowest first.
	if a, err := n.Attach(ctx, "c3", nil); err != nil || a.IP != ip("10.200.0.18") {
		t.Fatalf("Attach after detaching all = %v, %v; want 10.200.0.18", a.IP, err)
	}
}

func TestRegressionDetachOrder(t *testing.T) {
	rec := newRecorder(hcnsim.New(nil))
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: rec})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := newNode(t, c, Config{})
	a, err := n.Attach(ctx, "c1", nil)
	if err != nil {
		t.Fatal(err)
	}
	ep, ns := hcn.MustParseGUID(string(a.EndpointID)), hcn.MustParseGUID(string(a.NamespaceID))
	rec.take()
	if err := n.Detach(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	var got []call
	for _, c := range rec.take() {
		if c.op != "Open" {
			got = append(got, c)
		}
	}
	want := []call{
		{"Modify", hcn.KindNamespace, ns}, // the endpoint removed from the namespace
		{"Close", hcn.KindNamespace, ns},  // the handle held since Attach
		{"Delete", hcn.KindEndpoint, ep},
		{"Delete", hcn.KindNamespace, ns},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Detach made\n%v\nwant\n%v", got, want)
	}
}

func TestRegressionHostDefaultNamespaceNeverTouched(t *testing.T) {
	rec := newRecorder(hcnsim.New(nil))
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: rec})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := newNode(t, c, Config{})
	net, err := n.EnsureNetwork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hostDefault := hcn.MustParseGUID(string(hcn.HostDefaultNamespaceID))
	// put creates an endpoint named like the node's own and puts it into
	// the host's default namespace, as an operator or another tool might.
	put := func(container, addr string) hcn.ID {
		t.Helper()
		route, _ := hcn.DefaultRoute(slice28)
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "zl-" + container, HostComputeNetwork: net.ID,
			IpConfigurations: []hcn.IPConfig{{IpAddress: addr, PrefixLength: 28}}, Routes: []hcn.Route{route}})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddNamespaceEndpoint(ctx, hcn.HostDefaultNamespaceID, ep.ID); err != nil {
			t.Fatal(err)
		}
		rec.take()
		return ep.ID
	}
	check := func(what string, ep hcn.ID) {
		t.Helper()
		// Reading it (open, query, close of its own handle) is fine;
		// a modify, a delete or a close of a handle not opened for the
		// read is not.
		open := 0
		for _, c := range rec.take() {
			if c.k != hcn.KindNamespace || c.id != hostDefault {
				continue
			}
			switch c.op {
			case "Open":
				open++
			case "Close":
				if open--; open < 0 {
					t.Errorf("%s: a handle of the host's default namespace closed that the call did not open", what)
				}
			default:
				t.Errorf("%s: %s on the host's default namespace", what, c.op)
			}
		}
		if open != 0 {
			t.Errorf("%s: %d handles of the host's default namespace left open", what, open)
		}
		if _, err := c.GetEndpoint(ctx, ep); !hcn.IsNotFound(err) {
			t.Errorf("%s: the owner's endpoint %s is still there: %v", what, ep, err)
		}
		if _, err := c.GetNamespace(ctx, hcn.HostDefaultNamespaceID); err != nil {
			t.Fatalf("%s: the host's default namespace: %v", what, err)
		}
	}

	ep := put("ghost", "10.200.0.25")
	if err := n.Detach(ctx, "ghost"); err != nil {
		t.Fatal(err)
	}
	check("Detach", ep)

	ep = put("ghost2", "10.200.0.26")
	rep, err := n.Sweep(ctx, func(string) bool { return false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Endpoints) != 1 || len(rep.Namespaces) != 0 {
		t.Errorf("Node.Sweep report %+v, want the endpoint and no namespace", rep)
	}
	check("Node.Sweep", ep)

	ep = put("ghost3", "10.200.0.27")
	rep, err = Sweep(ctx, c, "zl", func(string) bool { return false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Endpoints) != 1 || len(rep.Namespaces) != 0 {
		t.Errorf("Sweep report %+v, want the endpoint and no namespace", rep)
	}
	check("Sweep", ep)
}

func TestRegressionAddrReservedRetriedNotSlept(t *testing.T) {
	const op = hcn.OpCreateEndpoint
	// setup returns a node on a fresh emulator whose network it has just
	// created, on a fake clock.
	setup := func(t *testing.T) (*hcnsim.Sim, *hcn.Client, *Node, *fakeClock) {
		sim, c := newClient(t)
		n := newNode(t, c, Config{})
		clk := &fakeClock{}
		useClock(n, clk)
		if _, err := n.EnsureNetwork(context.Background()); err != nil {
			t.Fatal(err)
		}
		return sim, c, n, clk
	}
	refuse := func(sim *hcnsim.Sim, times int) {
		for i := range times {
			sim.InjectFault(op, i+1, hcn.HCN_E_ADDR_INVALID_OR_RESERVED)
		}
	}
	ms := func(ds ...int) []time.Duration {
		var out []time.Duration
		for _, d := range ds {
			out = append(out, time.Duration(d)*time.Millisecond)
		}
		return out
	}

	t.Run("retried with backoff while settling", func(t *testing.T) {
		sim, _, n, clk := setup(t)
		refuse(sim, 2)
		a, err := n.Attach(context.Background(), "c1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.IP != ip("10.200.0.18") {
			t.Errorf("IP %v, want the address retried, 10.200.0.18", a.IP)
		}
		if got := clk.slept(); !slices.Equal(got, ms(100, 200)) {
			t.Errorf("slept %v, want [100ms 200ms]", got)
		}
		if got := sim.Calls(op); got != 3 {
			t.Errorf("%d endpoint creates, want 3", got)
		}
	})
	t.Run("bounded and doubling", func(t *testing.T) {
		sim, c, n, clk := setup(t)
		refuse(sim, maxAddrAttempts-1)
		if _, err := n.Attach(context.Background(), "c1", nil); err != nil {
			t.Fatal(err)
		}
		want := ms(100, 200, 400, 800, 1600, 2000, 2000)
		if got := clk.slept(); !slices.Equal(got, want) {
			t.Errorf("slept %v, want %v", got, want)
		}
		// One more refusal than attempts: the attach fails and leaves nothing.
		refuse(sim, maxAddrAttempts)
		_, err := n.Attach(context.Background(), "c2", nil)
		if !errors.Is(err, hcn.ErrAddressReserved) {
			t.Fatalf("Attach after %d refusals: %v, want ErrAddressReserved", maxAddrAttempts, err)
		}
		if got := sim.Calls(op); got != 2*maxAddrAttempts {
			t.Errorf("%d endpoint creates, want %d", got, 2*maxAddrAttempts)
		}
		if eps, nss := leftovers(t, c); len(eps) != 1 || len(nss) != 1 {
			t.Errorf("left %d endpoints and %d namespaces, want c1's only", len(eps), len(nss))
		}
	})
	t.Run("no fault, no sleep", func(t *testing.T) {
		_, _, n, clk := setup(t)
		for _, id := range []string{"c1", "c2"} {
			if _, err := n.Attach(context.Background(), id, nil); err != nil {
				t.Fatal(err)
			}
		}
		if got := clk.slept(); len(got) != 0 {
			t.Errorf("slept %v with no fault", got)
		}
	})
	t.Run("settled: skipped to the next address", func(t *testing.T) {
		sim, _, n, clk := setup(t)
		clk.advance(DefaultSettleTime + time.Second)
		refuse(sim, 1)
		a, err := n.Attach(context.Background(), "c1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.IP != ip("10.200.0.19") {
			t.Errorf("IP %v, want 10.200.0.19 (10.200.0.18 refused and held by nobody)", a.IP)
		}
		if got := clk.slept(); len(got) != 0 {
			t.Errorf("slept %v on a settled network", got)
		}
	})
	t.Run("refusals forgotten with the network", func(t *testing.T) {
		sim, _, n, clk := setup(t)
		ctx := context.Background()
		clk.advance(DefaultSettleTime + time.Second)
		refuse(sim, 1)
		if a, err := n.Attach(ctx, "c1", nil); err != nil || a.IP != ip("10.200.0.19") {
			t.Fatalf("Attach = %v, %v; want 10.200.0.19", a.IP, err)
		}
		if _, err := n.Teardown(ctx, nil); err != nil {
			t.Fatal(err)
		}
		// A new network: what the old one refused says nothing about it.
		if a, err := n.Attach(ctx, "c1", nil); err != nil || a.IP != ip("10.200.0.18") {
			t.Fatalf("Attach on the network created again = %v, %v; want 10.200.0.18", a.IP, err)
		}
	})
	t.Run("cancelled during the backoff", func(t *testing.T) {
		sim, c, n, clk := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		clk.onSleep = func(ctx context.Context) error {
			cancel()
			return ctx.Err()
		}
		refuse(sim, 2)
		_, err := n.Attach(ctx, "c1", nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Attach = %v, want context.Canceled", err)
		}
		if got := clk.slept(); !slices.Equal(got, ms(100)) {
			t.Errorf("slept %v, want [100ms]", got)
		}
		if eps, nss := leftovers(t, c); len(eps)+len(nss) != 0 {
			t.Errorf("left %d endpoints and %d namespaces", len(eps), len(nss))
		}
		if h := sim.OpenHandlesOf(hcnsim.HandleNamespace); h != 0 {
			t.Errorf("%d namespace handles open", h)
		}
		sim.ClearFaults()
		clk.onSleep = nil
		a, err := n.Attach(context.Background(), "c1", nil)
		if err != nil || a.IP != ip("10.200.0.18") {
			t.Fatalf("Attach after the cancelled one = %v, %v; want 10.200.0.18 back", a.IP, err)
		}
	})
}
