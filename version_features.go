package hcn

import (
	"fmt"
	"strings"
)

// Feature is a capability of the HNS service, keyed on its version (the
// table in the HCN wire-format reference; hcsshim's HNSSupportedFeatures).
//
// The table agrees with hnslib v0.1.3 (the package's current home, what
// kube-proxy uses) at every version, and with hcsshim v0.15.0 at every
// version but 15.4 (a test in the peers module compares them at every
// version up to 20.30): ModifyLoadBalancer is 15.5–15.x and >= 16.0, not
// hcsshim's >= 15.4. On HNS 15.4 (what Windows Server 2025 reports)
// HcnModifyLoadBalancer succeeds without applying the new backend list
// (kubernetes/kubernetes#131466, fixed in hnslib and kube-proxy by
// kubernetes/kubernetes#131506), so the Client replaces load balancers
// there instead.
type Feature uint8

// Features, with the service versions that have them (ranges inclusive;
// "9.3–9.x" means every 9.y from 9.3 on).
const (
	FeatureACLAddressLists          Feature = iota + 1 // >= 7.2
	FeatureACLPortRanges                               // >= 7.2
	FeatureACLRuleID                                   // >= 7.2
	FeatureACLNoHostRulePriority                       // >= 7.2
	FeatureV2API                                       // >= 9.2
	FeatureRemoteSubnet                                // >= 9.2
	FeatureHostRoute                                   // >= 9.2
	FeatureDSR                                         // 9.3–9.x, >= 10.2
	FeatureSlash32EndpointPrefixes                     // 9.3–9.x, >= 10.4
	FeatureVxlanPort                                   // >= 10.3
	FeatureACLSupportForProtocol252                    // >= 11.0
	FeatureIPv6DualStack                               // >= 11.10
	FeatureSessionAffinity                             // >= 12.0
	FeatureL4Proxy                                     // 9.5–9.x, 10.5–10.x, 11.11–11.x, 12.1–12.x, >= 13.1
	FeatureSetPolicy                                   // >= 13.0
	FeatureL4WfpProxy                                  // >= 13.2
	FeatureTierACL                                     // >= 14.0
	FeatureNetworkACL                                  // >= 15.0
	FeatureNestedIPSet                                 // >= 15.0
	FeatureDisableHostPort                             // >= 15.1
	FeatureModifyLoadBalancer                          // 15.5–15.x, >= 16.0
	FeatureAccelnet                                    // >= 15.4
	featureEnd
)

// versionRange is [from, until): until zero means no upper bound.
type versionRange struct{ from, until Version }

type featureInfo struct {
	name   string
	ranges []versionRange
}

func since(major, minor uint32) []versionRange {
	return []versionRange{{from: Version{major, minor}}}
}

// within is major.minor up to every later minor of the same major.
func within(major, minor uint32) versionRange {
	return versionRange{from: Version{major, minor}, until: Version{major + 1, 0}}
}

var featureTable = [featureEnd]featureInfo{
	FeatureACLAddressLists:          {"ACLAddressLists", since(7, 2)},
	FeatureACLPortRanges:            {"ACLPortRanges", since(7, 2)},
	FeatureACLRuleID:                {"ACLRuleID", since(7, 2)},
	FeatureACLNoHostRulePriority:    {"ACLNoHostRulePriority", since(7, 2)},
	FeatureV2API:                    {"V2API", since(9, 2)},
	FeatureRemoteSubnet:             {"RemoteSubnet", since(9, 2)},
	FeatureHostRoute:                {"HostRoute", since(9, 2)},
	FeatureDSR:                      {"DSR", []versionRange{within(9, 3), {from: Version{10, 2}}}},
	FeatureSlash32EndpointPrefixes:  {"Slash32EndpointPrefixes", []versionRange{within(9, 3), {from: Version{10, 4}}}},
	FeatureVxlanPort:                {"VxlanPort", since(10, 3)},
	FeatureACLSupportForProtocol252: {"ACLSupportForProtocol252", since(11, 0)},
	FeatureIPv6DualStack:            {"IPv6DualStack", since(11, 10)},
	FeatureSessionAffinity:          {"SessionAffinity", since(12, 0)},
	FeatureL4Proxy: {"L4Proxy", []versionRange{within(9, 5), within(10, 5), within(11, 11), within(12, 1),
		{from: Version{13, 1}}}},
	FeatureSetPolicy:          {"SetPolicy", since(13, 0)},
	FeatureL4WfpProxy:         {"L4WfpProxy", since(13, 2)},
	FeatureTierACL:            {"TierACL", since(14, 0)},
	FeatureNetworkACL:         {"NetworkACL", since(15, 0)},
	FeatureNestedIPSet:        {"NestedIPSet", since(15, 0)},
	FeatureDisableHostPort:    {"DisableHostPort", since(15, 1)},
	FeatureModifyLoadBalancer: {"ModifyLoadBalancer", []versionRange{within(15, 5), {from: Version{16, 0}}}},
	FeatureAccelnet:           {"Accelnet", since(15, 4)},
}

// AllFeatures returns every Feature, in declaration order.
func AllFeatures() []Feature {
	fs := make([]Feature, 0, featureEnd-1)
	for f := Feature(1); f < featureEnd; f++ {
		fs = append(fs, f)
	}
	return fs
}

// Valid reports whether f is a known feature.
func (f Feature) Valid() bool { return f >= 1 && f < featureEnd }

// String returns the feature's name ("ModifyLoadBalancer").
func (f Feature) String() string {
	if !f.Valid() {
		return fmt.Sprintf("Feature(%d)", uint8(f))
	}
	return featureTable[f].name
}

// ParseFeature parses a feature name as String returns it, in any case.
func ParseFeature(s string) (Feature, error) {
	for _, f := range AllFeatures() {
		if equalFoldASCII(s, f.String()) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("hcn: %w: unknown feature %q", ErrInvalid, s)
}

// SupportedBy reports whether service version v has f.
func (f Feature) SupportedBy(v Version) bool {
	if !f.Valid() {
		return false
	}
	for _, r := range featureTable[f].ranges {
		if v.AtLeast(r.from) && (r.until.IsZero() || v.Compare(r.until) < 0) {
			return true
		}
	}
	return false
}

// requirement describes the versions that have f: ">= 15.4" or
// "9.3–9.x, >= 10.2".
func (f Feature) requirement() string {
	if !f.Valid() {
		return "(unknown feature)"
	}
	var parts []string
	for _, r := range featureTable[f].ranges {
		if r.until.IsZero() {
			parts = append(parts, ">= "+r.from.String())
		} else {
			parts = append(parts, fmt.Sprintf("%s–%d.x", r.from, r.from.Major))
		}
	}
	return strings.Join(parts, ", ")
}

// FeatureSet is a set of Features.
type FeatureSet uint64

// FeaturesOf returns the features service version v has.
func FeaturesOf(v Version) FeatureSet {
	var s FeatureSet
	for _, f := range AllFeatures() {
		if f.SupportedBy(v) {
			s |= 1 << f
		}
	}
	return s
}

// Has reports whether f is in s.
func (s FeatureSet) Has(f Feature) bool { return f.Valid() && s&(1<<f) != 0 }

// List returns the features in s in declaration order.
func (s FeatureSet) List() []Feature {
	var fs []Feature
	for _, f := range AllFeatures() {
		if s.Has(f) {
			fs = append(fs, f)
		}
	}
	return fs
}

// String returns the names in s separated by commas.
func (s FeatureSet) String() string {
	names := make([]string, 0, 24)
	for _, f := range s.List() {
		names = append(names, f.String())
	}
	return strings.Join(names, ",")
}
