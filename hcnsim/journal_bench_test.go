package hcnsim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hcnkit/hcn"
)

// writeStateFile writes the state of an in-memory Sim as a state file of
// generation 1 with an empty journal.
func writeStateFile(b *testing.B, mem *Sim, path string) {
	b.Helper()
	snap := encodeSnapshot(mem.st)
	snap.Lineage, snap.Generation = hcn.NewGUID(), 1
	data, err := json.Marshal(snap)
	if err != nil {
		b.Fatal(err)
	}
	h := journalHeader{lineage: snap.Lineage, gen: 1, first: 1}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path+".journal", h.encode(), 0o600); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkStateFileMutation measures a create and a delete of one
// endpoint (two records) with n objects in the state file: sync=on is what
// a call costs, sync=off the emulator's part without the disk's flushes.
// Compactions are included, amortised.
func BenchmarkStateFileMutation(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, sync := range []bool{true, false} {
			b.Run(fmt.Sprintf("objects=%d/sync=%v", n, sync), func(b *testing.B) {
				mem, _, _ := benchNetwork(b, n)
				path := filepath.Join(b.TempDir(), "state.json")
				writeStateFile(b, mem, path)
				s, err := Open(&Options{StateFile: path})
				if err != nil {
					b.Fatal(err)
				}
				nid, _ := s.pick(b, hcn.KindNetwork)
				nh, err := s.Open(hcn.KindNetwork, nid)
				if err != nil {
					b.Fatal(err)
				}
				journalSync = sync
				defer func() { journalSync = true }()
				b.ReportAllocs()
				cpu := reportCPU(b)
				for b.Loop() {
					h, err := s.CreateEndpoint(nh, hcn.NilGUID, `{"Name":"bench-ep"}`)
					if err != nil {
						b.Fatal(err)
					}
					id := s.handleID(h)
					s.Close(hcn.KindEndpoint, h)
					if err := s.Delete(hcn.KindEndpoint, id); err != nil {
						b.Fatal(err)
					}
				}
				cpu()
			})
		}
	}
}

// pick returns the first object of kind k.
func (s *Sim) pick(b *testing.B, k hcn.Kind) (hcn.GUID, bool) {
	var id hcn.GUID
	found := false
	s.read(func(st *state) error {
		for g := range st.objs[k] {
			id, found = g, true
			break
		}
		return nil
	})
	return id, found
}

// BenchmarkStateFileOpen measures opening a state file whose journal holds
// r records (endpoint creates and deletes) after a snapshot of one
// network: the snapshot is read and every record replayed.
func BenchmarkStateFileOpen(b *testing.B) {
	for _, r := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("records=%d", r), func(b *testing.B) {
			at := compactAt
			compactAt = func(int64) int64 { return 1 << 62 }
			journalSync = false
			defer func() { compactAt, journalSync = at, true }()
			path := filepath.Join(b.TempDir(), "state.json")
			s, err := Open(&Options{StateFile: path})
			if err != nil {
				b.Fatal(err)
			}
			nh, err := s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"open","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.0.0.0/8"}]}],"MacPool":{"Ranges":[{"StartMacAddress":"00-15-5D-00-00-00","EndMacAddress":"00-15-5D-FF-FF-FF"}]}}`)
			if err != nil {
				b.Fatal(err)
			}
			var live []hcn.GUID
			for i := 1; i < r; i++ {
				if i%3 == 2 {
					if err := s.Delete(hcn.KindEndpoint, live[0]); err != nil {
						b.Fatal(err)
					}
					live = live[1:]
					continue
				}
				h, err := s.CreateEndpoint(nh, hcn.NilGUID, fmt.Sprintf(`{"Name":"ep-%d"}`, i))
				if err != nil {
					b.Fatal(err)
				}
				live = append(live, s.handleID(h))
				s.Close(hcn.KindEndpoint, h)
			}
			if s.store.pos.rec != uint64(r) {
				b.Fatalf("%d records", s.store.pos.rec)
			}
			b.ReportAllocs()
			cpu := reportCPU(b)
			for b.Loop() {
				if _, err := Open(&Options{StateFile: path}); err != nil {
					b.Fatal(err)
				}
			}
			cpu()
			fi, _ := os.Stat(path + ".journal")
			b.ReportMetric(float64(fi.Size())/(1<<20), "journal-MiB")
		})
	}
}

// BenchmarkStateFileContention measures endpoint creates and deletes by w
// Sims on one state file at once, each Sim a writer as another process
// would be: what the lock's hand-over costs as writers queue on it. An
// op is one create and one delete; the disk's flushes are off.
func BenchmarkStateFileContention(b *testing.B) {
	for _, w := range []int{1, 4, 16, 64} {
		b.Run(fmt.Sprintf("writers=%d", w), func(b *testing.B) {
			journalSync = false
			defer func() { journalSync = true }()
			path := filepath.Join(b.TempDir(), "state.json")
			first, err := Open(&Options{StateFile: path})
			if err != nil {
				b.Fatal(err)
			}
			nid, _ := mustCreateF(first, hcn.KindNetwork, fmt.Sprintf(netDoc, "contention"))
			sims := make([]*Sim, w)
			handles := make([]hcn.Handle, w)
			for i := range sims {
				sims[i] = New(&Options{StateFile: path})
				if handles[i], err = sims[i].Open(hcn.KindNetwork, nid); err != nil {
					b.Fatal(err)
				}
			}
			var left atomic.Int64
			left.Store(int64(b.N))
			b.ReportAllocs()
			cpu := reportCPU(b)
			b.ResetTimer()
			var wg sync.WaitGroup
			for i := range sims {
				s, nh := sims[i], handles[i]
				wg.Go(func() {
					for left.Add(-1) >= 0 {
						h, err := s.CreateEndpoint(nh, hcn.NilGUID, `{}`)
						if err != nil {
							b.Error(err)
							return
						}
						id := s.handleID(h)
						s.Close(hcn.KindEndpoint, h)
						if err := s.Delete(hcn.KindEndpoint, id); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			cpu()
		})
	}
}
