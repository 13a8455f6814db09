package hcn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// benchEndpoints returns an emulator holding n endpoints on one network.
func benchEndpoints(b *testing.B, n int) *hcnsim.Sim {
	b.Helper()
	sim := hcnsim.New(nil)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	doc := natNetwork("bench", "10.128.0.0/12")
	doc.MacPool = hcn.MacPool{Ranges: []hcn.MacRange{{StartMacAddress: "00-15-5D-00-00-00", EndMacAddress: "00-15-5D-0F-FF-FF"}}}
	net, err := c.CreateNetwork(ctx, doc)
	if err != nil {
		b.Fatal(err)
	}
	for range n {
		if _, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID}); err != nil {
			b.Fatal(err)
		}
	}
	return sim
}

// serialList is the incumbent's listing (hcntest.SerialListEndpoints).
var serialList = hcntest.SerialListEndpoints

// BenchmarkListEndpoints lists N endpoints with properties against an
// emulator with 200µs latency per call, both with the Client (which fans
// out to its bounded parallelism, the calls being slow) and with a serial
// 1+N implementation, in the same run.
// Reported: each one's wall time per list, the ratio serial/client, and
// the Client's service calls per list (1+3N). N=10000 takes ~6s per serial
// list: run it with -benchtime=1x.
func BenchmarkListEndpoints(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		for _, par := range []int{hcn.DefaultListParallelism, 32} {
			b.Run(fmt.Sprintf("N=%d/par=%d", n, par), func(b *testing.B) {
				sim := benchEndpoints(b, n)
				c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim, ListParallelism: par})
				if err != nil {
					b.Fatal(err)
				}
				sim.SetLatency(hcnsim.AllOps, 200*time.Microsecond)
				ctx := context.Background()
				var client, serial time.Duration
				var calls uint64
				b.ResetTimer()
				for range b.N {
					before := totalCalls(sim)
					start := time.Now()
					eps, err := c.ListEndpoints(ctx, nil)
					client += time.Since(start)
					calls += totalCalls(sim) - before
					if err != nil || len(eps) != n {
						b.Fatalf("client list: %d, %v", len(eps), err)
					}
					start = time.Now()
					eps, err = serialList(sim)
					serial += time.Since(start)
					if err != nil || len(eps) != n {
						b.Fatalf("serial list: %d, %v", len(eps), err)
					}
				}
				b.ReportMetric(float64(client.Milliseconds())/float64(b.N), "client-ms/list")
				b.ReportMetric(float64(serial.Milliseconds())/float64(b.N), "serial-ms/list")
				b.ReportMetric(float64(serial)/float64(client), "serial/client")
				b.ReportMetric(float64(calls)/float64(b.N), "calls/list")
			})
		}
	}
}

// BenchmarkListSerialOverhead compares the Client's list with serialList
// on an emulator that answers at once (no latency): the Client must not
// pay for its fan-out when the calls are cheap. Each iteration runs both,
// one after the other, so that load on the machine hits both alike.
// Reported: each one's time per list and the ratio client/serial.
func BenchmarkListSerialOverhead(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			sim := benchEndpoints(b, n)
			c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var client, serial time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				// Alternate which runs first, so neither always runs
				// right after the other's garbage.
				for j := range 2 {
					start := time.Now()
					var err error
					if (i+j)%2 == 0 {
						_, err = c.ListEndpoints(ctx, nil)
						client += time.Since(start)
					} else {
						_, err = serialList(sim)
						serial += time.Since(start)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(client.Microseconds())/float64(b.N), "client-µs/list")
			b.ReportMetric(float64(serial.Microseconds())/float64(b.N), "serial-µs/list")
			b.ReportMetric(float64(client)/float64(serial), "client/serial")
		})
	}
}

// BenchmarkClientOverhead measures the Client against the raw seam with no
// emulated latency: ns/op and allocs/op of get, list (10 endpoints),
// create and delete.
func BenchmarkClientOverhead(b *testing.B) {
	ctx := context.Background()
	b.Run("get", func(b *testing.B) {
		sim := benchEndpoints(b, 1)
		c, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
		id := firstEndpoint(b, sim)
		text := id.ID() // what a caller holds: the id as documents carry it
		b.Run("client", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := c.GetEndpoint(ctx, text); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("seam", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				h, err := sim.Open(hcn.KindEndpoint, id)
				if err != nil {
					b.Fatal(err)
				}
				s, err := sim.Query(hcn.KindEndpoint, h, `{"SchemaVersion":{"Major":2,"Minor":0}}`)
				sim.Close(hcn.KindEndpoint, h)
				var ep hcn.Endpoint
				if err != nil || ep.UnmarshalJSON([]byte(s)) != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("list10", func(b *testing.B) {
		sim := benchEndpoints(b, 10)
		c, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
		b.Run("client", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := c.ListEndpoints(ctx, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("seam", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := serialList(sim); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("create", func(b *testing.B) {
		sim := hcnsim.New(nil)
		c, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
		b.Run("client", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("seam", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				h, err := sim.Create(hcn.KindNamespace, hcn.NewGUID(), `{"Type":"Host","SchemaVersion":{"Major":2,"Minor":0}}`)
				if err != nil {
					b.Fatal(err)
				}
				s, err := sim.Query(hcn.KindNamespace, h, `{"SchemaVersion":{"Major":2,"Minor":0}}`)
				sim.Close(hcn.KindNamespace, h)
				var ns hcn.Namespace
				if err != nil || ns.UnmarshalJSON([]byte(s)) != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("delete", func(b *testing.B) {
		for _, mode := range []string{"client", "seam"} {
			b.Run(mode, func(b *testing.B) {
				sim := hcnsim.New(nil)
				c, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
				ids := make([]hcn.ID, b.N)
				for i := range ids {
					ids[i] = hcn.NewGUID().ID()
					h, err := sim.Create(hcn.KindNamespace, hcn.MustParseGUID(string(ids[i])), `{"Type":"Host","SchemaVersion":{"Major":2,"Minor":0}}`)
					if err != nil {
						b.Fatal(err)
					}
					sim.Close(hcn.KindNamespace, h)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for _, id := range ids {
					var err error
					if mode == "client" {
						err = c.DeleteNamespace(ctx, id, nil)
					} else {
						err = sim.Delete(hcn.KindNamespace, hcn.MustParseGUID(string(id)))
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

func firstEndpoint(b *testing.B, sim *hcnsim.Sim) hcn.GUID {
	out, err := sim.Enumerate(hcn.KindEndpoint, "")
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	if err := json.Unmarshal([]byte(out), &ids); err != nil || len(ids) == 0 {
		b.Fatal(out, err)
	}
	id, err := hcn.ParseGUID(ids[0])
	if err != nil {
		b.Fatal(err)
	}
	return id
}
