package hcntest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// CallCounter is implemented by services that count the calls made to
// them per operation (hcnsim.Sim; the stand-in computenetwork.dll through
// its HcnSimCallCount export). With it the Client suite checks exact call
// counts — a list of N objects costs 1 + 3N calls — and that the fault
// sweep's call tables name every call a Client operation makes.
type CallCounter interface {
	// Calls returns how many calls of op were made, failed ones included.
	// op is an HCN function name as hcn.OpName gives it, one of the
	// port-reservation, stats, callback function names, or "HNSCall".
	Calls(op string) uint64
}

// RunClient runs the Client conformance scenarios: each builds
// hcn.NewClient over a service from newService and drives the Client's
// object-level and handle-level API, so that the same Client behaviour is
// proven on every implementation of the seam (the emulator in process,
// the host service over computenetwork.dll).
//
// Like Run, each scenario is a subtest with its own service; objects get
// random names and are deleted in t.Cleanup; after every scenario the
// suite checks that no handle is left open (HandleCounter) and that no
// object the scenario made is left behind. Scenarios that need control of
// the service run only when it implements FaultInjector, VersionSetter or
// CallCounter. Options.Skip takes the names ClientScenarios returns.
func RunClient(t *testing.T, newService func(t *testing.T) hcn.Service, opts *Options) {
	o := opts.withDefaults()
	for _, sc := range clientScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			if o.skips(scenario{name: sc.name, choice: sc.choice}) {
				t.Skip("skipped by Options")
			}
			e := &cenv{t: t, opts: o, newService: newService, ctx: context.Background()}
			if !sc.ownServices {
				e.use(newService(t))
			}
			sc.fn(e)
		})
	}
}

// ClientScenarios returns the names of the Client scenarios, for
// Options.Skip.
func ClientScenarios() []string {
	var out []string
	for _, sc := range clientScenarios() {
		out = append(out, sc.name)
	}
	return out
}

// clientScenario is one Client subtest. ownServices scenarios get no
// service from RunClient: they make their own (one per fault position).
type clientScenario struct {
	name        string
	choice      bool // pins an emulator choice
	ownServices bool
	fn          func(e *cenv)
}

func clientScenarios() []clientScenario {
	var out []clientScenario
	for _, g := range [][]clientScenario{clientObjectScenarios, clientLBScenarios, clientMiscScenarios, clientFlowScenarios, clientControlScenarios} {
		out = append(out, g...)
	}
	return out
}

// cenv is what a Client scenario works with.
type cenv struct {
	t          *testing.T
	svc        hcn.Service
	c          *hcn.Client
	ctx        context.Context
	opts       *Options
	newService func(t *testing.T) hcn.Service
	// slack is how many handles a scenario may leave open: the fault
	// sweep allows the one handle a service refused to close.
	slack int
}

// use makes svc the scenario's service: a Client over it, and the leak
// checks registered first so that they run after every other cleanup.
func (e *cenv) use(svc hcn.Service) {
	e.svc = svc
	e.c = e.newClient()
	e.watchLeaks()
}

// newClient returns a Client over the scenario's service with fast
// retries; a new Client has no cached service version.
func (e *cenv) newClient() *hcn.Client { return fastClient(e.t, e.svc) }

// fastClient returns a Client over svc with fast retries.
func fastClient(t testing.TB, svc hcn.Service) *hcn.Client {
	t.Helper()
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: svc,
		Retry: &hcn.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// watchLeaks checks, after every cleanup, that the open handle count is
// where it started and that every object is one that existed before.
func (e *cenv) watchLeaks() {
	before := e.objects()
	hc, counts := e.svc.(HandleCounter)
	handles := 0
	if counts {
		handles = hc.OpenHandles()
	}
	e.t.Cleanup(func() {
		if counts {
			if after := hc.OpenHandles(); after < handles || after > handles+e.slack {
				e.t.Errorf("handle leak: %d open handles before the scenario, %d after", handles, after)
			}
		}
		for k, ids := range e.objects() {
			for _, id := range ids {
				if !slices.Contains(before[k], id) {
					e.t.Errorf("object leak: %s %s is left behind", k, id)
				}
			}
		}
	})
}

// objects returns the ids of every object, by kind, as the service
// enumerates them (not through the Client).
func (e *cenv) objects() map[hcn.Kind][]hcn.GUID { return serviceObjects(e.t, e.svc) }

// serviceObjects returns the ids of every object of svc, by kind, as it
// enumerates them.
func serviceObjects(t testing.TB, svc hcn.Service) map[hcn.Kind][]hcn.GUID {
	t.Helper()
	out := map[hcn.Kind][]hcn.GUID{}
	for _, k := range hcn.Kinds {
		s, err := svc.Enumerate(k, "")
		if err != nil {
			t.Fatalf("Enumerate %s: %v", k, err)
		}
		ids, err := parseIDs(s)
		if err != nil {
			t.Fatalf("Enumerate %s: %v", k, err)
		}
		out[k] = ids
	}
	return out
}

// name returns a random object name with the suite's prefix.
func (e *cenv) name(what string) string {
	return (&env{opts: e.opts}).name(what)
}

// prefix returns a random /24 in 10.128.0.0/9.
func (e *cenv) prefix() netip.Prefix {
	var b [2]byte
	rand.Read(b[:])
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 128 + b[0]&0x7f, b[1], 0}), 24)
}

// host returns address n of prefix p.
func host(p netip.Prefix, n byte) netip.Addr {
	a := p.Addr().As4()
	a[3] = n
	return netip.AddrFrom4(a)
}

// natNetwork is a NAT network document with one static subnet p and a
// default route via its .1.
func natNetwork(name string, p netip.Prefix) *hcn.Network {
	return &hcn.Network{Name: name, Type: hcn.NetworkTypeNAT,
		Ipams: []hcn.IPAM{{Type: hcn.IPAMTypeStatic, Subnets: []hcn.Subnet{{
			IpAddressPrefix: p.String(),
			Routes:          []hcn.Route{{NextHop: host(p, 1).String(), DestinationPrefix: "0.0.0.0/0"}},
		}}}}}
}

// network creates a NAT network with a random name and subnet through the
// Client, deleted in a cleanup.
func (e *cenv) network() (*hcn.Network, hcn.GUID, netip.Prefix) {
	e.t.Helper()
	p := e.prefix()
	n, err := e.c.CreateNetwork(e.ctx, natNetwork(e.name("net"), p))
	e.ok(err, "CreateNetwork")
	id := e.id(n.ID)
	e.cleanup(hcn.KindNetwork, id)
	return n, id, p
}

// endpoint creates an endpoint on network (with address ip when valid),
// deleted in a cleanup.
func (e *cenv) endpoint(network hcn.GUID, ip netip.Addr) (*hcn.Endpoint, hcn.GUID) {
	e.t.Helper()
	ep := &hcn.Endpoint{Name: e.name("ep"), HostComputeNetwork: network.ID()}
	if ip.IsValid() {
		ep.IpConfigurations = []hcn.IPConfig{{IpAddress: ip.String(), PrefixLength: 24}}
	}
	got, err := e.c.CreateEndpoint(e.ctx, ep)
	e.ok(err, "CreateEndpoint")
	id := e.id(got.ID)
	e.cleanup(hcn.KindEndpoint, id)
	return got, id
}

// cleanup deletes an object when the scenario ends (already gone is fine).
func (e *cenv) cleanup(k hcn.Kind, id hcn.GUID) {
	e.t.Cleanup(func() {
		if err := e.c.Delete(context.Background(), k, id.ID(), &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
			e.t.Errorf("cleanup: delete %s %s: %v", k, id, err)
		}
	})
}

// asIDs returns gs as ids.
func asIDs(gs []hcn.GUID) []hcn.ID {
	out := make([]hcn.ID, len(gs))
	for i, g := range gs {
		out[i] = g.ID()
	}
	return out
}

// id parses a document's ID.
func (e *cenv) id(s hcn.ID) hcn.GUID {
	e.t.Helper()
	g, err := s.GUID()
	if err != nil {
		e.t.Fatalf("document ID %q: %v", s, err)
	}
	return g
}

func (e *cenv) ok(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// wantIs checks that err is an *hcn.Error in class sentinel.
func (e *cenv) wantIs(err error, sentinel error, what string) {
	e.t.Helper()
	var he *hcn.Error
	if !errors.As(err, &he) || !errors.Is(err, sentinel) {
		e.t.Errorf("%s: got %v, want an *hcn.Error that is %v", what, err, sentinel)
	}
}

// wantHR checks that err is an *hcn.Error carrying the code hr.
func (e *cenv) wantHR(err error, hr hcn.HRESULT, what string) {
	e.t.Helper()
	var he *hcn.Error
	if !errors.As(err, &he) || he.HRESULT != hr || !errors.Is(err, hr) {
		e.t.Errorf("%s: got %v, want an *hcn.Error with %s", what, err, hr)
	}
}

// handles returns the open handle count, or -1 when it cannot be known.
func (e *cenv) handles() int {
	if hc, ok := e.svc.(HandleCounter); ok {
		return hc.OpenHandles()
	}
	return -1
}

// wantHandles checks the open handle count when the service counts them.
func (e *cenv) wantHandles(want int, what string) {
	e.t.Helper()
	got := e.handles()
	if got < 0 {
		return
	}
	if got != want {
		e.t.Errorf("%s: %d open handles, want %d", what, got, want)
	}
}

// ids returns the parsed ID of every document.
func ids[D any](e *cenv, docs []D, idOf func(D) hcn.ID) []hcn.GUID {
	out := make([]hcn.GUID, 0, len(docs))
	for _, d := range docs {
		out = append(out, e.id(idOf(d)))
	}
	return out
}

// sameIDs checks a list's ids against want, in any order.
func (e *cenv) sameIDs(got, want []hcn.GUID, what string) {
	e.t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	cmp := func(a, b hcn.GUID) int {
		switch {
		case a.String() < b.String():
			return -1
		case a.String() > b.String():
			return 1
		}
		return 0
	}
	slices.SortFunc(g, cmp)
	slices.SortFunc(w, cmp)
	if fmt.Sprint(g) != fmt.Sprint(w) {
		e.t.Errorf("%s: got %v, want %v", what, g, w)
	}
}

// parseIDs parses an Enumerate answer.
func parseIDs(s string) ([]hcn.GUID, error) {
	var raw []string
	if s != "" {
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			return nil, fmt.Errorf("not a JSON array of strings: %v: %s", err, s)
		}
	}
	out := make([]hcn.GUID, 0, len(raw))
	for _, r := range raw {
		g, err := hcn.ParseGUID(r)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}
