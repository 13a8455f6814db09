package hcn

import (
	"fmt"
	"net/netip"
)

// Validate checks a network before HcnCreateNetwork: ids, IPAM types,
// subnet prefixes (CIDR syntax, length, no host bits), routes (a NextHop in
// the subnet's family and inside the subnet), MAC pool ranges, DNS servers,
// and the policies of the network and of its subnets: each of a type that
// applies there (an endpoint policy on the network, say, is refused; a type
// the library does not model is accepted) and with valid settings. The
// error wraps ErrInvalid and names each member's path and what is wrong.
func (n *Network) Validate() error {
	var v validator
	v.guid("ID", string(n.ID))
	for i := range n.Ipams {
		validateIPAM(&v, idx("Ipams", i), &n.Ipams[i])
	}
	v.policiesOf("Policies", n.Policies, PolicyScopeNetwork)
	for i, r := range n.MacPool.Ranges {
		path := idx("MacPool.Ranges", i)
		v.mac(at(path, "StartMacAddress"), r.StartMacAddress)
		v.mac(at(path, "EndMacAddress"), r.EndMacAddress)
	}
	validateDNS(&v, "Dns", &n.Dns)
	return v.err()
}

func validateIPAM(v *validator, path string, a *IPAM) {
	if a.Type != "" && knownName(string(a.Type), ipamTypeNames) == "" {
		v.add(at(path, "Type"), string(a.Type), "unknown IPAM type (want Static or Dhcp)")
	}
	for j := range a.Subnets {
		validateSubnet(v, idx(at(path, "Subnets"), j), &a.Subnets[j])
	}
}

func validateSubnet(v *validator, path string, s *Subnet) {
	p, ok := v.prefix(at(path, "IpAddressPrefix"), s.IpAddressPrefix, len(s.Routes) > 0)
	for i := range s.Routes {
		rp := idx(at(path, "Routes"), i)
		v.prefix(at(rp, "DestinationPrefix"), s.Routes[i].DestinationPrefix, true)
		hop, hopOK := v.addr(at(rp, "NextHop"), s.Routes[i].NextHop, true)
		if ok && hopOK {
			v.inSubnet(at(rp, "NextHop"), hop, p)
		}
	}
	for i, ip := range s.IpSubnets {
		ipp := at(idx(at(path, "IpSubnets"), i), "IpAddressPrefix")
		if q, qok := v.prefix(ipp, ip.IpAddressPrefix, false); qok && ok && !p.Contains(q.Addr()) {
			v.add(ipp, ip.IpAddressPrefix, "not inside the subnet "+p.String())
		}
	}
	v.policiesOf(at(path, "Policies"), s.Policies, PolicyScopeSubnet)
}

// inSubnet checks that a gateway address is usable in subnet p.
func (v *validator) inSubnet(path string, a netip.Addr, p netip.Prefix) {
	switch {
	case a.Is4() != p.Addr().Is4():
		v.add(path, a.String(), "not in the address family of the subnet "+p.String())
	case !p.Contains(a):
		v.add(path, a.String(), "not inside the subnet "+p.String())
	case a == p.Addr():
		v.add(path, a.String(), "is the network address of the subnet "+p.String())
	}
}

func validateDNS(v *validator, path string, d *DNS) {
	for i, s := range d.ServerList {
		v.addr(idx(at(path, "ServerList"), i), s, true)
	}
}

func validateRoutes(v *validator, path string, rs []Route) {
	for i := range rs {
		rp := idx(path, i)
		v.prefix(at(rp, "DestinationPrefix"), rs[i].DestinationPrefix, true)
		v.addr(at(rp, "NextHop"), rs[i].NextHop, false)
	}
}

// Validate checks an endpoint before HcnCreateEndpoint: ids, addresses and
// prefix lengths, MAC address, routes, DNS servers and the policies (each
// of a type an endpoint takes, or one the library does not model, with
// valid settings). Use ValidateIn to check the addresses against the
// network too.
func (e *Endpoint) Validate() error {
	var v validator
	e.validate(&v)
	return v.err()
}

func (e *Endpoint) validate(v *validator) {
	v.guid("ID", string(e.ID))
	v.guid("HostComputeNetwork", string(e.HostComputeNetwork))
	v.guid("HostComputeNamespace", string(e.HostComputeNamespace))
	for i := range e.IpConfigurations {
		c := &e.IpConfigurations[i]
		path := idx("IpConfigurations", i)
		a, ok := v.addr(at(path, "IpAddress"), c.IpAddress, true)
		if ok && int(c.PrefixLength) > a.BitLen() {
			v.add(at(path, "PrefixLength"), fmt.Sprint(c.PrefixLength), "prefix length out of range")
		}
		v.guid(at(path, "IpSubnetId"), c.IpSubnetId)
	}
	v.mac("MacAddress", e.MacAddress)
	validateRoutes(v, "Routes", e.Routes)
	e.validateNextHops(v)
	validateDNS(v, "Dns", &e.Dns)
	v.policiesOf("Policies", e.Policies, PolicyScopeEndpoint)
}

// validateNextHops checks that each route's NextHop is on the link of an
// endpoint address of its family, when the addresses carry a prefix length.
func (e *Endpoint) validateNextHops(v *validator) {
	var links []netip.Prefix
	for i := range e.IpConfigurations {
		c := &e.IpConfigurations[i]
		if a, err := c.Addr(); err == nil && c.PrefixLength > 0 && int(c.PrefixLength) <= a.BitLen() {
			links = append(links, netip.PrefixFrom(a, int(c.PrefixLength)).Masked())
		}
	}
	for i := range e.Routes {
		hop, err := e.Routes[i].NextHopAddr()
		if err != nil || hop.IsUnspecified() {
			continue
		}
		if reason := offLink(hop, links); reason != "" {
			v.add(at(idx("Routes", i), "NextHop"), hop.String(), reason)
		}
	}
}

// offLink says why hop is not reachable on links (same family), or "".
func offLink(hop netip.Addr, links []netip.Prefix) string {
	seen := false
	for _, l := range links {
		if l.Addr().Is4() != hop.Is4() {
			continue
		}
		if l.Contains(hop) {
			return ""
		}
		seen = true
	}
	if !seen {
		return ""
	}
	return "not on the link of any endpoint address of its family"
}

// ValidateIn validates the endpoint and checks that each of its addresses
// lies inside a subnet of network n and is not that subnet's network
// address, gateway or IPv4 broadcast address — the addresses the service
// rejects with HCN_E_ADDR_INVALID_OR_RESERVED or HCN_E_INVALID_IP — and
// that each PrefixLength asked for is the one the endpoint will get (see
// checkPrefixLengths).
func (e *Endpoint) ValidateIn(n *Network) error {
	var v validator
	e.validate(&v)
	subnets := n.Subnets()
	for i := range e.IpConfigurations {
		path := at(idx("IpConfigurations", i), "IpAddress")
		if a, err := e.IpConfigurations[i].Addr(); err == nil {
			v.inNetwork(path, a, subnets, n.Name)
		}
	}
	e.checkPrefixLengths(&v, n)
	return v.err()
}

// checkPrefixLengths checks each PrefixLength an endpoint asks for against
// the subnet of network n its address lies in. The service gives an
// endpoint its subnet's prefix length; the one exception it documents is
// an IPv4 /32 on hosts with the Slash32EndpointPrefixes feature (which the
// Client checks separately). Any other PrefixLength would be changed
// without a word, so it is refused, naming the field. Zero means "the
// subnet's"; an address outside every subnet is reported by inNetwork.
func (e *Endpoint) checkPrefixLengths(v *validator, n *Network) {
	subnets := n.Subnets()
	for i := range e.IpConfigurations {
		c := &e.IpConfigurations[i]
		a, err := c.Addr()
		if err != nil || c.PrefixLength == 0 || (a.Is4() && c.PrefixLength == 32) {
			continue
		}
		if p, ok := subnetOf(a, subnets); ok && int(c.PrefixLength) != p.Bits() {
			v.add(at(idx("IpConfigurations", i), "PrefixLength"), fmt.Sprint(c.PrefixLength),
				fmt.Sprintf("differs from the subnet %s of network %q: the service gives an endpoint its subnet's prefix length "+
					"(leave it zero, or /32 for an IPv4 host route)", p, n.Name))
		}
	}
}

// subnetOf returns the prefix of the subnet that contains a.
func subnetOf(a netip.Addr, subnets []Subnet) (netip.Prefix, bool) {
	for i := range subnets {
		if p, err := checkedPrefix(subnets[i].IpAddressPrefix); err == nil && p.Contains(a) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// inNetwork checks that a is a usable endpoint address of one of subnets.
func (v *validator) inNetwork(path string, a netip.Addr, subnets []Subnet, name string) {
	for i := range subnets {
		p, err := checkedPrefix(subnets[i].IpAddressPrefix)
		if err != nil || !p.Contains(a) {
			continue
		}
		if reason := reservedReason(a, p, &subnets[i]); reason != "" {
			v.add(path, a.String(), reason)
		}
		return
	}
	v.add(path, a.String(), fmt.Sprintf("not inside any subnet of network %q", name))
}

// checkedPrefix parses a prefix field, masking host bits.
func checkedPrefix(s string) (netip.Prefix, error) {
	p, err := parsePrefixField(s)
	return p.Masked(), err
}

// reservedReason says why a is not usable by an endpoint in subnet s
// (prefix p), or "".
func reservedReason(a netip.Addr, p netip.Prefix, s *Subnet) string {
	if gw, ok := s.Gateway(); ok && gw == a {
		return "is the gateway of the subnet " + p.String()
	}
	if a == p.Addr() {
		return "is the network address of the subnet " + p.String()
	}
	if a.Is4() && p.Bits() < 31 && a == lastAddr(p) {
		return "is the broadcast address of the subnet " + p.String()
	}
	return ""
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// Validate checks a load balancer: ids, addresses, and each port mapping's
// protocol (a known number) and internal port (non-zero for TCP and UDP,
// HCN_E_INVALID_INTERNAL_PORT otherwise).
func (lb *LoadBalancer) Validate() error {
	var v validator
	v.guid("ID", string(lb.ID))
	v.guid("HostComputeNetwork", string(lb.HostComputeNetwork))
	for i, id := range lb.HostComputeEndpoints {
		v.requiredGUID(idx("HostComputeEndpoints", i), string(id))
	}
	v.addr("SourceVIP", lb.SourceVIP, false)
	for i, vip := range lb.FrontendVIPs {
		v.addr(idx("FrontendVIPs", i), vip, true)
	}
	for i := range lb.PortMappings {
		validatePortMapping(&v, idx("PortMappings", i), &lb.PortMappings[i])
	}
	return v.err()
}

func validatePortMapping(v *validator, path string, m *PortMapping) {
	v.protocol(at(path, "Protocol"), m.Protocol)
	if m.Protocol.HasPorts() && m.InternalPort == 0 {
		v.add(at(path, "InternalPort"), "", "must not be zero")
	}
	if m.DistributionType > DistributionSourceIP {
		v.add(at(path, "DistributionType"), fmt.Sprint(uint32(m.DistributionType)), "unknown distribution type (want 0, 1 or 2)")
	}
}

// protocol checks a protocol number member.
func (v *validator) protocol(path string, p Protocol) {
	if !p.Known() {
		v.add(path, fmt.Sprint(uint32(p)), "unknown protocol (want 1 ICMPv4, 2 IGMP, 6 TCP, 17 UDP or 58 ICMPv6)")
	}
}

// Validate checks a namespace: ids, type and resources (each a Container
// or an Endpoint with a GUID in Data.ID).
func (ns *Namespace) Validate() error {
	var v validator
	v.guid("ID", string(ns.ID))
	v.guid("NamespaceGuid", ns.NamespaceGUID)
	if ns.Type != "" && knownName(string(ns.Type), namespaceTypeNames) == "" {
		v.add("Type", string(ns.Type), "unknown namespace type (want Host, HostDefault, Guest or GuestDefault)")
	}
	for i, r := range ns.Resources {
		path := idx("Resources", i)
		if !r.Type.Is(NamespaceResourceEndpoint) && !r.Type.Is(NamespaceResourceContainer) {
			v.add(at(path, "Type"), string(r.Type), "unknown resource type (want Endpoint or Container)")
		}
		v.requiredGUID(at(path, "Data.ID"), string(r.Data.ID))
	}
	return v.err()
}

// Validate checks an SDN route document: ids and each route (a
// destination prefix and, when set, a next-hop address).
func (r *SDNRoute) Validate() error {
	var v validator
	v.guid("ID", string(r.ID))
	v.guid("HostComputeNetwork", string(r.HostComputeNetwork))
	for i, id := range r.HostComputeEndpoints {
		v.requiredGUID(idx("HostComputeEndpoints", i), string(id))
	}
	for i := range r.Routes {
		r.Routes[i].validate(&v, idx("Setting", i))
	}
	return v.err()
}

// Validate checks a guest network service document's ids.
func (g *GuestNetworkService) Validate() error {
	var v validator
	v.guid("ID", string(g.ID))
	v.guid("VirtualMachineId", g.VirtualMachineID)
	return v.err()
}

// ValidateFor checks a modify request for an object of kind: what Validate
// checks, that the ResourceType is one of kind's, and that each policy of a
// Policy request is of a type that kind of object takes (a network policy
// for HcnModifyNetwork, an endpoint policy for HcnModifyEndpoint; a type
// the library does not model is accepted). The Client checks every request
// it sends this way.
func (m *ModifyRequest) ValidateFor(kind Kind) error {
	var v validator
	if err := m.Validate(); err != nil {
		v.errs = append(v.errs, err)
	}
	rt := m.ResourceType
	if rt != "" && !isDigits(string(rt)) && !resourceFits(rt, kind) {
		v.add("ResourceType", string(rt), "not a "+kind.String()+" resource type")
	}
	if pr, ok := m.Settings.(*PolicyRequest); ok && pr != nil && scopeOfKind(kind) != 0 {
		path := at("Settings", "Policies")
		for i, p := range pr.Policies {
			// Validate has named the types neither a network nor an endpoint takes.
			if r := lookupPolicy(p.Type); r != nil && r.scope&(PolicyScopeNetwork|PolicyScopeEndpoint) != 0 {
				v.policyScope(idx(path, i), p.Type, scopeOfKind(kind))
			}
		}
	}
	return v.err()
}
