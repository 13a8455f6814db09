package hcnsim

import (
	"encoding/binary"
	"math"
	"net/netip"

	"github.com/hcnkit/hcn"
)

// subnet is one Static IPAM subnet of a network with its address pool.
// Offsets count from the subnet's first address.
type subnet struct {
	prefix netip.Prefix
	pool   *pool
	far    map[netip.Addr]struct{} // in-use addresses whose offset exceeds 64 bits
	refs   int                     // endpoint addresses in the subnet
}

func newSubnet(p netip.Prefix) *subnet {
	h := p.Addr().BitLen() - p.Bits()
	size := uint64(math.MaxUint64)
	if h < 64 {
		size = 1 << uint(h)
	}
	return &subnet{prefix: p, pool: newPool(size), far: map[netip.Addr]struct{}{}}
}

// offset returns a's offset from the subnet base; false when it does not fit.
func (sn *subnet) offset(a netip.Addr) (uint64, bool) {
	base := sn.prefix.Addr()
	if base.Is4() {
		x, y := base.As4(), a.As4()
		return uint64(binary.BigEndian.Uint32(y[:]) - binary.BigEndian.Uint32(x[:])), true
	}
	x, y := base.As16(), a.As16()
	bh, bl := binary.BigEndian.Uint64(x[:8]), binary.BigEndian.Uint64(x[8:])
	ah, al := binary.BigEndian.Uint64(y[:8]), binary.BigEndian.Uint64(y[8:])
	lo := al - bl
	hi := ah - bh
	if al < bl {
		hi--
	}
	return lo, hi == 0
}

// addr returns the address at offset o.
func (sn *subnet) addr(o uint64) netip.Addr {
	base := sn.prefix.Addr()
	if base.Is4() {
		x := base.As4()
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], binary.BigEndian.Uint32(x[:])+uint32(o))
		return netip.AddrFrom4(b)
	}
	x := base.As16()
	hi, lo := binary.BigEndian.Uint64(x[:8]), binary.BigEndian.Uint64(x[8:])
	nlo := lo + o
	if nlo < lo {
		hi++
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], nlo)
	return netip.AddrFrom16(b)
}

// take marks a used; false when it is reserved or in use.
func (sn *subnet) take(a netip.Addr) bool {
	if o, ok := sn.offset(a); ok && o < sn.pool.size {
		return sn.pool.take(o)
	}
	if _, ok := sn.far[a]; ok {
		return false
	}
	sn.far[a] = struct{}{}
	return true
}

func (sn *subnet) release(a netip.Addr) {
	if o, ok := sn.offset(a); ok && o < sn.pool.size {
		sn.pool.release(o)
		return
	}
	delete(sn.far, a)
}

func (sn *subnet) alloc() (netip.Addr, bool) {
	o, ok := sn.pool.alloc()
	if !ok {
		return netip.Addr{}, false
	}
	return sn.addr(o), true
}

// subnetIn is a Static IPAM subnet as sent.
type subnetIn struct {
	IpAddressPrefix string
	Policies        []policyIn
	Routes          []routeIn
	IpSubnets       []struct{ IpAddressPrefix string }
	Flags           uint32
}

type routeIn struct {
	NextHop           string
	DestinationPrefix string
	Metric            uint16
}

type ipamIn struct {
	Type    any
	Subnets []subnetIn
}

// subnetFlagDoNotReserveGateway is SubnetFlags DoNotReserveGatewayAddress.
const subnetFlagDoNotReserveGateway = 1

// buildSubnet validates one Static subnet and reserves the addresses the
// service keeps from endpoints (see the package documentation).
func buildSubnet(in subnetIn, netType string) (*subnet, error) {
	p, err := netip.ParsePrefix(in.IpAddressPrefix)
	if err != nil {
		return nil, fail(hcn.HCN_E_INVALID_PREFIX, "IpAddressPrefix %q: %v", in.IpAddressPrefix, err)
	}
	if p.Bits() == 0 {
		return nil, fail(hcn.HCN_E_INVALID_SUBNET, "IpAddressPrefix %q: a subnet cannot span the whole address space", in.IpAddressPrefix)
	}
	p = p.Masked()
	sn := newSubnet(p)
	if err := checkSubnetPolicies(in.Policies); err != nil {
		return nil, err
	}
	for _, ips := range in.IpSubnets {
		q, err := netip.ParsePrefix(ips.IpAddressPrefix)
		if err != nil || q.Addr().Is4() != p.Addr().Is4() || q.Bits() < p.Bits() || !p.Contains(q.Addr()) {
			return nil, fail(hcn.HCN_E_INVALID_IP_SUBNET, "IpSubnets %q is not inside %s", ips.IpAddressPrefix, p)
		}
	}
	gws, hasDefault, err := subnetGateways(in.Routes, p)
	if err != nil {
		return nil, err
	}
	sn.reserve(gws, hasDefault, in.Flags, netType)
	return sn, nil
}

// subnetGateways returns the route next hops inside p and whether a
// default route is declared.
func subnetGateways(routes []routeIn, p netip.Prefix) ([]netip.Addr, bool, error) {
	var gws []netip.Addr
	hasDefault := false
	for _, r := range routes {
		d, err := netip.ParsePrefix(r.DestinationPrefix)
		if err != nil {
			return nil, false, fail(hcn.HCN_E_INVALID_PREFIX, "Routes DestinationPrefix %q: %v", r.DestinationPrefix, err)
		}
		if r.NextHop == "" {
			continue
		}
		nh, err := netip.ParseAddr(r.NextHop)
		if err != nil {
			return nil, false, fail(hcn.HCN_E_INVALID_IP, "Routes NextHop %q: %v", r.NextHop, err)
		}
		if nh.Is4() != p.Addr().Is4() || d.Addr().Is4() != p.Addr().Is4() {
			return nil, false, fail(hcn.HCN_E_INVALID_SUBNET, "route %s via %s mixes address families with %s", d, nh, p)
		}
		if d.Bits() == 0 {
			if !p.Contains(nh) {
				return nil, false, fail(hcn.HCN_E_INVALID_SUBNET, "default gateway %s is not inside %s", nh, p)
			}
			hasDefault = true
		}
		if p.Contains(nh) {
			gws = append(gws, nh)
		}
	}
	return gws, hasDefault, nil
}

// reserve takes the network address, the IPv4 broadcast, the gateways (or
// the implied gateway network+1) and, for a Transparent network without a
// default route, network+2 as well.
func (sn *subnet) reserve(gws []netip.Addr, hasDefault bool, flags uint32, netType string) {
	size := sn.pool.size
	if size > 2 {
		sn.pool.take(0)
		if sn.prefix.Addr().Is4() {
			sn.pool.take(size - 1)
		}
	}
	if flags&subnetFlagDoNotReserveGateway != 0 {
		return
	}
	for _, gw := range gws {
		sn.take(gw)
	}
	if len(gws) == 0 && size > 2 {
		sn.pool.take(1)
	}
	if netType == "Transparent" && !hasDefault && size > 4 {
		sn.pool.take(1)
		sn.pool.take(2)
	}
}

func checkSubnetPolicies(ps []policyIn) error {
	for _, p := range ps {
		if _, ok := enumValue(p.Type, subnetPolicyTypes); !ok {
			return fail(hcn.HCN_E_INVALID_POLICY_TYPE, "subnet policy type %v", p.Type)
		}
	}
	return nil
}
