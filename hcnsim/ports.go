package hcnsim

import (
	"sort"
	"sync"

	"github.com/hcnkit/hcn"
)

// reservation is one port reservation (a single port or a range).
type reservation struct {
	gns      hcn.GUID
	protocol hcn.PortProtocol
	access   hcn.PortAccess
	start    uint16
	end      uint16
	isRange  bool
}

// overlaps reports whether two protocols share one (Both covers TCP and UDP).
func overlaps(a, b hcn.PortProtocol) bool { return a&b != 0 }

// portTable holds the host's port reservations (ports are host-wide, not
// per guest network service).
type portTable struct {
	mu        sync.Mutex
	byPort    map[uint16][]*reservation
	all       map[*reservation]struct{}
	ephemeral hcn.PortRange
}

func newPortTable(eph hcn.PortRange) *portTable {
	return &portTable{byPort: map[uint16][]*reservation{}, all: map[*reservation]struct{}{}, ephemeral: eph}
}

// reserve records r unless it collides: an exclusive reservation collides
// with any other on the same port and an overlapping protocol, a shared one
// with exclusive ones.
func (t *portTable) reserve(r *reservation) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for p := int(r.start); p <= int(r.end); p++ {
		for _, o := range t.byPort[uint16(p)] {
			if overlaps(o.protocol, r.protocol) && (o.access == hcn.PortAccessExclusive || r.access == hcn.PortAccessExclusive) {
				return fail(hcn.HCN_E_PORT_ALREADY_EXISTS, "port %d/%s is reserved", p, o.protocol)
			}
		}
	}
	t.add(r)
	return nil
}

func (t *portTable) add(r *reservation) {
	for p := int(r.start); p <= int(r.end); p++ {
		t.byPort[uint16(p)] = append(t.byPort[uint16(p)], r)
	}
	t.all[r] = struct{}{}
}

// reserveRange finds the lowest run of count ports of the ephemeral range
// free of any reservation and reserves it exclusively for TCP and UDP.
func (t *portTable) reserveRange(gns hcn.GUID, count uint16) (*reservation, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	lo, hi := int(t.ephemeral.Start), int(t.ephemeral.End)
	run := 0
	for p := lo; p <= hi; p++ {
		if len(t.byPort[uint16(p)]) > 0 {
			run = 0
			continue
		}
		run++
		if run == int(count) {
			r := &reservation{gns: gns, protocol: hcn.PortProtocolBoth, access: hcn.PortAccessExclusive,
				start: uint16(p - run + 1), end: uint16(p), isRange: true}
			t.add(r)
			return r, nil
		}
	}
	return nil, fail(hcn.HCN_E_PORT_ALREADY_EXISTS, "no %d free consecutive ports in %d-%d", count, lo, hi)
}

func (t *portTable) release(r *reservation) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.all[r]; !ok {
		return
	}
	delete(t.all, r)
	for p := int(r.start); p <= int(r.end); p++ {
		list := t.byPort[uint16(p)]
		for i, o := range list {
			if o == r {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(t.byPort, uint16(p))
		} else {
			t.byPort[uint16(p)] = list
		}
	}
}

// entries lists the reservations as HcnEnumerateGuestNetworkPortReservations
// does, ordered by starting port.
func (t *portTable) entries() []hcn.PortRangeEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]hcn.PortRangeEntry, 0, len(t.all))
	for r := range t.all {
		e := hcn.PortRangeEntry{OwningPartitionID: r.gns, Protocol: r.protocol,
			SharingFlags: uint32(r.access), StartingPort: r.start, EndingPort: r.end}
		if r.isRange {
			e.ReservationType = 1
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].StartingPort != out[j].StartingPort {
			return out[i].StartingPort < out[j].StartingPort
		}
		return out[i].Protocol < out[j].Protocol
	})
	return out
}

func (t *portTable) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byPort = map[uint16][]*reservation{}
	t.all = map[*reservation]struct{}{}
}
