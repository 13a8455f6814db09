package hcn

// Flag sets and numeric enums. They are numbers on the wire; the HCN
// schema's names are given as constants. Unknown bits decode and round-trip.

// NetworkFlags is a network's Flags.
type NetworkFlags uint32

// Network flags.
const (
	NetworkFlagNone                NetworkFlags = 0
	NetworkFlagEnableDNSProxy      NetworkFlags = 1
	NetworkFlagEnableDHCPServer    NetworkFlags = 2
	NetworkFlagEnableMirroring     NetworkFlags = 4
	NetworkFlagEnableNonPersistent NetworkFlags = 8
	NetworkFlagDisableHostPort     NetworkFlags = 1024
	NetworkFlagEnableIov           NetworkFlags = 8192
)

// EndpointFlags is an endpoint's Flags.
type EndpointFlags uint32

// Endpoint flags.
const (
	EndpointFlagNone                             EndpointFlags = 0
	EndpointFlagRemoteEndpoint                   EndpointFlags = 1
	EndpointFlagDisableInterComputeCommunication EndpointFlags = 2
	EndpointFlagEnableMirroring                  EndpointFlags = 4
	EndpointFlagEnableLowInterfaceMetric         EndpointFlags = 8
	EndpointFlagOverrideDNSServerOrder           EndpointFlags = 16
	EndpointFlagEnableDHCP                       EndpointFlags = 32
)

// SubnetFlags is a subnet's Flags (schema 2.7).
type SubnetFlags uint32

// Subnet flags.
const (
	SubnetFlagNone                       SubnetFlags = 0
	SubnetFlagDoNotReserveGatewayAddress SubnetFlags = 1
)

// LoadBalancerFlags is a load balancer's Flags.
type LoadBalancerFlags uint32

// Load balancer flags.
const (
	LoadBalancerFlagNone                     LoadBalancerFlags = 0
	LoadBalancerFlagEnableDirectServerReturn LoadBalancerFlags = 1
	LoadBalancerFlagIPv6                     LoadBalancerFlags = 2
)

// PortMappingFlags is a load balancer port mapping's Flags.
type PortMappingFlags uint32

// Load balancer port mapping flags.
const (
	PortMappingFlagNone                       PortMappingFlags = 0
	PortMappingFlagEnableInternalLoadBalancer PortMappingFlags = 1
	PortMappingFlagLocalRoutedVIP             PortMappingFlags = 2
	PortMappingFlagUseMux                     PortMappingFlags = 4
	PortMappingFlagEnablePreserveDIP          PortMappingFlags = 8
	PortMappingFlagVipExternalIP              PortMappingFlags = 16 // sent by kube-proxy
)

// DistributionType is a load balancer port mapping's DistributionType
// (schema 2.7).
type DistributionType uint32

// Distribution types.
const (
	DistributionNone             DistributionType = 0
	DistributionSourceIPProtocol DistributionType = 1
	DistributionSourceIP         DistributionType = 2 // session affinity
)

// NatFlags is a PortMapping policy's Flags.
type NatFlags uint32

// NAT flags.
const (
	NatFlagNone           NatFlags = 0
	NatFlagLocalRoutedVIP NatFlags = 1
	NatFlagIPv6           NatFlags = 2
)

// QueryFlags is a query's Flags. It decodes from a number or a name
// ("None", "Detailed"); it encodes as a number.
type QueryFlags uint32

// Query flags.
const (
	QueryFlagNone     QueryFlags = 0
	QueryFlagDetailed QueryFlags = 1
)

// Protocol is an IP protocol number as HCN uses it in port mappings and
// load balancers.
type Protocol uint32

// Protocol numbers.
const (
	ProtocolUnknown Protocol = 0
	ProtocolICMPv4  Protocol = 1
	ProtocolIGMP    Protocol = 2
	ProtocolTCP     Protocol = 6
	ProtocolUDP     Protocol = 17
	ProtocolICMPv6  Protocol = 58
)

// Known reports whether p is one of the protocol numbers HCN knows.
func (p Protocol) Known() bool {
	switch p {
	case ProtocolICMPv4, ProtocolIGMP, ProtocolTCP, ProtocolUDP, ProtocolICMPv6:
		return true
	}
	return false
}

// HasPorts reports whether p carries ports (TCP or UDP).
func (p Protocol) HasPorts() bool { return p == ProtocolTCP || p == ProtocolUDP }
