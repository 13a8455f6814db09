package hcn

// Settings of endpoint policies. Each type keeps unknown members in
// Unknown; encode and decode them inside a Policy (or a modify request),
// which runs them through the lossless codec. Decoded settings are pointers
// (*PortMappingPolicySetting, ...).

// PortMappingPolicySetting is the Settings of a PortMapping policy: a NAT
// port forward from the host to the endpoint.
type PortMappingPolicySetting struct {
	Protocol     Protocol `json:"Protocol,omitempty"`
	InternalPort uint16   `json:"InternalPort,omitempty"`
	ExternalPort uint16   `json:"ExternalPort,omitempty"`
	VIP          string   `json:"VIP,omitempty"`
	Flags        NatFlags `json:"Flags,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypePortMapping.
func (PortMappingPolicySetting) PolicyType() PolicyType { return PolicyTypePortMapping }

// ACLPolicySetting is the Settings of an ACL policy. Protocols, addresses
// and ports are comma-separated lists ("6,17", "10.0.0.0/8,10.1.0.1").
type ACLPolicySetting struct {
	Protocols       string        `json:"Protocols,omitempty"`
	Action          ActionType    `json:"Action,omitempty"`
	Direction       DirectionType `json:"Direction,omitempty"`
	LocalAddresses  string        `json:"LocalAddresses,omitempty"`
	RemoteAddresses string        `json:"RemoteAddresses,omitempty"`
	LocalPorts      string        `json:"LocalPorts,omitempty"`
	RemotePorts     string        `json:"RemotePorts,omitempty"`
	RuleType        RuleType      `json:"RuleType,omitempty"`
	Priority        uint16        `json:"Priority,omitempty"`
	ID              string        `json:"Id,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeACL.
func (ACLPolicySetting) PolicyType() PolicyType { return PolicyTypeACL }

// QOSPolicySetting is the Settings of a QOS policy.
type QOSPolicySetting struct {
	MaximumOutgoingBandwidthInBytes uint64 `json:"MaximumOutgoingBandwidthInBytes,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeQOS.
func (QOSPolicySetting) PolicyType() PolicyType { return PolicyTypeQOS }

// L2DriverPolicySetting is the Settings of an L2Driver policy; no member
// is documented, all are kept in Unknown.
type L2DriverPolicySetting struct {
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeL2Driver.
func (L2DriverPolicySetting) PolicyType() PolicyType { return PolicyTypeL2Driver }

// OutboundNATPolicySetting is the Settings of an OutBoundNAT policy:
// traffic to anything but Exceptions is NATed to the host (or VirtualIP).
type OutboundNATPolicySetting struct {
	VirtualIP        string   `json:"VirtualIP,omitempty"`
	Exceptions       []string `json:"Exceptions,omitempty"`
	Destinations     []string `json:"Destinations,omitempty"`
	Flags            uint32   `json:"Flags,omitempty"`
	MaxPortPoolUsage uint16   `json:"MaxPortPoolUsage,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeOutBoundNAT.
func (OutboundNATPolicySetting) PolicyType() PolicyType { return PolicyTypeOutBoundNAT }

// SDNRoutePolicySetting is the Settings of an SDNRoute policy, and one
// route of an SDN route document. NeedEncap is always written.
type SDNRoutePolicySetting struct {
	DestinationPrefix        string `json:"DestinationPrefix,omitempty"`
	NextHop                  string `json:"NextHop,omitempty"`
	NeedEncap                bool   `json:"NeedEncap"`
	AutomaticEndpointMonitor bool   `json:"AutomaticEndpointMonitor,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeSDNRoute.
func (SDNRoutePolicySetting) PolicyType() PolicyType { return PolicyTypeSDNRoute }

// L4ProxyPolicySetting is the Settings of an L4Proxy policy (network or
// endpoint).
type L4ProxyPolicySetting struct {
	IP          string   `json:"IP,omitempty"`
	Port        string   `json:"Port,omitempty"`
	Protocol    Protocol `json:"Protocol,omitempty"`
	Exceptions  []string `json:"Exceptions,omitempty"`
	Destination string   `json:"Destination,omitempty"`
	OutboundNAT bool     `json:"OutboundNAT,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeL4Proxy.
func (L4ProxyPolicySetting) PolicyType() PolicyType { return PolicyTypeL4Proxy }

// L4WFPProxyPolicySetting is the Settings of an L4WFPPROXY policy (schema
// 2.5).
type L4WFPProxyPolicySetting struct {
	InboundProxyPort   string          `json:"InboundProxyPort,omitempty"`
	OutboundProxyPort  string          `json:"OutboundProxyPort,omitempty"`
	FilterTuple        FiveTuple       `json:"FilterTuple,omitempty"`
	UserSID            string          `json:"UserSID,omitempty"`
	InboundExceptions  ProxyExceptions `json:"InboundExceptions,omitempty"`
	OutboundExceptions ProxyExceptions `json:"OutboundExceptions,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeL4WFPProxy.
func (L4WFPProxyPolicySetting) PolicyType() PolicyType { return PolicyTypeL4WFPProxy }

// FiveTuple is the FilterTuple of an L4WFPPROXY policy.
type FiveTuple struct {
	Protocols       string `json:"Protocols,omitempty"`
	LocalAddresses  string `json:"LocalAddresses,omitempty"`
	RemoteAddresses string `json:"RemoteAddresses,omitempty"`
	LocalPorts      string `json:"LocalPorts,omitempty"`
	RemotePorts     string `json:"RemotePorts,omitempty"`
	Priority        uint16 `json:"Priority,omitempty"`

	Unknown Extra `json:"-"`
}

// ProxyExceptions are the exceptions of an L4WFPPROXY policy.
type ProxyExceptions struct {
	IpAddressExceptions []string `json:"IpAddressExceptions,omitempty"`
	PortExceptions      []string `json:"PortExceptions,omitempty"`

	Unknown Extra `json:"-"`
}

// PortNamePolicySetting is the Settings of a PortName policy.
type PortNamePolicySetting struct {
	Name string `json:"Name,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypePortName.
func (PortNamePolicySetting) PolicyType() PolicyType { return PolicyTypePortName }

// EncapOverheadPolicySetting is the Settings of an EncapOverhead policy.
type EncapOverheadPolicySetting struct {
	Overhead uint16 `json:"Overhead,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeEncapOverhead.
func (EncapOverheadPolicySetting) PolicyType() PolicyType { return PolicyTypeEncapOverhead }

// IovPolicySetting is the Settings of an Iov policy (schema 2.9).
type IovPolicySetting struct {
	IovOffloadWeight    uint32 `json:"IovOffloadWeight,omitempty"`
	QueuePairsRequested uint32 `json:"QueuePairsRequested,omitempty"`
	InterruptModeration uint32 `json:"InterruptModeration,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeIov.
func (IovPolicySetting) PolicyType() PolicyType { return PolicyTypeIov }

// TierACLPolicySetting is the Settings of a TierAcl policy (schema 2.10).
type TierACLPolicySetting struct {
	Name         string        `json:"Name,omitempty"`
	Direction    DirectionType `json:"Direction,omitempty"`
	Order        uint16        `json:"Order,omitempty"`
	TierAclRules []TierACLRule `json:"TierAclRules,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeTierACL.
func (TierACLPolicySetting) PolicyType() PolicyType { return PolicyTypeTierACL }

// TierACLRule is one rule of a TierAcl policy.
type TierACLRule struct {
	ID                string     `json:"Id,omitempty"`
	Protocols         string     `json:"Protocols,omitempty"`
	TierAclRuleAction ActionType `json:"TierAclRuleAction,omitempty"`
	LocalAddresses    string     `json:"LocalAddresses,omitempty"`
	RemoteAddresses   string     `json:"RemoteAddresses,omitempty"`
	LocalPorts        string     `json:"LocalPorts,omitempty"`
	RemotePorts       string     `json:"RemotePorts,omitempty"`
	Priority          uint16     `json:"Priority,omitempty"`

	Unknown Extra `json:"-"`
}

// EncryptionPolicySetting is the Settings of an Encryption policy (schema
// 2.1); no member is documented, all are kept in Unknown.
type EncryptionPolicySetting struct {
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeEncryption.
func (EncryptionPolicySetting) PolicyType() PolicyType { return PolicyTypeEncryption }

// VLANPolicySetting is the Settings of a VLAN policy (subnet, or endpoint
// from schema 2.4).
type VLANPolicySetting struct {
	IsolationID uint32 `json:"IsolationId,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVLAN.
func (VLANPolicySetting) PolicyType() PolicyType { return PolicyTypeVLAN }

// VSIDPolicySetting is the Settings of a VSID subnet policy: the VXLAN
// network identifier.
type VSIDPolicySetting struct {
	IsolationID uint32 `json:"IsolationId,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVSID.
func (VSIDPolicySetting) PolicyType() PolicyType { return PolicyTypeVSID }

// InterfaceParametersPolicySetting is the Settings of an
// InterfaceParameters policy (schema 2.4).
type InterfaceParametersPolicySetting struct {
	Mtu uint32 `json:"Mtu,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeInterfaceParameters.
func (InterfaceParametersPolicySetting) PolicyType() PolicyType {
	return PolicyTypeInterfaceParameters
}

// FirewallPolicySetting is the Settings of a Firewall policy (schema 2.16,
// used by WSL and Hyper-V firewall).
type FirewallPolicySetting struct {
	VmCreatorID string `json:"VmCreatorId,omitempty"`
	PolicyFlags uint32 `json:"PolicyFlags,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeFirewall.
func (FirewallPolicySetting) PolicyType() PolicyType { return PolicyTypeFirewall }
