package apply_test

import (
	"context"
	"slices"
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

// Apply reports each completed action to Options.Progress, in order.
func TestProgress(t *testing.T) {
	_, c := newSim(t)
	var got []int
	o := &apply.Options{Owner: "test", Progress: func(done, total int) {
		if total != 7 {
			t.Errorf("Progress total %d, want 7", total)
		}
		got = append(got, done)
	}}
	p, err := apply.Plan(context.Background(), c, parse(t, desiredJSON), o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply.Apply(context.Background(), c, p, o); err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 2, 3, 4, 5, 6, 7}; !slices.Equal(got, want) {
		t.Fatalf("Progress saw %v, want %v", got, want)
	}
}
