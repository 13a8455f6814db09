package hcn

// SDNRoute is a HostComputeRoute document (the SDN route family:
// HcnCreateSdnRoute, HcnQuerySdnRouteProperties, ...).
//
// The route list is written under "Setting", the key hcsshim sends and
// reads back; the schema page's "Routes" is accepted on decode.
type SDNRoute struct {
	// ID is the route's GUID as written; empty on create lets the service
	// assign one.
	ID ID `json:"ID,omitempty"`
	// HostComputeNetwork is the network id (schema 2.5).
	HostComputeNetwork ID `json:"HostComputeNetwork,omitempty"`
	// HostComputeEndpoints are the ids of the endpoints the routes apply to.
	HostComputeEndpoints []ID                    `json:"HostComputeEndpoints,omitempty"`
	Routes               []SDNRoutePolicySetting `json:"Setting,omitempty" hcn:"alias=Routes"` // the route list (wire "Setting"; "Routes" decodes too)
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// Kind returns KindSDNRoute.
func (*SDNRoute) Kind() Kind { return KindSDNRoute }

func (r *SDNRoute) schema() *SchemaVersion { return &r.SchemaVersion }

// MarshalJSON implements json.Marshaler.
func (r SDNRoute) MarshalJSON() ([]byte, error) { return encodeFrom(&r) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *SDNRoute) UnmarshalJSON(b []byte) error { return decodeInto(b, r) }
