//go:build windows

package bench_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	hcsshim "github.com/Microsoft/hcsshim/hcn"
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcntest"
	"golang.org/x/sys/windows"
)

// The stand-in computenetwork.dll's control surface, and the performance
// counter: the benchmarks time themselves on it, as the DLL's latency knob
// does, because Go's clock under Wine advances in coarse steps.
var (
	simDLL         = windows.NewLazySystemDLL("computenetwork.dll")
	procReset      = simDLL.NewProc("HcnSimReset")
	procSetLatency = simDLL.NewProc("HcnSimSetLatency")
	procCallCount  = simDLL.NewProc("HcnSimCallCount")
	kernel32       = windows.NewLazySystemDLL("kernel32.dll")
	procQPC        = kernel32.NewProc("QueryPerformanceCounter")
	procQPF        = kernel32.NewProc("QueryPerformanceFrequency")
)

// latencies are the service latencies every benchmark runs at.
var latencies = []time.Duration{0, 50 * time.Microsecond, 200 * time.Microsecond, time.Millisecond}

// listSizeEnv sets the number of endpoints (default 1000).
const listSizeEnv = "HCNKIT_BENCH_N"

// listParEnv sets the Client's ListParallelism (default: the Client's).
const listParEnv = "HCNKIT_BENCH_PARALLELISM"

// listLogEnv, when set, prints the Client's debug records about its lists
// (when a list fans out, and whether the fan-out paid) to stderr.
const listLogEnv = "HCNKIT_BENCH_LOG"

// listRecords passes on the records about lists only.
type listRecords struct{ slog.Handler }

func (h listRecords) Handle(ctx context.Context, r slog.Record) error {
	if !strings.HasPrefix(r.Message, "hcn: list") {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h listRecords) WithAttrs(as []slog.Attr) slog.Handler {
	return listRecords{h.Handler.WithAttrs(as)}
}

func (h listRecords) WithGroup(name string) slog.Handler {
	return listRecords{h.Handler.WithGroup(name)}
}

// fixture is the emulator's content, made once per process: one network
// and n endpoints, made with hcnkit's Client, which also runs the
// benchmarks.
var fixture struct {
	c   *hcn.Client
	ids []hcn.ID
}

func setup(b *testing.B) {
	b.Helper()
	if fixture.c != nil {
		return
	}
	n := 1000
	if v := os.Getenv(listSizeEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("%s: want a positive number of endpoints, got %q", listSizeEnv, v)
		}
	}
	if err := procReset.Find(); err != nil {
		b.Fatalf("the stand-in computenetwork.dll is not in system32: %v", err)
	}
	if hr, _, _ := procReset.Call(); hr != 0 {
		b.Fatalf("HcnSimReset = 0x%08X", hr)
	}
	setLatency(b, 0)
	opts := &hcn.ClientOptions{}
	if v := os.Getenv(listParEnv); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 {
			b.Fatalf("%s: want a positive bound, got %q", listParEnv, v)
		}
		opts.ListParallelism = p
	}
	if os.Getenv(listLogEnv) != "" {
		opts.Logger = slog.New(listRecords{slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})})
	}
	c, err := hcn.NewClient(opts)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	p := netip.MustParsePrefix("10.128.0.0/14")
	net, err := c.CreateNetwork(ctx, &hcn.Network{Name: "bench", Type: hcn.NetworkTypeNAT,
		Ipams: []hcn.IPAM{{Type: hcn.IPAMTypeStatic, Subnets: []hcn.Subnet{{IpAddressPrefix: p.String(),
			Routes: []hcn.Route{{NextHop: p.Addr().Next().String(), DestinationPrefix: "0.0.0.0/0"}}}}}}})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]hcn.ID, 0, n)
	for i := range n {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "ep" + strconv.Itoa(i), HostComputeNetwork: net.ID})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, ep.ID)
	}
	fixture.c, fixture.ids = c, ids
}

func setLatency(b *testing.B, d time.Duration) {
	b.Helper()
	if hr, _, _ := procSetLatency.Call(uintptr(d.Nanoseconds())); hr != 0 {
		b.Fatalf("HcnSimSetLatency(%v) = 0x%08X", d, hr)
	}
}

// calls returns the stand-in's count of calls of every export.
func calls() uint64 {
	r, _, _ := procCallCount.Call(0)
	return uint64(r)
}

// clock returns the performance counter as a duration.
func clock() time.Duration {
	var t, f int64
	procQPC.Call(uintptr(unsafe.Pointer(&t)))
	procQPF.Call(uintptr(unsafe.Pointer(&f)))
	return time.Duration(float64(t) * 1e9 / float64(f))
}

// tally is one library's totals over a benchmark.
type tally struct {
	wall  time.Duration
	calls uint64
}

func (t *tally) measure(b *testing.B, fn func() error) {
	b.Helper()
	c0, w0 := calls(), clock()
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	t.wall += clock() - w0
	t.calls += calls() - c0
}

// compare runs op once with each library per iteration, alternating which
// goes first, and reports each one's time and calls per op, and the ratio
// of times hcsshim/hcnkit (above 1: hcnkit is faster). (Processor time is
// not reported: under Wine a process's times lose those of threads that
// ended.)
func compare(b *testing.B, unit string, ops int, theirs, ours func(i int) error) {
	var t, o tally
	for i := range b.N {
		if i%2 == 0 {
			t.measure(b, func() error { return theirs(i) })
			o.measure(b, func() error { return ours(i) })
		} else {
			o.measure(b, func() error { return ours(i) })
			t.measure(b, func() error { return theirs(i) })
		}
	}
	per := float64(b.N * ops)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 / per }
	b.ReportMetric(ms(t.wall), "hcsshim-ms/"+unit)
	b.ReportMetric(ms(o.wall), "hcnkit-ms/"+unit)
	b.ReportMetric(float64(t.wall)/float64(o.wall), "hcsshim/hcnkit")
	b.ReportMetric(float64(t.calls)/per, "hcsshim-calls/"+unit)
	b.ReportMetric(float64(o.calls)/per, "hcnkit-calls/"+unit)
}

func latencyName(d time.Duration) string { return "lat=" + d.String() }

// BenchmarkListSerial sets the Client's list against
// hcntest.SerialListEndpoints, a plain loop over the same Service (the host
// service, over the stand-in DLL), at each latency, one after the other in
// each iteration (alternating which goes first): client/serial is the
// Client's time over the loop's: at most 1.05 at zero latency (the
// target), below 1 wherever its fan-out pays.
func BenchmarkListSerial(b *testing.B) {
	setup(b)
	n, ctx, svc := len(fixture.ids), context.Background(), fixture.c.Service()
	for _, lat := range latencies {
		b.Run(latencyName(lat), func(b *testing.B) {
			setLatency(b, lat)
			defer setLatency(b, 0)
			var c, s tally
			client := func() error {
				eps, err := fixture.c.ListEndpoints(ctx, nil)
				if err == nil && len(eps) != n {
					err = fmt.Errorf("hcnkit listed %d endpoints, want %d", len(eps), n)
				}
				return err
			}
			serial := func() error {
				eps, err := hcntest.SerialListEndpoints(svc)
				if err == nil && len(eps) != n {
					err = fmt.Errorf("the serial loop listed %d endpoints, want %d", len(eps), n)
				}
				return err
			}
			for i := range b.N {
				if i%2 == 0 {
					c.measure(b, client)
					s.measure(b, serial)
				} else {
					s.measure(b, serial)
					c.measure(b, client)
				}
			}
			ms := func(d time.Duration) float64 { return float64(d) / 1e6 / float64(b.N) }
			b.ReportMetric(ms(c.wall), "client-ms/list")
			b.ReportMetric(ms(s.wall), "serial-ms/list")
			b.ReportMetric(float64(c.wall)/float64(s.wall), "client/serial")
		})
	}
}

// BenchmarkList lists every endpoint with hcsshim's ListEndpoints and with
// hcnkit's Client.ListEndpoints.
func BenchmarkList(b *testing.B) {
	setup(b)
	n, ctx := len(fixture.ids), context.Background()
	for _, lat := range latencies {
		b.Run(latencyName(lat), func(b *testing.B) {
			setLatency(b, lat)
			defer setLatency(b, 0)
			compare(b, "list", 1, func(int) error {
				eps, err := hcsshim.ListEndpoints()
				if err == nil && len(eps) != n {
					err = fmt.Errorf("hcsshim listed %d endpoints, want %d", len(eps), n)
				}
				return err
			}, func(int) error {
				eps, err := fixture.c.ListEndpoints(ctx, nil)
				if err == nil && len(eps) != n {
					err = fmt.Errorf("hcnkit listed %d endpoints, want %d", len(eps), n)
				}
				return err
			})
		})
	}
}

// getsPerOp is how many endpoints one iteration of BenchmarkGet reads with
// each library.
const getsPerOp = 20

// BenchmarkGet reads endpoints by id with hcsshim's GetEndpointByID and
// with hcnkit's Client.GetEndpoint.
func BenchmarkGet(b *testing.B) {
	setup(b)
	ids, ctx := fixture.ids, context.Background()
	for _, lat := range latencies {
		b.Run(latencyName(lat), func(b *testing.B) {
			setLatency(b, lat)
			defer setLatency(b, 0)
			compare(b, "get", getsPerOp, func(i int) error {
				for j := range getsPerOp {
					id := ids[(i*getsPerOp+j)%len(ids)].String()
					if ep, err := hcsshim.GetEndpointByID(id); err != nil || ep.Id != id {
						return fmt.Errorf("hcsshim get %s: %v", id, err)
					}
				}
				return nil
			}, func(i int) error {
				for j := range getsPerOp {
					id := ids[(i*getsPerOp+j)%len(ids)]
					if _, err := fixture.c.GetEndpoint(ctx, id); err != nil {
						return fmt.Errorf("hcnkit get %s: %w", id, err)
					}
				}
				return nil
			})
		})
	}
}

// knobCalls is how many calls one iteration of BenchmarkKnob times at each
// latency.
const knobCalls = 200

// BenchmarkKnob measures the stand-in's latency knob. A call with the
// latency set lasts the latency, its own work included, as a round trip
// to a service does; so the median time of a call with the latency set
// (knob-µs/call) is set against the latency asked for (error-%), and the
// median time of the same call without it is reported beside (base-µs/call),
// both measured in the same iteration. Medians, because on a busy machine
// a few calls are delayed by whole time slices.
func BenchmarkKnob(b *testing.B) {
	setup(b)
	svc := fixture.c.Service()
	timed := func(lat time.Duration) []time.Duration {
		setLatency(b, lat)
		ds := make([]time.Duration, knobCalls)
		for i := range ds {
			start := clock()
			if _, err := svc.Enumerate(hcn.KindNamespace, ""); err != nil {
				b.Fatal(err)
			}
			ds[i] = clock() - start
		}
		return ds
	}
	for _, lat := range latencies[1:] {
		b.Run(latencyName(lat), func(b *testing.B) {
			defer setLatency(b, 0)
			var with, without []time.Duration
			for range b.N {
				without = append(without, timed(0)...)
				with = append(with, timed(lat)...)
			}
			got := median(with)
			b.ReportMetric(float64(got)/1e3, "knob-µs/call")
			b.ReportMetric(float64(median(without))/1e3, "base-µs/call")
			b.ReportMetric((float64(got)/float64(lat)-1)*100, "error-%")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// parallelWorkers are the worker counts of BenchmarkParallelCalls:
// HCNKIT_BENCH_WORKERS (a comma-separated list), default 1 and 8.
func parallelWorkers() []int {
	v := os.Getenv("HCNKIT_BENCH_WORKERS")
	if v == "" {
		return []int{1, 8}
	}
	var ws []int
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(f); err == nil && n > 0 {
			ws = append(ws, n)
		}
	}
	return ws
}

// BenchmarkParallelCalls measures how far concurrent calls into the
// stand-in overlap: workers goroutines each make calls HcnEnumerateNamespaces
// calls at once, at each latency; overlap is the speed-up over one worker
// (workers at most).
func BenchmarkParallelCalls(b *testing.B) {
	setup(b)
	svc := fixture.c.Service()
	const calls = 64
	run := func(workers int) time.Duration {
		start := clock()
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range calls / workers {
					if _, err := svc.Enumerate(hcn.KindNamespace, ""); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		return clock() - start
	}
	for _, lat := range latencies {
		for _, workers := range parallelWorkers() {
			b.Run(fmt.Sprintf("%s/workers=%d", latencyName(lat), workers), func(b *testing.B) {
				setLatency(b, lat)
				defer setLatency(b, 0)
				var serial, par time.Duration
				for range b.N {
					serial += run(1)
					par += run(workers)
				}
				b.ReportMetric(float64(par)/1e3/float64(b.N*calls), "µs/call")
				b.ReportMetric(float64(serial)/float64(par), "overlap")
			})
		}
	}
}

// handoffSamples is how many handoffs one iteration of BenchmarkHandoff
// times.
const handoffSamples = 40

// BenchmarkHandoff measures what bounds any Go client's fan-out of short
// blocking calls: how long a goroutine that is ready to run waits while
// every processor of Go's runtime (GOMAXPROCS of them) is held by a
// goroutine in a system call, until the runtime's monitor takes one back
// and hands it over. A call shorter than that keeps its processor to the
// end, so at most GOMAXPROCS such calls are ever in flight at once,
// whatever the number of goroutines making them. Go's monitor is meant to
// act after 20-40µs; under Wine its sleeps end on the wineserver's timers.
// The blockers wait 20ms on an event that is never set; the median and
// 90th percentile of the waits are reported.
func BenchmarkHandoff(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer windows.CloseHandle(ev)
	block := func() { windows.WaitForSingleObject(ev, 20) }
	one := func() time.Duration {
		var entered atomic.Int32
		var wg sync.WaitGroup
		for range procs - 1 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				entered.Add(1)
				block()
			}()
		}
		for entered.Load() < int32(procs-1) {
			runtime.Gosched()
		}
		// Give the others time to reach the system call.
		for until := clock() + 200*time.Microsecond; clock() < until; {
		}
		ran := make(chan time.Duration, 1)
		t0 := clock()
		go func() { ran <- clock() - t0 }()
		block()
		wg.Wait()
		return <-ran
	}
	var ds []time.Duration
	for range b.N {
		for range handoffSamples {
			ds = append(ds, one())
		}
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2])/1e3, "handoff-µs")
	b.ReportMetric(float64(ds[len(ds)*9/10])/1e3, "handoff-p90-µs")
}
