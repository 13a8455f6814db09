package hcn

import (
	"context"
	"net/netip"
	"slices"
)

// policyFeature returns the feature policy p needs, if any: its type's
// (the registry's Feature), or NestedIPSet for a SetPolicy of a nested IP
// set.
func policyFeature(p Policy) (Feature, bool) {
	r := lookupPolicy(p.Type)
	if r == nil || r.feature == 0 {
		return 0, false
	}
	if r.feature == FeatureSetPolicy {
		if s, isSet := SettingsAs[*SetPolicySetting](p); isSet && s != nil && s.SetType.Is(SetPolicyTypeNestedIPSet) {
			return FeatureNestedIPSet, true
		}
	}
	return r.feature, true
}

// requirePolicies refuses policies the service's version lacks (see
// RequireFeature) before any call that would send them.
func (c *Client) requirePolicies(ctx context.Context, op string, ps []Policy) error {
	for _, p := range ps {
		if f, ok := policyFeature(p); ok {
			if err := c.require(ctx, op, f); err != nil {
				return err
			}
		}
	}
	return nil
}

// requireDocument refuses a document that needs a feature the service's
// version lacks (see RequireFeature), before any call that would send it:
// what its content uses (documentFeatures) and what its policies need.
func (c *Client) requireDocument(ctx context.Context, op string, d Document) error {
	for _, f := range documentFeatures(d) {
		if err := c.require(ctx, op, f); err != nil {
			return err
		}
	}
	switch d := d.(type) {
	case *Network:
		return c.requirePolicies(ctx, op, d.Policies)
	case *Endpoint:
		return c.requirePolicies(ctx, op, d.Policies)
	}
	return nil
}

// documentFeatures returns the features a document's content needs, by
// what it contains and not only by its flags:
//
//   - IPv6DualStack: a network with an IPv6 subnet, route or IP subnet; an
//     endpoint with an IPv6 address or route; a load balancer with the IPv6
//     flag or an IPv6 frontend or source VIP (the service would otherwise
//     get an IPv6 VIP on a host that has no IPv6 load balancing); a subnet
//     modify request with an IPv6 prefix.
//   - Slash32EndpointPrefixes: an endpoint asking for an IPv4 address with
//     PrefixLength 32.
//   - DisableHostPort: a network with NetworkFlagDisableHostPort.
//   - DSR, SessionAffinity: a load balancer with
//     LoadBalancerFlagEnableDirectServerReturn, a port mapping with a
//     distribution type.
//
// A load balancer's backends are endpoint ids: their addresses were
// checked when the endpoints were created.
func documentFeatures(d Document) []Feature {
	var need []Feature
	add := func(on bool, f Feature) {
		if on {
			need = append(need, f)
		}
	}
	switch d := d.(type) {
	case *Network:
		add(networkHasIPv6(d), FeatureIPv6DualStack)
		add(d.Flags&NetworkFlagDisableHostPort != 0, FeatureDisableHostPort)
	case *Endpoint:
		add(endpointHasIPv6(d), FeatureIPv6DualStack)
		add(endpointHasSlash32(d), FeatureSlash32EndpointPrefixes)
	case *LoadBalancer:
		add(d.Flags&LoadBalancerFlagEnableDirectServerReturn != 0, FeatureDSR)
		add(d.Flags&LoadBalancerFlagIPv6 != 0 || anyIPv6(append([]string{d.SourceVIP}, d.FrontendVIPs...)), FeatureIPv6DualStack)
		add(slices.ContainsFunc(d.PortMappings, func(m PortMapping) bool { return m.DistributionType != DistributionNone }),
			FeatureSessionAffinity)
	}
	return need
}

// requestFeatures returns the features a modify request's content needs
// (see documentFeatures); policies are checked by prepareModify.
func requestFeatures(req ModifyRequest) []Feature {
	if req.RequestType.Is(RequestRemove) {
		return nil
	}
	switch s := req.Settings.(type) {
	case *SubnetRequest:
		if s != nil {
			return documentFeatures(&Network{Ipams: []IPAM{{Subnets: []Subnet{Subnet(*s)}}}})
		}
	case *IPSubnetRequest:
		if s != nil && isIPv6(s.IpAddressPrefix) {
			return []Feature{FeatureIPv6DualStack}
		}
	}
	return nil
}

// isIPv6 reports whether text is an IPv6 address or prefix (an IPv4-mapped
// one counts as IPv4).
func isIPv6(text string) bool {
	if p, err := netip.ParsePrefix(text); err == nil {
		return p.Addr().Is6() && !p.Addr().Is4In6()
	}
	a, err := netip.ParseAddr(text)
	return err == nil && a.Is6() && !a.Is4In6()
}

// anyIPv6 reports whether any of texts is an IPv6 address or prefix.
func anyIPv6(texts []string) bool { return slices.ContainsFunc(texts, isIPv6) }

// routesIPv6 reports whether a route list uses IPv6.
func routesIPv6(rs []Route) bool {
	return slices.ContainsFunc(rs, func(r Route) bool { return isIPv6(r.DestinationPrefix) || isIPv6(r.NextHop) })
}

// networkHasIPv6 reports whether a network declares an IPv6 subnet, route
// or IP subnet.
func networkHasIPv6(n *Network) bool {
	for _, s := range n.Subnets() {
		if isIPv6(s.IpAddressPrefix) || routesIPv6(s.Routes) ||
			slices.ContainsFunc(s.IpSubnets, func(i IPSubnet) bool { return isIPv6(i.IpAddressPrefix) }) {
			return true
		}
	}
	return false
}

// endpointHasIPv6 reports whether an endpoint asks for an IPv6 address or
// route.
func endpointHasIPv6(e *Endpoint) bool {
	return routesIPv6(e.Routes) ||
		slices.ContainsFunc(e.IpConfigurations, func(c IPConfig) bool { return isIPv6(c.IpAddress) })
}

// endpointHasSlash32 reports whether an endpoint asks for an IPv4 address
// with a /32 prefix.
func endpointHasSlash32(e *Endpoint) bool {
	return slices.ContainsFunc(e.IpConfigurations, func(c IPConfig) bool {
		a, err := c.Addr()
		return err == nil && a.Is4() && c.PrefixLength == 32
	})
}
