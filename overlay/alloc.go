package overlay

import (
	"net/netip"
	"slices"
)

// allocator hands out the addresses of a slice: network+2 and up, lowest
// free first. Its state is a sorted list of the free spans, so taking and
// releasing cost O(log s) comparisons plus a copy of the span list, where s
// is the number of gaps between addresses in use, never the number of
// addresses in use. It is not a second source of truth: reset rebuilds it
// from the addresses the service reports, plus the ones this process has
// claimed and not yet seen on the service.
type allocator struct {
	first, last netip.Addr // the usable range
	free        []span     // sorted, disjoint, never adjacent
}

// span is the free addresses lo..hi, both included.
type span struct{ lo, hi netip.Addr }

// newAllocator returns the allocator of a checked slice: network+2 up to
// the last address, or the one before the broadcast address for IPv4.
func newAllocator(slice netip.Prefix) *allocator {
	a := &allocator{first: slice.Addr().Next().Next(), last: lastAddr(slice)}
	if slice.Addr().Is4() {
		a.last = a.last.Prev()
	}
	a.reset(nil)
	return a
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// usable reports whether ip is one the allocator hands out.
func (a *allocator) usable(ip netip.Addr) bool {
	return ip.BitLen() == a.first.BitLen() && ip.Compare(a.first) >= 0 && ip.Compare(a.last) <= 0
}

// reset makes every usable address free except used (addresses outside
// the range are ignored).
func (a *allocator) reset(used []netip.Addr) {
	in := make([]netip.Addr, 0, len(used))
	for _, ip := range used {
		if a.usable(ip) {
			in = append(in, ip)
		}
	}
	slices.SortFunc(in, netip.Addr.Compare)
	in = slices.Compact(in)
	a.free = a.free[:0]
	lo := a.first
	for _, ip := range in {
		if ip.Compare(lo) > 0 {
			a.free = append(a.free, span{lo, ip.Prev()})
		}
		lo = ip.Next()
	}
	if lo.IsValid() && lo.Compare(a.last) <= 0 {
		a.free = append(a.free, span{lo, a.last})
	}
}

// find returns the index of the span holding ip, or where one would go.
func (a *allocator) find(ip netip.Addr) (int, bool) {
	i, _ := slices.BinarySearchFunc(a.free, ip, func(s span, ip netip.Addr) int {
		if s.hi.Compare(ip) < 0 {
			return -1
		}
		if s.lo.Compare(ip) > 0 {
			return 1
		}
		return 0
	})
	return i, i < len(a.free) && a.free[i].lo.Compare(ip) <= 0 && ip.Compare(a.free[i].hi) <= 0
}

// isFree reports whether ip is usable and free.
func (a *allocator) isFree(ip netip.Addr) bool {
	_, ok := a.find(ip)
	return ok
}

// take claims ip; false when it is not usable or not free.
func (a *allocator) take(ip netip.Addr) bool {
	i, ok := a.find(ip)
	if !ok {
		return false
	}
	s := a.free[i]
	switch {
	case s.lo == ip && s.hi == ip:
		a.free = slices.Delete(a.free, i, i+1)
	case s.lo == ip:
		a.free[i].lo = ip.Next()
	case s.hi == ip:
		a.free[i].hi = ip.Prev()
	default:
		a.free[i].hi = ip.Prev()
		a.free = slices.Insert(a.free, i+1, span{ip.Next(), s.hi})
	}
	return true
}

// next claims the lowest free address; false when none is left.
func (a *allocator) next() (netip.Addr, bool) {
	if len(a.free) == 0 {
		return netip.Addr{}, false
	}
	ip := a.free[0].lo
	a.take(ip)
	return ip, true
}

// release frees ip (a no-op when it is not usable or already free).
func (a *allocator) release(ip netip.Addr) {
	if !a.usable(ip) {
		return
	}
	i, ok := a.find(ip)
	if ok {
		return
	}
	joinLeft := i > 0 && a.free[i-1].hi.Next() == ip
	joinRight := i < len(a.free) && ip.Next() == a.free[i].lo
	switch {
	case joinLeft && joinRight:
		a.free[i-1].hi = a.free[i].hi
		a.free = slices.Delete(a.free, i, i+1)
	case joinLeft:
		a.free[i-1].hi = ip
	case joinRight:
		a.free[i].lo = ip
	default:
		a.free = slices.Insert(a.free, i, span{ip, ip})
	}
}
