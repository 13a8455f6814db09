package hcnsim

import (
	"fmt"
	"net/netip"
	"sort"
	"sync"

	"github.com/hcnkit/hcn"
)

// Host ports. Load balancer frontends, endpoint PortMapping policies and
// guest network service port reservations share the host's ports. The
// first two are indexed together in state.hostPorts by portKey (VIP, IP
// protocol, external port); reservations live in the Sim's portTable. The
// lock order is Sim.mu, then portTable.mu.

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
	// host, when set, runs fn with the object state readable (the Sim's
	// read), so a reservation can see the ports of the host's addresses
	// that frontends and port mappings hold.
	host func(fn func(*state) error) error
}

func newPortTable(eph hcn.PortRange) *portTable {
	return &portTable{byPort: map[uint16][]*reservation{}, all: map[*reservation]struct{}{}, ephemeral: eph}
}

// withHost runs fn with the object state (nil when the table has none).
func (t *portTable) withHost(fn func(*state) error) error {
	if t.host == nil {
		return fn(nil)
	}
	return t.host(fn)
}

// reserve records r unless it collides: an exclusive reservation collides
// with any other on the same port and an overlapping protocol, a shared one
// with exclusive ones; either collides with a frontend or port mapping on
// the host's own addresses.
func (t *portTable) reserve(r *reservation) error {
	return t.withHost(func(st *state) error {
		t.mu.Lock()
		defer t.mu.Unlock()
		for p := int(r.start); p <= int(r.end); p++ {
			for _, o := range t.byPort[uint16(p)] {
				if overlaps(o.protocol, r.protocol) && (o.access == hcn.PortAccessExclusive || r.access == hcn.PortAccessExclusive) {
					return fail(hcn.HCN_E_PORT_ALREADY_EXISTS, "port %d/%s is reserved", p, o.protocol)
				}
			}
			if st.hostUses(r.protocol, uint16(p)) {
				return fail(hcn.HCN_E_PORT_ALREADY_EXISTS, "port %d/%s is mapped on the host's addresses", p, r.protocol)
			}
		}
		t.add(r)
		return nil
	})
}

// holds reports whether a reservation of this table covers IP protocol
// proto (6 TCP, 17 UDP) on port; t.mu must not be held.
func (t *portTable) holds(proto uint32, port uint16) bool {
	pp := portProtocolOf(proto)
	if t == nil || pp == 0 {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, o := range t.byPort[port] {
		if overlaps(o.protocol, pp) {
			return true
		}
	}
	return false
}

// portProtocolOf maps an IP protocol number to the reservation protocol
// (0 for protocols without ports).
func portProtocolOf(proto uint32) hcn.PortProtocol {
	switch proto {
	case 6:
		return hcn.PortProtocolTCP
	case 17:
		return hcn.PortProtocolUDP
	}
	return 0
}

func (t *portTable) add(r *reservation) {
	for p := int(r.start); p <= int(r.end); p++ {
		t.byPort[uint16(p)] = append(t.byPort[uint16(p)], r)
	}
	t.all[r] = struct{}{}
}

// reserveRange finds the lowest run of count ports of the ephemeral range
// free of any reservation (and of frontends and port mappings on the
// host's addresses) and reserves it exclusively for TCP and UDP.
func (t *portTable) reserveRange(gns hcn.GUID, count uint16) (r *reservation, err error) {
	err = t.withHost(func(st *state) error {
		t.mu.Lock()
		defer t.mu.Unlock()
		r, err = t.lowestRun(st, gns, count)
		return err
	})
	return r, err
}

func (t *portTable) lowestRun(st *state, gns hcn.GUID, count uint16) (*reservation, error) {
	lo, hi := int(t.ephemeral.Start), int(t.ephemeral.End)
	run := 0
	for p := lo; p <= hi; p++ {
		if len(t.byPort[uint16(p)]) > 0 || st.hostUses(hcn.PortProtocolBoth, uint16(p)) {
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

// hostUses reports whether a frontend or port mapping on the host's own
// addresses ("" or "::") takes port for a protocol pp covers. A nil state
// uses nothing.
func (st *state) hostUses(pp hcn.PortProtocol, port uint16) bool {
	if st == nil {
		return false
	}
	for _, proto := range []uint32{6, 17} {
		if pp&portProtocolOf(proto) == 0 {
			continue
		}
		for _, vip := range []string{"", "::"} {
			if _, ok := st.hostPorts[portKey{vip: vip, protocol: proto, port: port}]; ok {
				return true
			}
		}
	}
	return false
}

// checkPort fails with HCN_E_PORT_ALREADY_EXISTS when k is taken: by an
// object other than self, twice in one object (seen), or — for the host's
// own addresses — by a port reservation of an overlapping protocol.
func (st *state) checkPort(k portKey, self hcn.GUID, seen map[portKey]bool) error {
	if owner, ok := st.hostPorts[k]; seen[k] || (ok && owner != self) {
		return fail(hcn.HCN_E_PORT_ALREADY_EXISTS, "%s port %d protocol %d is taken", vipText(k.vip), k.port, k.protocol)
	}
	seen[k] = true
	if (k.vip == "" || k.vip == "::") && !st.restoring && st.reservations.holds(k.protocol, k.port) {
		return fail(hcn.HCN_E_PORT_ALREADY_EXISTS, "port %d protocol %d is reserved", k.port, k.protocol)
	}
	return nil
}

func vipText(vip string) string {
	if vip == "" || vip == "::" {
		return "host address"
	}
	return vip
}

// takePorts indexes keys as owner's; releasePorts drops those still its.
func (st *state) takePorts(owner hcn.GUID, keys []portKey) {
	for _, k := range keys {
		st.hostPorts[k] = owner
	}
}

func (st *state) releasePorts(owner hcn.GUID, keys []portKey) {
	for _, k := range keys {
		if st.hostPorts[k] == owner {
			delete(st.hostPorts, k)
		}
	}
}

// portMappingIn is the Settings of an endpoint PortMapping policy.
type portMappingIn struct {
	Protocol     uint32
	InternalPort uint16
	ExternalPort uint16
	VIP          string
	Flags        uint32
}

// natFlagIPv6 is NatFlags IPv6: a mapping without VIP is on the host's
// IPv6 addresses.
const natFlagIPv6 = 2

// endpointPorts returns the host ports the PortMapping policies of an
// endpoint document take, checked against every other owner (self is the
// endpoint). A remote endpoint takes none.
func (st *state) endpointPorts(doc obj, self hcn.GUID, remote bool) ([]portKey, error) {
	list, _ := doc["Policies"].([]any)
	var keys []portKey
	seen := map[portKey]bool{}
	for i, p := range list {
		m, _ := p.(obj)
		if m == nil || m["Type"] != "PortMapping" {
			continue
		}
		k, ok, err := portMappingKey(m["Settings"], i)
		if err != nil {
			return nil, err
		}
		if !ok || remote {
			continue
		}
		if err := st.checkPort(k, self, seen); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// portMappingKey reads one PortMapping's Settings: ExternalPort 0 means
// the internal port; both 0 take no port (ok false). No VIP, or an
// unspecified one, is the host's own addresses ("" IPv4, "::" with NatFlags
// IPv6 or VIP "::").
func portMappingKey(settings any, i int) (portKey, bool, error) {
	var in portMappingIn
	if settings != nil {
		if err := decodeInto(settings, &in, fmt.Sprintf("Policies[%d].Settings", i)); err != nil {
			return portKey{}, false, err
		}
	}
	k := portKey{protocol: in.Protocol, port: in.ExternalPort}
	if k.port == 0 {
		k.port = in.InternalPort
	}
	if in.VIP != "" {
		a, err := netip.ParseAddr(in.VIP)
		if err != nil {
			return portKey{}, false, fail(hcn.HCN_E_INVALID_IP, "Policies[%d].Settings.VIP %q", i, in.VIP)
		}
		a = a.Unmap()
		switch {
		case !a.IsUnspecified():
			k.vip = a.String()
		case a.Is6():
			k.vip = "::"
		}
	} else if in.Flags&natFlagIPv6 != 0 {
		k.vip = "::"
	}
	return k, k.port != 0, nil
}
