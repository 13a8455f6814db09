package hcnsim

import (
	"fmt"
	"testing"

	"github.com/hcnkit/hcn"
)

var benchSizes = []int{1000, 100000}

// benchNetwork makes a sim with one NAT network on 10.0.0.0/8 and n
// endpoints on it; it returns the sim, an open network handle and the
// endpoint ids.
func benchNetwork(b *testing.B, n int) (*Sim, hcn.Handle, []hcn.GUID) {
	b.Helper()
	s := New(nil)
	nh, err := s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"bench","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.0.0.0/8","Routes":[{"NextHop":"10.0.0.1","DestinationPrefix":"0.0.0.0/0"}]}]}],"MacPool":{"Ranges":[{"StartMacAddress":"00-15-5D-00-00-00","EndMacAddress":"00-15-5D-FF-FF-FF"}]}}`)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]hcn.GUID, n)
	for i := range ids {
		ids[i] = hcn.NewGUID()
		h, err := s.CreateEndpoint(nh, ids[i], fmt.Sprintf(`{"Name":"ep-%d"}`, i))
		if err != nil {
			b.Fatal(err)
		}
		s.Close(hcn.KindEndpoint, h)
	}
	return s, nh, ids
}

// BenchmarkEndpointLifecycle measures create, query, close, open, query,
// close and delete of one endpoint among n existing ones.
func BenchmarkEndpointLifecycle(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			s, nh, _ := benchNetwork(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				h, err := s.CreateEndpoint(nh, hcn.NilGUID, `{"Name":"bench-ep"}`)
				if err != nil {
					b.Fatal(err)
				}
				benchCycle(b, s, hcn.KindEndpoint, h)
			}
		})
	}
}

// benchCycle queries h, closes it, opens the object again, queries,
// closes and deletes it.
func benchCycle(b *testing.B, s *Sim, k hcn.Kind, h hcn.Handle) {
	if _, err := s.Query(k, h, ""); err != nil {
		b.Fatal(err)
	}
	id := s.handleID(h)
	s.Close(k, h)
	h, err := s.Open(k, id)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Query(k, h, ""); err != nil {
		b.Fatal(err)
	}
	s.Close(k, h)
	if err := s.Delete(k, id); err != nil {
		b.Fatal(err)
	}
}

// handleID is a test helper: the object id behind an open handle.
func (s *Sim) handleID(h hcn.Handle) hcn.GUID {
	s.handles.mu.Lock()
	defer s.handles.mu.Unlock()
	return s.handles.m[h].id
}

// BenchmarkLoadBalancerLifecycle measures create, query, close, open,
// query, close and delete of one load balancer among n existing ones.
func BenchmarkLoadBalancerLifecycle(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			s, _, eps := benchNetwork(b, 2)
			for i := 0; i < n; i++ {
				doc := fmt.Sprintf(`{"HostComputeEndpoints":[%q,%q],"FrontendVIPs":["172.16.%d.%d"],"PortMappings":[{"Protocol":6,"InternalPort":80,"ExternalPort":%d}]}`,
					eps[0], eps[1], i/250%250, i%250+1, 1+i/62500)
				h, err := s.Create(hcn.KindLoadBalancer, hcn.NilGUID, doc)
				if err != nil {
					b.Fatal(err)
				}
				s.Close(hcn.KindLoadBalancer, h)
			}
			doc := fmt.Sprintf(`{"HostComputeEndpoints":[%q],"FrontendVIPs":["192.168.0.1"],"PortMappings":[{"Protocol":6,"InternalPort":80,"ExternalPort":80}]}`, eps[0])
			b.ReportAllocs()
			b.ResetTimer()
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				h, err := s.Create(hcn.KindLoadBalancer, hcn.NilGUID, doc)
				if err != nil {
					b.Fatal(err)
				}
				benchCycle(b, s, hcn.KindLoadBalancer, h)
			}
		})
	}
}

// BenchmarkEnumerateByName measures an Enumerate filtered by Name among n
// endpoints (an index lookup, not a scan).
func BenchmarkEnumerateByName(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("objects=%d", n), func(b *testing.B) {
			s, _, _ := benchNetwork(b, n)
			q := `{"Filter":"{\"Name\":\"ep-7\"}"}`
			b.ReportAllocs()
			b.ResetTimer()
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				if out, err := s.Enumerate(hcn.KindEndpoint, q); err != nil || len(out) < 10 {
					b.Fatal(out, err)
				}
			}
		})
	}
}

// reportCPU starts measuring process CPU time; the returned func reports
// it per operation as cpu-ns/op (wall time is unreliable on a shared
// machine; CPU time includes the garbage collector's work).
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}
