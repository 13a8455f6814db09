package hcn

// LoadBalancer is a HostComputeLoadBalancer document: the settings of
// HcnCreateLoadBalancer and HcnModifyLoadBalancer (which takes the whole
// document, HNS 15.4 and later) and the properties
// HcnQueryLoadBalancerProperties returns.
type LoadBalancer struct {
	ID string `json:"ID,omitempty"`
	// HostComputeNetwork is the network id (schema 2.5).
	HostComputeNetwork   string            `json:"HostComputeNetwork,omitempty"`
	HostComputeEndpoints []string          `json:"HostComputeEndpoints,omitempty"`
	SourceVIP            string            `json:"SourceVIP,omitempty"`
	FrontendVIPs         []string          `json:"FrontendVIPs,omitempty"`
	PortMappings         []PortMapping     `json:"PortMappings,omitempty"`
	Flags                LoadBalancerFlags `json:"Flags,omitempty"`
	// SchemaVersion: MarshalForCreate sets 2.0 when it is zero.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	BaseFields

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
	Protocol     Protocol `json:"Protocol,omitempty"`
	InternalPort uint16   `json:"InternalPort,omitempty"`
	ExternalPort uint16   `json:"ExternalPort,omitempty"`
	// DistributionType (schema 2.7); DistributionSourceIP is session
	// affinity.
	DistributionType DistributionType `json:"DistributionType,omitempty"`
	Flags            PortMappingFlags `json:"Flags,omitempty"`

	Unknown Extra `json:"-"`
}

// MarshalJSON implements json.Marshaler.
func (m PortMapping) MarshalJSON() ([]byte, error) { return encodeFrom(&m) }

// UnmarshalJSON implements json.Unmarshaler.
func (m *PortMapping) UnmarshalJSON(b []byte) error { return decodeInto(b, m) }
