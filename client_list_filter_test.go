package hcn_test

import (
	"context"
	"net/netip"
	"slices"
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
