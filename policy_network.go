package hcn

// Settings of network policies (and of the policies that apply to both
// networks and endpoints: InterfaceConstraint, ProviderAddress, L4Proxy).

// InterfaceConstraintPolicySetting is the Settings of an
// InterfaceConstraint policy.
type InterfaceConstraintPolicySetting struct {
	// InterfaceGUID is the host interface's GUID (wire "InterfaceGuid").
	InterfaceGUID string `json:"InterfaceGuid,omitempty"`
	// InterfaceLUID is the interface's NET_LUID as a number (wire
	// "InterfaceLuid").
	InterfaceLUID uint64 `json:"InterfaceLuid,omitempty"`
	// InterfaceIndex is the interface's IfIndex.
	InterfaceIndex uint32 `json:"InterfaceIndex,omitempty"`
	// InterfaceMediaType is the interface's media type as a number; the
	// schema does not name the numbering.
	InterfaceMediaType uint32 `json:"InterfaceMediaType,omitempty"`
	// InterfaceAlias is the interface's friendly name, e.g. "Ethernet".
	InterfaceAlias string `json:"InterfaceAlias,omitempty"`
	// InterfaceDescription is the adapter's description (its driver's
	// product name).
	InterfaceDescription string `json:"InterfaceDescription,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeInterfaceConstraint.
func (InterfaceConstraintPolicySetting) PolicyType() PolicyType {
	return PolicyTypeInterfaceConstraint
}

// ProviderAddressPolicySetting is the Settings of a ProviderAddress policy:
// the physical (PA) address of an overlay endpoint or network.
type ProviderAddressPolicySetting struct {
	// ProviderAddress is the host's physical (PA) IP address, e.g.
	// "10.127.0.4".
	ProviderAddress string `json:"ProviderAddress,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeProviderAddress.
func (ProviderAddressPolicySetting) PolicyType() PolicyType { return PolicyTypeProviderAddress }

// SourceMacAddressPolicySetting is the Settings of a SourceMacAddress
// policy.
type SourceMacAddressPolicySetting struct {
	// SourceMacAddress is the network's source MAC, dash form like
	// "00-15-5D-52-C0-00".
	SourceMacAddress string `json:"SourceMacAddress,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeSourceMacAddress.
func (SourceMacAddressPolicySetting) PolicyType() PolicyType { return PolicyTypeSourceMacAddress }

// NetAdapterNamePolicySetting is the Settings of a NetAdapterName policy:
// binds a Transparent or L2Bridge network to the uplink adapter with this
// friendly name.
type NetAdapterNamePolicySetting struct {
	// NetworkAdapterName is the uplink adapter's friendly name, e.g.
	// "Ethernet".
	NetworkAdapterName string `json:"NetworkAdapterName,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeNetAdapterName.
func (NetAdapterNamePolicySetting) PolicyType() PolicyType { return PolicyTypeNetAdapterName }

// VSwitchExtensionPolicySetting is the Settings of a VSwitchExtension
// policy. Extension ids differ between hosts: match extensions by name.
type VSwitchExtensionPolicySetting struct {
	// ExtensionID is the extension's GUID on this host.
	ExtensionID string `json:"ExtensionID,omitempty"`
	// Enable turns the extension on (true) or off.
	Enable bool `json:"Enable,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVSwitchExtension.
func (VSwitchExtensionPolicySetting) PolicyType() PolicyType { return PolicyTypeVSwitchExtension }

// DrMacAddressPolicySetting is the Settings of a DrMacAddress policy (the
// distributed router MAC).
type DrMacAddressPolicySetting struct {
	// Address is the distributed router's MAC, dash form like
	// "00-12-34-56-78-9A".
	Address string `json:"Address,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeDrMacAddress.
func (DrMacAddressPolicySetting) PolicyType() PolicyType { return PolicyTypeDrMacAddress }

// AutomaticDNSPolicySetting is the Settings of an AutomaticDNS policy.
type AutomaticDNSPolicySetting struct {
	// Enable turns automatic DNS on or off; the schema does not describe
	// what it configures.
	Enable bool `json:"Enable,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeAutomaticDNS.
func (AutomaticDNSPolicySetting) PolicyType() PolicyType { return PolicyTypeAutomaticDNS }

// RemoteSubnetRoutePolicySetting is the Settings of a RemoteSubnetRoute
// policy (an overlay route to another node's subnet). Every member is
// always written.
type RemoteSubnetRoutePolicySetting struct {
	// DestinationPrefix is the remote subnet in CIDR notation, e.g.
	// "10.244.2.0/24".
	DestinationPrefix string `json:"DestinationPrefix"`
	// IsolationID is the remote subnet's VSID (wire "IsolationId"); uint16
	// as hcsshim sends it, uint32 in the schema.
	IsolationID uint16 `json:"IsolationId"`
	// ProviderAddress is the remote host's physical (PA) IP address.
	ProviderAddress string `json:"ProviderAddress"`
	// DistributedRouterMacAddress is the remote distributed router MAC,
	// dash form like "00-12-34-56-78-9A".
	DistributedRouterMacAddress string `json:"DistributedRouterMacAddress"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeRemoteSubnetRoute.
func (RemoteSubnetRoutePolicySetting) PolicyType() PolicyType { return PolicyTypeRemoteSubnetRoute }

// VxlanPortPolicySetting is the Settings of a VxlanPort policy.
type VxlanPortPolicySetting struct {
	// Port is the UDP port of VXLAN traffic in place of the default 4789;
	// needs HNS 10.3.
	Port uint16 `json:"Port,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVxlanPort.
func (VxlanPortPolicySetting) PolicyType() PolicyType { return PolicyTypeVxlanPort }

// HostRoutePolicySetting is the Settings of a HostRoute policy: empty.
type HostRoutePolicySetting struct {
	// Unknown keeps every member (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeHostRoute.
func (HostRoutePolicySetting) PolicyType() PolicyType { return PolicyTypeHostRoute }

// SetPolicySetting is the Settings of a SetPolicy policy: an IP set.
// Values is a comma-separated list. The wire key of SetType is
// "PolicyType".
type SetPolicySetting struct {
	// ID is the set's id, free text (wire "Id").
	ID string `json:"Id,omitempty"`
	// Name is the set's name.
	Name string `json:"Name,omitempty"`
	// SetType is IPSET or NESTEDIPSET (wire "PolicyType"; nested sets need
	// HNS 15.0).
	SetType SetPolicyType `json:"PolicyType,omitempty"`
	// Values are the members, comma-separated: addresses or CIDR prefixes
	// (IPSET) or the ids of other sets (NESTEDIPSET).
	Values string `json:"Values,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeSetPolicy.
func (SetPolicySetting) PolicyType() PolicyType { return PolicyTypeSetPolicy }

// NetworkACLPolicySetting is the Settings of a NetworkACL policy: the ACL
// members, applied to the whole network.
type NetworkACLPolicySetting ACLPolicySetting

// PolicyType returns PolicyTypeNetworkACL.
func (NetworkACLPolicySetting) PolicyType() PolicyType { return PolicyTypeNetworkACL }

// NetworkL4ProxyPolicySetting is the Settings of a NetworkL4Proxy policy:
// the L4Proxy members, applied to the whole network.
type NetworkL4ProxyPolicySetting L4ProxyPolicySetting

// PolicyType returns PolicyTypeNetworkL4Proxy.
func (NetworkL4ProxyPolicySetting) PolicyType() PolicyType { return PolicyTypeNetworkL4Proxy }

// LayerConstraintPolicySetting is the Settings of a LayerConstraint
// policy.
type LayerConstraintPolicySetting struct {
	// LayerID is a layer GUID (wire "LayerId"); the schema does not describe
	// it.
	LayerID string `json:"LayerId,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeLayerConstraint.
func (LayerConstraintPolicySetting) PolicyType() PolicyType { return PolicyTypeLayerConstraint }
