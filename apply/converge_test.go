package apply_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/apply"
	"github.com/hcnkit/hcn/hcnsim"
)

// lbFleet is a host with one network, two endpoints and n load balancers
// (frontends 10.96.x.y:80), converged once; it returns the desired state,
// a variant where the first changed ones have other backends, and the
// cache of the first apply.
func lbFleet(t testing.TB, n, changed int) (*hcnsim.Sim, *hcn.Client, *apply.Desired, *apply.Desired, *apply.State) {
	t.Helper()
	sim, c := newSim(t)
	ctx := context.Background()
	nw, err := hcn.InternalNetwork("svc", netip.MustParsePrefix("10.10.0.0/16"))
	if err != nil {
		t.Fatal(err)
	}
	nw, err = c.CreateNetwork(ctx, nw)
	if err != nil {
		t.Fatal(err)
	}
	var eps []hcn.ID
	for i := range 2 {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: fmt.Sprint("be-", i), HostComputeNetwork: nw.ID})
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep.ID)
	}
	mk := func(alt int) *apply.Desired {
		d := &apply.Desired{}
		for i := range n {
			backends := eps
			if i < alt {
				backends = eps[:1]
			}
			d.LoadBalancers = append(d.LoadBalancers, &hcn.LoadBalancer{
				HostComputeNetwork:   nw.ID,
				HostComputeEndpoints: backends,
				FrontendVIPs:         []string{fmt.Sprintf("10.96.%d.%d", i/250, i%250+1)},
				PortMappings:         []hcn.PortMapping{{Protocol: 6, InternalPort: 8080, ExternalPort: 80}},
			})
		}
		return d
	}
	a, b := mk(0), mk(changed)
	o := &apply.Options{Owner: "bench"}
	p := converge(t, c, a, o)
	return sim, c, a, b, p.Observed
}

// TestConvergeCallBound checks that, given the cache, converging n load
// balancers of which k changed costs at most 3 calls per changed one plus
// one enumerate.
func TestConvergeCallBound(t *testing.T) {
	for _, v := range []struct{ version [2]uint32 }{{[2]uint32{15, 4}}, {[2]uint32{15, 5}}} {
		t.Run(fmt.Sprint(v.version), func(t *testing.T) {
			const n, k = 500, 5
			sim, c, a, b, st := lbFleet(t, n, k)
			sim.SetServiceVersion(v.version[0], v.version[1])
			c, _ = hcn.NewClient(&hcn.ClientOptions{Service: sim})
			o := &apply.Options{Owner: "bench", Observed: st}
			// The Client reads the service version once; read it before counting.
			c.ServiceVersion(context.Background())
			for i, d := range []*apply.Desired{b, a, a} {
				before := totalCalls(sim)
				p := converge(t, c, d, o)
				calls := totalCalls(sim) - before
				want := k
				if i == 2 {
					want = 0
				}
				if len(p.Actions) != want {
					t.Fatalf("round %d: %d actions, want %d:\n%s", i, len(p.Actions), want, p)
				}
				if limit := uint64(3*want + 1); calls > limit {
					t.Fatalf("round %d: %d calls for %d changes, want at most %d: %v", i, calls, want, limit, sim.Stats().Calls)
				}
			}
		})
	}
}

func BenchmarkConverge(b *testing.B) {
	for _, n := range []int{500, 5000} {
		for _, churn := range []float64{0, 0.01, 0.10} {
			k := int(float64(n) * churn)
			b.Run(fmt.Sprintf("N=%d/churn=%g%%", n, churn*100), func(b *testing.B) {
				sim, c, x, y, st := lbFleet(b, n, k)
				o := &apply.Options{Owner: "bench", Observed: st}
				ds := []*apply.Desired{y, x}
				before := totalCalls(sim)
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					ctx := context.Background()
					p, err := apply.Plan(ctx, c, ds[i%2], o)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := apply.Apply(ctx, c, p, o); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(totalCalls(sim)-before)/float64(b.N), "calls/op")
			})
		}
	}
}
