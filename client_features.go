package hcn

import (
	"context"
	"strings"
)

// policyFeatures maps policy types (lower case) to the service feature
// they need. Policy types not listed need none beyond the v2 API.
var policyFeatures = map[string]Feature{
	strings.ToLower(string(PolicyTypeSetPolicy)):         FeatureSetPolicy,
	strings.ToLower(string(PolicyTypeTierACL)):           FeatureTierACL,
	strings.ToLower(string(PolicyTypeL4WFPProxy)):        FeatureL4WfpProxy,
	strings.ToLower(string(PolicyTypeL4Proxy)):           FeatureL4Proxy,
	strings.ToLower(string(PolicyTypeNetworkACL)):        FeatureNetworkACL,
	strings.ToLower(string(PolicyTypeVxlanPort)):         FeatureVxlanPort,
	strings.ToLower(string(PolicyTypeHostRoute)):         FeatureHostRoute,
	strings.ToLower(string(PolicyTypeRemoteSubnetRoute)): FeatureRemoteSubnet,
}

// policyFeature returns the feature policy p needs, if any.
func policyFeature(p Policy) (Feature, bool) {
	f, ok := policyFeatures[strings.ToLower(string(p.Type))]
	if ok && f == FeatureSetPolicy {
		if s, isSet := SettingsAs[*SetPolicySetting](p); isSet && s.SetType.Is(SetPolicyTypeNestedIPSet) {
			return FeatureNestedIPSet, true
		}
	}
	return f, ok
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

// requireIPv6 refuses IPv6 addresses (dual stack) when the service's
// version lacks FeatureIPv6DualStack. has6 says whether the document uses
// any.
func (c *Client) requireIPv6(ctx context.Context, op string, has6 bool) error {
	if !has6 {
		return nil
	}
	return c.require(ctx, op, FeatureIPv6DualStack)
}

// networkHasIPv6 reports whether a network declares an IPv6 subnet.
func networkHasIPv6(n *Network) bool {
	for _, s := range n.Subnets() {
		if p, err := s.Prefix(); err == nil && p.Addr().Is6() && !p.Addr().Is4In6() {
			return true
		}
	}
	return false
}

// endpointHasIPv6 reports whether an endpoint asks for an IPv6 address.
func endpointHasIPv6(e *Endpoint) bool {
	for i := range e.IpConfigurations {
		if a, err := e.IpConfigurations[i].Addr(); err == nil && a.Is6() && !a.Is4In6() {
			return true
		}
	}
	return false
}
