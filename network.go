package hcn

// Network is a HostComputeNetwork document: the settings of
// HcnCreateNetwork and the properties HcnQueryNetworkProperties returns.
//
// The service omits Type for NAT networks; such a network decodes with
// Type NetworkTypeNAT and, while Type stays NAT, encodes without it again.
type Network struct {
	ID   string `json:"ID,omitempty"`
	Name string `json:"Name,omitempty"`
	// Type is the network mode; empty on a document you build means NAT.
	Type     NetworkType  `json:"Type,omitempty" hcn:"default=NAT"`
	Policies []Policy     `json:"Policies,omitempty"`
	MacPool  MacPool      `json:"MacPool,omitempty"`
	Dns      DNS          `json:"Dns,omitempty"`
	Ipams    []IPAM       `json:"Ipams,omitempty"`
	Flags    NetworkFlags `json:"Flags,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

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
