package hcn

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// PolicyType names a network, endpoint or subnet policy (the policy's
// Type). Unknown types decode and round-trip with their settings kept raw.
type PolicyType string

// Policy types. The comment says where each applies: N network, E
// endpoint, S subnet.
const (
	PolicyTypePortMapping         PolicyType = "PortMapping"         // E
	PolicyTypeACL                 PolicyType = "ACL"                 // E
	PolicyTypeQOS                 PolicyType = "QOS"                 // E
	PolicyTypeL2Driver            PolicyType = "L2Driver"            // E
	PolicyTypeOutBoundNAT         PolicyType = "OutBoundNAT"         // E
	PolicyTypeSDNRoute            PolicyType = "SDNRoute"            // E
	PolicyTypeL4Proxy             PolicyType = "L4Proxy"             // N, E
	PolicyTypeL4WFPProxy          PolicyType = "L4WFPPROXY"          // E, schema 2.5
	PolicyTypePortName            PolicyType = "PortName"            // E
	PolicyTypeEncapOverhead       PolicyType = "EncapOverhead"       // E
	PolicyTypeInterfaceConstraint PolicyType = "InterfaceConstraint" // N, E
	PolicyTypeProviderAddress     PolicyType = "ProviderAddress"     // N, E
	PolicyTypeIov                 PolicyType = "Iov"                 // E, schema 2.9
	PolicyTypeTierACL             PolicyType = "TierAcl"             // E, schema 2.10
	PolicyTypeEncryption          PolicyType = "Encryption"          // E, schema 2.1
	PolicyTypeVLAN                PolicyType = "VLAN"                // E (2.4), S
	PolicyTypeVSID                PolicyType = "VSID"                // S
	PolicyTypeInterfaceParameters PolicyType = "InterfaceParameters" // E, schema 2.4
	PolicyTypeFirewall            PolicyType = "Firewall"            // E, schema 2.16
	PolicyTypeSourceMacAddress    PolicyType = "SourceMacAddress"    // N
	PolicyTypeNetAdapterName      PolicyType = "NetAdapterName"      // N
	PolicyTypeVSwitchExtension    PolicyType = "VSwitchExtension"    // N
	PolicyTypeDrMacAddress        PolicyType = "DrMacAddress"        // N
	PolicyTypeAutomaticDNS        PolicyType = "AutomaticDNS"        // N
	PolicyTypeRemoteSubnetRoute   PolicyType = "RemoteSubnetRoute"   // N
	PolicyTypeVxlanPort           PolicyType = "VxlanPort"           // N
	PolicyTypeHostRoute           PolicyType = "HostRoute"           // N
	PolicyTypeSetPolicy           PolicyType = "SetPolicy"           // N
	PolicyTypeNetworkACL          PolicyType = "NetworkACL"          // N
	PolicyTypeNetworkL4Proxy      PolicyType = "NetworkL4Proxy"      // N
	PolicyTypeLayerConstraint     PolicyType = "LayerConstraint"     // N
)

// Is reports whether t and u name the same policy type, ignoring case.
func (t PolicyType) Is(u PolicyType) bool { return strings.EqualFold(string(t), string(u)) }

// PolicySettings is the typed Settings of a policy. Every *...PolicySetting
// type of this package implements it, and RawSettings holds the settings of
// a type the library does not model (or settings that are not an object).
type PolicySettings interface {
	// PolicyType returns the policy type these settings belong to ("" for
	// RawSettings).
	PolicyType() PolicyType
}

// RawSettings are policy settings kept as raw JSON: those of a policy type
// the library does not model, and settings that are not a JSON object.
type RawSettings json.RawMessage

// PolicyType returns "": raw settings belong to whatever the policy's Type
// says.
func (RawSettings) PolicyType() PolicyType { return "" }

// MarshalJSON returns the raw JSON ("null" when empty).
func (r RawSettings) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// Policy is one network, endpoint or subnet policy:
// {"Type": "<name>", "Settings": {...}}. Settings decodes by Type into the
// matching *...PolicySetting (a pointer); an unknown type, or settings that
// are not an object, decode as RawSettings. A policy without Settings (as
// {"Type":"PortName"}) has nil Settings and encodes without the member.
// HNS v1 policies ({"Type":"VLAN","VLAN":1}) keep their flat members in
// Unknown.
type Policy struct {
	Type     PolicyType     `json:"Type,omitempty"`
	Settings PolicySettings `json:"Settings,omitempty"`

	Unknown Extra `json:"-"`
}

// NewPolicy returns the policy whose Type is the settings' type (an empty
// policy, which Validate reports, for nil settings).
func NewPolicy(s PolicySettings) Policy {
	if isNilSettings(s) {
		return Policy{}
	}
	return Policy{Type: s.PolicyType(), Settings: s}
}

// isNilSettings reports whether s is nil or a nil pointer, on which the
// settings' methods cannot be called.
func isNilSettings(s any) bool {
	if s == nil {
		return true
	}
	v := reflect.ValueOf(s)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// MarshalJSON implements json.Marshaler.
func (p Policy) MarshalJSON() ([]byte, error) { return encodeFrom(&p) }

// jsonText returns the encoding of v as a string, "" when it fails.
func jsonText(v json.Marshaler) string {
	b, err := v.MarshalJSON()
	if err != nil {
		return ""
	}
	return string(b)
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *Policy) UnmarshalJSON(b []byte) error { return decodeInto(b, p) }

func isObject(raw []byte) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

// SettingsAs returns the policy's settings as T (a *...PolicySetting
// type), false when they are of another type.
func SettingsAs[T PolicySettings](p Policy) (T, bool) {
	s, ok := p.Settings.(T)
	return s, ok
}

// policySettingsPrototypes lists one value of every typed settings type;
// the table below maps each one's PolicyType to its Go type.
var policySettingsPrototypes = []PolicySettings{
	PortMappingPolicySetting{}, ACLPolicySetting{}, QOSPolicySetting{}, L2DriverPolicySetting{},
	OutboundNATPolicySetting{}, SDNRoutePolicySetting{}, L4ProxyPolicySetting{},
	L4WFPProxyPolicySetting{}, PortNamePolicySetting{}, EncapOverheadPolicySetting{},
	InterfaceConstraintPolicySetting{}, ProviderAddressPolicySetting{}, IovPolicySetting{},
	TierACLPolicySetting{}, EncryptionPolicySetting{}, VLANPolicySetting{}, VSIDPolicySetting{},
	InterfaceParametersPolicySetting{}, FirewallPolicySetting{}, SourceMacAddressPolicySetting{},
	NetAdapterNamePolicySetting{}, VSwitchExtensionPolicySetting{}, DrMacAddressPolicySetting{},
	AutomaticDNSPolicySetting{}, RemoteSubnetRoutePolicySetting{}, VxlanPortPolicySetting{},
	HostRoutePolicySetting{}, SetPolicySetting{}, NetworkACLPolicySetting{},
	NetworkL4ProxyPolicySetting{}, LayerConstraintPolicySetting{},
}

// policySettingsTypes maps lower-case policy type names to settings types.
var policySettingsTypes = typeTable(policySettingsPrototypes, func(p PolicySettings) string { return string(p.PolicyType()) })

// typeTable maps the lower-cased name of each prototype to its Go type.
func typeTable[T any](protos []T, name func(T) string) map[string]reflect.Type {
	m := make(map[string]reflect.Type, len(protos))
	for _, p := range protos {
		m[strings.ToLower(name(p))] = reflect.TypeOf(p)
	}
	return m
}

// policySettingsType returns the settings type of a policy type (matched
// case-insensitively), nil when the library does not model it.
func policySettingsType(t PolicyType) reflect.Type {
	return policySettingsTypes[strings.ToLower(string(t))]
}

// KnownPolicyTypes returns the policy types with typed settings, in a fixed
// order.
func KnownPolicyTypes() []PolicyType {
	out := make([]PolicyType, len(policySettingsPrototypes))
	for i, p := range policySettingsPrototypes {
		out[i] = p.PolicyType()
	}
	return out
}
