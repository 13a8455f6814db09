package hcn

import (
	"reflect"
	"strings"
)

// The policy registry: one row per policy type the library models. The row
// is the one home of what is known about a type — its name, its settings,
// the objects that accept it, the schema version that introduced it and the
// service feature it needs — and it drives decoding (decodePolicySettings),
// Validate's scope check and the Client's feature gate (policyFeature).
// Adding a policy type is its settings type (policy_endpoint.go or
// policy_network.go), its name below and its row, and a validate method
// when its settings have rules (policy_validate.go).

// Policy types, in the order of the registry.
const (
	PolicyTypePortMapping         PolicyType = "PortMapping"
	PolicyTypeACL                 PolicyType = "ACL"
	PolicyTypeQOS                 PolicyType = "QOS"
	PolicyTypeL2Driver            PolicyType = "L2Driver"
	PolicyTypeOutBoundNAT         PolicyType = "OutBoundNAT"
	PolicyTypeSDNRoute            PolicyType = "SDNRoute"
	PolicyTypeL4Proxy             PolicyType = "L4Proxy"
	PolicyTypeL4WFPProxy          PolicyType = "L4WFPPROXY"
	PolicyTypePortName            PolicyType = "PortName"
	PolicyTypeEncapOverhead       PolicyType = "EncapOverhead"
	PolicyTypeInterfaceConstraint PolicyType = "InterfaceConstraint"
	PolicyTypeProviderAddress     PolicyType = "ProviderAddress"
	PolicyTypeIov                 PolicyType = "Iov"
	PolicyTypeTierACL             PolicyType = "TierAcl"
	PolicyTypeEncryption          PolicyType = "Encryption"
	PolicyTypeVLAN                PolicyType = "VLAN"
	PolicyTypeVSID                PolicyType = "VSID"
	PolicyTypeInterfaceParameters PolicyType = "InterfaceParameters"
	PolicyTypeFirewall            PolicyType = "Firewall"
	PolicyTypeSourceMacAddress    PolicyType = "SourceMacAddress"
	PolicyTypeNetAdapterName      PolicyType = "NetAdapterName"
	PolicyTypeVSwitchExtension    PolicyType = "VSwitchExtension"
	PolicyTypeDrMacAddress        PolicyType = "DrMacAddress"
	PolicyTypeAutomaticDNS        PolicyType = "AutomaticDNS"
	PolicyTypeRemoteSubnetRoute   PolicyType = "RemoteSubnetRoute"
	PolicyTypeVxlanPort           PolicyType = "VxlanPort"
	PolicyTypeHostRoute           PolicyType = "HostRoute"
	PolicyTypeSetPolicy           PolicyType = "SetPolicy"
	PolicyTypeNetworkACL          PolicyType = "NetworkACL"
	PolicyTypeNetworkL4Proxy      PolicyType = "NetworkL4Proxy"
	PolicyTypeLayerConstraint     PolicyType = "LayerConstraint"
)

// policyRow is what the library knows about one policy type.
type policyRow struct {
	typ     PolicyType     // the type's spelling on the wire
	proto   PolicySettings // a value of its settings type
	scope   PolicyScope    // the objects that accept it
	schema  SchemaVersion  // the schema version that introduced it; zero for 2.0
	feature Feature        // the service feature it needs; zero for none beyond the v2 API
}

// policyTable is the registry. Scopes follow Microsoft's hcn package (its
// NetworkPolicyType, EndpointPolicyType and SubnetPolicyType lists: a type
// both lists name applies to both) and the HNS schema; schema versions are
// the schema's NewInVersion; features are keyed on the service version (see
// Feature).
var policyTable = [...]policyRow{
	{PolicyTypePortMapping, PortMappingPolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeACL, ACLPolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeQOS, QOSPolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeL2Driver, L2DriverPolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeOutBoundNAT, OutboundNATPolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeSDNRoute, SDNRoutePolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeL4Proxy, L4ProxyPolicySetting{}, PolicyScopeNetwork | PolicyScopeEndpoint, SchemaVersion{}, FeatureL4Proxy},
	{PolicyTypeL4WFPProxy, L4WFPProxyPolicySetting{}, PolicyScopeEndpoint, schemaVersion(2, 5), FeatureL4WfpProxy},
	{PolicyTypePortName, PortNamePolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeEncapOverhead, EncapOverheadPolicySetting{}, PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeInterfaceConstraint, InterfaceConstraintPolicySetting{}, PolicyScopeNetwork | PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeProviderAddress, ProviderAddressPolicySetting{}, PolicyScopeNetwork | PolicyScopeEndpoint, SchemaVersion{}, 0},
	{PolicyTypeIov, IovPolicySetting{}, PolicyScopeEndpoint, schemaVersion(2, 9), 0},
	{PolicyTypeTierACL, TierACLPolicySetting{}, PolicyScopeEndpoint, schemaVersion(2, 10), FeatureTierACL},
	{PolicyTypeEncryption, EncryptionPolicySetting{}, PolicyScopeEndpoint, schemaVersion(2, 1), 0},
	// 2.4 is when endpoints took VLAN; subnets have since 2.0.
	{PolicyTypeVLAN, VLANPolicySetting{}, PolicyScopeEndpoint | PolicyScopeSubnet, schemaVersion(2, 4), 0},
	{PolicyTypeVSID, VSIDPolicySetting{}, PolicyScopeSubnet, SchemaVersion{}, 0},
	{PolicyTypeInterfaceParameters, InterfaceParametersPolicySetting{}, PolicyScopeEndpoint, schemaVersion(2, 4), 0},
	{PolicyTypeFirewall, FirewallPolicySetting{}, PolicyScopeEndpoint, schemaVersion(2, 16), 0},
	{PolicyTypeSourceMacAddress, SourceMacAddressPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, 0},
	{PolicyTypeNetAdapterName, NetAdapterNamePolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, 0},
	{PolicyTypeVSwitchExtension, VSwitchExtensionPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, 0},
	{PolicyTypeDrMacAddress, DrMacAddressPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, 0},
	{PolicyTypeAutomaticDNS, AutomaticDNSPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, 0},
	{PolicyTypeRemoteSubnetRoute, RemoteSubnetRoutePolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, FeatureRemoteSubnet},
	{PolicyTypeVxlanPort, VxlanPortPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, FeatureVxlanPort},
	{PolicyTypeHostRoute, HostRoutePolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, FeatureHostRoute},
	// A NESTEDIPSET set needs FeatureNestedIPSet instead (policyFeature).
	{PolicyTypeSetPolicy, SetPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, FeatureSetPolicy},
	{PolicyTypeNetworkACL, NetworkACLPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, FeatureNetworkACL},
	{PolicyTypeNetworkL4Proxy, NetworkL4ProxyPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, 0},
	{PolicyTypeLayerConstraint, LayerConstraintPolicySetting{}, PolicyScopeNetwork, SchemaVersion{}, 0},
}

func schemaVersion(major, minor uint32) SchemaVersion {
	return SchemaVersion{Major: major, Minor: minor}
}

// policyRows indexes the registry by type name, as spelled and in lower
// case.
var policyRows = indexPolicyRows()

func indexPolicyRows() map[string]*policyRow {
	m := make(map[string]*policyRow, 2*len(policyTable))
	for i := range policyTable {
		r := &policyTable[i]
		m[string(r.typ)] = r
		m[strings.ToLower(string(r.typ))] = r
	}
	return m
}

// lookupPolicy returns the row of a policy type (matched
// case-insensitively), nil when the library does not model it.
func lookupPolicy(t PolicyType) *policyRow {
	if r, ok := policyRows[string(t)]; ok {
		return r
	}
	return policyRows[strings.ToLower(string(t))]
}

// policySettingsType returns the settings type of a policy type, nil when
// the library does not model it.
func policySettingsType(t PolicyType) reflect.Type {
	if r := lookupPolicy(t); r != nil {
		return reflect.TypeOf(r.proto)
	}
	return nil
}

// KnownPolicyTypes returns the policy types with typed settings, in a fixed
// order.
func KnownPolicyTypes() []PolicyType {
	out := make([]PolicyType, len(policyTable))
	for i := range policyTable {
		out[i] = policyTable[i].typ
	}
	return out
}

// PolicyScope is the set of objects that accept a policy type.
type PolicyScope uint8

// Policy scopes; a type that more than one object accepts has their union.
const (
	PolicyScopeNetwork PolicyScope = 1 << iota
	PolicyScopeEndpoint
	PolicyScopeSubnet
)

var scopeNames = []struct {
	s    PolicyScope
	name string
}{{PolicyScopeNetwork, "network"}, {PolicyScopeEndpoint, "endpoint"}, {PolicyScopeSubnet, "subnet"}}

// String returns the objects in s: "network", "network|endpoint", "none".
func (s PolicyScope) String() string {
	if s == 0 {
		return "none"
	}
	return s.join("|")
}

// join returns the names of the objects in s separated by sep.
func (s PolicyScope) join(sep string) string {
	var names []string
	for _, n := range scopeNames {
		if s&n.s != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, sep)
}

// scopeOfKind returns the scope of the policies of an object of kind:
// zero for the kinds that carry none.
func scopeOfKind(k Kind) PolicyScope {
	switch k {
	case KindNetwork:
		return PolicyScopeNetwork
	case KindEndpoint:
		return PolicyScopeEndpoint
	}
	return 0
}

// PolicyTypeInfo is what the library knows about a policy type.
type PolicyTypeInfo struct {
	// Type is the type's spelling on the wire ("L4WFPPROXY").
	Type PolicyType
	// Scope is the objects that accept the type; Validate refuses it
	// elsewhere.
	Scope PolicyScope
	// MinSchema is the schema version that introduced the type (zero: 2.0).
	// Validate does not hold a document's SchemaVersion against it:
	// Microsoft's own clients send newer types in 2.0 documents (an Iov
	// policy on a 2.0 endpoint, for one).
	MinSchema SchemaVersion
	// Feature is the service feature the type needs (zero: none beyond the
	// v2 API; a SetPolicy of a nested IP set needs NestedIPSet instead);
	// the Client refuses the policy on a service without it.
	Feature Feature
}

// Info returns what the library knows about policy type t (matched
// case-insensitively); false for a type it does not model.
func (t PolicyType) Info() (PolicyTypeInfo, bool) {
	r := lookupPolicy(t)
	if r == nil {
		return PolicyTypeInfo{}, false
	}
	return PolicyTypeInfo{Type: r.typ, Scope: r.scope, MinSchema: r.schema, Feature: r.feature}, true
}
