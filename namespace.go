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
	// ID is the namespace's GUID as written; empty on create lets the service
	// assign one.
	ID ID `json:"ID,omitempty"`
	// NamespaceID is the compartment id.
	NamespaceID uint32 `json:"NamespaceId,omitempty"`
	// NamespaceGUID is a second GUID the service reports (wire
	// "NamespaceGuid"); its relation to ID is undocumented.
	NamespaceGUID string `json:"NamespaceGuid,omitempty"`
	// Type is Host (a new compartment), HostDefault (the default
	// compartment), Guest or GuestDefault.
	Type NamespaceType `json:"Type,omitempty"`
	// Resources are the namespace's members: Endpoint and Container
	// resources.
	Resources []NamespaceResource `json:"Resources,omitempty"`
	// ReadyOnCreate is reported by newer hosts.
	ReadyOnCreate bool `json:"ReadyOnCreate,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

	// Unknown keeps the members this type does not model (see Extra).
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
	// Type is Endpoint or Container.
	Type NamespaceResourceType `json:"Type,omitempty"`
	// Data names the member: {"ID": "<id>"}.
	Data NamespaceResourceData `json:"Data,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (r NamespaceResource) MarshalJSON() ([]byte, error) { return encodeFrom(&r) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *NamespaceResource) UnmarshalJSON(b []byte) error { return decodeInto(b, r) }

// NamespaceResourceData is a namespace resource's Data.
type NamespaceResourceData struct {
	// ID is the endpoint's GUID, or the container's id, as written.
	ID ID `json:"ID,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}
