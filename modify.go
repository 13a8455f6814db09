package hcn

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// RequestType is a modify request's RequestType.
type RequestType string

// Modify request types.
const (
	RequestAdd     RequestType = "Add"
	RequestRemove  RequestType = "Remove"
	RequestUpdate  RequestType = "Update" // replace
	RequestRefresh RequestType = "Refresh"
	RequestReset   RequestType = "Reset"
)

// Is reports whether t and u name the same request type, ignoring case.
func (t RequestType) Is(u RequestType) bool { return strings.EqualFold(string(t), string(u)) }

// ResourceType is a modify request's ResourceType: what part of the object
// the request changes. It is always written as a string (the integer form
// fails on live hosts).
type ResourceType string

// Modify resource types, by object family.
const (
	ResourcePolicy    ResourceType = "Policy"    // network, endpoint
	ResourceDNS       ResourceType = "DNS"       // network
	ResourceExtension ResourceType = "Extension" // network
	ResourceSubnet    ResourceType = "Subnet"    // network, schema 2.6
	ResourceIPSubnet  ResourceType = "IPSubnet"  // network, schema 2.6
	ResourcePort      ResourceType = "Port"      // endpoint
	ResourceEndpoint  ResourceType = "Endpoint"  // namespace
	ResourceContainer ResourceType = "Container" // namespace
	ResourceState     ResourceType = "State"     // guest network service
)

// Is reports whether t and u name the same resource type, ignoring case.
func (t ResourceType) Is(u ResourceType) bool { return strings.EqualFold(string(t), string(u)) }

// resourceTypesByKind gives the schema's numbering of resource types per
// object family, used to resolve a numeric ResourceType.
var resourceTypesByKind = map[Kind][]ResourceType{
	KindNetwork:             {ResourceDNS, ResourceExtension, ResourcePolicy, ResourceSubnet, ResourceIPSubnet},
	KindEndpoint:            {ResourcePort, ResourcePolicy},
	KindNamespace:           {ResourceContainer, ResourceEndpoint},
	KindGuestNetworkService: {ResourceState},
}

// ModifySettings is the typed Settings of a modify request. RawSettings
// holds settings of a resource type the library does not model.
type ModifySettings interface {
	// ResourceType returns the resource type the settings belong to (""
	// for RawSettings).
	ResourceType() ResourceType
}

// ResourceType returns "" (raw settings fit any resource type).
func (RawSettings) ResourceType() ResourceType { return "" }

// ModifyRequest is the settings document of HcnModifyNetwork,
// HcnModifyEndpoint, HcnModifyNamespace and HcnModifyGuestNetworkService:
// {"ResourceType": ..., "RequestType": ..., "Settings": {...}}.
//
// Settings decodes by ResourceType into the typed settings (a pointer);
// an unknown resource type keeps them as RawSettings. Settings that are
// not a JSON object are rejected ("ExpectedObject" on the service side).
// A numeric ResourceType is resolved from the shape of the settings when
// that is unambiguous (EndpointId → namespace Endpoint, ...); otherwise it
// is kept as a number and Validate asks for a name (see ResolveResourceType).
type ModifyRequest struct {
	// ResourceType names the part of the object the request changes
	// (ResourcePolicy, ResourceEndpoint, ...); written as a name.
	ResourceType ResourceType `json:"ResourceType,omitempty"`
	// RequestType is Add, Remove, Update (replace), Refresh or Reset.
	RequestType RequestType `json:"RequestType,omitempty"`
	// ResourceURI is the schema's "ResourceUri"; its meaning is undocumented
	// and hcsshim never sends it.
	ResourceURI string `json:"ResourceUri,omitempty"`
	// Settings is the payload, a JSON object typed by ResourceType:
	// *PolicyRequest {"Policies": [...]}, *NamespaceEndpointRequest
	// {"EndpointId": "<guid>"}, ...; RawSettings for other resource types.
	Settings ModifySettings `json:"Settings,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (m ModifyRequest) MarshalJSON() ([]byte, error) { return encodeFrom(&m) }

var errSettingsObject = errors.New("want a JSON object (the service answers ExpectedObject to anything else)")

// UnmarshalJSON implements json.Unmarshaler.
func (m *ModifyRequest) UnmarshalJSON(b []byte) error { return decodeInto(b, m) }

// settingsShapes resolves a numeric ResourceType from a settings member
// that only one family's resource type carries.
var settingsShapes = []struct {
	key  string
	kind Kind
}{
	{"EndpointId", KindNamespace},
	{"ContainerId", KindNamespace},
	{"PortId", KindEndpoint},
	{"VirtualNicName", KindEndpoint},
	{"State", KindGuestNetworkService},
}

// inferResourceType resolves a numeric resource type from the settings'
// shape; it returns rt unchanged when the shape is ambiguous.
func inferResourceType(rt ResourceType, settings json.RawMessage) ResourceType {
	var probe map[string]json.RawMessage
	if json.Unmarshal(settings, &probe) != nil {
		return rt
	}
	for _, s := range settingsShapes {
		for k := range probe {
			if strings.EqualFold(k, s.key) {
				if r, err := resolveResourceType(rt, s.kind); err == nil {
					return r
				}
				return rt
			}
		}
	}
	return rt
}

// resolveResourceType maps a numeric resource type to its name for kind.
func resolveResourceType(rt ResourceType, kind Kind) (ResourceType, error) {
	names := resourceTypesByKind[kind]
	for i, n := range names {
		if string(rt) == fmt.Sprint(i) {
			return n, nil
		}
	}
	return rt, fmt.Errorf("hcn: %w: ResourceType %s is not a %s resource type", ErrInvalid, rt, kind)
}

// ResolveResourceType replaces a numeric ResourceType by its name in the
// numbering of the object family kind (namespace: 0 Container, 1 Endpoint;
// endpoint: 0 Port, 1 Policy; network: 0 DNS, 1 Extension, 2 Policy,
// 3 Subnet, 4 IPSubnet; guest network service: 0 State) and decodes raw
// settings into the matching type. A named ResourceType is left alone.
func (m *ModifyRequest) ResolveResourceType(kind Kind) error {
	if !isDigits(string(m.ResourceType)) {
		return nil
	}
	rt, err := resolveResourceType(m.ResourceType, kind)
	if err != nil {
		return err
	}
	m.ResourceType = rt
	if raw, ok := m.Settings.(RawSettings); ok && isObject(raw) {
		s, err := decodeModifySettings(rt, json.RawMessage(raw))
		if err != nil {
			return err
		}
		m.Settings = s
	}
	return nil
}

// decodeModifySettings decodes raw settings by resource type.
func decodeModifySettings(rt ResourceType, raw json.RawMessage) (ModifySettings, error) {
	if raw == nil {
		return nil, nil
	}
	t := modifySettingsTypes[strings.ToLower(string(rt))]
	if t == nil {
		return RawSettings(raw), nil
	}
	v := reflect.New(t)
	if err := decodeValue(raw, v.Elem()); err != nil {
		return nil, err
	}
	return v.Interface().(ModifySettings), nil
}

// modifySettingsPrototypes lists one value of every typed modify settings
// type; the table below maps each one's ResourceType to its Go type.
var modifySettingsPrototypes = []ModifySettings{
	PolicyRequest{}, DNSRequest{}, ExtensionRequest{}, SubnetRequest{}, IPSubnetRequest{},
	EndpointPortRequest{}, NamespaceEndpointRequest{}, NamespaceContainerRequest{},
	GuestNetworkServiceStateRequest{},
}

var modifySettingsTypes = typeTable(modifySettingsPrototypes, func(p ModifySettings) string { return string(p.ResourceType()) })

// Validate checks a modify request: a named ResourceType, a known
// RequestType, settings of the matching type, and the settings' own rules
// (policy settings, GUIDs).
func (m *ModifyRequest) Validate() error {
	var v validator
	switch {
	case m.ResourceType == "":
		v.add("ResourceType", "", "required")
	case isDigits(string(m.ResourceType)):
		v.add("ResourceType", string(m.ResourceType), "numeric resource type: use the name (ResolveResourceType)")
	}
	if knownName(string(m.RequestType), enums[reflect.TypeFor[RequestType]()].names) == "" {
		v.add("RequestType", string(m.RequestType), "want Add, Remove, Update, Refresh or Reset")
	}
	if !isNilSettings(m.Settings) {
		if st := m.Settings.ResourceType(); st != "" && !st.Is(m.ResourceType) {
			v.add("Settings", string(st), fmt.Sprintf("settings of a %s request in a %s request", st, m.ResourceType))
		} else if sv, ok := m.Settings.(settingsValidator); ok {
			sv.validate(&v, "Settings")
		}
	}
	return v.err()
}

// String returns the request as JSON text, as the Service seam takes it.
func (m ModifyRequest) String() string { return jsonText(m) }
