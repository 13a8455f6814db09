package apply_test

import (
	"context"
	"testing"

	"github.com/hcnkit/hcn/apply"
)

func TestIdempotent(t *testing.T) {
	sim, c := newSim(t)
	o := &apply.Options{Owner: "test"}
	p := converge(t, c, parse(t, desiredJSON), o)
	t.Logf("first plan:\n%s", p)
	if len(p.Actions) != 7 {
		t.Fatalf("first plan has %d actions, want 7:\n%s", len(p.Actions), p)
	}
	before := mutating(sim)
	p2, err := apply.Plan(context.Background(), c, parse(t, desiredJSON), o)
	if err != nil {
		t.Fatal(err)
	}
	if !p2.Empty() || p2.String() != "no changes\n" {
		t.Fatalf("second plan not empty:\n%s", p2)
	}
	if _, err := apply.Apply(context.Background(), c, p2, o); err != nil {
		t.Fatal(err)
	}
	if got := mutating(sim); got != before {
		t.Fatalf("second apply made %d mutating calls", got-before)
	}
}
