package hcn

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Open enums. HCN enum values are strings on the wire in practice ("NAT",
// "Static", "Host"), but numbers are accepted and appear in samples. The
// library stores them as named string types so that:
//
//   - a value decodes from a string in any case, kept exactly as received
//     ("static" stays "static"), or from a number, which becomes the
//     canonical name (0 → "NAT"); an unknown number is kept as its decimal
//     text and written back as a number;
//   - unknown names (a newer service's network type) decode and round-trip;
//   - comparisons are case-insensitive through the Is method:
//     n.Type.Is(hcn.NetworkTypeNAT) is true for "NAT" and "nat".
//
// Numbers map to names in the order of the HNS schema's enum declarations.

// enumCodec is the codec of one open enum type (string kind) or one named
// flag type (unsigned kind with names for some values).
type enumCodec struct {
	name  string   // type name for messages
	names []string // string kind: names by number
}

// enums lists every type the codec treats as an open enum.
var enums = map[reflect.Type]*enumCodec{
	reflect.TypeFor[NetworkType]():              {"NetworkType", networkTypeNames},
	reflect.TypeFor[IPAMType]():                 {"IPAMType", ipamTypeNames},
	reflect.TypeFor[NamespaceType]():            {"NamespaceType", namespaceTypeNames},
	reflect.TypeFor[NamespaceResourceType]():    {"NamespaceResourceType", []string{"Container", "Endpoint"}},
	reflect.TypeFor[RequestType]():              {"RequestType", []string{"Add", "Remove", "Update", "Refresh", "Reset"}},
	reflect.TypeFor[ResourceType]():             {"ResourceType", nil},
	reflect.TypeFor[PolicyType]():               {"PolicyType", nil},
	reflect.TypeFor[ActionType]():               {"ActionType", actionNames},
	reflect.TypeFor[DirectionType]():            {"DirectionType", directionNames},
	reflect.TypeFor[RuleType]():                 {"RuleType", ruleTypeNames},
	reflect.TypeFor[SetPolicyType]():            {"SetPolicyType", []string{"IPSET", "NESTEDIPSET"}},
	reflect.TypeFor[GuestNetworkServiceState](): {"GuestNetworkServiceState", gnsStateNames},
	reflect.TypeFor[QueryFlags]():               {"QueryFlags", []string{"None", "Detailed"}},
}

var errEnum = errors.New("want a string or a non-negative integer")

// enumSpellings holds the names enums take (their tables, the policy and
// resource types with typed settings), so that decoding a name as it is
// spelled there allocates nothing.
var enumSpellings = sync.OnceValue(func() map[string]string {
	m := make(map[string]string)
	for _, e := range enums {
		for _, n := range e.names {
			m[n] = n
		}
	}
	for _, t := range KnownPolicyTypes() {
		m[string(t)] = string(t)
	}
	for _, p := range modifySettingsPrototypes {
		m[string(p.ResourceType())] = string(p.ResourceType())
	}
	return m
})

func enumOf(t reflect.Type) *enumCodec { return enums[t] }

func (e *enumCodec) setName(v reflect.Value, s string) error {
	if v.Kind() == reflect.String {
		v.SetString(s)
		return nil
	}
	for i, n := range e.names {
		if strings.EqualFold(n, s) {
			v.SetUint(uint64(i))
			return nil
		}
	}
	if n, err := strconv.ParseUint(s, 10, 64); err == nil {
		return e.setNumber(v, n)
	}
	return fmt.Errorf("unknown %s %q", e.name, s)
}

func (e *enumCodec) setNumber(v reflect.Value, n uint64) error {
	if v.Kind() != reflect.String {
		if v.OverflowUint(n) {
			return fmt.Errorf("%s %d out of range", e.name, n)
		}
		v.SetUint(n)
		return nil
	}
	if n < uint64(len(e.names)) {
		v.SetString(e.names[n])
	} else {
		v.SetString(strconv.FormatUint(n, 10))
	}
	return nil
}

// decodeAt decodes a string or a number into v; null leaves v as it is.
func (e *enumCodec) decodeAt(d *decodeState, v reflect.Value) error {
	if d.peek() == '"' {
		start := d.pos
		end, fl, err := d.scanString()
		if err != nil {
			return err
		}
		s, ok := enumSpellings()[string(d.data[start+1:end-1])]
		if !ok || fl != 0 {
			s = d.stringValue(start, end, fl)
		}
		return e.setName(v, s)
	}
	if d.null() {
		return nil
	}
	s, err := d.valueSpan()
	if err != nil {
		return err
	}
	t := d.data[s.start:s.end]
	n, err := strconv.ParseUint(string(t), 10, 64)
	if err != nil {
		return fmt.Errorf("%s %s: %w", e.name, t, errEnum)
	}
	return e.setNumber(v, n)
}

// encodeTo writes a name as a string, an unknown number kept from input
// (digits beyond the name table) as a number, and a flag value as a
// number. Digits within the name table can only come from a string (a
// number there decodes to its name), so they stay a string.
func (e *enumCodec) encodeTo(es *encodeState, v reflect.Value) error {
	if v.Kind() != reflect.String {
		es.buf = strconv.AppendUint(es.buf, v.Uint(), 10)
		return nil
	}
	s := v.String()
	if isDigits(s) {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil && n >= uint64(len(e.names)) {
			es.buf = append(es.buf, s...)
			return nil
		}
	}
	es.buf = appendString(es.buf, s)
	return nil
}

// isDigits reports whether s is a JSON-valid unsigned integer.
func isDigits(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// knownName returns the canonical spelling of s among names, or "".
func knownName(s string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, s) {
			return n
		}
	}
	return ""
}

// NetworkType is a network's mode (HostComputeNetwork Type, NetworkMode in
// the schema). A network the service reports without Type is NAT.
type NetworkType string

// Network types.
const (
	NetworkTypeNAT            NetworkType = "NAT"
	NetworkTypeICS            NetworkType = "ICS"
	NetworkTypeTransparent    NetworkType = "Transparent"
	NetworkTypeL2Bridge       NetworkType = "L2Bridge"
	NetworkTypeL2Tunnel       NetworkType = "L2Tunnel"
	NetworkTypeOverlay        NetworkType = "Overlay"
	NetworkTypePrivate        NetworkType = "Private"
	NetworkTypeInternal       NetworkType = "Internal"
	NetworkTypeMirrored       NetworkType = "Mirrored"       // schema 2.4
	NetworkTypeInfiniband     NetworkType = "Infiniband"     // schema 2.4
	NetworkTypeConstrainedICS NetworkType = "ConstrainedICS" // schema 2.10
)

var networkTypeNames = []string{"NAT", "ICS", "Transparent", "L2Bridge", "L2Tunnel", "Overlay",
	"Private", "Internal", "Mirrored", "Infiniband", "ConstrainedICS"}

// Is reports whether t and u name the same type, ignoring case.
func (t NetworkType) Is(u NetworkType) bool { return strings.EqualFold(string(t), string(u)) }

// IPAMType is an IPAM's Type: Static or Dhcp.
type IPAMType string

// IPAM types.
const (
	IPAMTypeStatic IPAMType = "Static"
	IPAMTypeDHCP   IPAMType = "Dhcp"
)

var ipamTypeNames = []string{"Static", "Dhcp"}

// Is reports whether t and u name the same type, ignoring case.
func (t IPAMType) Is(u IPAMType) bool { return strings.EqualFold(string(t), string(u)) }

// NamespaceType is a namespace's Type. Host is a new compartment per
// container (what containerd creates); HostDefault is the host's default
// compartment, a singleton.
type NamespaceType string

// Namespace types.
const (
	NamespaceTypeHost         NamespaceType = "Host"
	NamespaceTypeHostDefault  NamespaceType = "HostDefault"
	NamespaceTypeGuest        NamespaceType = "Guest"
	NamespaceTypeGuestDefault NamespaceType = "GuestDefault"
)

var namespaceTypeNames = []string{"Host", "HostDefault", "Guest", "GuestDefault"}

// Is reports whether t and u name the same type, ignoring case.
func (t NamespaceType) Is(u NamespaceType) bool { return strings.EqualFold(string(t), string(u)) }

// NamespaceResourceType is the Type of a namespace resource.
type NamespaceResourceType string

// Namespace resource types.
const (
	NamespaceResourceContainer NamespaceResourceType = "Container"
	NamespaceResourceEndpoint  NamespaceResourceType = "Endpoint"
)

// Is reports whether t and u name the same type, ignoring case.
func (t NamespaceResourceType) Is(u NamespaceResourceType) bool {
	return strings.EqualFold(string(t), string(u))
}

// ActionType is an ACL rule's Action.
type ActionType string

// ACL actions.
const (
	ActionAllow ActionType = "Allow"
	ActionBlock ActionType = "Block"
	ActionPass  ActionType = "Pass" // schema 2.10
)

var actionNames = []string{"Allow", "Block", "Pass"}

// Is reports whether a and b name the same action, ignoring case.
func (a ActionType) Is(b ActionType) bool { return strings.EqualFold(string(a), string(b)) }

// DirectionType is an ACL rule's Direction.
type DirectionType string

// ACL directions.
const (
	DirectionIn  DirectionType = "In"
	DirectionOut DirectionType = "Out"
)

var directionNames = []string{"In", "Out"}

// Is reports whether d and e name the same direction, ignoring case.
func (d DirectionType) Is(e DirectionType) bool { return strings.EqualFold(string(d), string(e)) }

// RuleType says where an ACL is enforced: Host (WFP) or Switch (VFP).
type RuleType string

// ACL rule types.
const (
	RuleTypeHost   RuleType = "Host"
	RuleTypeSwitch RuleType = "Switch"
)

var ruleTypeNames = []string{"Host", "Switch"}

// Is reports whether r and s name the same rule type, ignoring case.
func (r RuleType) Is(s RuleType) bool { return strings.EqualFold(string(r), string(s)) }

// SetPolicyType is a SetPolicy's PolicyType.
type SetPolicyType string

// Set policy types.
const (
	SetPolicyTypeIPSet       SetPolicyType = "IPSET"
	SetPolicyTypeNestedIPSet SetPolicyType = "NESTEDIPSET"
)

// Is reports whether t and u name the same type, ignoring case.
func (t SetPolicyType) Is(u SetPolicyType) bool { return strings.EqualFold(string(t), string(u)) }

// GuestNetworkServiceState is a guest network service's state.
type GuestNetworkServiceState string

// Guest network service states.
const (
	GNSStateNone           GuestNetworkServiceState = "None"
	GNSStateCreated        GuestNetworkServiceState = "Created"
	GNSStateBootstrapping  GuestNetworkServiceState = "Bootstrapping"
	GNSStateSynchronized   GuestNetworkServiceState = "Synchronized"
	GNSStatePaused         GuestNetworkServiceState = "Paused"
	GNSStateDesynchronized GuestNetworkServiceState = "Desynchronized" // schema 2.5
	GNSStateRehydrating    GuestNetworkServiceState = "Rehydrating"    // schema 2.5
	GNSStateDegraded       GuestNetworkServiceState = "Degraded"
	GNSStateDestroyed      GuestNetworkServiceState = "Destroyed"
)

var gnsStateNames = []string{"None", "Created", "Bootstrapping", "Synchronized", "Paused",
	"Desynchronized", "Rehydrating", "Degraded", "Destroyed"}

// Is reports whether s and t name the same state, ignoring case.
func (s GuestNetworkServiceState) Is(t GuestNetworkServiceState) bool {
	return strings.EqualFold(string(s), string(t))
}
