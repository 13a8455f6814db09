package hcntest

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/overlay"
)

// The node-flow fault sweeps: an Attach (and a Detach) is first run
// without a fault through a recording service, which gives the ordered
// list of its calls; then, once per call position, on a fresh service,
// E_FAIL is injected at that call (the nth call of its operation counted
// from the injection). The operation must fail with E_FAIL — except where
// the failed call is a handle close, which the Client only logs: then it
// succeeds — and afterwards no endpoint or namespace of the container is
// left, the open handles are back at the baseline (a close the service
// refused may keep its handle), and the container's address is free again.

// callRecorder is a Service that records the operation of every object call.
type callRecorder struct {
	hcn.Service
	mu  sync.Mutex
	ops []string
}

func (r *callRecorder) add(verb string, k hcn.Kind) {
	r.mu.Lock()
	r.ops = append(r.ops, hcn.OpName(verb, k))
	r.mu.Unlock()
}

// take returns the operations recorded and forgets them.
func (r *callRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ops := r.ops
	r.ops = nil
	return ops
}

func (r *callRecorder) Enumerate(k hcn.Kind, q string) (string, error) {
	r.add(hcn.VerbEnumerate, k)
	return r.Service.Enumerate(k, q)
}

func (r *callRecorder) Create(k hcn.Kind, id hcn.GUID, s string) (hcn.Handle, error) {
	r.add(hcn.VerbCreate, k)
	return r.Service.Create(k, id, s)
}

func (r *callRecorder) CreateEndpoint(n hcn.Handle, id hcn.GUID, s string) (hcn.Handle, error) {
	r.add(hcn.VerbCreate, hcn.KindEndpoint)
	return r.Service.CreateEndpoint(n, id, s)
}

func (r *callRecorder) Open(k hcn.Kind, id hcn.GUID) (hcn.Handle, error) {
	r.add(hcn.VerbOpen, k)
	return r.Service.Open(k, id)
}

func (r *callRecorder) Modify(k hcn.Kind, h hcn.Handle, s string) error {
	r.add(hcn.VerbModify, k)
	return r.Service.Modify(k, h, s)
}

func (r *callRecorder) Query(k hcn.Kind, h hcn.Handle, q string) (string, error) {
	r.add(hcn.VerbQuery, k)
	return r.Service.Query(k, h, q)
}

func (r *callRecorder) Delete(k hcn.Kind, id hcn.GUID) error {
	r.add(hcn.VerbDelete, k)
	return r.Service.Delete(k, id)
}

func (r *callRecorder) Close(k hcn.Kind, h hcn.Handle) error {
	r.add(hcn.VerbClose, k)
	return r.Service.Close(k, h)
}

// faultPos is one call of an operation: the nth call of op.
type faultPos struct {
	op  string
	nth int
}

// positions numbers the calls of ops by operation.
func positions(ops []string) []faultPos {
	seen := map[string]int{}
	out := make([]faultPos, len(ops))
	for i, op := range ops {
		seen[op]++
		out[i] = faultPos{op, seen[op]}
	}
	return out
}

// logged reports whether the Client only logs a failure of op.
func logged(op string) bool { return strings.HasPrefix(op, "HcnClose") }

// record runs op on a node over a recording service and returns the
// calls op made, in order; with a CallCounter it checks the recording
// against the service's counts.
func (e *fenv) record(prepare func(n *overlay.Node), op func(n *overlay.Node) error) []string {
	e.t.Helper()
	rec := &callRecorder{Service: e.svc}
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: rec})
	e.ok(err, "NewClient")
	n := e.node(overlay.Config{Client: c, OwnerTag: e.tag, Slice: e.slice(28)})
	_, err = n.EnsureNetwork(e.ctx)
	e.ok(err, "EnsureNetwork")
	if prepare != nil {
		prepare(n)
	}
	rec.take()
	cc, counts := e.svc.(CallCounter)
	var before map[string]uint64
	if counts {
		before = callCounts(cc)
	}
	e.ok(op(n), "the operation without a fault")
	ops := rec.take()
	if counts {
		want := map[string]uint64{}
		for _, op := range ops {
			want[op]++
		}
		if got := callDelta(cc, before); !maps.Equal(got, want) {
			e.t.Errorf("the service counted the calls %v, the recording has %v", got, want)
		}
	}
	if len(ops) == 0 {
		e.t.Fatalf("the operation made no call")
	}
	_, err = n.Teardown(e.ctx, nil)
	e.ok(err, "Teardown")
	return ops
}

// faultSweep runs run once per call position of the recorded ops, each
// on a fresh service with the fault injected at that call.
func (e *fenv) faultSweep(ops []string, run func(e *fenv, p faultPos)) {
	if len(ops) == 0 {
		e.t.Fatalf("no calls recorded to sweep")
	}
	e.t.Logf("calls: %v", ops)
	for i, p := range positions(ops) {
		e.t.Run(fmt.Sprintf("call-%d-%s-%d", i+1, p.op, p.nth), func(t *testing.T) {
			run(e.sub(t), p)
		})
	}
}

// inject injects E_FAIL at p and returns a check that the fault was
// reached.
func (e *fenv) inject(p faultPos) func() {
	fi := e.svc.(FaultInjector)
	cc, counts := e.svc.(CallCounter)
	before := uint64(0)
	if counts {
		before = cc.Calls(p.op)
	}
	if logged(p.op) {
		e.slack = 1 // the service may keep a handle whose close it refused
	}
	fi.InjectFault(p.op, p.nth, hcn.E_FAIL)
	return func() {
		e.t.Helper()
		if counts && cc.Calls(p.op)-before < uint64(p.nth) {
			e.t.Fatalf("the fault at %s #%d was not reached: %d calls", p.op, p.nth, cc.Calls(p.op)-before)
		}
	}
}

// sweepable skips a fault sweep on a service without FaultInjector or
// CallCounter.
func (e *fenv) sweepable() {
	probe := e.newService(e.t)
	_, fi := probe.(FaultInjector)
	_, cc := probe.(CallCounter)
	if !fi || !cc {
		e.t.Skip("the service cannot inject faults or count calls")
	}
}

// flowAttachFaultSweep fails each call of an Attach in turn.
func flowAttachFaultSweep(e *fenv) {
	e.sweepable()
	var ops []string
	e.t.Run("no-fault", func(t *testing.T) {
		s := e.sub(t)
		ops = s.record(nil, func(n *overlay.Node) error {
			_, err := n.Attach(s.ctx, "c1", nil)
			return err
		})
	})
	e.faultSweep(ops, func(s *fenv, p faultPos) {
		n, net := s.ensured(s.slice(28))
		objs, handles := s.objects(), s.openHandles()
		reached := s.inject(p)
		a, err := n.Attach(s.ctx, "c1", nil)
		reached()
		what := fmt.Sprintf("E_FAIL at %s #%d of an Attach", p.op, p.nth)
		switch {
		case logged(p.op) && err != nil:
			s.t.Errorf("%s (a close the Client logs): Attach failed: %v", what, err)
		case logged(p.op):
			if want := addr(n.Slice(), 2); a.IP != want {
				s.t.Errorf("%s: Attach got %s, want %s", what, a.IP, want)
			}
			s.detach(n, "c1")
		case err == nil:
			s.t.Errorf("%s: Attach succeeded", what)
			s.detach(n, "c1")
		case !errors.Is(err, hcn.E_FAIL):
			s.t.Errorf("%s: Attach failed with %v, want E_FAIL", what, err)
		}
		s.afterFault(n, net, objs, handles, what)
	})
}

// flowDetachFaultSweep fails each call of a Detach in turn: the Detach
// may fail, and a second one finishes the job.
func flowDetachFaultSweep(e *fenv) {
	e.sweepable()
	var ops []string
	e.t.Run("no-fault", func(t *testing.T) {
		s := e.sub(t)
		ops = s.record(func(n *overlay.Node) { s.attach(n, "c1", netip.Addr{}) },
			func(n *overlay.Node) error { return n.Detach(s.ctx, "c1") })
	})
	e.faultSweep(ops, func(s *fenv, p faultPos) {
		n, net := s.ensured(s.slice(28))
		objs, handles := s.objects(), s.openHandles()
		s.attach(n, "c1", addr(n.Slice(), 2))
		reached := s.inject(p)
		err := n.Detach(s.ctx, "c1")
		reached()
		what := fmt.Sprintf("E_FAIL at %s #%d of a Detach", p.op, p.nth)
		if err != nil && !errors.Is(err, hcn.E_FAIL) {
			s.t.Errorf("%s: Detach failed with %v, want E_FAIL", what, err)
		}
		s.t.Logf("%s: Detach: %v", what, err)
		s.ok(n.Detach(s.ctx, "c1"), what+": a second Detach")
		s.afterFault(n, net, objs, handles, what)
	})
}

// afterFault checks the state after a faulted operation: no endpoint on
// the network, the objects and handles of before, and the address free:
// the next attach gets network+2.
func (e *fenv) afterFault(n *overlay.Node, net *hcn.Network, objs map[hcn.Kind][]hcn.GUID, handles int, what string) {
	e.t.Helper()
	if eps := e.endpointsOn(net.ID); len(eps) != 0 {
		e.t.Errorf("%s: %d endpoints left on the network", what, len(eps))
	}
	e.sameObjects(objs, what)
	e.wantHandles(handles, what)
	a, err := n.Attach(e.ctx, "next", nil)
	e.ok(err, what+": the next Attach")
	if want := addr(n.Slice(), 2); a.IP != want {
		e.t.Errorf("%s: the next Attach got %s, want %s (the address came back)", what, a.IP, want)
	}
	e.detach(n, "next")
	e.teardown(n)
}
