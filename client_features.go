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
