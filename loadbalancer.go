package hcn

// LoadBalancer is a HostComputeLoadBalancer document: the settings of
// HcnCreateLoadBalancer and HcnModifyLoadBalancer (which takes the whole
// document; the Client uses it from HNS 15.5, see
// FeatureModifyLoadBalancer) and the properties
// HcnQueryLoadBalancerProperties returns.
type LoadBalancer struct {
	// ID is the load balancer's GUID as written.
	ID ID `json:"ID,omitempty"`
	// HostComputeNetwork is the network id (schema 2.5).
	HostComputeNetwork ID `json:"HostComputeNetwork,omitempty"`
	// HostComputeEndpoints are the backend endpoint ids.
	HostComputeEndpoints []ID `json:"HostComputeEndpoints,omitempty"`
	// SourceVIP is the address backends see traffic come from.
	SourceVIP string `json:"SourceVIP,omitempty"`
	// FrontendVIPs are the addresses the load balancer serves.
	FrontendVIPs []string `json:"FrontendVIPs,omitempty"`
	// PortMappings are the served protocol/port pairs.
	PortMappings []PortMapping `json:"PortMappings,omitempty"`
	// Flags (LoadBalancerFlag*: DSR, IPv6).
	Flags LoadBalancerFlags `json:"Flags,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// Kind returns KindLoadBalancer.
func (*LoadBalancer) Kind() Kind { return KindLoadBalancer }

func (lb *LoadBalancer) schema() *SchemaVersion { return &lb.SchemaVersion }

// MarshalJSON implements json.Marshaler.
func (lb LoadBalancer) MarshalJSON() ([]byte, error) { return encodeFrom(&lb) }

// UnmarshalJSON implements json.Unmarshaler.
func (lb *LoadBalancer) UnmarshalJSON(b []byte) error { return decodeInto(b, lb) }

// PortMapping is one port mapping of a load balancer.
type PortMapping struct {
	// Protocol is the IP protocol number (ProtocolTCP 6, ProtocolUDP 17).
	Protocol Protocol `json:"Protocol,omitempty"`
	// InternalPort is the backend port on the endpoints.
	InternalPort uint16 `json:"InternalPort,omitempty"`
	// ExternalPort is the frontend port served on the VIPs.
	ExternalPort uint16 `json:"ExternalPort,omitempty"`
	// DistributionType (schema 2.7); DistributionSourceIP is session
	// affinity.
	DistributionType DistributionType `json:"DistributionType,omitempty"`
	// Flags are PortMappingFlags bits: ILB 1, LocalRoutedVIP 2, UseMux 4,
	// PreserveDIP 8; kube-proxy also sends VipExternalIP 16.
	Flags PortMappingFlags `json:"Flags,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (m PortMapping) MarshalJSON() ([]byte, error) { return encodeFrom(&m) }

// UnmarshalJSON implements json.Unmarshaler.
func (m *PortMapping) UnmarshalJSON(b []byte) error { return decodeInto(b, m) }
