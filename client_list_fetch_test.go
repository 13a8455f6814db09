package hcn

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestListWorkers(t *testing.T) {
	slow, fast := listSlowRead, listSlowRead-time.Microsecond
	tests := []struct {
		name      string
		recent    []time.Duration
		max, left int
		want      int
	}{
		{"all slow", []time.Duration{slow, slow, slow}, 8, 100, 8},
		{"all slow, few left", []time.Duration{slow, 2 * slow, slow}, 8, 5, 5},
		{"one fast read", []time.Duration{slow, fast, 10 * slow}, 8, 100, 1},
		{"all fast", []time.Duration{0, 0, 0}, 8, 100, 1},
		{"serial client", []time.Duration{slow, slow, slow}, 1, 100, 1},
		{"one read left", []time.Duration{slow, slow, slow}, 8, 1, 1},
		{"too few samples", []time.Duration{slow, slow}, 8, 100, 1},
	}
	for _, tt := range tests {
		if got := listWorkers(tt.recent, tt.max, tt.left); got != tt.want {
			t.Errorf("%s: listWorkers = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// fakeClock is a list clock that advances only when a service call
// charges it.
type fakeClock struct{ t atomic.Int64 }

func (c *fakeClock) now() time.Duration  { return time.Duration(c.t.Load()) }
func (c *fakeClock) add(d time.Duration) { c.t.Add(int64(d)) }

// timedList lists n endpoints of a fake service on an injected clock: the
// kth read (from 1) takes cost(k, fannedOut) on it, fannedOut telling
// whether the list had fanned out when the read started. It returns the
// lister.
func timedList(t *testing.T, n, par int, cost func(k int64, fannedOut bool) time.Duration) (*lister, *fakeService) {
	t.Helper()
	f := newFake()
	ids := make([]GUID, n)
	for i := range ids {
		ids[i] = NewGUID()
		f.put(KindEndpoint, ids[i], `{}`)
	}
	clk := &fakeClock{}
	var opens atomic.Int64
	var l *lister
	f.before = func(op string) error {
		if op == OpOpenEndpoint {
			clk.add(cost(opens.Add(1), l.fannedAt != 0))
		}
		return nil
	}
	c, err := NewClient(&ClientOptions{Service: f, ListParallelism: par})
	if err != nil {
		t.Fatal(err)
	}
	l = newLister(context.Background(), c, KindEndpoint, ids, defaultQuery)
	l.now = clk.now
	l.run()
	if l.err != nil {
		t.Fatal(l.err)
	}
	for i, r := range l.results {
		if !r.ok || r.id != ids[i] || r.props == "" {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if got := f.count(OpOpenEndpoint) + f.count(OpQueryEndpoint) + f.count(OpCloseEndpoint); got != 3*n {
		t.Errorf("%d calls, want 3N = %d", got, 3*n)
	}
	if h := f.openHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
	return l, f
}

func TestFanOutPays(t *testing.T) {
	tests := []struct {
		serial, elapsed time.Duration
		reads           int
		want            bool
	}{
		{time.Millisecond, 16 * time.Millisecond / 8, 16, true},      // 8x faster
		{time.Millisecond, 16 * time.Millisecond / 2, 16, true},      // 2x faster
		{time.Millisecond, 16 * time.Millisecond * 4 / 5, 16, false}, // 1.25x faster: below listGain
		{time.Millisecond, 16 * time.Millisecond, 16, false},         // no faster
		{time.Millisecond, 32 * time.Millisecond, 16, false},         // slower
		{time.Millisecond, 0, 16, true},
	}
	for _, tt := range tests {
		if got := fanOutPays(tt.serial, tt.elapsed, tt.reads); got != tt.want {
			t.Errorf("fanOutPays(%v, %v, %d) = %v, want %v", tt.serial, tt.elapsed, tt.reads, got, tt.want)
		}
	}
}

func TestListerFansOutOnlyWhenItPays(t *testing.T) {
	const n = 60
	// reads costs s per read before a fan-out and p per read after.
	reads := func(s, p time.Duration) func(int64, bool) time.Duration {
		return func(_ int64, fanned bool) time.Duration {
			if fanned {
				return p
			}
			return s
		}
	}
	tests := []struct {
		name              string
		n, par            int
		cost              func(int64, bool) time.Duration
		fannedAt, workers int
		judged, narrowed  bool
	}{
		{"fast reads stay serial", n, 8, reads(30*time.Microsecond, 0), 0, 0, false, false},
		{"just under the threshold", n, 8, reads(listSlowRead-1, 0), 0, 0, false, false},
		{"slow reads that parallelise fan out", n, 8, reads(listSlowRead, 0), listProbe, 8, true, false},
		{"slow reads that do not parallelise go back to serial", n, 8, reads(listSlowRead, 10*listSlowRead), listProbe, 8, true, true},
		{"a serial client never fans out", n, 1, reads(time.Millisecond, 0), 0, 0, false, false},
		{"the bound caps the fan-out", n, 3, reads(time.Millisecond, 0), listProbe, 3, true, false},
		{"a list too short for a trial", 10, 8, reads(time.Millisecond, 10*time.Millisecond), listProbe, 7, false, false},
		{"one slow read does not fan out", n, 8, func(k int64, _ bool) time.Duration {
			if k == 2 {
				return 50 * time.Millisecond
			}
			return 30 * time.Microsecond
		}, 0, 0, false, false},
		{"reads that turn slow fan out then", n, 8, func(k int64, fanned bool) time.Duration {
			switch {
			case fanned:
				return 0
			case k > 20:
				return 2 * time.Millisecond
			}
			return 30 * time.Microsecond
		}, 20 + listProbe, 8, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := timedList(t, tt.n, tt.par, tt.cost)
			if l.fannedAt != tt.fannedAt || l.workers != tt.workers {
				t.Errorf("fanned out at read %d with %d workers, want at %d with %d", l.fannedAt, l.workers, tt.fannedAt, tt.workers)
			}
			if l.judged.Load() != tt.judged || l.narrow.Load() != tt.narrowed {
				t.Errorf("trial judged %v, narrowed %v; want %v, %v", l.judged.Load(), l.narrow.Load(), tt.judged, tt.narrowed)
			}
		})
	}
}

func TestFetchAllCancelledWhileCallHangs(t *testing.T) {
	f := newFake()
	ids := f.endpoints(10)
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	var queries atomic.Int64
	f.before = func(op string) error {
		if op == OpQueryEndpoint && queries.Add(1) == 3 {
			cancel()
			<-release
		}
		return nil
	}
	c := newTestClient(t, f)
	_, err := c.fetchAll(ctx, KindEndpoint, ids, defaultQuery)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if h := f.openHandles(); h != 1 {
		t.Errorf("%d handles open during the hung call, want 1", h)
	}
	close(release)
	waitFor(t, "the hung read's handle to close", func() bool { return f.openHandles() == 0 })
	if n := f.count(OpOpenEndpoint); n != 3 {
		t.Errorf("%d opens: the list went on after its context ended", n)
	}
}

func TestFetchAllContextAlreadyDone(t *testing.T) {
	f := newFake()
	id := NewGUID()
	f.put(KindEndpoint, id, `{}`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := newTestClient(t, f)
	if _, err := c.fetchAll(ctx, KindEndpoint, []GUID{id}, defaultQuery); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if n := f.totalCalls(); n != 0 {
		t.Errorf("%d calls after the context ended", n)
	}
}
