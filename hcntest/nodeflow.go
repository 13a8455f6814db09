package hcntest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/overlay"
)

// RunNodeFlow runs the node-flow scenarios: each drives package overlay (a
// Node over hcn.NewClient over a service from newService) through the
// life of an overlay node — the slice network, attaches and detaches,
// exhaustion, a crashed agent's leftovers and their sweep, a restarted
// agent, several nodes on one service, a service restart, teardown — so
// that the node flow is proven on every implementation of the seam (the
// emulator in process, the host service over computenetwork.dll).
//
// Like RunClient, each scenario is a subtest with its own service; every
// scenario uses an owner tag and slices of its own (random, with
// Options.NamePrefix), so it can run on a real host. After every scenario
// the suite checks that no handle is left open (HandleCounter) and that no
// object the scenario made is left behind (and removes it). Scenarios that
// need control of the service run only when it implements Restarter,
// FaultInjector or CallCounter. Options.Skip takes the names
// NodeFlowScenarios returns.
func RunNodeFlow(t *testing.T, newService func(t *testing.T) hcn.Service, opts *Options) {
	o := opts.withDefaults()
	for _, sc := range nodeFlowScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			if o.skips(scenario{name: sc.name}) {
				t.Skip("skipped by Options")
			}
			e := &fenv{t: t, opts: o, newService: newService, ctx: context.Background()}
			if !sc.ownServices {
				e.use(newService(t))
			}
			sc.fn(e)
		})
	}
}

// NodeFlowScenarios returns the names of the node-flow scenarios, for
// Options.Skip.
func NodeFlowScenarios() []string {
	var out []string
	for _, sc := range nodeFlowScenarios() {
		out = append(out, sc.name)
	}
	return out
}

// flowScenario is one node-flow subtest. ownServices scenarios get no
// service from RunNodeFlow: they make their own (one per fault position).
type flowScenario struct {
	name        string
	ownServices bool
	fn          func(e *fenv)
}

func nodeFlowScenarios() []flowScenario {
	return []flowScenario{
		{name: "nodeflow/thirteen-on-a-28", fn: flowThirteen},
		{name: "nodeflow/detach-returns-ip", fn: flowDetachReturnsIP},
		{name: "nodeflow/calls-per-op", fn: flowCallsPerOp},
		{name: "nodeflow/sweep-after-crash", fn: flowSweepAfterCrash},
		{name: "nodeflow/restart-in-the-middle", fn: flowRestart},
		{name: "nodeflow/attach-fault-sweep", ownServices: true, fn: flowAttachFaultSweep},
		{name: "nodeflow/detach-fault-sweep", ownServices: true, fn: flowDetachFaultSweep},
		{name: "nodeflow/concurrent-attach", fn: flowConcurrentAttach},
		{name: "nodeflow/two-nodes-one-service", fn: flowTwoNodes},
		{name: "nodeflow/agent-restart", fn: flowAgentRestart},
		{name: "nodeflow/ipv6-slice", fn: flowIPv6},
		{name: "nodeflow/mismatch", fn: flowMismatch},
		{name: "nodeflow/teardown", fn: flowTeardown},
		{name: "nodeflow/validation-before-calls", fn: flowValidation},
	}
}

// fenv is what a node-flow scenario works with.
type fenv struct {
	t          *testing.T
	svc        hcn.Service
	c          *hcn.Client // reads the service's state
	ctx        context.Context
	opts       *Options
	newService func(t *testing.T) hcn.Service
	tag        string // the scenario's owner tag
	// baseline are the objects before the scenario, by kind.
	baseline map[hcn.Kind][]hcn.GUID
	handles  int // open handles before the scenario; -1 when uncounted
	// slack is how many handles a scenario may leave open: a fault
	// sweep allows the one handle a service refused to close.
	slack int
	nodes []*overlay.Node // closed before the leak checks
}

// use makes svc the scenario's service, records the baseline and
// registers the leak checks first, so that they run after every other
// cleanup.
func (e *fenv) use(svc hcn.Service) {
	e.svc = svc
	e.c = e.newClient()
	e.tag = e.ownerTag()
	e.baseline = e.objects()
	e.handles = e.openHandles()
	e.t.Cleanup(e.leakCheck)
}

// sub returns a scenario environment for subtest t on a fresh service.
func (e *fenv) sub(t *testing.T) *fenv {
	s := &fenv{t: t, opts: e.opts, newService: e.newService, ctx: e.ctx}
	s.use(e.newService(t))
	return s
}

// leakCheck closes the scenario's nodes, reports and removes the objects
// left behind, then checks the open handle count.
func (e *fenv) leakCheck() {
	for _, n := range e.nodes {
		n.Close()
	}
	left := e.newObjects()
	for _, k := range hcn.Kinds {
		for _, id := range left[k] {
			if !e.t.Failed() {
				e.t.Errorf("object leak: %s %s is left behind", k, id)
			}
		}
	}
	// Endpoints and the rest before networks; a second pass catches what
	// the first could not delete yet.
	order := []hcn.Kind{hcn.KindLoadBalancer, hcn.KindSDNRoute, hcn.KindEndpoint, hcn.KindNamespace,
		hcn.KindGuestNetworkService, hcn.KindNetwork}
	for range 2 {
		for _, k := range order {
			for _, id := range e.newObjects()[k] {
				e.svc.Delete(k, id)
			}
		}
	}
	if e.handles >= 0 {
		if after := e.openHandles(); after < e.handles || after > e.handles+e.slack {
			e.t.Errorf("handle leak: %d open handles before the scenario, %d after", e.handles, after)
		}
	}
}

// newClient returns a Client over the scenario's service with fast
// retries.
func (e *fenv) newClient() *hcn.Client { return fastClient(e.t, e.svc) }

// ownerTag returns a random owner tag from Options.NamePrefix: letters,
// digits, '.' and '_' only, at most 32 characters.
func (e *fenv) ownerTag() string {
	p := []rune(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
			return r
		}
		return '_'
	}, e.opts.NamePrefix))
	if len(p) > 20 {
		p = p[:20]
	}
	var b [5]byte
	rand.Read(b[:])
	return string(p) + "_" + hex.EncodeToString(b[:])
}

// slice returns a random IPv4 slice of bits (24 to 30) in 10.128.0.0/9.
func (e *fenv) slice(bits int) netip.Prefix {
	var b [3]byte
	rand.Read(b[:])
	p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 128 + b[0]&0x7f, b[1], b[2]}), bits)
	return p.Masked()
}

// slice6 returns a random fd00::/16 /64.
func (e *fenv) slice6() netip.Prefix {
	var b [16]byte
	rand.Read(b[2:8])
	b[0], b[1] = 0xfd, 0x00
	return netip.PrefixFrom(netip.AddrFrom16(b), 64).Masked()
}

// addr returns address i of slice p (network + i).
func addr(p netip.Prefix, i int) netip.Addr {
	a := p.Masked().Addr()
	for range i {
		a = a.Next()
	}
	return a
}

// config returns the scenario's node configuration for slice with a
// Client of its own.
func (e *fenv) config(slice netip.Prefix) overlay.Config {
	return overlay.Config{Client: e.newClient(), OwnerTag: e.tag, Slice: slice}
}

// node returns a Node for cfg, closed when the scenario ends.
func (e *fenv) node(cfg overlay.Config) *overlay.Node {
	e.t.Helper()
	n, err := overlay.New(cfg)
	if err != nil {
		e.t.Fatalf("overlay.New: %v", err)
	}
	e.nodes = append(e.nodes, n)
	return n
}

// ensured returns a Node for slice whose network is ensured.
func (e *fenv) ensured(slice netip.Prefix) (*overlay.Node, *hcn.Network) {
	e.t.Helper()
	n := e.node(e.config(slice))
	net, err := n.EnsureNetwork(e.ctx)
	e.ok(err, "EnsureNetwork")
	return n, net
}

// attach attaches id and checks it gets want (when valid).
func (e *fenv) attach(n *overlay.Node, id string, want netip.Addr) overlay.Attachment {
	e.t.Helper()
	a, err := n.Attach(e.ctx, id, nil)
	e.ok(err, "Attach "+id)
	if want.IsValid() && a.IP != want {
		e.t.Errorf("Attach %s: got %s, want %s", id, a.IP, want)
	}
	return a
}

// detach detaches id.
func (e *fenv) detach(n *overlay.Node, id string) {
	e.t.Helper()
	e.ok(n.Detach(e.ctx, id), "Detach "+id)
}

// teardown tears n down and checks nothing is left.
func (e *fenv) teardown(n *overlay.Node) {
	e.t.Helper()
	_, err := n.Teardown(e.ctx, nil)
	e.ok(err, "Teardown")
	e.nothingLeft("after Teardown")
}

// openHandles returns the open handle count, or -1 when uncounted.
func (e *fenv) openHandles() int {
	if hc, ok := e.svc.(HandleCounter); ok {
		return hc.OpenHandles()
	}
	return -1
}

// wantHandles checks the open handle count (within the slack) when the
// service counts them.
func (e *fenv) wantHandles(want int, what string) {
	e.t.Helper()
	if got := e.openHandles(); got >= 0 && (got < want || got > want+e.slack) {
		e.t.Errorf("%s: %d open handles, want %d", what, got, want)
	}
}

// objects returns the ids of every object, by kind, as the service
// enumerates them.
func (e *fenv) objects() map[hcn.Kind][]hcn.GUID { return serviceObjects(e.t, e.svc) }

// newObjects returns the objects not in the baseline.
func (e *fenv) newObjects() map[hcn.Kind][]hcn.GUID {
	out := map[hcn.Kind][]hcn.GUID{}
	for k, ids := range e.objects() {
		for _, id := range ids {
			if !slices.Contains(e.baseline[k], id) {
				out[k] = append(out[k], id)
			}
		}
	}
	return out
}

// sameObjects checks that the objects are those of before.
func (e *fenv) sameObjects(before map[hcn.Kind][]hcn.GUID, what string) {
	e.t.Helper()
	now := e.objects()
	for _, k := range hcn.Kinds {
		for _, id := range now[k] {
			if !slices.Contains(before[k], id) {
				e.t.Errorf("%s: %s %s is new", what, k, id)
			}
		}
		for _, id := range before[k] {
			if !slices.Contains(now[k], id) {
				e.t.Errorf("%s: %s %s is gone", what, k, id)
			}
		}
	}
}

// nothingLeft checks that only the baseline's objects exist.
func (e *fenv) nothingLeft(what string) {
	e.t.Helper()
	e.sameObjects(e.baseline, what)
}

// endpointsOn returns the endpoints of network id.
func (e *fenv) endpointsOn(id hcn.ID) []*hcn.Endpoint {
	e.t.Helper()
	eps, err := e.c.ListEndpoints(e.ctx, &hcn.ListOptions{Network: id})
	e.ok(err, "ListEndpoints")
	return eps
}

// exists reports whether object id of kind k exists.
func (e *fenv) exists(k hcn.Kind, id hcn.ID) bool {
	e.t.Helper()
	g, err := id.GUID()
	if err != nil {
		e.t.Fatalf("id %q: %v", id, err)
	}
	return slices.Contains(e.objects()[k], g)
}

// counter returns the service's CallCounter, or skips.
func (e *fenv) counter() CallCounter {
	cc, ok := e.svc.(CallCounter)
	if !ok {
		e.t.Skip("the service counts no calls")
	}
	return cc
}

func (e *fenv) ok(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// wantValidation checks that err names the field path.
func (e *fenv) wantValidation(err error, path, what string) {
	e.t.Helper()
	var ve *hcn.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, hcn.ErrInvalid) {
		e.t.Errorf("%s: got %v, want an *hcn.ValidationError", what, err)
		return
	}
	for _, x := range unjoin(err) {
		if errors.As(x, &ve) && ve.Path == path {
			return
		}
	}
	e.t.Errorf("%s: %v does not name %s", what, err, path)
}

// unjoin flattens joined errors.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, x := range j.Unwrap() {
			out = append(out, unjoin(x)...)
		}
		return out
	}
	return []error{err}
}

// cids returns container ids prefix1 … prefixN.
func cids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return out
}

// bareGUID reports whether id is a bare lower-case GUID.
func bareGUID(id hcn.ID) bool {
	g, err := id.GUID()
	return err == nil && g.String() == string(id)
}
