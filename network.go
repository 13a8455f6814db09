package hcn

// Network is a HostComputeNetwork document: the settings of
// HcnCreateNetwork and the properties HcnQueryNetworkProperties returns.
//
// The service omits Type for NAT networks; such a network decodes with
// Type NetworkTypeNAT and, while Type stays NAT, encodes without it again.
type Network struct {
	// ID is the network's GUID as written; empty on create lets the service
	// assign one.
	ID ID `json:"ID,omitempty"`
	// Name must be unique on the host (HCN_E_NETWORK_ALREADY_EXISTS).
	Name string `json:"Name,omitempty"`
	// Type is the network mode; empty on a document you build means NAT.
	Type NetworkType `json:"Type,omitempty" hcn:"default=NAT"`
	// Policies are network policies (NetAdapterName, RemoteSubnetRoute, ...).
	Policies []Policy `json:"Policies,omitempty"`
	// MacPool is the pool endpoint MACs are taken from.
	MacPool MacPool `json:"MacPool,omitempty"`
	// Dns is the DNS configuration handed to endpoints.
	Dns DNS `json:"Dns,omitempty"`
	// Ipams are the address blocks: Static with subnets, or Dhcp.
	Ipams []IPAM `json:"Ipams,omitempty"`
	// Flags (NetworkFlag*).
	Flags NetworkFlags `json:"Flags,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// Kind returns KindNetwork.
func (*Network) Kind() Kind { return KindNetwork }

func (n *Network) schema() *SchemaVersion { return &n.SchemaVersion }

// MarshalJSON implements json.Marshaler (HcnCreateNetwork settings).
func (n Network) MarshalJSON() ([]byte, error) { return encodeFrom(&n) }

// UnmarshalJSON implements json.Unmarshaler (HcnQueryNetworkProperties
// output).
func (n *Network) UnmarshalJSON(b []byte) error { return decodeInto(b, n) }

// Subnets returns every subnet of every IPAM block, in order.
func (n *Network) Subnets() []Subnet {
	var out []Subnet
	for i := range n.Ipams {
		out = append(out, n.Ipams[i].Subnets...)
	}
	return out
}

// Policy returns the first network policy of type t and true, or false.
func (n *Network) Policy(t PolicyType) (Policy, bool) { return findPolicy(n.Policies, t) }

// findPolicy returns the first policy of type t.
func findPolicy(ps []Policy, t PolicyType) (Policy, bool) {
	for _, p := range ps {
		if p.Type.Is(t) {
			return p, true
		}
	}
	return Policy{}, false
}
