package hcnsim

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// BenchmarkServeOpenQueryClose measures one Open+Query+Close of a network
// in process and over a served connection (Unix socket, loopback TCP):
// the per-call overhead of the wire is a third of the difference.
func BenchmarkServeOpenQueryClose(b *testing.B) {
	for _, via := range []string{"inproc", "unix", "tcp"} {
		b.Run(via, func(b *testing.B) {
			sim := New(nil)
			id := hcn.NewGUID()
			h, err := sim.Create(hcn.KindNetwork, id, natDoc("bench", 1, 1))
			if err != nil {
				b.Fatal(err)
			}
			sim.Close(hcn.KindNetwork, h)
			var svc hcn.Service = sim
			if via != "inproc" {
				svc = startServer(b, sim, via, nil).dial()
			}
			b.ReportAllocs()
			b.ResetTimer()
			defer reportCPU(b)()
			for b.Loop() {
				h, err := svc.Open(hcn.KindNetwork, id)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := svc.Query(hcn.KindNetwork, h, ""); err != nil {
					b.Fatal(err)
				}
				if err := svc.Close(hcn.KindNetwork, h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkServeLoad runs the load workload (serve_load_test.go) with 32
// clients, each on its own connection, sharing b.N operations; it reports
// the throughput and the p50 and p99 latency of one operation (1 to 5
// calls: creates, deletes, attaches, enumerates, open-query-close).
func BenchmarkServeLoad(b *testing.B) {
	const clients = 32
	for _, via := range []string{"unix", "tcp"} {
		b.Run(fmt.Sprintf("%s/clients=%d", via, clients), func(b *testing.B) {
			sim := New(nil)
			ts := startServer(b, sim, via, nil)
			shared := sharedNetworks(b, sim)
			workers := make([]*loadWorker, clients)
			for i := range workers {
				workers[i] = newLoadWorker(ts.dial(), i, shared)
			}
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for i, w := range workers {
				n := b.N / clients
				if i < b.N%clients {
					n++
				}
				wg.Go(func() {
					if err := w.run(n); err != nil {
						b.Error(err)
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			var all []time.Duration
			for _, w := range workers {
				all = append(all, w.latencies...)
			}
			slices.Sort(all)
			if len(all) > 0 {
				b.ReportMetric(float64(len(all))/elapsed.Seconds(), "ops/s")
				b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
			}
		})
	}
}
