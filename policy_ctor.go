package hcn

import (
	"net/netip"
	"strings"
)

// Constructors of the common policies. Each returns a Policy whose Type
// matches its settings; NewPolicy builds any other from its settings.

// OutBoundNATPolicy returns an OutBoundNAT endpoint policy that NATs
// outbound traffic to the host's address except towards exceptions. With
// no exceptions the settings are {}.
func OutBoundNATPolicy(exceptions ...netip.Prefix) Policy {
	return NewPolicy(&OutboundNATPolicySetting{Exceptions: prefixStrings(exceptions)})
}

// SDNRoutePolicy returns an SDNRoute endpoint policy for destination via
// nextHop (omitted when zero). NeedEncap is always written.
func SDNRoutePolicy(destination netip.Prefix, nextHop netip.Addr, needEncap bool) Policy {
	return NewPolicy(&SDNRoutePolicySetting{
		DestinationPrefix: destination.String(),
		NextHop:           addrString(nextHop),
		NeedEncap:         needEncap,
	})
}

// InboundAllowACL returns an ACL endpoint policy allowing inbound traffic
// from remote (any source when empty), enforced on the switch (RuleType
// Switch) with priority 65500. A Transparent endpoint rejects an ACL that
// lacks RuleType or Priority.
func InboundAllowACL(remote ...netip.Prefix) Policy {
	return NewPolicy(&ACLPolicySetting{
		Action:          ActionAllow,
		Direction:       DirectionIn,
		RemoteAddresses: strings.Join(prefixStrings(remote), ","),
		RuleType:        RuleTypeSwitch,
		Priority:        65500,
	})
}

// NetAdapterNamePolicy returns a NetAdapterName network policy binding the
// network to the uplink adapter with this friendly name.
func NetAdapterNamePolicy(adapter string) Policy {
	return NewPolicy(&NetAdapterNamePolicySetting{NetworkAdapterName: adapter})
}

// PortMappingPolicy returns a PortMapping endpoint policy forwarding
// external to internal for protocol (ProtocolTCP or ProtocolUDP).
func PortMappingPolicy(protocol Protocol, internal, external uint16) Policy {
	return NewPolicy(&PortMappingPolicySetting{Protocol: protocol, InternalPort: internal, ExternalPort: external})
}

// RemoteSubnetRoutePolicy returns a RemoteSubnetRoute network policy: the
// overlay route to destination through the node at providerAddress. All
// members are always written.
func RemoteSubnetRoutePolicy(destination netip.Prefix, isolationID uint16, providerAddress netip.Addr, drMAC string) Policy {
	return NewPolicy(&RemoteSubnetRoutePolicySetting{
		DestinationPrefix:           destination.String(),
		IsolationID:                 isolationID,
		ProviderAddress:             addrString(providerAddress),
		DistributedRouterMacAddress: drMAC,
	})
}

// ProviderAddressPolicy returns a ProviderAddress policy (the physical
// address of an overlay endpoint or network).
func ProviderAddressPolicy(pa netip.Addr) Policy {
	return NewPolicy(&ProviderAddressPolicySetting{ProviderAddress: addrString(pa)})
}

// HostRoutePolicy returns a HostRoute network policy (settings {}).
func HostRoutePolicy() Policy { return NewPolicy(&HostRoutePolicySetting{}) }

// VSIDPolicy returns a VSID subnet policy (the VXLAN network identifier).
func VSIDPolicy(vsid uint32) Policy { return NewPolicy(&VSIDPolicySetting{IsolationID: vsid}) }

// VLANPolicy returns a VLAN subnet (or endpoint) policy.
func VLANPolicy(vlan uint32) Policy { return NewPolicy(&VLANPolicySetting{IsolationID: vlan}) }

// QOSPolicy returns a QOS endpoint policy capping outbound bandwidth.
func QOSPolicy(maxBytesPerSecond uint64) Policy {
	return NewPolicy(&QOSPolicySetting{MaximumOutgoingBandwidthInBytes: maxBytesPerSecond})
}

// PortNamePolicy returns a PortName endpoint policy.
func PortNamePolicy(name string) Policy { return NewPolicy(&PortNamePolicySetting{Name: name}) }

// EncapOverheadPolicy returns an EncapOverhead endpoint policy.
func EncapOverheadPolicy(overhead uint16) Policy {
	return NewPolicy(&EncapOverheadPolicySetting{Overhead: overhead})
}

// VxlanPortPolicy returns a VxlanPort network policy.
func VxlanPortPolicy(port uint16) Policy { return NewPolicy(&VxlanPortPolicySetting{Port: port}) }

// InterfaceParametersPolicy returns an InterfaceParameters endpoint policy
// setting the MTU.
func InterfaceParametersPolicy(mtu uint32) Policy {
	return NewPolicy(&InterfaceParametersPolicySetting{Mtu: mtu})
}

func prefixStrings(ps []netip.Prefix) []string {
	if len(ps) == 0 {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
