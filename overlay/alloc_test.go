package overlay

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

func ips(s ...string) []netip.Addr {
	out := make([]netip.Addr, len(s))
	for i, x := range s {
		out[i] = ip(x)
	}
	return out
}

// drain takes addresses with next until none is left.
func drain(a *allocator) []netip.Addr {
	var out []netip.Addr
	for {
		ip, ok := a.next()
		if !ok {
			return out
		}
		out = append(out, ip)
	}
}

// checkSpans fails when a's free list is not sorted, disjoint, never
// adjacent and inside the usable range.
func checkSpans(t *testing.T, a *allocator) {
	t.Helper()
	for i, s := range a.free {
		if s.lo.Compare(s.hi) > 0 || !a.usable(s.lo) || !a.usable(s.hi) {
			t.Fatalf("span %d %v..%v: empty or outside %v..%v", i, s.lo, s.hi, a.first, a.last)
		}
		if i > 0 && a.free[i-1].hi.Next().Compare(s.lo) >= 0 {
			t.Fatalf("spans %d and %d overlap or touch: %v", i-1, i, a.free)
		}
	}
}

func TestAllocatorRanges(t *testing.T) {
	tests := []struct {
		slice       string
		first, last string
		n           int
	}{
		{"10.200.0.16/28", "10.200.0.18", "10.200.0.30", 13},
		{"10.200.0.0/30", "10.200.0.2", "10.200.0.2", 1},
		{"fd00:200::/64", "fd00:200::2", "fd00:200::ffff:ffff:ffff:ffff", -1},
		{"fd00:200::/126", "fd00:200::2", "fd00:200::3", 2},
	}
	for _, tt := range tests {
		t.Run(tt.slice, func(t *testing.T) {
			a := newAllocator(netip.MustParsePrefix(tt.slice))
			if a.first != ip(tt.first) || a.last != ip(tt.last) {
				t.Fatalf("range %v..%v, want %s..%s", a.first, a.last, tt.first, tt.last)
			}
			if tt.n < 0 {
				for want := ip(tt.first); want.Compare(ip(tt.first).Next().Next().Next()) <= 0; want = want.Next() {
					if got, ok := a.next(); !ok || got != want {
						t.Fatalf("next = %v, %v; want %v", got, ok, want)
					}
				}
				if !a.take(ip(tt.last)) || a.take(ip(tt.last)) {
					t.Fatalf("the last address %s: first take must succeed, the second fail", tt.last)
				}
				if a.usable(ip(tt.last).Next()) {
					t.Fatalf("%v is past the slice but usable", ip(tt.last).Next())
				}
				checkSpans(t, a)
				return
			}
			got := drain(a)
			if len(got) != tt.n || got[0] != ip(tt.first) || got[len(got)-1] != ip(tt.last) {
				t.Fatalf("drained %v, want %d addresses %s..%s", got, tt.n, tt.first, tt.last)
			}
			for i := 1; i < len(got); i++ {
				if got[i] != got[i-1].Next() {
					t.Fatalf("not in order, lowest first: %v", got)
				}
			}
			if ip, ok := a.next(); ok {
				t.Fatalf("next on an exhausted slice = %v", ip)
			}
		})
	}
}

func TestAllocatorSlice28(t *testing.T) {
	a := newAllocator(netip.MustParsePrefix("10.200.0.16/28"))
	var want []netip.Addr
	for i := 2; i <= 14; i++ {
		want = append(want, netip.AddrFrom4([4]byte{10, 200, 0, byte(16 + i)}))
	}
	if got := drain(a); !slices.Equal(got, want) {
		t.Fatalf("a /28 gives %v, want .18 to .30", got)
	}
	for _, x := range []string{"10.200.0.16", "10.200.0.17", "10.200.0.31", "10.200.0.32", "10.200.0.15"} {
		a.release(ip(x))
		if a.usable(ip(x)) || a.isFree(ip(x)) || a.take(ip(x)) {
			t.Errorf("%s (network, gateway, broadcast or outside) is handed out", x)
		}
	}
	if len(a.free) != 0 {
		t.Fatalf("releasing unusable addresses changed the free list: %v", a.free)
	}
}

func TestAllocatorTakeReleaseMerge(t *testing.T) {
	a := newAllocator(netip.MustParsePrefix("10.0.0.0/27")) // .2 .. .30
	steps := []struct {
		op   string
		ip   string
		ok   bool
		want [][2]string
	}{
		{"take", "10.0.0.10", true, [][2]string{{"10.0.0.2", "10.0.0.9"}, {"10.0.0.11", "10.0.0.30"}}},
		{"take", "10.0.0.10", false, [][2]string{{"10.0.0.2", "10.0.0.9"}, {"10.0.0.11", "10.0.0.30"}}},
		{"take", "10.0.0.2", true, [][2]string{{"10.0.0.3", "10.0.0.9"}, {"10.0.0.11", "10.0.0.30"}}},
		{"take", "10.0.0.30", true, [][2]string{{"10.0.0.3", "10.0.0.9"}, {"10.0.0.11", "10.0.0.29"}}},
		{"take", "10.0.0.12", true, [][2]string{{"10.0.0.3", "10.0.0.9"}, {"10.0.0.11", "10.0.0.11"}, {"10.0.0.13", "10.0.0.29"}}},
		{"take", "10.0.0.11", true, [][2]string{{"10.0.0.3", "10.0.0.9"}, {"10.0.0.13", "10.0.0.29"}}},
		{"release", "10.0.0.11", true, [][2]string{{"10.0.0.3", "10.0.0.9"}, {"10.0.0.11", "10.0.0.11"}, {"10.0.0.13", "10.0.0.29"}}},
		{"release", "10.0.0.10", true, [][2]string{{"10.0.0.3", "10.0.0.11"}, {"10.0.0.13", "10.0.0.29"}}},
		{"release", "10.0.0.12", true, [][2]string{{"10.0.0.3", "10.0.0.29"}}},
		{"release", "10.0.0.12", true, [][2]string{{"10.0.0.3", "10.0.0.29"}}},
		{"release", "10.0.0.30", true, [][2]string{{"10.0.0.3", "10.0.0.30"}}},
		{"release", "10.0.0.2", true, [][2]string{{"10.0.0.2", "10.0.0.30"}}},
		{"release", "10.0.0.31", true, [][2]string{{"10.0.0.2", "10.0.0.30"}}},
		{"take", "10.0.0.31", false, [][2]string{{"10.0.0.2", "10.0.0.30"}}},
		{"take", "10.0.0.1", false, [][2]string{{"10.0.0.2", "10.0.0.30"}}},
		{"take", "::ffff:10.0.0.5", false, [][2]string{{"10.0.0.2", "10.0.0.30"}}},
	}
	for i, s := range steps {
		switch s.op {
		case "take":
			if ok := a.take(ip(s.ip)); ok != s.ok {
				t.Fatalf("step %d: take(%s) = %v, want %v", i, s.ip, ok, s.ok)
			}
		case "release":
			a.release(ip(s.ip))
		}
		var want []span
		for _, w := range s.want {
			want = append(want, span{ip(w[0]), ip(w[1])})
		}
		if !slices.Equal(a.free, want) {
			t.Fatalf("step %d (%s %s): free %v, want %v", i, s.op, s.ip, a.free, want)
		}
		checkSpans(t, a)
	}
}

func TestAllocatorReset(t *testing.T) {
	a := newAllocator(netip.MustParsePrefix("10.200.0.16/28"))
	drain(a)
	// Used with gaps, unsorted, duplicated, with addresses outside the
	// range (the gateway, another network, IPv6) that must be ignored.
	a.reset(ips("10.200.0.21", "10.200.0.18", "10.200.0.19", "10.200.0.21", "10.200.0.17",
		"10.200.0.16", "10.200.0.31", "10.200.1.20", "fd00::20", "10.200.0.30"))
	want := []span{{ip("10.200.0.20"), ip("10.200.0.20")}, {ip("10.200.0.22"), ip("10.200.0.29")}}
	if !slices.Equal(a.free, want) {
		t.Fatalf("free %v, want %v", a.free, want)
	}
	for _, w := range []string{"10.200.0.20", "10.200.0.22", "10.200.0.23"} {
		if got, ok := a.next(); !ok || got != ip(w) {
			t.Fatalf("next = %v, %v; want %s (lowest free)", got, ok, w)
		}
	}
	a.reset(nil)
	if got, _ := a.next(); got != ip("10.200.0.18") {
		t.Fatalf("after reset(nil) next = %v, want 10.200.0.18", got)
	}
	a.reset(ips("10.200.0.30"))
	if want := []span{{ip("10.200.0.18"), ip("10.200.0.29")}}; !slices.Equal(a.free, want) {
		t.Fatalf("last used: free %v, want %v", a.free, want)
	}

	six := newAllocator(netip.MustParsePrefix("fd00:200::/126"))
	six.reset(ips("fd00:200::2", "10.0.0.2", "fd00:201::3"))
	if got := drain(six); !slices.Equal(got, ips("fd00:200::3")) {
		t.Fatalf("IPv6 /126 with ::2 used gives %v, want [fd00:200::3]", got)
	}
}

// model is the allocator's specification: a set of addresses in use.
type model struct {
	first, last netip.Addr
	used        map[netip.Addr]bool
}

func (m *model) usable(ip netip.Addr) bool {
	return ip.BitLen() == m.first.BitLen() && ip.Compare(m.first) >= 0 && ip.Compare(m.last) <= 0
}

func (m *model) lowestFree() (netip.Addr, bool) {
	for ip := m.first; ip.IsValid() && ip.Compare(m.last) <= 0; ip = ip.Next() {
		if !m.used[ip] {
			return ip, true
		}
	}
	return netip.Addr{}, false
}

// allocOp is one operation of the property and fuzz tests.
type allocOp struct {
	kind byte // 0 next, 1 take, 2 release, 3 reset
	arg  int  // address offset from the slice's network address
	set  []int
}

func (o allocOp) String() string {
	return fmt.Sprintf("%s(%d%v)", [...]string{"next", "take", "release", "reset"}[o.kind], o.arg, o.set)
}

// addrAt returns the address off addresses above p's network address,
// negative offsets going below it.
func addrAt(p netip.Prefix, off int) netip.Addr {
	a := p.Addr()
	for ; off > 0; off-- {
		a = a.Next()
	}
	for ; off < 0 && a.IsValid(); off++ {
		a = a.Prev()
	}
	return a
}

// applyAndCheck runs op on a and m and fails at the first difference.
func applyAndCheck(t *testing.T, p netip.Prefix, a *allocator, m *model, op allocOp, step int) {
	t.Helper()
	switch op.kind {
	case 0:
		got, ok := a.next()
		want, wok := m.lowestFree()
		if got != want || ok != wok {
			t.Fatalf("step %d %v: next = %v, %v; model %v, %v", step, op, got, ok, want, wok)
		}
		if ok {
			m.used[got] = true
		}
	case 1:
		ip := addrAt(p, op.arg)
		want := m.usable(ip) && !m.used[ip]
		if ok := a.take(ip); ok != want {
			t.Fatalf("step %d %v: take(%v) = %v, model %v", step, op, ip, ok, want)
		}
		if want {
			m.used[ip] = true
		}
	case 2:
		ip := addrAt(p, op.arg)
		a.release(ip)
		delete(m.used, ip)
	case 3:
		var used []netip.Addr
		clear(m.used)
		for _, off := range op.set {
			ip := addrAt(p, off)
			used = append(used, ip)
			if m.usable(ip) {
				m.used[ip] = true
			}
		}
		a.reset(used)
	}
	checkSpans(t, a)
	for ip := addrAt(p, -2); ip.IsValid() && ip.Compare(m.last.Next().Next()) <= 0; ip = ip.Next() {
		want := m.usable(ip) && !m.used[ip]
		if got := a.isFree(ip); got != want {
			t.Fatalf("step %d %v: isFree(%v) = %v, model %v (free %v)", step, op, ip, got, want, a.free)
		}
	}
}

func newModel(p netip.Prefix) (*allocator, *model) {
	a := newAllocator(p)
	return a, &model{first: a.first, last: a.last, used: map[netip.Addr]bool{}}
}

func TestAllocatorProperty(t *testing.T) {
	for _, s := range []string{"10.1.2.0/27", "10.1.2.4/30", "fd00::/122", "fd00::ff00/126"} {
		t.Run(s, func(t *testing.T) {
			p := netip.MustParsePrefix(s)
			size := 1 << (p.Addr().BitLen() - p.Bits())
			r := rand.New(rand.NewPCG(1, uint64(len(s))))
			for round := range 50 {
				a, m := newModel(p)
				for step := range 200 {
					op := allocOp{kind: byte(r.IntN(4)), arg: r.IntN(size+4) - 2}
					if op.kind == 3 && r.IntN(4) != 0 {
						op.kind = byte(r.IntN(3)) // resets are rarer
					}
					if op.kind == 3 {
						for range r.IntN(size) {
							op.set = append(op.set, r.IntN(size+4)-2)
						}
					}
					applyAndCheck(t, p, a, m, op, round*1000+step)
				}
			}
		})
	}
}

// decodeOps turns fuzz bytes into operations: one byte picks the
// operation and its argument, a reset takes the following bytes up to a
// zero byte as its used list.
func decodeOps(data []byte, size int) []allocOp {
	var ops []allocOp
	for i := 0; i < len(data); i++ {
		b := data[i]
		op := allocOp{kind: b & 3, arg: int(b>>2)%(size+4) - 2}
		if op.kind == 3 {
			for i+1 < len(data) && data[i+1] != 0 && len(op.set) < size {
				i++
				op.set = append(op.set, int(data[i])%(size+4)-2)
			}
		}
		ops = append(ops, op)
	}
	return ops
}

func FuzzAllocator(f *testing.F) {
	f.Add(false, []byte{0, 0, 0, 0})
	f.Add(false, []byte{1 | 10<<2, 0, 2 | 10<<2, 0, 3, 4, 9, 12, 0, 0, 0})
	f.Add(true, []byte{3, 5, 6, 7, 0, 0, 2 | 6<<2, 0, 0, 0})
	f.Fuzz(func(t *testing.T, six bool, data []byte) {
		if len(data) > 512 {
			data = data[:512]
		}
		p := netip.MustParsePrefix("10.9.8.0/27")
		if six {
			p = netip.MustParsePrefix("fd00:9::/123")
		}
		a, m := newModel(p)
		for i, op := range decodeOps(data, 32) {
			applyAndCheck(t, p, a, m, op, i)
		}
	})
}
