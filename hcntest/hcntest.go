// Package hcntest is the conformance suite of the hcn.Service seam: one
// set of table-driven scenarios that every implementation — the emulator
// (package hcnsim), the host service over computenetwork.dll, the host
// service under Wine with a stand-in DLL — must pass.
//
// Run it from a test:
//
//	func TestConformance(t *testing.T) {
//		hcntest.Run(t, func(t *testing.T) hcn.Service { return hcnsim.New(nil) }, nil)
//	}
//
// Each scenario is a subtest with its own service from the factory; it
// names its objects with a random suffix and deletes them in t.Cleanup, so
// the suite can run on a real host. After every scenario the suite checks
// that no handle was left open, when the service can count them
// (HandleCounter). Scenarios that need control of the service (a restart,
// fault injection, another service version) run only when the service
// implements the matching optional interface. Scenarios that pin a choice
// the emulator made where the real service's behaviour is not documented
// are marked as such and skipped with Options.SkipEmulatorChoices.
//
// SerialListEndpoints is the plain one-at-a-time listing over a Service
// that benchmarks measure a Client's list against.
package hcntest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// HandleCounter is implemented by services that can count their open
// handles (object handles, callback registrations, port reservations).
type HandleCounter interface {
	OpenHandles() int
}

// Restarter is implemented by services that can emulate a service
// restart: handles invalidated, non-persistent networks gone, persistent
// objects kept, ServiceDisconnect delivered to service callbacks.
type Restarter interface {
	Restart() error
}

// FaultInjector is implemented by services that can make the nth call of
// an operation (an HCN function name) fail with an HRESULT.
type FaultInjector interface {
	InjectFault(op string, nth int, hr hcn.HRESULT)
}

// VersionSetter is implemented by services whose HNS version can be set.
type VersionSetter interface {
	SetServiceVersion(major, minor uint32)
}

// Options tunes Run. A nil *Options means defaults.
type Options struct {
	// NamePrefix starts every object name; default "hcntest".
	NamePrefix string
	// Skip lists scenario names (as in the subtest name, e.g.
	// "network/duplicate-name") not to run.
	Skip []string
	// SkipEmulatorChoices skips scenarios that pin behaviour the emulator
	// chose where the real service's is not documented.
	SkipEmulatorChoices bool
	// NoTransparent skips scenarios that need a Transparent network (a
	// real host needs an uplink adapter for one; see TransparentAdapter).
	NoTransparent bool
	// TransparentAdapter is the NetAdapterName policy given to Transparent
	// networks; empty sends none (enough for an emulator).
	TransparentAdapter string
	// Workers and PerWorker size the concurrency scenario; defaults 8, 12.
	Workers, PerWorker int
	// Timeout bounds each wait for a notification; default 5s.
	Timeout time.Duration
}

func (o *Options) withDefaults() *Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.NamePrefix == "" {
		c.NamePrefix = "hcntest"
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.PerWorker <= 0 {
		c.PerWorker = 12
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Second
	}
	return &c
}

// scenario is one subtest.
type scenario struct {
	name   string
	choice bool // pins an emulator choice
	fn     func(e *env)
}

// Run runs every scenario against services from newService.
func Run(t *testing.T, newService func(t *testing.T) hcn.Service, opts *Options) {
	o := opts.withDefaults()
	for _, group := range groups() {
		for _, sc := range group {
			sc := sc
			t.Run(sc.name, func(t *testing.T) {
				if o.skips(sc) {
					t.Skip("skipped by Options")
				}
				svc := newService(t)
				e := &env{t: t, svc: svc, opts: o}
				e.watchLeaks()
				sc.fn(e)
			})
		}
	}
}

// Scenarios returns the names of every scenario, for Options.Skip.
func Scenarios() []string {
	var out []string
	for _, group := range groups() {
		for _, sc := range group {
			out = append(out, sc.name)
		}
	}
	return out
}

// groups lists the scenario tables in the order they run.
func groups() [][]scenario {
	return [][]scenario{lifecycleScenarios(), networkScenarios, endpointScenarios, namespaceScenarios,
		loadBalancerScenarios, routeAndGNSScenarios, queryModifyScenarios, eventScenarios,
		hnsV1Scenarios, controlScenarios}
}

func (o *Options) skips(sc scenario) bool {
	if sc.choice && o.SkipEmulatorChoices {
		return true
	}
	for _, s := range o.Skip {
		if s == sc.name {
			return true
		}
	}
	return false
}

// env is what a scenario works with.
type env struct {
	t    *testing.T
	svc  hcn.Service
	opts *Options
}

// watchLeaks checks, after every cleanup of the scenario, that the open
// handle count is back where it started.
func (e *env) watchLeaks() {
	hc, ok := e.svc.(HandleCounter)
	if !ok {
		return
	}
	before := hc.OpenHandles()
	e.t.Cleanup(func() {
		if after := hc.OpenHandles(); after != before {
			e.t.Errorf("handle leak: %d open handles before the scenario, %d after", before, after)
		}
	})
}

// name returns a random object name with the suite's prefix.
func (e *env) name(what string) string {
	var b [5]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%s-%s", e.opts.NamePrefix, what, hex.EncodeToString(b[:]))
}

// subnet returns a random /24 in 10.128.0.0/9 as "10.x.y." (add the host).
func (e *env) subnet() string {
	var b [2]byte
	rand.Read(b[:])
	return fmt.Sprintf("10.%d.%d.", 128+int(b[0]&0x7f), b[1])
}

// create creates an object, registers its deletion and the close of its
// handle, and returns its id (read back with Query) and handle.
func (e *env) create(k hcn.Kind, id hcn.GUID, doc string) (hcn.GUID, hcn.Handle) {
	e.t.Helper()
	h, err := e.svc.Create(k, id, doc)
	if err != nil {
		e.t.Fatalf("Create %s %s: %v", k, doc, err)
	}
	return e.adopt(k, h), h
}

// createEndpoint is create for endpoints on an open network handle.
func (e *env) createEndpoint(network hcn.Handle, doc string) (hcn.GUID, hcn.Handle) {
	e.t.Helper()
	h, err := e.svc.CreateEndpoint(network, hcn.NilGUID, doc)
	if err != nil {
		e.t.Fatalf("CreateEndpoint %s: %v", doc, err)
	}
	return e.adopt(hcn.KindEndpoint, h), h
}

// adopt reads the id of a fresh object and registers its cleanup.
func (e *env) adopt(k hcn.Kind, h hcn.Handle) hcn.GUID {
	e.t.Helper()
	props := e.query(k, h, "")
	id, err := hcn.ParseGUID(props.str("ID"))
	if err != nil {
		e.svc.Close(k, h)
		e.t.Fatalf("%s properties have no ID: %v", k, err)
	}
	e.t.Cleanup(func() {
		if err := hcn.IgnoreNotFound(e.svc.Delete(k, id)); err != nil {
			e.t.Errorf("cleanup: delete %s %s: %v", k, id, err)
		}
	})
	e.t.Cleanup(func() { e.svc.Close(k, h) })
	return id
}

// open opens an object and registers the close.
func (e *env) open(k hcn.Kind, id hcn.GUID) hcn.Handle {
	e.t.Helper()
	h, err := e.svc.Open(k, id)
	if err != nil {
		e.t.Fatalf("Open %s %s: %v", k, id, err)
	}
	e.t.Cleanup(func() { e.svc.Close(k, h) })
	return h
}

// props is a decoded properties document.
type props map[string]any

func (p props) str(key string) string {
	for k, v := range p {
		if strings.EqualFold(k, key) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

func (p props) get(key string) (any, bool) {
	for k, v := range p {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func (e *env) query(k hcn.Kind, h hcn.Handle, q string) props {
	e.t.Helper()
	out, err := e.svc.Query(k, h, q)
	if err != nil {
		e.t.Fatalf("Query %s: %v", k, err)
	}
	var p props
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		e.t.Fatalf("Query %s: not a JSON object: %v: %s", k, err, out)
	}
	return p
}

// enumerate returns the ids Enumerate gives, checking they are bare
// lower-case GUID strings.
func (e *env) enumerate(k hcn.Kind, filter string) []hcn.GUID {
	e.t.Helper()
	q := ""
	if filter != "" {
		b, _ := json.Marshal(filter)
		q = `{"SchemaVersion":{"Major":2,"Minor":0},"Filter":` + string(b) + `}`
	}
	out, err := e.svc.Enumerate(k, q)
	if err != nil {
		e.t.Fatalf("Enumerate %s %s: %v", k, filter, err)
	}
	var ids []string
	if err := json.Unmarshal([]byte(out), &ids); err != nil {
		e.t.Fatalf("Enumerate %s: not a JSON array of strings: %v: %s", k, err, out)
	}
	gs := make([]hcn.GUID, len(ids))
	for i, s := range ids {
		g, err := hcn.ParseGUID(s)
		if err != nil || g.String() != s {
			e.t.Errorf("Enumerate %s: id %q is not a bare lower-case GUID", k, s)
		}
		gs[i] = g
	}
	return gs
}

func has(ids []hcn.GUID, id hcn.GUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// wantHR checks that err is an *hcn.Error with code hr (and errors.Is
// agrees), carrying an error record when the code is a service failure.
func (e *env) wantHR(err error, hr hcn.HRESULT, what string) {
	e.t.Helper()
	var he *hcn.Error
	if !errors.As(err, &he) {
		e.t.Errorf("%s: got %v, want an *hcn.Error with %s", what, err, hr)
		return
	}
	if he.HRESULT != hr || !errors.Is(err, hr) {
		e.t.Errorf("%s: got %v, want %s", what, err, hr)
	}
	if he.Op == "" {
		e.t.Errorf("%s: error has no Op: %v", what, err)
	}
}

// wantIs checks that err is an *hcn.Error in class sentinel.
func (e *env) wantIs(err error, sentinel error, what string) {
	e.t.Helper()
	var he *hcn.Error
	if !errors.As(err, &he) || !errors.Is(err, sentinel) {
		e.t.Errorf("%s: got %v, want an *hcn.Error that is %v", what, err, sentinel)
	}
}

func (e *env) ok(err error, what string) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// staticNet is a network document with one Static subnet prefix+"0/24"
// and a default route via prefix+"1".
func staticNet(name, typ, prefix string, extra string) string {
	return fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"Type":%q,`+
		`"Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"%s0/24",`+
		`"Routes":[{"NextHop":"%s1","DestinationPrefix":"0.0.0.0/0"}]}]}]%s}`, name, typ, prefix, prefix, extra)
}

// network creates a network of typ ("NAT", "Internal", ...) with a
// random /24 and returns its id, handle and address prefix.
func (e *env) network(typ string) (hcn.GUID, hcn.Handle, string) {
	e.t.Helper()
	p := e.subnet()
	id, h := e.create(hcn.KindNetwork, hcn.NilGUID, staticNet(e.name("net"), typ, p, ""))
	return id, h, p
}

func endpointDoc(name, ip string) string {
	if ip == "" {
		return fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q}`, name)
	}
	return fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"IpConfigurations":[{"IpAddress":%q}]}`, name, ip)
}

// firstIP returns the first IpConfigurations address of an endpoint.
func firstIP(p props) string {
	v, _ := p.get("IpConfigurations")
	list, _ := v.([]any)
	if len(list) == 0 {
		return ""
	}
	m, _ := list[0].(map[string]any)
	return props(m).str("IpAddress")
}
