package hcn

// Settings of network policies (and of the policies that apply to both
// networks and endpoints: InterfaceConstraint, ProviderAddress, L4Proxy).

// InterfaceConstraintPolicySetting is the Settings of an
// InterfaceConstraint policy.
type InterfaceConstraintPolicySetting struct {
	InterfaceGUID        string `json:"InterfaceGuid,omitempty"`
	InterfaceLUID        uint64 `json:"InterfaceLuid,omitempty"`
	InterfaceIndex       uint32 `json:"InterfaceIndex,omitempty"`
	InterfaceMediaType   uint32 `json:"InterfaceMediaType,omitempty"`
	InterfaceAlias       string `json:"InterfaceAlias,omitempty"`
	InterfaceDescription string `json:"InterfaceDescription,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeInterfaceConstraint.
func (InterfaceConstraintPolicySetting) PolicyType() PolicyType {
	return PolicyTypeInterfaceConstraint
}

// ProviderAddressPolicySetting is the Settings of a ProviderAddress policy:
// the physical (PA) address of an overlay endpoint or network.
type ProviderAddressPolicySetting struct {
	ProviderAddress string `json:"ProviderAddress,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeProviderAddress.
func (ProviderAddressPolicySetting) PolicyType() PolicyType { return PolicyTypeProviderAddress }

// SourceMacAddressPolicySetting is the Settings of a SourceMacAddress
// policy.
type SourceMacAddressPolicySetting struct {
	SourceMacAddress string `json:"SourceMacAddress,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeSourceMacAddress.
func (SourceMacAddressPolicySetting) PolicyType() PolicyType { return PolicyTypeSourceMacAddress }

// NetAdapterNamePolicySetting is the Settings of a NetAdapterName policy:
// binds a Transparent or L2Bridge network to the uplink adapter with this
// friendly name.
type NetAdapterNamePolicySetting struct {
	NetworkAdapterName string `json:"NetworkAdapterName,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeNetAdapterName.
func (NetAdapterNamePolicySetting) PolicyType() PolicyType { return PolicyTypeNetAdapterName }

// VSwitchExtensionPolicySetting is the Settings of a VSwitchExtension
// policy. Extension ids differ between hosts: match extensions by name.
type VSwitchExtensionPolicySetting struct {
	ExtensionID string `json:"ExtensionID,omitempty"`
	Enable      bool   `json:"Enable,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVSwitchExtension.
func (VSwitchExtensionPolicySetting) PolicyType() PolicyType { return PolicyTypeVSwitchExtension }

// DrMacAddressPolicySetting is the Settings of a DrMacAddress policy (the
// distributed router MAC).
type DrMacAddressPolicySetting struct {
	Address string `json:"Address,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeDrMacAddress.
func (DrMacAddressPolicySetting) PolicyType() PolicyType { return PolicyTypeDrMacAddress }

// AutomaticDNSPolicySetting is the Settings of an AutomaticDNS policy.
type AutomaticDNSPolicySetting struct {
	Enable bool `json:"Enable,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeAutomaticDNS.
func (AutomaticDNSPolicySetting) PolicyType() PolicyType { return PolicyTypeAutomaticDNS }

// RemoteSubnetRoutePolicySetting is the Settings of a RemoteSubnetRoute
// policy (an overlay route to another node's subnet). Every member is
// always written.
type RemoteSubnetRoutePolicySetting struct {
	DestinationPrefix           string `json:"DestinationPrefix"`
	IsolationID                 uint16 `json:"IsolationId"`
	ProviderAddress             string `json:"ProviderAddress"`
	DistributedRouterMacAddress string `json:"DistributedRouterMacAddress"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeRemoteSubnetRoute.
func (RemoteSubnetRoutePolicySetting) PolicyType() PolicyType { return PolicyTypeRemoteSubnetRoute }

// VxlanPortPolicySetting is the Settings of a VxlanPort policy.
type VxlanPortPolicySetting struct {
	Port uint16 `json:"Port,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeVxlanPort.
func (VxlanPortPolicySetting) PolicyType() PolicyType { return PolicyTypeVxlanPort }

// HostRoutePolicySetting is the Settings of a HostRoute policy: empty.
type HostRoutePolicySetting struct {
	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeHostRoute.
func (HostRoutePolicySetting) PolicyType() PolicyType { return PolicyTypeHostRoute }

// SetPolicySetting is the Settings of a SetPolicy policy: an IP set.
// Values is a comma-separated list. The wire key of SetType is
// "PolicyType".
type SetPolicySetting struct {
	ID      string        `json:"Id,omitempty"`
	Name    string        `json:"Name,omitempty"`
	SetType SetPolicyType `json:"PolicyType,omitempty"`
	Values  string        `json:"Values,omitempty"`

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
	LayerID string `json:"LayerId,omitempty"`

	Unknown Extra `json:"-"`
}

// PolicyType returns PolicyTypeLayerConstraint.
func (LayerConstraintPolicySetting) PolicyType() PolicyType { return PolicyTypeLayerConstraint }
