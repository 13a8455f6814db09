package hcnsim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcntest"
)

// dumpState renders what a state persists and every index rebuilt from
// it, so that two states compare equal only when they serve the same
// answers and allocate the same addresses next.
func dumpState(st *state) string {
	var b strings.Builder
	j, _ := json.Marshal(encodeSnapshot(st))
	b.Write(j)
	b.WriteByte('\n')
	var lines []string
	for _, k := range hcn.Kinds {
		for name, ids := range st.names[k] {
			s := make([]string, len(ids))
			for i, id := range ids {
				s[i] = id.String()
			}
			slices.Sort(s)
			lines = append(lines, fmt.Sprintf("name %s %q %v", k, name, s))
		}
	}
	for key, owner := range st.hostPorts {
		lines = append(lines, fmt.Sprintf("port %q/%d/%d %s", key.vip, key.protocol, key.port, owner))
	}
	for id := range st.defaults {
		lines = append(lines, "default "+id.String())
	}
	for _, k := range hcn.Kinds {
		for id, o := range st.objs[k] {
			if o.owner != st {
				lines = append(lines, fmt.Sprintf("object %s %s not owned by its state", k, id))
			}
			lines = append(lines, fmt.Sprintf("%s %s %s", k, id, dumpObject(o)))
		}
	}
	slices.Sort(lines)
	b.WriteString(strings.Join(lines, "\n"))
	return b.String()
}

func dumpObject(o *object) string {
	var b strings.Builder
	if n := o.net; n != nil {
		fmt.Fprintf(&b, "net %s %d", n.typ, n.flags)
		for _, sn := range n.subnets {
			fmt.Fprintf(&b, " subnet %s refs %d used %v far %d", sn.prefix, sn.refs, sortedKeys(sn.pool.used), len(sn.far))
		}
		for _, r := range n.macs.ranges {
			fmt.Fprintf(&b, " macs %x-%x used %v", r.start, r.end, sortedKeys(r.pool.used))
		}
		eps := make([]string, 0, len(n.endpoints))
		for id := range n.endpoints {
			eps = append(eps, id.String())
		}
		slices.Sort(eps)
		fmt.Fprintf(&b, " endpoints %v", eps)
	}
	if e := o.ep; e != nil {
		fmt.Fprintf(&b, "ep net %s ns %s mac %x/%v remote %v port %v inst %s stats %v ports %v ips",
			e.network, e.namespace, e.mac, e.hasMAC, e.remote, e.port, e.instance, e.stats, e.ports)
		for _, a := range e.ips {
			sub := "-"
			if a.sub != nil {
				sub = a.sub.prefix.String()
			}
			fmt.Fprintf(&b, " %s/%d@%s", a.addr, a.bits, sub)
		}
	}
	if n := o.ns; n != nil {
		fmt.Fprintf(&b, "ns %s %d %v %v", n.typ, n.compartment, n.endpoints, n.containers)
	}
	if l := o.lb; l != nil {
		fmt.Fprintf(&b, "lb %v", l.keys)
	}
	return b.String()
}

func sortedKeys(m map[uint64]struct{}) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// dumpSim is dumpState of a Sim's state, caught up with its state file.
func dumpSim(t testing.TB, s *Sim) string {
	t.Helper()
	var out string
	if err := s.read(func(st *state) error { out = dumpState(st); return nil }); err != nil {
		t.Fatalf("read: %v", err)
	}
	return out
}

// sameState fails the test unless every Sim holds the state of want.
func sameState(t testing.TB, what string, want *Sim, others ...*Sim) {
	t.Helper()
	w := dumpSim(t, want)
	for i, o := range others {
		if g := dumpSim(t, o); g != w {
			t.Fatalf("%s: Sim %d differs from the writer's:\n%s", what, i, firstDiff(g, w))
		}
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\n got: %.600s\nwant: %.600s", i, a, b)
		}
	}
	return "(equal)"
}

// mirrored is a Sim on a state file checked after every mutating call:
// a second Sim catching up record by record holds the same state. Calls
// are serialised so that each check sees the state its call left.
type mirrored struct {
	*Sim
	t      *testing.T
	follow *Sim
	mu     *sync.Mutex
}

func (m *mirrored) check(what string) {
	defer m.mu.Unlock()
	w, g := dumpSim(m.t, m.Sim), dumpSim(m.t, m.follow)
	if g != w {
		m.t.Errorf("after %s: the Sim replaying the journal differs:\n%s", what, firstDiff(g, w))
	}
}

func (m *mirrored) start() { m.mu.Lock() }

func (m *mirrored) Create(k hcn.Kind, id hcn.GUID, settings string) (hcn.Handle, error) {
	defer m.check("Create")
	m.start()
	return m.Sim.Create(k, id, settings)
}

func (m *mirrored) CreateEndpoint(n hcn.Handle, id hcn.GUID, settings string) (hcn.Handle, error) {
	defer m.check("CreateEndpoint")
	m.start()
	return m.Sim.CreateEndpoint(n, id, settings)
}

func (m *mirrored) Modify(k hcn.Kind, h hcn.Handle, settings string) error {
	defer m.check("Modify " + settings)
	m.start()
	return m.Sim.Modify(k, h, settings)
}

func (m *mirrored) Delete(k hcn.Kind, id hcn.GUID) error {
	defer m.check("Delete")
	m.start()
	return m.Sim.Delete(k, id)
}

func (m *mirrored) HNSCall(method, path, request string) (string, error) {
	defer m.check("HNSCall " + method + " " + path)
	m.start()
	return m.Sim.HNSCall(method, path, request)
}

func (m *mirrored) Restart() error {
	defer m.check("Restart")
	m.start()
	return m.Sim.Restart()
}

// TestJournalConformance runs the conformance suite on a Sim with a state
// file, as is and then checking after every mutating call that another
// Sim replaying the journal holds the same state, and after every
// scenario that a Sim loading the file afresh does too. The journal is
// compacted often.
func TestJournalConformance(t *testing.T) {
	at := compactAt
	compactAt = func(int64) int64 { return 16 << 10 }
	defer func() { compactAt = at }()
	t.Run("plain", func(t *testing.T) {
		sim := New(&Options{StateFile: filepath.Join(t.TempDir(), "state.json")})
		hcntest.Run(t, func(t *testing.T) hcn.Service { return sim }, nil)
	})
	t.Run("client", func(t *testing.T) {
		sim := New(&Options{StateFile: filepath.Join(t.TempDir(), "state.json")})
		hcntest.RunClient(t, func(t *testing.T) hcn.Service { return sim }, nil)
	})
	t.Run("mirrored", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.json")
		sim, err := Open(&Options{StateFile: path})
		if err != nil {
			t.Fatal(err)
		}
		follow := New(&Options{StateFile: path})
		var mu sync.Mutex
		hcntest.Run(t, func(t *testing.T) hcn.Service {
			t.Cleanup(func() { sameState(t, "a fresh Sim", sim, New(&Options{StateFile: path})) })
			return &mirrored{Sim: sim, t: t, follow: follow, mu: &mu}
		}, nil)
	})
}

// endpointSet returns the ids of the endpoints s sees.
func endpointSet(t *testing.T, s *Sim) map[hcn.GUID]bool {
	t.Helper()
	out, err := s.Enumerate(hcn.KindEndpoint, "")
	if err != nil {
		t.Fatalf("enumerate: %v", err)
	}
	var ids []string
	if err := json.Unmarshal([]byte(out), &ids); err != nil {
		t.Fatal(err)
	}
	set := map[hcn.GUID]bool{}
	for _, id := range ids {
		set[hcn.MustParseGUID(id)] = true
	}
	return set
}

// TestJournalThreeSims is the sequence that lost acknowledged changes
// when a Sim decided from file identity, size and time that nothing had
// changed: A creates Tmp; B deletes Old; C creates New (taking Old's
// address and MAC, so the state keeps its size); A deletes Tmp.
func TestJournalThreeSims(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	a, b, c := New(&Options{StateFile: path}), New(&Options{StateFile: path}), New(&Options{StateFile: path})
	nid, nh := mustCreate(t, a, hcn.KindNetwork, fmt.Sprintf(netDoc, "three"))
	oldID, _ := mustEndpoint(t, a, nh, `{}`)
	for _, s := range []*Sim{a, b, c} {
		dumpSim(t, s) // every Sim has read the state
	}
	tmpID, _ := mustEndpoint(t, a, nh, `{}`)
	if err := b.Delete(hcn.KindEndpoint, oldID); err != nil {
		t.Fatal(err)
	}
	ch, err := c.Open(hcn.KindNetwork, nid)
	if err != nil {
		t.Fatal(err)
	}
	newID, _ := mustEndpoint(t, c, ch, `{}`)
	if err := a.Delete(hcn.KindEndpoint, tmpID); err != nil {
		t.Fatal(err)
	}
	for i, s := range []*Sim{a, b, c, New(&Options{StateFile: path})} {
		got := endpointSet(t, s)
		if !got[newID] || got[oldID] || got[tmpID] || len(got) != 1 {
			t.Errorf("Sim %d sees %v; want only New %s", i, got, newID)
		}
	}
	sameState(t, "three Sims", a, b, c, New(&Options{StateFile: path}))
}

// TestJournalFixedTimes defeats identity, size and time heuristics on
// purpose: every save is followed by forcing the files' times to one
// value, and deletes followed by creates keep the state's size (a new
// endpoint takes the address and MAC just freed). Every acknowledged
// change is seen by every Sim.
func TestJournalFixedTimes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	sims := []*Sim{New(&Options{StateFile: path}), New(&Options{StateFile: path}), New(&Options{StateFile: path})}
	nid, _ := mustCreate(t, sims[0], hcn.KindNetwork, fmt.Sprintf(netDoc, "fixed"))
	fixed := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	pin := func() {
		for _, f := range []string{path, path + ".journal"} {
			if err := os.Chtimes(f, fixed, fixed); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[hcn.GUID]bool{}
	create := func(s *Sim) {
		nh, err := s.Open(hcn.KindNetwork, nid)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := mustEndpoint(t, s, nh, `{}`)
		want[id] = true
		pin()
	}
	for i := 0; i < 3; i++ {
		create(sims[i])
	}
	for i := 0; i < 60; i++ {
		del, add := sims[i%3], sims[(i+1+i/3)%3]
		var victim hcn.GUID
		for id := range want {
			victim = id
			break
		}
		if err := del.Delete(hcn.KindEndpoint, victim); err != nil {
			t.Fatalf("round %d: delete: %v", i, err)
		}
		delete(want, victim)
		pin()
		create(add)
		for j, s := range sims {
			got := endpointSet(t, s)
			if len(got) != len(want) {
				t.Fatalf("round %d: Sim %d sees %d endpoints, want %d", i, j, len(got), len(want))
			}
			for id := range want {
				if !got[id] {
					t.Fatalf("round %d: Sim %d lost acknowledged endpoint %s", i, j, id)
				}
			}
			pin()
		}
	}
	sameState(t, "fixed times", sims[0], sims[1], sims[2], New(&Options{StateFile: path}))
}

// copyState copies the state file's snapshot and the first n bytes of its
// journal into a new directory and returns the new state file's path.
func copyState(t *testing.T, path string, n int64) string {
	t.Helper()
	snap, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	j, err := os.ReadFile(path + ".journal")
	if err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(to, snap, 0o600)
	os.WriteFile(to+".journal", j[:n], 0o600)
	return to
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestJournalTornRecord cuts the journal at every byte of its last record,
// as a crash in the middle of the append would: opening recovers the state
// before that record and cuts the torn bytes off.
func TestJournalTornRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := Open(&Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "torn"))
	epID, _ := mustEndpoint(t, s, nh, `{}`)
	nsID, _ := mustCreate(t, s, hcn.KindNamespace, `{}`)
	before := dumpSim(t, s)
	start := fileSize(t, path+".journal")
	// The last record changes two objects: the endpoint and the namespace.
	nsh, _ := s.Open(hcn.KindNamespace, nsID)
	if err := s.Modify(hcn.KindNamespace, nsh, fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, epID)); err != nil {
		t.Fatal(err)
	}
	after := dumpSim(t, s)
	end := fileSize(t, path+".journal")
	if end <= start+frameHeaderSize {
		t.Fatalf("journal %d..%d", start, end)
	}
	for cut := start; cut <= end; cut++ {
		p := copyState(t, path, cut)
		// A reader serves the state before the record and leaves the file.
		if got := dumpSim(t, New(&Options{StateFile: p})); cut < end && got != before {
			t.Fatalf("cut at %d: a reader serves:\n%s", cut, firstDiff(got, before))
		}
		o, err := Open(&Options{StateFile: p})
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		want, wantSize := before, start
		if cut == end {
			want, wantSize = after, end
		}
		if got := dumpSim(t, o); got != want {
			t.Fatalf("cut at %d:\n%s", cut, firstDiff(got, want))
		}
		if n := fileSize(t, p+".journal"); n != wantSize {
			t.Fatalf("cut at %d: journal of %d bytes after recovery, want %d", cut, n, wantSize)
		}
	}
}

// TestJournalDamage: a record damaged in the middle of the journal (not a
// torn tail: intact records follow) fails the calls instead of silently
// dropping the records after it.
func TestJournalDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := Open(&Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	start := fileSize(t, path+".journal")
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "damaged"))
	mustEndpoint(t, s, nh, `{}`)
	j, _ := os.ReadFile(path + ".journal")
	j[start+frameHeaderSize+5] ^= 0x20
	os.WriteFile(path+".journal", j, 0o600)
	if _, err := Open(&Options{StateFile: path}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("open of a damaged journal: %v", err)
	}
	if _, err := New(&Options{StateFile: path}).Enumerate(hcn.KindEndpoint, ""); !errors.Is(err, hcn.E_FAIL) {
		t.Errorf("a call on a damaged journal: %v", err)
	}
	if n := fileSize(t, path+".journal"); n != int64(len(j)) {
		t.Errorf("the damaged journal was cut to %d bytes", n)
	}
}

// TestJournalCompactionStalePositions: Sims whose position is in an older
// generation detect the compactions another Sim made and catch up.
func TestJournalCompactionStalePositions(t *testing.T) {
	at := compactAt
	compactAt = func(int64) int64 { return 4 << 10 }
	defer func() { compactAt = at }()
	path := filepath.Join(t.TempDir(), "state.json")
	a, b, c := New(&Options{StateFile: path}), New(&Options{StateFile: path}), New(&Options{StateFile: path})
	nid, nh := mustCreate(t, a, hcn.KindNetwork, fmt.Sprintf(netDoc, "compact"))
	dumpSim(t, b)
	dumpSim(t, c)
	gen := b.store.pos.gen
	for a.store.pos.gen < gen+3 {
		_, eh := mustEndpoint(t, a, nh, `{}`)
		a.Close(hcn.KindEndpoint, eh)
	}
	if b.store.pos.gen != gen || c.store.pos.gen != gen {
		t.Fatal("b or c moved without a call")
	}
	bh, err := b.Open(hcn.KindNetwork, nid)
	if err != nil {
		t.Fatal(err)
	}
	mustEndpoint(t, b, bh, `{}`)
	sameState(t, "after compactions", a, b, c, New(&Options{StateFile: path}))
	if b.store.pos.gen != a.store.pos.gen || c.store.pos.gen != a.store.pos.gen {
		t.Errorf("generations a %d b %d c %d", a.store.pos.gen, b.store.pos.gen, c.store.pos.gen)
	}
}

// TestJournalOrphanTemps: temporary files a killed writer left are removed
// by the next writer; other files are left alone.
func TestJournalOrphanTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	orphans := []string{"state.json.tmp-1", "state.json.tmp-2222"}
	kept := []string{"state.json.tmp-x1", "other.json.tmp-3", "state.json.tmp-"}
	for _, n := range append(orphans, kept...) {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	s, err := Open(&Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	exists := func(n string) bool { _, err := os.Stat(filepath.Join(dir, n)); return err == nil }
	for _, n := range orphans {
		if exists(n) {
			t.Errorf("%s not removed", n)
		}
	}
	for _, n := range kept {
		if !exists(n) {
			t.Errorf("%s removed", n)
		}
	}
	// A compaction killed before its rename leaves its temporary file,
	// which the next compaction removes.
	at := compactAt
	compactAt = func(int64) int64 { return 0 }
	defer func() { compactAt = at }()
	var left string
	testHookBeforeRename = func(tmp string) error { left = tmp; return errors.New("killed") }
	_, err = s.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(netDoc, "x"))
	testHookBeforeRename = nil
	if err == nil || left == "" {
		t.Fatalf("create during a killed compaction: %v", err)
	}
	if _, err := os.Stat(left); err != nil {
		t.Fatalf("the killed compaction left nothing: %v", err)
	}
	mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "y"))
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("%s not removed: %v", left, err)
	}
}

// TestJournalLegacyFormat: a state file of the whole-file format is read
// as is and rewritten as snapshot and journal by the first writer.
func TestJournalLegacyFormat(t *testing.T) {
	mem := New(nil)
	_, nh := mustCreate(t, mem, hcn.KindNetwork, fmt.Sprintf(netDoc, "legacy"))
	mustEndpoint(t, mem, nh, `{}`)
	snap := encodeSnapshot(mem.st)
	snap.Format = snapshotFormatLegacy
	data, _ := json.Marshal(snap)
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, data, 0o600)
	want := dumpSim(t, mem)
	if got := dumpSim(t, New(&Options{StateFile: path})); got != want {
		t.Fatalf("reading the old format:\n%s", firstDiff(got, want))
	}
	s, err := Open(&Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	var head snapshot
	b, _ := os.ReadFile(path)
	json.Unmarshal(b, &head)
	if head.Format != snapshotFormat || head.Generation != 1 || fileSize(t, path+".journal") != journalHeaderSize {
		t.Errorf("not rewritten: format %d generation %d", head.Format, head.Generation)
	}
	sameState(t, "rewritten", mem, s, New(&Options{StateFile: path}))
}

// TestJournalLockExclusion: with the advisory lock and with the O_EXCL
// fallback, holders never overlap, shared (read) holders included, and
// Sims writing concurrently lose nothing.
func TestJournalLockExclusion(t *testing.T) {
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprintf("fallback=%v", fallback), func(t *testing.T) {
			forceExclLock = fallback
			defer func() { forceExclLock = false }()
			testLockExclusion(t, fallback)
		})
	}
}

func testLockExclusion(t *testing.T, fallback bool) {
	path := filepath.Join(t.TempDir(), "state.json")
	var inside, overlaps atomic.Int32
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		d := newStore(path, time.Minute)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				excl := (g+i)%2 == 0
				unlock, err := d.lock(context.Background(), excl)
				if err != nil {
					t.Error(err)
					return
				}
				// A shared holder may overlap other shared holders
				// (advisory lock) but never an exclusive one.
				n := inside.Add(1)
				if excl {
					n = inside.Add(1000)
				}
				if n != 1 && n != 1001 && (excl || fallback || n > 1000) {
					overlaps.Add(1)
				}
				runtime.Gosched()
				if excl {
					inside.Add(-1000)
				}
				inside.Add(-1)
				unlock()
			}
		}()
	}
	wg.Wait()
	if n := overlaps.Load(); n != 0 {
		t.Fatalf("%d overlapping holders", n)
	}
	if _, err := os.Stat(path + ".lock.excl"); !os.IsNotExist(err) {
		t.Errorf("lock file left: %v", err)
	}
	// Writers through the lock.
	sims := []*Sim{New(&Options{StateFile: path}), New(&Options{StateFile: path}), New(&Options{StateFile: path})}
	nid, _ := mustCreate(t, sims[0], hcn.KindNetwork, fmt.Sprintf(netDoc, "writers"))
	for _, s := range sims {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nh, err := s.Open(hcn.KindNetwork, nid)
			if err != nil {
				t.Error(err)
				return
			}
			for i := 0; i < 15; i++ {
				if _, err := s.CreateEndpoint(nh, hcn.NilGUID, `{}`); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := len(endpointSet(t, New(&Options{StateFile: path}))); n != 45 {
		t.Errorf("%d endpoints, want 45", n)
	}
	sameState(t, "concurrent writers", sims[0], sims[1], sims[2], New(&Options{StateFile: path}))
}

// TestJournalLockWaiter: a call that meets a busy advisory lock waits in
// the kernel through a lockWaiter. A wait given up (timeout or cancelled
// context) is adopted by the store's next call instead of starting
// another, and once the lock is free an unwanted waiter lets it go at
// once: it never keeps the lock from other processes.
func TestJournalLockWaiter(t *testing.T) {
	if !haveFileLocks {
		t.Skip("no advisory file locks here")
	}
	path := filepath.Join(t.TempDir(), "state.json")
	holder := newStore(path, time.Minute)
	unlock, err := holder.lock(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	d := newStore(path, 10*time.Millisecond)
	for i := range 3 {
		if _, err := d.lock(context.Background(), true); !errors.Is(toError("x", 0, "", err), hcn.ErrTransient) {
			t.Fatalf("attempt %d under a held lock: %v", i, err)
		}
	}
	w := d.waiters[1]
	if w == nil {
		t.Fatal("no waiter after a busy wait")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.lock(ctx, true); err == nil {
		t.Fatal("lock with a cancelled context succeeded")
	}
	if d.waiters[1] != w {
		t.Error("a later wait started a second waiter instead of adopting the first")
	}
	unlock()
	select {
	case <-w.ended:
	case <-time.After(time.Minute):
		t.Fatal("the waiter did not get the freed lock")
	}
	if !w.released {
		t.Error("the unwanted waiter kept the lock")
	}
	// Another holder gets the lock: the abandoned waiter does not hold it.
	other := newStore(path, time.Minute)
	u2, err := other.lock(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	// A call waiting while the holder lets go gets the lock from its waiter.
	got := make(chan error, 1)
	patient := newStore(path, time.Minute)
	waiting := make(chan struct{}, 1)
	lockWaiting = func() {
		select {
		case waiting <- struct{}{}:
		default:
		}
	}
	defer func() { lockWaiting = func() {} }()
	go func() {
		u, err := patient.lock(context.Background(), false)
		if err == nil {
			u()
		}
		got <- err
	}()
	<-waiting
	u2()
	if err := <-got; err != nil {
		t.Fatalf("waiting call: %v", err)
	}
	// And the store's own fast path still works after all that.
	u3, err := d.lock(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	u3()
}

// TestJournalLockTimeout: a lock held past LockTimeout fails the call
// with ERROR_NOT_READY, which is ErrTransient; the call succeeds once the
// lock is free. With the fallback, a lock file left by a dead holder is
// not broken.
func TestJournalLockTimeout(t *testing.T) {
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprintf("fallback=%v", fallback), func(t *testing.T) {
			forceExclLock = fallback
			defer func() { forceExclLock = false }()
			path := filepath.Join(t.TempDir(), "state.json")
			s := New(&Options{StateFile: path, LockTimeout: 20 * time.Millisecond})
			holder := newStore(path, time.Minute)
			unlock, err := holder.lock(context.Background(), true)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(netDoc, "late"))
			if !errors.Is(err, hcn.ErrTransient) || !errors.Is(err, hcn.ERROR_NOT_READY) {
				t.Errorf("write under a held lock: %v", err)
			}
			if _, err := s.Enumerate(hcn.KindNetwork, ""); !errors.Is(err, hcn.ErrTransient) {
				t.Errorf("read under a held lock: %v", err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := newStore(path, time.Hour).lock(ctx, true); !errors.Is(toError("x", 0, "", err), hcn.ErrTransient) {
				t.Errorf("lock with a cancelled context: %v", err)
			}
			unlock()
			mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "late"))
			if fallback {
				// A holder that died leaves its lock file: never broken.
				os.WriteFile(path+".lock.excl", []byte("1\n"), 0o600)
				old := time.Now().Add(-time.Hour)
				os.Chtimes(path+".lock.excl", old, old)
				if _, err := s.Enumerate(hcn.KindNetwork, ""); !errors.Is(err, hcn.ErrTransient) {
					t.Errorf("read under a dead holder's lock: %v", err)
				}
				if _, err := os.Stat(path + ".lock.excl"); err != nil {
					t.Errorf("the lock file was broken: %v", err)
				}
			}
		})
	}
}

// FuzzJournal feeds arbitrary journals (after a valid header) to a Sim: it
// may refuse them but must not panic, and what it accepts must serve
// queries and survive a write.
func FuzzJournal(f *testing.F) {
	dir := f.TempDir()
	seedPath := filepath.Join(dir, "seed.json")
	s, err := Open(&Options{StateFile: seedPath})
	if err != nil {
		f.Fatal(err)
	}
	_, nh := mustCreateF(s, hcn.KindNetwork, fmt.Sprintf(netDoc, "fuzz"))
	eh, _ := s.CreateEndpoint(nh, hcn.NilGUID, `{"Policies":[{"Type":"PortMapping","Settings":{"Protocol":6,"InternalPort":80,"ExternalPort":8080}}]}`)
	nsID, nsh := mustCreateF(s, hcn.KindNamespace, `{}`)
	s.Modify(hcn.KindNamespace, nsh, fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, s.handleID(eh)))
	s.Delete(hcn.KindNamespace, nsID)
	s.Reset()
	snap, _ := os.ReadFile(seedPath)
	j, _ := os.ReadFile(seedPath + ".journal")
	f.Add(j[journalHeaderSize:])
	f.Add(encodeRecordFrame([]byte(`{"Record":1,"Put":[{"Kind":2,"Doc":{"ID":"00000000-0000-4000-8000-000000000001"}}]}`)))
	f.Add(encodeRecordFrame([]byte(`{"Record":1,"Drop":[{"Kind":3,"ID":"910f7d92-ba2d-4c3f-98ae-7c0ac590d2dc"}]}`)))
	// The disk's flushes are not what this fuzzes; without them an
	// execution costs microseconds instead of milliseconds.
	journalSync = false
	defer func() { journalSync = true }()
	n := 0
	f.Fuzz(func(t *testing.T, body []byte) {
		n++
		path := filepath.Join(dir, fmt.Sprintf("s%d.json", n))
		defer func() {
			for _, suffix := range []string{"", ".journal", ".lock"} {
				os.Remove(path + suffix)
			}
		}()
		os.WriteFile(path, snap, 0o600)
		os.WriteFile(path+".journal", append(j[:journalHeaderSize:journalHeaderSize], body...), 0o600)
		s, err := Open(&Options{StateFile: path})
		if err != nil {
			return
		}
		for _, k := range hcn.Kinds {
			checkErr(t, "enumerate", errOnly(s.Enumerate(k, "")))
		}
		if _, err := s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.9.0.0/24"}]}]}`); err != nil {
			checkErr(t, "create", err)
		}
		if _, err := Open(&Options{StateFile: path}); err != nil {
			t.Fatalf("a journal accepted once is refused after a write: %v", err)
		}
	})
}

func errOnly(_ string, err error) error { return err }
