package apply_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/apply"
)

func TestUpdates(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	o := &apply.Options{Owner: "test"}
	converge(t, c, parse(t, desiredJSON), o)

	step := func(src, wantPlan string) {
		t.Helper()
		p := converge(t, c, parse(t, src), o)
		if got := p.String(); !strings.Contains(got, wantPlan) {
			t.Fatalf("plan:\n%s\nwant it to contain %q", got, wantPlan)
		}
		p2, err := apply.Plan(ctx, c, parse(t, src), o)
		if err != nil || !p2.Empty() {
			t.Fatalf("not converged: %v\n%s", err, p2)
		}
	}
	// Endpoint policies are modified in place; the id stays.
	ep, _ := c.GetEndpointByName(ctx, "web-3")
	src := strings.Replace(desiredJSON, `"ExternalPort": 8080`, `"ExternalPort": 8081`, 1)
	step(src, "~ endpoint web-3: Policies\n")
	if ep2, err := c.GetEndpointByName(ctx, "web-3"); err != nil || !ep2.ID.Equal(ep.ID) {
		t.Fatalf("web-3 replaced: %v", err)
	}
	// Load balancer backends: replaced at 15.4, modified from 15.5.
	src = strings.Replace(src, `["web-1", "web-2"]`, `["web-1"]`, 1)
	step(src, "-/+ loadbalancer 10.96.0.10:tcp/80: HostComputeEndpoints (the service cannot modify load balancers)")
	sim.SetServiceVersion(15, 5)
	c2, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	c = c2
	before := sim.Calls(hcn.OpModifyLoadBalancer)
	src = strings.Replace(src, `["web-1"]`, `["web-1", "web-2", "web-3"]`, 1)
	step(src, "~ loadbalancer 10.96.0.10:tcp/80: HostComputeEndpoints\n")
	if sim.Calls(hcn.OpModifyLoadBalancer) != before+1 {
		t.Fatal("no HcnModifyLoadBalancer")
	}
	// A namespace's endpoints change in place.
	src = strings.Replace(src, `{"Type": "Endpoint", "Data": {"ID": "web-1"}}`,
		`{"Type": "Endpoint", "Data": {"ID": "web-1"}}, {"Type": "Endpoint", "Data": {"ID": "web-2"}}`, 1)
	step(src, "~ namespace [web-1 web-2]: Endpoints")
	// The network's type cannot change: it is replaced, its endpoints
	// recreated under their ids, and the namespace gets them back.
	src = strings.Replace(src, `"Type": "Internal"`, `"Type": "NAT"`, 1)
	step(src, "-/+ network web: Type (Type cannot be modified in place)")
}
