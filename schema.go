package hcn

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// SchemaVersion is a document's SchemaVersion {Major, Minor}. The service
// needs it on every create (2.0 is the first v2 schema, Windows 10 1809);
// without it the service reads the document as an HNS v1 document.
type SchemaVersion struct {
	// Major is the major schema version (2 for the v2 schema).
	Major uint32 `json:"Major"`
	// Minor is the minor schema version (6 in 2.6).
	Minor uint32 `json:"Minor"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// V2 returns schema version 2.0, what the library sets on documents for
// create when the caller set none.
func V2() SchemaVersion { return SchemaVersion{Major: 2} }

// IsZero reports whether no version is set (0.0).
func (v SchemaVersion) IsZero() bool { return v.Major == 0 && v.Minor == 0 }

// AtLeast reports whether v is major.minor or later.
func (v SchemaVersion) AtLeast(major, minor uint32) bool {
	return v.Major > major || (v.Major == major && v.Minor >= minor)
}

// String returns "2.0".
func (v SchemaVersion) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// MarshalJSON implements json.Marshaler.
func (v SchemaVersion) MarshalJSON() ([]byte, error) { return encodeFrom(&v) }

// UnmarshalJSON implements json.Unmarshaler.
func (v *SchemaVersion) UnmarshalJSON(b []byte) error { return decodeInto(b, v) }

// BaseFields are the members every HCN object carries besides ID, Name and
// SchemaVersion. The service fills them on output; Health is read-only.
type BaseFields struct {
	// Owner is a free-form owner tag (older schema).
	Owner string `json:"Owner,omitempty"`
	// Version is the object's internal version number.
	Version uint64 `json:"Version,omitempty"`
	// AdditionalParams is opaque JSON the service attaches.
	AdditionalParams json.RawMessage `json:"AdditionalParams,omitempty"`
	// Health is the service's health report (read-only).
	Health Health `json:"Health,omitempty"`
	// State is the object's internal state number.
	State uint16 `json:"State,omitempty"`
}

// Health is an object's health report. The service fills it; it is never
// sent (an empty Health is omitted on encode).
type Health struct {
	// Data is the service's health data, raw JSON of undocumented shape.
	Data json.RawMessage `json:"Data,omitempty"`
	// Extra holds further details the service reports (resources, switch,
	// VMs).
	Extra HealthExtra `json:"Extra,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (h Health) MarshalJSON() ([]byte, error) { return encodeFrom(&h) }

// UnmarshalJSON implements json.Unmarshaler.
func (h *Health) UnmarshalJSON(b []byte) error { return decodeInto(b, h) }

// HealthExtra is Health.Extra.
type HealthExtra struct {
	// Resources is raw JSON of undocumented shape.
	Resources json.RawMessage `json:"Resources,omitempty"`
	// SharedContainers is raw JSON of undocumented shape (by its name, the
	// containers sharing the object).
	SharedContainers json.RawMessage `json:"SharedContainers,omitempty"`
	// LayeredOn is a GUID; the schema does not say of what.
	LayeredOn string `json:"LayeredOn,omitempty"`
	// SwitchGUID is the GUID of the object's virtual switch (wire
	// "SwitchGuid").
	SwitchGUID string `json:"SwitchGuid,omitempty"`
	// UtilityVM is a utility VM's GUID, raw JSON (a Guid in the schema).
	UtilityVM json.RawMessage `json:"UtilityVM,omitempty"`
	// VirtualMachine is a VM's GUID, raw JSON (a Guid in the schema).
	VirtualMachine json.RawMessage `json:"VirtualMachine,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// Document is implemented by the pointer to every HCN object document:
// *Network, *Endpoint, *Namespace, *LoadBalancer, *SDNRoute and
// *GuestNetworkService.
type Document interface {
	json.Marshaler
	json.Unmarshaler
	// Kind returns the object family of the document.
	Kind() Kind
	// Validate checks the document before it is sent to the service.
	Validate() error
	schema() *SchemaVersion
}

// MarshalForCreate encodes doc as the settings document of an HcnCreate*
// call: like json.Marshal, but with SchemaVersion 2.0 when the caller set
// none. doc itself is not modified. Documents read from the service and
// encoded with json.Marshal keep exactly the SchemaVersion they had.
func MarshalForCreate(doc Document) ([]byte, error) {
	if doc == nil || reflect.ValueOf(doc).IsNil() {
		return nil, fmt.Errorf("hcn: %w: nil document", ErrInvalid)
	}
	if !doc.schema().IsZero() {
		return doc.MarshalJSON()
	}
	c := reflect.New(reflect.TypeOf(doc).Elem())
	c.Elem().Set(reflect.ValueOf(doc).Elem())
	cp := c.Interface().(Document)
	*cp.schema() = V2()
	return cp.MarshalJSON()
}
