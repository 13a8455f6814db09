package hcn_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// namespaceFixture makes n endpoints on one network and two namespaces:
// the first holds endpoints 150 and 50 (added in that order), the second
// endpoint 10. It returns the endpoints and the two namespaces' ids.
func namespaceFixture(t *testing.T, n int) (*hcnsim.Sim, *hcn.Client, []*hcn.Endpoint, hcn.ID, hcn.ID) {
	t.Helper()
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("ns-filter", "10.40.0.0/20"))
	if err != nil {
		t.Fatal(err)
	}
	eps := make([]*hcn.Endpoint, n)
	for i := range eps {
		if eps[i], err = c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "e", HostComputeNetwork: net.ID}); err != nil {
			t.Fatal(err)
		}
	}
	nsID := func(members ...int) hcn.ID {
		ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range members {
			if err := c.AddNamespaceEndpoint(ctx, ns.ID, eps[i].ID); err != nil {
				t.Fatal(err)
			}
		}
		return ns.ID
	}
	return sim, c, eps, nsID(150, 50), nsID(10)
}

func ids(eps []*hcn.Endpoint) []hcn.ID {
	out := make([]hcn.ID, len(eps))
	for i, e := range eps {
		out[i] = e.ID.Canonical()
	}
	return out
}

// TestSimNamespaceFilterCalls: a Namespace filter reads the namespace and
// the endpoints it names, 3+3k calls, instead of every endpoint (1+3N),
// and returns them in the namespace's order; the other filters still
// apply. An IP filter alone costs 1+3N (the service cannot apply it).
func TestSimNamespaceFilterCalls(t *testing.T) {
	const n = 200
	sim, c, eps, first, second := namespaceFixture(t, n)
	ctx := context.Background()
	list := func(opts *hcn.ListOptions) ([]*hcn.Endpoint, uint64) {
		t.Helper()
		before := totalCalls(sim)
		got, err := c.ListEndpoints(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		return got, totalCalls(sim) - before
	}

	got, calls := list(&hcn.ListOptions{Namespace: first})
	if want := []hcn.ID{eps[150].ID.Canonical(), eps[50].ID.Canonical()}; !slices.Equal(ids(got), want) {
		t.Errorf("namespace list: %v, want %v (the namespace's order)", ids(got), want)
	}
	if calls != 3+3*2 {
		t.Errorf("namespace list of 2 among %d endpoints: %d service calls, want 3+3k = 9", n, calls)
	}
	t.Logf("Namespace filter, 2 of %d endpoints: %d calls (1+3N would be %d)", n, calls, 1+3*n)

	// The other filters apply to what the namespace names.
	ip, err := netip.ParseAddr(eps[50].IpConfigurations[0].IpAddress)
	if err != nil {
		t.Fatal(err)
	}
	got, calls = list(&hcn.ListOptions{Namespace: first, IP: ip})
	if len(got) != 1 || !got[0].ID.Equal(eps[50].ID) || calls != 9 {
		t.Errorf("namespace and IP: %v in %d calls, want %s in 9", ids(got), calls, eps[50].ID)
	}
	if got, _ = list(&hcn.ListOptions{Namespace: second, Name: "other"}); len(got) != 0 {
		t.Errorf("namespace and a name nobody has: %v", ids(got))
	}

	// An IP filter alone is checked on every endpoint.
	got, calls = list(&hcn.ListOptions{IP: ip})
	if len(got) != 1 || !got[0].ID.Equal(eps[50].ID) || calls != 1+3*n {
		t.Errorf("IP filter: %v in %d calls, want %s in 1+3N = %d", ids(got), calls, eps[50].ID, 1+3*n)
	}

	// A namespace that does not exist lists nothing.
	if got, _ := list(&hcn.ListOptions{Namespace: hcn.NewGUID().ID()}); len(got) != 0 {
		t.Errorf("missing namespace: %v", ids(got))
	}
	noLeaks(t, sim)
}

// deleteAfterNamespaceRead deletes an endpoint right after the first
// namespace query returns, between the namespace read and the reads of the
// endpoints it names.
type deleteAfterNamespaceRead struct {
	*hcnsim.Sim
	victim hcn.GUID
	done   bool
}

func (d *deleteAfterNamespaceRead) Query(k hcn.Kind, h hcn.Handle, q string) (string, error) {
	s, err := d.Sim.Query(k, h, q)
	if k == hcn.KindNamespace && !d.done {
		d.done = true
		if err := d.Sim.Delete(hcn.KindEndpoint, d.victim); err != nil {
			panic(err)
		}
	}
	return s, err
}

// TestSimNamespaceFilterSkipsDeleted: an endpoint the namespace named but
// that was deleted before the list read it is skipped, not an error.
func TestSimNamespaceFilterSkipsDeleted(t *testing.T) {
	sim, _, eps, first, _ := namespaceFixture(t, 200)
	victim, err := eps[150].ID.GUID()
	if err != nil {
		t.Fatal(err)
	}
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: &deleteAfterNamespaceRead{Sim: sim, victim: victim}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ListEndpoints(context.Background(), &hcn.ListOptions{Namespace: first})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].ID.Equal(eps[50].ID) {
		t.Errorf("got %v, want only %s", ids(got), eps[50].ID)
	}
	noLeaks(t, sim)
}

// TestSimListFilterFits: each List refuses, before any call, a filter its
// kind cannot apply, with ErrInvalid naming the field, instead of
// ignoring it and listing every object.
func TestSimListFilterFits(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	id := hcn.NewGUID().ID()
	ip := netip.MustParseAddr("10.0.0.1")
	lists := map[hcn.Kind]func(*hcn.ListOptions) error{
		hcn.KindNetwork: func(o *hcn.ListOptions) error { _, err := c.ListNetworks(ctx, o); return err },
		hcn.KindEndpoint: func(o *hcn.ListOptions) error {
			_, err := c.ListEndpoints(ctx, o)
			return err
		},
		hcn.KindNamespace: func(o *hcn.ListOptions) error { _, err := c.ListNamespaces(ctx, o); return err },
		hcn.KindLoadBalancer: func(o *hcn.ListOptions) error {
			_, err := c.ListLoadBalancers(ctx, o)
			return err
		},
		hcn.KindSDNRoute: func(o *hcn.ListOptions) error { _, err := c.ListSDNRoutes(ctx, o); return err },
		hcn.KindGuestNetworkService: func(o *hcn.ListOptions) error {
			_, err := c.ListGuestNetworkServices(ctx, o)
			return err
		},
	}
	filters := []struct {
		field string
		opts  *hcn.ListOptions
		fits  []hcn.Kind
	}{
		{"ListOptions.Name", &hcn.ListOptions{Name: "x"}, []hcn.Kind{hcn.KindNetwork, hcn.KindEndpoint}},
		{"ListOptions.Network", &hcn.ListOptions{Network: id}, []hcn.Kind{hcn.KindEndpoint, hcn.KindLoadBalancer, hcn.KindSDNRoute}},
		{"ListOptions.Namespace", &hcn.ListOptions{Namespace: id}, []hcn.Kind{hcn.KindEndpoint}},
		{"ListOptions.IP", &hcn.ListOptions{IP: ip}, []hcn.Kind{hcn.KindEndpoint, hcn.KindLoadBalancer}},
		{"ListOptions.Endpoint", &hcn.ListOptions{Endpoint: id}, []hcn.Kind{hcn.KindLoadBalancer, hcn.KindSDNRoute}},
		{"", &hcn.ListOptions{Detailed: true}, []hcn.Kind{hcn.KindNetwork, hcn.KindEndpoint, hcn.KindNamespace,
			hcn.KindLoadBalancer, hcn.KindSDNRoute, hcn.KindGuestNetworkService}},
	}
	for _, f := range filters {
		for kind, list := range lists {
			before := totalCalls(sim)
			err := list(f.opts)
			if slices.Contains(f.fits, kind) {
				if err != nil {
					t.Errorf("%s on %s: %v", f.field, kind, err)
				}
				continue
			}
			var ve *hcn.ValidationError
			if !errors.Is(err, hcn.ErrInvalid) || !errors.As(err, &ve) || ve.Path != f.field {
				t.Errorf("%s on %s: %v, want ErrInvalid naming %s", f.field, kind, err, f.field)
			}
			if totalCalls(sim) != before {
				t.Errorf("%s on %s: made a service call", f.field, kind)
			}
		}
	}
	// A malformed endpoint id is refused as the other ids are.
	before := totalCalls(sim)
	_, err := c.ListLoadBalancers(ctx, &hcn.ListOptions{Endpoint: "{nope}"})
	var ve *hcn.ValidationError
	if !errors.Is(err, hcn.ErrInvalid) || !errors.As(err, &ve) || ve.Path != "ListOptions.Endpoint" || totalCalls(sim) != before {
		t.Errorf("malformed Endpoint: %v", err)
	}
}

// TestSimListByEndpoint: the Endpoint filter keeps the load balancers and
// SDN routes that have the endpoint among their HostComputeEndpoints, in
// any spelling of its id, and combines with the other filters.
func TestSimListByEndpoint(t *testing.T) {
	sim, c, lb0, eps := lbFixture(t, 15, 5) // lb0: backend eps[0], TCP 80
	ctx := context.Background()
	lb1, err := c.CreateLoadBalancer(ctx, lbSpec([]hcn.ID{eps[0], eps[1]}, 81).Document())
	if err != nil {
		t.Fatal(err)
	}
	lb2, err := c.CreateLoadBalancer(ctx, lbSpec([]hcn.ID{eps[1]}, 82).Document())
	if err != nil {
		t.Fatal(err)
	}
	ep0, err := c.GetEndpoint(ctx, eps[0])
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.CreateSDNRoute(ctx, &hcn.SDNRoute{HostComputeNetwork: ep0.HostComputeNetwork,
		HostComputeEndpoints: []hcn.ID{eps[1]},
		Routes:               []hcn.SDNRoutePolicySetting{{DestinationPrefix: "10.20.0.0/16", NextHop: "10.8.0.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	lbIDs := func(o *hcn.ListOptions) []hcn.ID {
		t.Helper()
		lbs, err := c.ListLoadBalancers(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		var out []hcn.ID
		for _, l := range lbs {
			out = append(out, l.ID.Canonical())
		}
		slices.Sort(out)
		return out
	}
	sorted := func(ids ...hcn.ID) []hcn.ID {
		out := make([]hcn.ID, len(ids))
		for i, id := range ids {
			out[i] = id.Canonical()
		}
		slices.Sort(out)
		return out
	}
	upper := hcn.ID("{" + strings.ToUpper(string(eps[1])) + "}")
	for _, tc := range []struct {
		name string
		opts *hcn.ListOptions
		want []hcn.ID
	}{
		{"eps[0]", &hcn.ListOptions{Endpoint: eps[0]}, sorted(lb0.ID, lb1.ID)},
		{"eps[1] braced upper case", &hcn.ListOptions{Endpoint: upper}, sorted(lb1.ID, lb2.ID)},
		{"eps[2], named by none", &hcn.ListOptions{Endpoint: eps[2]}, nil},
		{"a missing endpoint", &hcn.ListOptions{Endpoint: hcn.NewGUID().ID()}, nil},
		{"with another network", &hcn.ListOptions{Endpoint: eps[0], Network: hcn.NewGUID().ID()}, nil},
		{"with a VIP no LB has", &hcn.ListOptions{Endpoint: eps[0], IP: netip.MustParseAddr("10.9.9.9")}, nil},
	} {
		if got := lbIDs(tc.opts); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		ep   hcn.ID
		want int
	}{{eps[1], 1}, {upper, 1}, {eps[0], 0}} {
		routes, err := c.ListSDNRoutes(ctx, &hcn.ListOptions{Endpoint: tc.ep})
		if err != nil || len(routes) != tc.want || (tc.want == 1 && routes[0].ID != r.ID) {
			t.Errorf("routes of %s: %v, %v; want %d", tc.ep, routes, err, tc.want)
		}
	}
	noLeaks(t, sim)
}
