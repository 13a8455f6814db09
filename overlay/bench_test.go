package overlay

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
)

// BenchmarkAttachDetach attaches and detaches one container on a node
// (a /16 slice) that already holds the given number of containers, and
// reports the service calls of each Attach and each Detach. Neither may
// grow with the number of containers.
func BenchmarkAttachDetach(b *testing.B) {
	for _, held := range []int{10, 1000} {
		b.Run(fmt.Sprintf("attached=%d", held), func(b *testing.B) {
			sim, c := newClient(b)
			n := newNode(b, c, Config{Slice: netip.MustParsePrefix("10.200.0.0/16")})
			ctx := context.Background()
			for i := range held {
				if _, err := n.Attach(ctx, fmt.Sprintf("held%d", i), nil); err != nil {
					b.Fatal(err)
				}
			}
			var attachCalls, detachCalls uint64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				id := fmt.Sprintf("c%d", i)
				c0 := totalCalls(sim)
				if _, err := n.Attach(ctx, id, nil); err != nil {
					b.Fatal(err)
				}
				c1 := totalCalls(sim)
				if err := n.Detach(ctx, id); err != nil {
					b.Fatal(err)
				}
				attachCalls += c1 - c0
				detachCalls += totalCalls(sim) - c1
			}
			b.ReportMetric(float64(attachCalls)/float64(b.N), "calls/attach")
			b.ReportMetric(float64(detachCalls)/float64(b.N), "calls/detach")
		})
	}
}

// BenchmarkAllocator takes the lowest free address and releases it again
// with the given number of addresses in use: packed from network+2 (one
// free span) or every other address (as many spans as addresses in use).
func BenchmarkAllocator(b *testing.B) {
	slice := netip.MustParsePrefix("10.0.0.0/8")
	for _, layout := range []string{"packed", "fragmented"} {
		for _, used := range []int{10, 1000, 100000} {
			b.Run(fmt.Sprintf("%s/used=%d", layout, used), func(b *testing.B) {
				a := newAllocator(slice)
				var in []netip.Addr
				ip := a.first
				for range used {
					in = append(in, ip)
					ip = ip.Next()
					if layout == "fragmented" {
						ip = ip.Next()
					}
				}
				a.reset(in)
				b.ReportAllocs()
				for b.Loop() {
					ip, ok := a.next()
					if !ok {
						b.Fatal("exhausted")
					}
					a.release(ip)
				}
			})
		}
	}
}

// TestServiceCallsPerContainer pins the call counts the package
// documentation gives: 8 per Attach and 4 per Detach, whatever the number
// of containers on the node.
func TestServiceCallsPerContainer(t *testing.T) {
	sim, c := newClient(t)
	n := newNode(t, c, Config{Slice: netip.MustParsePrefix("10.200.0.0/22")})
	ctx := context.Background()
	if _, err := n.EnsureNetwork(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		c0 := totalCalls(sim)
		id := fmt.Sprintf("c%d", i)
		if _, err := n.Attach(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
		if got := totalCalls(sim) - c0; got != 8 {
			t.Fatalf("Attach with %d containers attached made %d calls, want 8 (%v)", i, got, sim.Stats().Calls)
		}
		if i%50 != 0 {
			continue
		}
		c0 = totalCalls(sim)
		if err := n.Detach(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got := totalCalls(sim) - c0; got != 4 {
			t.Fatalf("Detach with %d containers attached made %d calls, want 4", i, got)
		}
	}
}
