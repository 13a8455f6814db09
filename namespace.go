package hcn

// HostDefaultNamespaceID is the id of the host's default namespace
// (compartment 1), a system singleton that must never be deleted.
const HostDefaultNamespaceID ID = "910f7d92-ba2d-4c3f-98ae-7c0ac590d2dc"

// Namespace is a HostComputeNamespace document: the settings of
// HcnCreateNamespace and the properties HcnQueryNamespaceProperties
// returns.
//
// The HNS v1 spelling of the resource list, "ResourceList" with
// Data.Id, is not an alias of Resources: it is kept as an unknown member,
// so a v1-shaped document round-trips unchanged.
type Namespace struct {
	ID ID `json:"ID,omitempty"`
	// NamespaceID is the compartment id.
	NamespaceID   uint32              `json:"NamespaceId,omitempty"`
	NamespaceGUID string              `json:"NamespaceGuid,omitempty"`
	Type          NamespaceType       `json:"Type,omitempty"`
	Resources     []NamespaceResource `json:"Resources,omitempty"`
	// ReadyOnCreate is reported by newer hosts.
	ReadyOnCreate bool `json:"ReadyOnCreate,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

	Unknown Extra `json:"-"`
}

// Kind returns KindNamespace.
func (*Namespace) Kind() Kind { return KindNamespace }

func (ns *Namespace) schema() *SchemaVersion { return &ns.SchemaVersion }

// MarshalJSON implements json.Marshaler (HcnCreateNamespace settings).
func (ns Namespace) MarshalJSON() ([]byte, error) { return encodeFrom(&ns) }

// UnmarshalJSON implements json.Unmarshaler (HcnQueryNamespaceProperties
// output).
func (ns *Namespace) UnmarshalJSON(b []byte) error { return decodeInto(b, ns) }

// EndpointIDs returns the ids of the namespace's Endpoint resources, as
// written.
func (ns *Namespace) EndpointIDs() []ID {
	var ids []ID
	for _, r := range ns.Resources {
		if r.Type.Is(NamespaceResourceEndpoint) && r.Data.ID != "" {
			ids = append(ids, r.Data.ID)
		}
	}
	return ids
}

// NamespaceResource is one resource of a namespace:
// {"Type": "Endpoint", "Data": {"ID": "<guid>"}}.
type NamespaceResource struct {
	Type NamespaceResourceType `json:"Type,omitempty"`
	Data NamespaceResourceData `json:"Data,omitempty"`

	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (r NamespaceResource) MarshalJSON() ([]byte, error) { return encodeFrom(&r) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *NamespaceResource) UnmarshalJSON(b []byte) error { return decodeInto(b, r) }

// NamespaceResourceData is a namespace resource's Data.
type NamespaceResourceData struct {
	ID ID `json:"ID,omitempty"`

	Unknown Extra `json:"-"`
}
