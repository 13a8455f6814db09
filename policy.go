package hcn

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// PolicyType names a network, endpoint or subnet policy (the policy's
// Type). The types the library models are the PolicyType constants (Info
// says where each applies); unknown types decode and round-trip with their
// settings kept raw, and Validate accepts them anywhere.
type PolicyType string

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
	// Type names the policy, e.g. "OutBoundNAT"; it selects the Settings type.
	Type PolicyType `json:"Type,omitempty"`
	// Settings are the policy's settings: the *...PolicySetting of Type,
	// RawSettings for an unknown type or a non-object, nil when absent.
	Settings PolicySettings `json:"Settings,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
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

// typeTable maps the lower-cased name of each prototype to its Go type.
func typeTable[T any](protos []T, name func(T) string) map[string]reflect.Type {
	m := make(map[string]reflect.Type, len(protos))
	for _, p := range protos {
		m[strings.ToLower(name(p))] = reflect.TypeOf(p)
	}
	return m
}
