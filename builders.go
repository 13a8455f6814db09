package hcn

import (
	"fmt"
	"net/netip"
)

// Builders of the node-slice networks: a node owns a slice of the cluster
// CIDR (a /28 by default), containers get network+2 and up, and
// network+1 is the gateway (the host's vNIC on Internal networks).
//
// Both builders declare the gateway as a default route. Without it the
// Transparent driver picks a gateway itself and silently reserves more low
// addresses, so HcnCreateEndpoint then rejects e.g. .2 of a /28 with
// HCN_E_ADDR_INVALID_OR_RESERVED.
//
// A slice must be a network prefix: "10.0.0.5/28" is rejected (not masked)
// because a host address where a network is expected is usually a
// configuration mistake; /31, /32, /127 and /128 are rejected because they
// leave no address for endpoints after the gateway. IPv4-mapped IPv6
// prefixes are rejected; use the IPv4 form.

// ParseSlice parses a node slice in CIDR notation and checks it as the
// builders do.
func ParseSlice(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, &ValidationError{Path: "prefix", Value: s, Reason: "not a CIDR prefix (want e.g. 10.200.0.16/28)"}
	}
	if err := checkSlice(p); err != nil {
		return netip.Prefix{}, err
	}
	return p, nil
}

// checkSlice returns an error naming the prefix when it cannot be a slice.
func checkSlice(p netip.Prefix) error {
	reason := ""
	switch {
	case !p.IsValid():
		reason = "not a valid prefix"
	case p.Addr().Is4In6():
		reason = "an IPv4-mapped IPv6 prefix; use the IPv4 form"
	case p.Addr().Zone() != "":
		reason = "a prefix with a zone"
	case p.Masked() != p:
		reason = "host bits set (the network is " + p.Masked().String() + ")"
	case p.Bits() >= p.Addr().BitLen()-1:
		reason = fmt.Sprintf("a /%d leaves no address for endpoints after the gateway", p.Bits())
	default:
		return nil
	}
	return &ValidationError{Path: "prefix", Value: p.String(), Reason: reason}
}

// GatewayFor returns the gateway of a slice: its network address + 1
// (10.200.0.16/28 → 10.200.0.17; fd00::/64 → fd00::1).
func GatewayFor(slice netip.Prefix) (netip.Addr, error) {
	if err := checkSlice(slice); err != nil {
		return netip.Addr{}, err
	}
	return slice.Addr().Next(), nil
}

// DefaultRoute returns the default route of a slice (0.0.0.0/0 or ::/0)
// via its gateway.
func DefaultRoute(slice netip.Prefix) (Route, error) {
	gw, err := GatewayFor(slice)
	if err != nil {
		return Route{}, err
	}
	dst := "0.0.0.0/0"
	if gw.Is6() {
		dst = "::/0"
	}
	return Route{NextHop: gw.String(), DestinationPrefix: dst}, nil
}

// InternalNetwork returns the settings of an Internal network for a node's
// slice: Static IPAM with the slice and a default route via network+1, and
// no policies at all (the Policies key is omitted). HCN builds an internal
// vSwitch and gives the host a vNIC at the gateway; container traffic never
// touches the physical NIC.
func InternalNetwork(name string, slice netip.Prefix) (*Network, error) {
	return sliceNetwork(name, NetworkTypeInternal, slice)
}

// TransparentNetwork returns the settings of a Transparent network for a
// node's slice, bound to the uplink adapter (its friendly name) through a
// NetAdapterName policy; Static IPAM with the slice and a default route via
// network+1.
func TransparentNetwork(name string, slice netip.Prefix, uplinkAdapter string) (*Network, error) {
	if uplinkAdapter == "" {
		return nil, &ValidationError{Path: "uplinkAdapter", Reason: "required for a Transparent network"}
	}
	n, err := sliceNetwork(name, NetworkTypeTransparent, slice)
	if err != nil {
		return nil, err
	}
	n.Policies = []Policy{NetAdapterNamePolicy(uplinkAdapter)}
	return n, nil
}

func sliceNetwork(name string, t NetworkType, slice netip.Prefix) (*Network, error) {
	if name == "" {
		return nil, &ValidationError{Path: "Name", Reason: "required"}
	}
	route, err := DefaultRoute(slice)
	if err != nil {
		return nil, err
	}
	return &Network{
		Name: name,
		Type: t,
		Ipams: []IPAM{{
			Type:    IPAMTypeStatic,
			Subnets: []Subnet{{IpAddressPrefix: slice.String(), Routes: []Route{route}}},
		}},
		SchemaVersion: V2(),
	}, nil
}
