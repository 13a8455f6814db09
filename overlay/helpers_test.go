package overlay

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// slice28 is the slice most tests use: gateway .17, containers .18 to .30.
var slice28 = netip.MustParsePrefix("10.200.0.16/28")

// newClient returns a Client on a fresh emulator.
func newClient(t testing.TB) (*hcnsim.Sim, *hcn.Client) {
	t.Helper()
	sim := hcnsim.New(nil)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// newNode returns a Node with owner tag "zl" on slice28 unless cfg says
// otherwise.
func newNode(t testing.TB, c *hcn.Client, cfg Config) *Node {
	t.Helper()
	cfg.Client = c
	if cfg.OwnerTag == "" {
		cfg.OwnerTag = "zl"
	}
	if !cfg.Slice.IsValid() {
		cfg.Slice = slice28
	}
	if !cfg.Type.Is(hcn.NetworkTypeInternal) && cfg.Type != "" && cfg.Uplink == "" {
		cfg.Uplink = "Ethernet"
	}
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// totalCalls sums the emulator's calls over every operation.
func totalCalls(sim *hcnsim.Sim) uint64 {
	var sum uint64
	for _, n := range sim.Stats().Calls {
		sum += n
	}
	return sum
}

// errPaths returns the Path of every *hcn.ValidationError joined in err.
func errPaths(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		var ve *hcn.ValidationError
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		default:
			if errors.As(err, &ve) {
				out = append(out, ve.Path)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	slices.Sort(out)
	return out
}

// leftovers lists the endpoints and the namespaces other than the host's
// default left on the service.
func leftovers(t testing.TB, c *hcn.Client) (eps []*hcn.Endpoint, nss []*hcn.Namespace) {
	t.Helper()
	ctx := context.Background()
	eps, err := c.ListEndpoints(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.ListNamespaces(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range all {
		if !ns.ID.Equal(hcn.HostDefaultNamespaceID) {
			nss = append(nss, ns)
		}
	}
	return eps, nss
}

// call is one mutating or handle call seen by a recorder.
type call struct {
	op string // "Create", "Open", "Modify", "Delete", "Close"
	k  hcn.Kind
	id hcn.GUID // the object: given, or the one the handle was opened on
}

// recorder is a Service that records the calls that change objects or
// handles, naming each by its object's id.
type recorder struct {
	hcn.Service
	mu      sync.Mutex
	calls   []call
	handles map[hcn.Handle]hcn.GUID
}

func newRecorder(s hcn.Service) *recorder {
	return &recorder{Service: s, handles: map[hcn.Handle]hcn.GUID{}}
}

func (r *recorder) log(op string, k hcn.Kind, id hcn.GUID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{op, k, id})
}

func (r *recorder) hold(h hcn.Handle, id hcn.GUID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handles[h] = id
}

func (r *recorder) of(h hcn.Handle) hcn.GUID {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.handles[h]
}

// take returns the calls recorded so far and forgets them.
func (r *recorder) take() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}

func (r *recorder) Create(k hcn.Kind, id hcn.GUID, settings string) (hcn.Handle, error) {
	h, err := r.Service.Create(k, id, settings)
	if err == nil {
		r.hold(h, id)
	}
	r.log("Create", k, id)
	return h, err
}

func (r *recorder) Open(k hcn.Kind, id hcn.GUID) (hcn.Handle, error) {
	h, err := r.Service.Open(k, id)
	if err == nil {
		r.hold(h, id)
	}
	r.log("Open", k, id)
	return h, err
}

func (r *recorder) Modify(k hcn.Kind, h hcn.Handle, settings string) error {
	r.log("Modify", k, r.of(h))
	return r.Service.Modify(k, h, settings)
}

func (r *recorder) Delete(k hcn.Kind, id hcn.GUID) error {
	r.log("Delete", k, id)
	return r.Service.Delete(k, id)
}

func (r *recorder) Close(k hcn.Kind, h hcn.Handle) error {
	r.log("Close", k, r.of(h))
	return r.Service.Close(k, h)
}

// fakeClock is a Node clock that records the sleeps and never sleeps.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	// onSleep, when set, runs at each sleep; its error is the sleep's.
	onSleep func(ctx context.Context) error
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	hook := f.onSleep
	f.mu.Unlock()
	if hook != nil {
		if err := hook(ctx); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func (f *fakeClock) slept() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sleeps)
}

// useClock gives n the fake clock f.
func useClock(n *Node, f *fakeClock) {
	if f.t.IsZero() {
		f.t = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	}
	n.now, n.sleep = f.now, f.sleep
}
