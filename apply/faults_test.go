package apply_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/apply"
	"github.com/hcnkit/hcn/hcnsim"
)

// TestFaultAtEachMutatingCall fails each mutating call of a first apply in
// turn and checks that the next Plan and Apply converge to the same host
// as an uninterrupted run.
func TestFaultAtEachMutatingCall(t *testing.T) {
	o := &apply.Options{Owner: "test"}
	ref, c := newSim(t)
	converge(t, c, parse(t, desiredJSON), o)
	want := snapshot(t, c)
	var ops []string
	for op, n := range ref.Stats().Calls {
		if strings.HasPrefix(op, "HcnCreate") || strings.HasPrefix(op, "HcnModify") || strings.HasPrefix(op, "HcnDelete") {
			for i := 1; i <= int(n); i++ {
				ops = append(ops, fmt.Sprintf("%s#%d", op, i))
			}
		}
	}
	sort.Strings(ops)
	if len(ops) < 7 {
		t.Fatalf("only %d mutating calls: %v", len(ops), ops)
	}
	for _, at := range ops {
		t.Run(at, func(t *testing.T) {
			var op string
			var nth int
			fmt.Sscanf(strings.Replace(at, "#", " ", 1), "%s %d", &op, &nth)
			sim, c := newSim(t)
			sim.InjectFault(op, nth, hcn.E_FAIL)
			ctx := context.Background()
			p, err := apply.Plan(ctx, c, parse(t, desiredJSON), o)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := apply.Apply(ctx, c, p, o); err == nil {
				t.Fatal("the fault did not surface")
			}
			sim.ClearFaults()
			// Converge twice: once from the cache the failed apply kept,
			// once from a fresh read.
			converge(t, c, parse(t, desiredJSON), &apply.Options{Owner: "test", Observed: p.Observed})
			p2, err := apply.Plan(ctx, c, parse(t, desiredJSON), o)
			if err != nil || !p2.Empty() {
				t.Fatalf("not converged: %v\n%s", err, p2)
			}
			if got := snapshot(t, c); got != want {
				t.Fatalf("host differs:\n%s\nwant\n%s", got, want)
			}
			if n := sim.OpenHandles(); n != 0 {
				t.Fatalf("%d handles open", n)
			}
		})
	}
}

// cancelling cancels a context at the nth create.
type cancelling struct {
	*hcnsim.Sim
	mu     sync.Mutex
	n, at  int
	cancel func()
}

func (s *cancelling) Create(k hcn.Kind, id hcn.GUID, settings string) (hcn.Handle, error) {
	s.tick()
	return s.Sim.Create(k, id, settings)
}

func (s *cancelling) CreateEndpoint(nw hcn.Handle, id hcn.GUID, settings string) (hcn.Handle, error) {
	s.tick()
	return s.Sim.CreateEndpoint(nw, id, settings)
}

func (s *cancelling) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n++; s.n == s.at {
		s.cancel()
	}
}

func TestCancelHalfWay(t *testing.T) {
	o := &apply.Options{Owner: "test"}
	_, rc := newSim(t)
	converge(t, rc, parse(t, desiredJSON), o)
	want := snapshot(t, rc)
	for at := 1; at <= 7; at++ {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			svc := &cancelling{Sim: hcnsim.New(nil), at: at, cancel: cancel}
			c, err := hcn.NewClient(&hcn.ClientOptions{Service: svc})
			if err != nil {
				t.Fatal(err)
			}
			p, err := apply.Plan(ctx, c, parse(t, desiredJSON), o)
			if err != nil {
				t.Fatal(err)
			}
			// The last create may finish before the context is looked at.
			if _, err := apply.Apply(ctx, c, p, o); !errors.Is(err, context.Canceled) && (at < 7 || err != nil) {
				t.Fatalf("Apply = %v, want canceled", err)
			}
			converge(t, c, parse(t, desiredJSON), o)
			p2, err := apply.Plan(context.Background(), c, parse(t, desiredJSON), o)
			if err != nil || !p2.Empty() {
				t.Fatalf("not converged: %v\n%s", err, p2)
			}
			if got := snapshot(t, c); got != want {
				t.Fatalf("host differs:\n%s\nwant\n%s", got, want)
			}
		})
	}
}
