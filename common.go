package hcn

import (
	"fmt"
	"net/netip"
)

// Addresses, prefixes and ids in documents are strings, kept exactly as
// written: real documents carry text that net/netip would rewrite or reject
// ("10.0.0.10/10", upper-case or braced GUIDs, ids like "test-ns-id"), and
// a document read, edited and sent back must not change them. Accessor
// methods parse them with net/netip; constructors and builders take netip
// and GUID values and write canonical text. Validate checks the syntax
// before anything is sent.

// IPAM is one address-management block of a network: Type Static or Dhcp
// and its subnets.
type IPAM struct {
	// Type is Static (addresses from Subnets) or Dhcp.
	Type IPAMType `json:"Type,omitempty"`
	// Subnets are the subnets the block hands addresses out from.
	Subnets []Subnet `json:"Subnets,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (a IPAM) MarshalJSON() ([]byte, error) { return encodeFrom(&a) }

// UnmarshalJSON implements json.Unmarshaler.
func (a *IPAM) UnmarshalJSON(b []byte) error { return decodeInto(b, a) }

// Subnet is one subnet of an IPAM block.
type Subnet struct {
	// IpAddressPrefix is the subnet in CIDR notation, e.g. "10.0.0.0/24".
	IpAddressPrefix string `json:"IpAddressPrefix,omitempty"`
	// Policies are subnet policies (VLAN, VSID).
	Policies []Policy `json:"Policies,omitempty"`
	// Routes must hold a default route (0.0.0.0/0 or ::/0) whose NextHop is
	// the gateway; without it some network types pick a gateway themselves
	// and reserve more addresses.
	Routes []Route `json:"Routes,omitempty"`
	// IpSubnets are the subnet's IP subnets (schema 2.3).
	IpSubnets []IPSubnet `json:"IpSubnets,omitempty"`
	// Flags (schema 2.7).
	Flags SubnetFlags `json:"Flags,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (s Subnet) MarshalJSON() ([]byte, error) { return encodeFrom(&s) }

// UnmarshalJSON implements json.Unmarshaler.
func (s *Subnet) UnmarshalJSON(b []byte) error { return decodeInto(b, s) }

// Prefix parses IpAddressPrefix.
func (s *Subnet) Prefix() (netip.Prefix, error) { return parsePrefixField(s.IpAddressPrefix) }

// Gateway returns the NextHop of the subnet's default route, false when
// there is none or it does not parse.
func (s *Subnet) Gateway() (netip.Addr, bool) {
	for i := range s.Routes {
		if s.Routes[i].IsDefault() {
			a, err := s.Routes[i].NextHopAddr()
			return a, err == nil
		}
	}
	return netip.Addr{}, false
}

// IPSubnet is one IP subnet of a subnet (schema 2.3).
type IPSubnet struct {
	// ID is the IP subnet's GUID; an IPConfig names it in IpSubnetId.
	ID string `json:"ID,omitempty"`
	// IpAddressPrefix is the IP subnet in CIDR notation, e.g. "10.0.0.0/26".
	IpAddressPrefix string `json:"IpAddressPrefix,omitempty"`
	// Flags are IPSubnetFlags bits (schema 2.5); the schema names None,
	// EnableBroadcast and ReserveNetworkAddress but gives no values.
	Flags uint32 `json:"Flags,omitempty"`
	// Policies are the IP subnet's policies, shaped like Subnet.Policies (the
	// schema's IpSubnet lists none; kept as sent).
	Policies []Policy `json:"Policies,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (s IPSubnet) MarshalJSON() ([]byte, error) { return encodeFrom(&s) }

// UnmarshalJSON implements json.Unmarshaler.
func (s *IPSubnet) UnmarshalJSON(b []byte) error { return decodeInto(b, s) }

// Route is a route of a subnet or an endpoint.
type Route struct {
	// NextHop is the gateway address, e.g. "10.0.0.1".
	NextHop string `json:"NextHop,omitempty"`
	// DestinationPrefix is the destination in CIDR notation; "0.0.0.0/0" or
	// "::/0" makes the default route.
	DestinationPrefix string `json:"DestinationPrefix,omitempty"`
	// Metric is the route's metric (uint16).
	Metric uint16 `json:"Metric,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (r Route) MarshalJSON() ([]byte, error) { return encodeFrom(&r) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *Route) UnmarshalJSON(b []byte) error { return decodeInto(b, r) }

// Destination parses DestinationPrefix.
func (r *Route) Destination() (netip.Prefix, error) { return parsePrefixField(r.DestinationPrefix) }

// NextHopAddr parses NextHop.
func (r *Route) NextHopAddr() (netip.Addr, error) { return parseAddrField(r.NextHop) }

// IsDefault reports whether the route's destination is 0.0.0.0/0 or ::/0.
func (r *Route) IsDefault() bool {
	p, err := r.Destination()
	return err == nil && p.Bits() == 0
}

// IPConfig is one address of an endpoint.
type IPConfig struct {
	// IpAddress is the address without a prefix length, e.g. "10.0.0.5".
	IpAddress string `json:"IpAddress,omitempty"`
	// PrefixLength is the on-link prefix length in bits, e.g. 24.
	PrefixLength uint8 `json:"PrefixLength,omitempty"`
	// IpSubnetId names the IP subnet the address is taken from (schema 2.3).
	IpSubnetId string `json:"IpSubnetId,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (c IPConfig) MarshalJSON() ([]byte, error) { return encodeFrom(&c) }

// UnmarshalJSON implements json.Unmarshaler.
func (c *IPConfig) UnmarshalJSON(b []byte) error { return decodeInto(b, c) }

// Addr parses IpAddress.
func (c *IPConfig) Addr() (netip.Addr, error) { return parseAddrField(c.IpAddress) }

// DNS is the DNS configuration of a network or an endpoint. (Documents
// before 2018 spelled Domain "Suffix"; that member is kept as unknown.)
type DNS struct {
	// Domain is the DNS suffix of the interface, e.g. "svc.cluster.local".
	Domain string `json:"Domain,omitempty"`
	// Search is the DNS suffix search list, in order.
	Search []string `json:"Search,omitempty"`
	// ServerList are the DNS server addresses, in order, e.g. "10.96.0.10".
	ServerList []string `json:"ServerList,omitempty"`
	// Options are resolver options as text, e.g. "ndots:5".
	Options []string `json:"Options,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (d DNS) MarshalJSON() ([]byte, error) { return encodeFrom(&d) }

// UnmarshalJSON implements json.Unmarshaler.
func (d *DNS) UnmarshalJSON(b []byte) error { return decodeInto(b, d) }

// MacPool is a network's pool of MAC addresses.
type MacPool struct {
	// Ranges are the ranges endpoint MACs are taken from.
	Ranges []MacRange `json:"Ranges,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (p MacPool) MarshalJSON() ([]byte, error) { return encodeFrom(&p) }

// UnmarshalJSON implements json.Unmarshaler.
func (p *MacPool) UnmarshalJSON(b []byte) error { return decodeInto(b, p) }

// MacRange is an inclusive range of MAC addresses, written
// "00-15-5D-52-C0-00".
type MacRange struct {
	// StartMacAddress is the first address, dash form like "00-15-5D-52-C0-00".
	StartMacAddress string `json:"StartMacAddress,omitempty"`
	// EndMacAddress is the last address (inclusive), in the same form.
	EndMacAddress string `json:"EndMacAddress,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (r MacRange) MarshalJSON() ([]byte, error) { return encodeFrom(&r) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *MacRange) UnmarshalJSON(b []byte) error { return decodeInto(b, r) }

// parsePrefixField parses a CIDR field, keeping host bits
// ("10.0.0.10/10" parses; Validate reports it).
func parsePrefixField(s string) (netip.Prefix, error) {
	return parseField(s, "prefix", netip.ParsePrefix)
}

// parseAddrField parses an IP address field.
func parseAddrField(s string) (netip.Addr, error) { return parseField(s, "address", netip.ParseAddr) }

// parseField parses a text field with parse, wrapping failures in
// ErrInvalid.
func parseField[T any](s, what string, parse func(string) (T, error)) (T, error) {
	var zero T
	if s == "" {
		return zero, fmt.Errorf("hcn: %w: empty %s", ErrInvalid, what)
	}
	v, err := parse(s)
	if err != nil {
		return zero, fmt.Errorf("hcn: %w: %w", ErrInvalid, err)
	}
	return v, nil
}
