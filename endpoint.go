package hcn

import "net/netip"

// Endpoint is a HostComputeEndpoint document: the settings of
// HcnCreateEndpoint and the properties HcnQueryEndpointProperties returns.
// Keys are matched case-insensitively on decode, so "IPConfigurations" and
// "Id" decode; the canonical spelling is written on encode.
type Endpoint struct {
	// ID is the endpoint's GUID as written; empty on create lets the
	// service assign one.
	ID ID `json:"ID,omitempty"`
	// Name is free-form; owners often prefix it with a tag to find their
	// endpoints again.
	Name string `json:"Name,omitempty"`
	// HostComputeNetwork is the id of the endpoint's network.
	HostComputeNetwork ID `json:"HostComputeNetwork,omitempty"`
	// HostComputeNamespace is the id of the namespace the endpoint is in
	// (read-only: set by adding the endpoint to a namespace).
	HostComputeNamespace ID `json:"HostComputeNamespace,omitempty"`
	// Policies are endpoint policies (OutBoundNAT, ACL, PortMapping, ...).
	Policies []Policy `json:"Policies,omitempty"`
	// IpConfigurations are the endpoint's addresses; empty on create lets
	// the network's IPAM choose.
	IpConfigurations []IPConfig `json:"IpConfigurations,omitempty"`
	// Dns is the endpoint's DNS configuration.
	Dns DNS `json:"Dns,omitempty"`
	// Routes are the endpoint's routes (a default route via the gateway).
	Routes []Route `json:"Routes,omitempty"`
	// MacAddress is written "00-15-5D-52-C0-01"; empty lets the network's
	// MAC pool choose.
	MacAddress string `json:"MacAddress,omitempty"`
	// Flags (EndpointFlag*).
	Flags EndpointFlags `json:"Flags,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// Kind returns KindEndpoint.
func (*Endpoint) Kind() Kind { return KindEndpoint }

func (e *Endpoint) schema() *SchemaVersion { return &e.SchemaVersion }

// MarshalJSON implements json.Marshaler (HcnCreateEndpoint settings).
func (e Endpoint) MarshalJSON() ([]byte, error) { return encodeFrom(&e) }

// UnmarshalJSON implements json.Unmarshaler (HcnQueryEndpointProperties
// output).
func (e *Endpoint) UnmarshalJSON(b []byte) error { return decodeInto(b, e) }

// PrimaryIP returns the first address of IpConfigurations that parses,
// false when there is none.
func (e *Endpoint) PrimaryIP() (netip.Addr, bool) {
	for i := range e.IpConfigurations {
		if a, err := e.IpConfigurations[i].Addr(); err == nil {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// Policy returns the first endpoint policy of type t and true, or false.
func (e *Endpoint) Policy(t PolicyType) (Policy, bool) { return findPolicy(e.Policies, t) }
