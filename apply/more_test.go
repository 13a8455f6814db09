package apply_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/apply"
)

func TestPruneOnlyOwned(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	converge(t, c, parse(t, desiredJSON), &apply.Options{Owner: "test"})
	// Objects of another owner and untagged ones, on the same network.
	web, err := c.GetNetworkByName(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	other, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "other", HostComputeNetwork: web.ID, BaseFields: hcn.BaseFields{Owner: "someone"}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "plain", HostComputeNetwork: web.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Drop web-3 and the route from the desired state.
	d := parse(t, desiredJSON)
	d.Endpoints = d.Endpoints[:2]
	d.Routes = nil
	o := &apply.Options{Owner: "test", Prune: true}
	p, err := apply.Plan(ctx, c, d, o)
	if err != nil {
		t.Fatal(err)
	}
	want := "- route "
	if len(p.Actions) != 2 || !strings.HasPrefix(p.String(), want) || p.Actions[1].Name != "web-3" || p.Actions[1].Op != apply.Delete {
		t.Fatalf("plan:\n%s", p)
	}
	if _, err := apply.Apply(ctx, c, p, o); err != nil {
		t.Fatal(err)
	}
	for _, id := range []hcn.ID{other.ID, plain.ID} {
		if _, err := c.GetEndpoint(ctx, id); err != nil {
			t.Errorf("endpoint %s not owned was touched: %v", id, err)
		}
	}
	if n := sim.Stats().Objects[hcn.KindSDNRoute]; n != 0 {
		t.Errorf("%d routes left", n)
	}
	// Without Prune nothing is deleted.
	converge(t, c, parse(t, desiredJSON), &apply.Options{Owner: "test"})
	p, err = apply.Plan(ctx, c, &apply.Desired{}, &apply.Options{Owner: "test"})
	if err != nil || !p.Empty() {
		t.Fatalf("plan without prune: %v\n%s", err, p)
	}
	// Prune of everything leaves the other owner's and untagged objects
	// (the network goes, and its endpoints with it: they are not listed).
	p, err = apply.Plan(ctx, c, &apply.Desired{}, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Actions {
		if a.Op != apply.Delete || a.Name == "other" || a.Name == "plain" {
			t.Fatalf("prune plan:\n%s", p)
		}
	}
	if len(p.Actions) != 7 {
		t.Fatalf("prune plan has %d actions:\n%s", len(p.Actions), p)
	}
	// Prune needs an owner.
	if _, err := apply.Plan(ctx, c, &apply.Desired{}, &apply.Options{Prune: true}); !errors.Is(err, hcn.ErrInvalid) {
		t.Fatalf("prune without owner: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct{ name, edit, want string }{
		{"no such network", `"HostComputeNetwork": "web", "IpConfigurations": [{"IpAddress": "10.1.0.12"}]`,
			`endpoints[1].HostComputeNetwork "web2": no such network`},
		{"duplicate name", `"Name": "web-2"`, `endpoints[2].Name "web-2": duplicate of endpoints[1]`},
		{"no such endpoint", `"HostComputeEndpoints": ["web-1", "web-2"]`, `loadBalancers[0].HostComputeEndpoints[1] "web-9": no such endpoint`},
		{"invalid document", `"FrontendVIPs": ["10.96.0.10"]`, `loadBalancers[0]: invalid document`},
		{"bad id", `{"Name": "web", "Type"`, `networks[0].ID "nope": not a GUID`},
	}
	repl := []string{
		`"HostComputeNetwork": "web2", "IpConfigurations": [{"IpAddress": "10.1.0.12"}]`,
		`"Name": "web-2"`,
		`"HostComputeEndpoints": ["web-1", "web-9"]`,
		`"FrontendVIPs": ["10.96.0.999"]`,
		`{"ID": "nope", "Name": "web", "Type"`,
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim, c := newSim(t)
			src := desiredJSON
			if i == 1 {
				src = strings.Replace(src, `"Name": "web-3"`, tc.edit, 1)
			} else {
				src = strings.Replace(src, tc.edit, repl[i], 1)
			}
			_, err := apply.Plan(context.Background(), c, parse(t, src), &apply.Options{Owner: "test"})
			var ie *apply.InputError
			if !errors.As(err, &ie) || !errors.Is(err, hcn.ErrInvalid) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %s", err, tc.want)
			}
			if n := mutating(sim); n != 0 {
				t.Fatalf("%d mutating calls", n)
			}
			// Errors found in the input alone come before any call.
			if i != 0 && i != 2 && totalCalls(sim) != 0 {
				t.Fatalf("%d calls before a static error", totalCalls(sim))
			}
		})
	}
}
