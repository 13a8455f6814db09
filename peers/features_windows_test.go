package peers_test

import (
	"testing"

	hcsshim "github.com/Microsoft/hcsshim/hcn"
	hnslib "github.com/Microsoft/hnslib/hcn"

	"github.com/hcnkit/hcn"
)

// peerRange is one of the peers' inclusive version ranges.
type peerRange struct{ minMajor, minMinor, maxMajor, maxMinor int }

func (r peerRange) has(v hcn.Version) bool {
	major, minor := int(v.Major), int(v.Minor)
	switch {
	case major < r.minMajor || major > r.maxMajor:
		return false
	case major == r.minMajor && minor < r.minMinor:
		return false
	case major == r.maxMajor && minor > r.maxMinor:
		return false
	}
	return true
}

func hcsshimRanges(rs hcsshim.VersionRanges) []peerRange {
	out := make([]peerRange, len(rs))
	for i, r := range rs {
		out[i] = peerRange{r.MinVersion.Major, r.MinVersion.Minor, r.MaxVersion.Major, r.MaxVersion.Minor}
	}
	return out
}

func hnslibRanges(rs hnslib.VersionRanges) []peerRange {
	out := make([]peerRange, len(rs))
	for i, r := range rs {
		out[i] = peerRange{r.MinVersion.Major, r.MinVersion.Minor, r.MaxVersion.Major, r.MaxVersion.Minor}
	}
	return out
}

func anyHas(rs []peerRange, v hcn.Version) bool {
	for _, r := range rs {
		if r.has(v) {
			return true
		}
	}
	return false
}

// TestFeatureTableAgainstPeers checks hcn's feature table against the
// version ranges of hcsshim v0.15.0 and hnslib v0.1.3 at every version
// 0.0–20.30. It must agree with hnslib everywhere, and with hcsshim
// everywhere but at the one documented difference: hcsshim enables
// HcnModifyLoadBalancer from 15.4, where the modify may not apply a new
// backend list; hnslib and hcn from 15.5 (15.5–15.x and >= 16.0).
func TestFeatureTableAgainstPeers(t *testing.T) {
	type peers struct{ hcsshim, hnslib []peerRange }
	table := map[hcn.Feature]peers{
		hcn.FeatureACLAddressLists:          {hcsshimRanges(hcsshim.HNSVersion1803), hnslibRanges(hnslib.HNSVersion1803)},
		hcn.FeatureACLPortRanges:            {hcsshimRanges(hcsshim.HNSVersion1803), hnslibRanges(hnslib.HNSVersion1803)},
		hcn.FeatureACLRuleID:                {hcsshimRanges(hcsshim.HNSVersion1803), hnslibRanges(hnslib.HNSVersion1803)},
		hcn.FeatureACLNoHostRulePriority:    {hcsshimRanges(hcsshim.HNSVersion1803), hnslibRanges(hnslib.HNSVersion1803)},
		hcn.FeatureV2API:                    {hcsshimRanges(hcsshim.V2ApiSupport), hnslibRanges(hnslib.V2ApiSupport)},
		hcn.FeatureRemoteSubnet:             {hcsshimRanges(hcsshim.RemoteSubnetVersion), hnslibRanges(hnslib.RemoteSubnetVersion)},
		hcn.FeatureHostRoute:                {hcsshimRanges(hcsshim.HostRouteVersion), hnslibRanges(hnslib.HostRouteVersion)},
		hcn.FeatureDSR:                      {hcsshimRanges(hcsshim.DSRVersion), hnslibRanges(hnslib.DSRVersion)},
		hcn.FeatureSlash32EndpointPrefixes:  {hcsshimRanges(hcsshim.Slash32EndpointPrefixesVersion), hnslibRanges(hnslib.Slash32EndpointPrefixesVersion)},
		hcn.FeatureVxlanPort:                {hcsshimRanges(hcsshim.VxlanPortVersion), hnslibRanges(hnslib.VxlanPortVersion)},
		hcn.FeatureACLSupportForProtocol252: {hcsshimRanges(hcsshim.AclSupportForProtocol252Version), hnslibRanges(hnslib.AclSupportForProtocol252Version)},
		hcn.FeatureIPv6DualStack:            {hcsshimRanges(hcsshim.IPv6DualStackVersion), hnslibRanges(hnslib.IPv6DualStackVersion)},
		hcn.FeatureSessionAffinity:          {hcsshimRanges(hcsshim.SessionAffinityVersion), hnslibRanges(hnslib.SessionAffinityVersion)},
		hcn.FeatureL4Proxy:                  {hcsshimRanges(hcsshim.L4ProxyPolicyVersion), hnslibRanges(hnslib.L4ProxyPolicyVersion)},
		hcn.FeatureSetPolicy:                {hcsshimRanges(hcsshim.SetPolicyVersion), hnslibRanges(hnslib.SetPolicyVersion)},
		hcn.FeatureL4WfpProxy:               {hcsshimRanges(hcsshim.L4WfpProxyPolicyVersion), hnslibRanges(hnslib.L4WfpProxyPolicyVersion)},
		hcn.FeatureTierACL:                  {hcsshimRanges(hcsshim.TierAclPolicyVersion), hnslibRanges(hnslib.TierAclPolicyVersion)},
		hcn.FeatureNetworkACL:               {hcsshimRanges(hcsshim.NetworkACLPolicyVersion), hnslibRanges(hnslib.NetworkACLPolicyVersion)},
		hcn.FeatureNestedIPSet:              {hcsshimRanges(hcsshim.NestedIpSetVersion), hnslibRanges(hnslib.NestedIpSetVersion)},
		hcn.FeatureDisableHostPort:          {hcsshimRanges(hcsshim.DisableHostPortVersion), hnslibRanges(hnslib.DisableHostPortVersion)},
		hcn.FeatureModifyLoadBalancer:       {hcsshimRanges(hcsshim.ModifyLoadbalancerVersion), hnslibRanges(hnslib.ModifyLoadbalancerVersion)},
		hcn.FeatureAccelnet:                 {hcsshimRanges(hcsshim.AccelnetVersion), hnslibRanges(hnslib.AccelnetVersion)},
	}
	if len(table) != len(hcn.AllFeatures()) {
		t.Fatalf("the cross-check covers %d features, hcn has %d", len(table), len(hcn.AllFeatures()))
	}
	differs := 0
	for _, f := range hcn.AllFeatures() {
		p, ok := table[f]
		if !ok {
			t.Errorf("%s: no peer ranges to compare with", f)
			continue
		}
		for major := uint32(0); major <= 20; major++ {
			for minor := uint32(0); minor <= 30; minor++ {
				v := hcn.Version{Major: major, Minor: minor}
				ours := f.SupportedBy(v)
				if got := anyHas(p.hnslib, v); got != ours {
					t.Errorf("%s at %s: hcn says %v, hnslib %v", f, v, ours, got)
				}
				got := anyHas(p.hcsshim, v)
				if got == ours {
					continue
				}
				if f == hcn.FeatureModifyLoadBalancer && v == (hcn.Version{Major: 15, Minor: 4}) {
					differs++
					continue
				}
				t.Errorf("%s at %s: hcn says %v, hcsshim %v", f, v, ours, got)
			}
		}
	}
	if differs != 1 {
		t.Errorf("expected exactly the documented difference (ModifyLoadBalancer at 15.4) with hcsshim, found %d", differs)
	}
}
