package hcn

// Settings of endpoint policies. Each type keeps unknown members in
// Unknown; encode and decode them inside a Policy (or a modify request),
// which runs them through the lossless codec. Decoded settings are pointers
// (*PortMappingPolicySetting, ...).

// PortMappingPolicySetting is the Settings of a PortMapping policy: a NAT
// port forward from the host to the endpoint.
type PortMappingPolicySetting struct {
	// Protocol is the IP protocol number: ProtocolTCP 6 or ProtocolUDP 17.
	Protocol Protocol `json:"Protocol,omitempty"`
	// InternalPort is the port on the endpoint.
	InternalPort uint16 `json:"InternalPort,omitempty"`
	// ExternalPort is the host port forwarded to InternalPort.
	ExternalPort uint16 `json:"ExternalPort,omitempty"`
	// VIP is the host address the mapping is bound to (a runtime port
	// mapping's host IP); may be empty.
	VIP string `json:"VIP,omitempty"`
	// Flags are NatFlags bits: LocalRoutedVIP 1; IPv6 2 from schema 2.8.
	Flags NatFlags `json:"Flags,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypePortMapping.
func (PortMappingPolicySetting) PolicyType() PolicyType { return PolicyTypePortMapping }

// ACLPolicySetting is the Settings of an ACL policy. Protocols, addresses
// and ports are comma-separated lists ("6,17", "10.0.0.0/8,10.1.0.1").
type ACLPolicySetting struct {
	// Protocols are IP protocol numbers, comma-separated ("6,17").
	Protocols string `json:"Protocols,omitempty"`
	// Action is Allow or Block, or Pass from schema 2.10.
	Action ActionType `json:"Action,omitempty"`
	// Direction is In (to the endpoint) or Out (from it).
	Direction DirectionType `json:"Direction,omitempty"`
	// LocalAddresses are addresses or CIDR prefixes on the endpoint's side,
	// comma-separated.
	LocalAddresses string `json:"LocalAddresses,omitempty"`
	// RemoteAddresses are addresses or CIDR prefixes on the remote side,
	// comma-separated.
	RemoteAddresses string `json:"RemoteAddresses,omitempty"`
	// LocalPorts are ports or ranges, comma-separated ("80,8000-8080";
	// ranges need HNS 7.2).
	LocalPorts string `json:"LocalPorts,omitempty"`
	// RemotePorts are remote ports or ranges, in the LocalPorts form.
	RemotePorts string `json:"RemotePorts,omitempty"`
	// RuleType is Host (a WFP rule in the host firewall) or Switch (a VFP
	// rule on the switch port).
	RuleType RuleType `json:"RuleType,omitempty"`
	// Priority is the rule's priority (uint16); Host rules need HNS 7.2 for it.
	Priority uint16 `json:"Priority,omitempty"`
	// ID is the rule's id, free text (wire "Id"; needs HNS 7.2).
	ID string `json:"Id,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeACL.
func (ACLPolicySetting) PolicyType() PolicyType { return PolicyTypeACL }

// QOSPolicySetting is the Settings of a QOS policy.
type QOSPolicySetting struct {
	// MaximumOutgoingBandwidthInBytes caps the endpoint's egress bandwidth; the
	// name says bytes, and no source gives the time unit.
	MaximumOutgoingBandwidthInBytes uint64 `json:"MaximumOutgoingBandwidthInBytes,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeQOS.
func (QOSPolicySetting) PolicyType() PolicyType { return PolicyTypeQOS }

// L2DriverPolicySetting is the Settings of an L2Driver policy; no member
// is documented, all are kept in Unknown.
type L2DriverPolicySetting struct {
	// Unknown keeps every member (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeL2Driver.
func (L2DriverPolicySetting) PolicyType() PolicyType { return PolicyTypeL2Driver }

// OutboundNATPolicySetting is the Settings of an OutBoundNAT policy:
// traffic to anything but Exceptions is NATed to the host (or VirtualIP).
type OutboundNATPolicySetting struct {
	// VirtualIP is the address traffic is NATed to; empty means the host's
	// address.
	VirtualIP string `json:"VirtualIP,omitempty"`
	// Exceptions are destinations, addresses or CIDR prefixes, that are not
	// NATed, e.g. "10.244.0.0/16".
	Exceptions []string `json:"Exceptions,omitempty"`
	// Destinations are addresses or CIDR prefixes, by their name the ones
	// NAT applies to; the schema does not describe them.
	Destinations []string `json:"Destinations,omitempty"`
	// Flags are NatFlags bits (NatFlagLocalRoutedVIP 1, NatFlagIPv6 2 from
	// schema 2.8), kept as a plain uint32.
	Flags uint32 `json:"Flags,omitempty"`
	// MaxPortPoolUsage (uint16) is, by its name, a cap on the NAT port pool
	// the endpoint may use; no source gives its unit or range.
	MaxPortPoolUsage uint16 `json:"MaxPortPoolUsage,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeOutBoundNAT.
func (OutboundNATPolicySetting) PolicyType() PolicyType { return PolicyTypeOutBoundNAT }

// SDNRoutePolicySetting is the Settings of an SDNRoute policy, and one
// route of an SDN route document. NeedEncap is always written.
type SDNRoutePolicySetting struct {
	// DestinationPrefix is the routed destination in CIDR notation, e.g.
	// "10.244.0.0/16".
	DestinationPrefix string `json:"DestinationPrefix,omitempty"`
	// NextHop is the next-hop address; often absent (CNI configs commonly
	// give only DestinationPrefix and NeedEncap).
	NextHop string `json:"NextHop,omitempty"`
	// NeedEncap asks for the traffic to be encapsulated (VXLAN overlay).
	NeedEncap bool `json:"NeedEncap"`
	// AutomaticEndpointMonitor is a schema 2.0 flag the schema does not
	// describe; kept as sent.
	AutomaticEndpointMonitor bool `json:"AutomaticEndpointMonitor,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeSDNRoute.
func (SDNRoutePolicySetting) PolicyType() PolicyType { return PolicyTypeSDNRoute }

// L4ProxyPolicySetting is the Settings of an L4Proxy policy (network or
// endpoint).
type L4ProxyPolicySetting struct {
	// IP is the destination address whose traffic is redirected, e.g.
	// "169.254.169.254".
	IP string `json:"IP,omitempty"`
	// Port is the destination port as decimal text, e.g. "80".
	Port string `json:"Port,omitempty"`
	// Protocol is the IP protocol number of the redirected traffic
	// (ProtocolTCP 6).
	Protocol Protocol `json:"Protocol,omitempty"`
	// Exceptions are addresses exempt from redirection (hcsshim's key; the
	// schema page spells it "ExceptionList").
	Exceptions []string `json:"Exceptions,omitempty"`
	// Destination is where matching traffic goes, "ip:port" text like
	// "10.0.0.5:8080".
	Destination string `json:"Destination,omitempty"`
	// OutboundNAT, by its name, source-NATs the redirected traffic; the
	// schema does not describe it.
	OutboundNAT bool `json:"OutboundNAT,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeL4Proxy.
func (L4ProxyPolicySetting) PolicyType() PolicyType { return PolicyTypeL4Proxy }

// L4WFPProxyPolicySetting is the Settings of an L4WFPPROXY policy (schema
// 2.5).
type L4WFPProxyPolicySetting struct {
	// InboundProxyPort is the port inbound proxied traffic is delivered
	// to, decimal text (schema 2.11 per the schema page).
	InboundProxyPort string `json:"InboundProxyPort,omitempty"`
	// OutboundProxyPort is the port outbound proxied traffic is
	// delivered to, decimal text (schema 2.11 per the schema page).
	OutboundProxyPort string `json:"OutboundProxyPort,omitempty"`
	// FilterTuple selects the traffic to redirect.
	FilterTuple FiveTuple `json:"FilterTuple,omitempty"`
	// UserSID is the SID of the account the proxy runs as, text like
	// "S-1-5-21-...".
	UserSID string `json:"UserSID,omitempty"`
	// InboundExceptions are addresses and ports exempt from inbound
	// redirection (schema 2.14).
	InboundExceptions ProxyExceptions `json:"InboundExceptions,omitempty"`
	// OutboundExceptions are addresses and ports exempt from outbound
	// redirection (schema 2.14).
	OutboundExceptions ProxyExceptions `json:"OutboundExceptions,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeL4WFPProxy.
func (L4WFPProxyPolicySetting) PolicyType() PolicyType { return PolicyTypeL4WFPProxy }

// FiveTuple is the FilterTuple of an L4WFPPROXY policy.
type FiveTuple struct {
	// Protocols are IP protocol numbers, comma-separated ("6,17").
	Protocols string `json:"Protocols,omitempty"`
	// LocalAddresses are addresses or CIDR prefixes on the endpoint's side,
	// comma-separated.
	LocalAddresses string `json:"LocalAddresses,omitempty"`
	// RemoteAddresses are addresses or CIDR prefixes on the remote side,
	// comma-separated.
	RemoteAddresses string `json:"RemoteAddresses,omitempty"`
	// LocalPorts are ports or ranges, comma-separated ("80,8000-8080").
	LocalPorts string `json:"LocalPorts,omitempty"`
	// RemotePorts are remote ports or ranges, in the LocalPorts form.
	RemotePorts string `json:"RemotePorts,omitempty"`
	// Priority is the filter's priority (uint16).
	Priority uint16 `json:"Priority,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// ProxyExceptions are the exceptions of an L4WFPPROXY policy.
type ProxyExceptions struct {
	// IpAddressExceptions are addresses exempt from redirection, e.g.
	// "10.0.1.12".
	IpAddressExceptions []string `json:"IpAddressExceptions,omitempty"`
	// PortExceptions are ports exempt from redirection, as decimal text
	// ("81").
	PortExceptions []string `json:"PortExceptions,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PortNamePolicySetting is the Settings of a PortName policy.
type PortNamePolicySetting struct {
	// Name is the name given to the endpoint's switch port.
	Name string `json:"Name,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypePortName.
func (PortNamePolicySetting) PolicyType() PolicyType { return PolicyTypePortName }

// EncapOverheadPolicySetting is the Settings of an EncapOverhead policy.
type EncapOverheadPolicySetting struct {
	// Overhead is the encapsulation overhead in bytes (50 for VXLAN).
	Overhead uint16 `json:"Overhead,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeEncapOverhead.
func (EncapOverheadPolicySetting) PolicyType() PolicyType { return PolicyTypeEncapOverhead }

// IovPolicySetting is the Settings of an Iov policy (schema 2.9).
type IovPolicySetting struct {
	// IovOffloadWeight is the SR-IOV offload weight; its range is
	// undocumented (Hyper-V's IovWeight is 0-100, 0 off).
	IovOffloadWeight uint32 `json:"IovOffloadWeight,omitempty"`
	// QueuePairsRequested is the number of SR-IOV queue pairs asked for.
	QueuePairsRequested uint32 `json:"QueuePairsRequested,omitempty"`
	// InterruptModeration is an IovInterruptModerationType; the schema
	// names Default, Adaptive, Off, Low, Medium and High but not their numbers.
	InterruptModeration uint32 `json:"InterruptModeration,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeIov.
func (IovPolicySetting) PolicyType() PolicyType { return PolicyTypeIov }

// TierACLPolicySetting is the Settings of a TierAcl policy (schema 2.10).
type TierACLPolicySetting struct {
	// Name is the tier's name.
	Name string `json:"Name,omitempty"`
	// Direction is In (to the endpoint) or Out (from it).
	Direction DirectionType `json:"Direction,omitempty"`
	// Order places the tier among the endpoint's tiers (uint16).
	Order uint16 `json:"Order,omitempty"`
	// TierAclRules are the tier's rules.
	TierAclRules []TierACLRule `json:"TierAclRules,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeTierACL.
func (TierACLPolicySetting) PolicyType() PolicyType { return PolicyTypeTierACL }

// TierACLRule is one rule of a TierAcl policy.
type TierACLRule struct {
	// ID is the rule's id, free text (wire "Id").
	ID string `json:"Id,omitempty"`
	// Protocols are IP protocol numbers, comma-separated ("6,17").
	Protocols string `json:"Protocols,omitempty"`
	// TierAclRuleAction is Allow, Block or Pass.
	TierAclRuleAction ActionType `json:"TierAclRuleAction,omitempty"`
	// LocalAddresses are addresses or CIDR prefixes on the endpoint's side,
	// comma-separated.
	LocalAddresses string `json:"LocalAddresses,omitempty"`
	// RemoteAddresses are addresses or CIDR prefixes on the remote side,
	// comma-separated.
	RemoteAddresses string `json:"RemoteAddresses,omitempty"`
	// LocalPorts are ports or ranges, comma-separated ("80,8000-8080").
	LocalPorts string `json:"LocalPorts,omitempty"`
	// RemotePorts are remote ports or ranges, in the LocalPorts form.
	RemotePorts string `json:"RemotePorts,omitempty"`
	// Priority orders the rules of the tier (uint16).
	Priority uint16 `json:"Priority,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// EncryptionPolicySetting is the Settings of an Encryption policy (schema
// 2.1); no member is documented, all are kept in Unknown.
type EncryptionPolicySetting struct {
	// Unknown keeps every member (the schema's EncryptionMethodType,
	// AuthenticationMethods, Endpoints1, ...; see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeEncryption.
func (EncryptionPolicySetting) PolicyType() PolicyType { return PolicyTypeEncryption }

// VLANPolicySetting is the Settings of a VLAN policy (subnet, or endpoint
// from schema 2.4).
type VLANPolicySetting struct {
	// IsolationID is the VLAN id, 1-4094 (wire "IsolationId").
	IsolationID uint32 `json:"IsolationId,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVLAN.
func (VLANPolicySetting) PolicyType() PolicyType { return PolicyTypeVLAN }

// VSIDPolicySetting is the Settings of a VSID subnet policy: the VXLAN
// network identifier.
type VSIDPolicySetting struct {
	// IsolationID is the VSID, the VXLAN network identifier, 1-16777215
	// (wire "IsolationId"); flannel wants 4096 or more.
	IsolationID uint32 `json:"IsolationId,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVSID.
func (VSIDPolicySetting) PolicyType() PolicyType { return PolicyTypeVSID }

// InterfaceParametersPolicySetting is the Settings of an
// InterfaceParameters policy (schema 2.4).
type InterfaceParametersPolicySetting struct {
	// Mtu is the interface MTU in bytes (the schema types it uint16).
	Mtu uint32 `json:"Mtu,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeInterfaceParameters.
func (InterfaceParametersPolicySetting) PolicyType() PolicyType {
	return PolicyTypeInterfaceParameters
}

// FirewallPolicySetting is the Settings of a Firewall policy (schema 2.16,
// used by WSL and Hyper-V firewall).
type FirewallPolicySetting struct {
	// VmCreatorID is the GUID of the Hyper-V firewall VM creator the policy
	// applies to (wire "VmCreatorId").
	VmCreatorID string `json:"VmCreatorId,omitempty"`
	// PolicyFlags are FirewallPolicyFlags bits; the schema names None and
	// ConstrainedInterface (schema 2.16) but gives no values.
	PolicyFlags uint32 `json:"PolicyFlags,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeFirewall.
func (FirewallPolicySetting) PolicyType() PolicyType { return PolicyTypeFirewall }
