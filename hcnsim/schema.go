package hcnsim

import "github.com/hcnkit/hcn"

// The canonical key spellings of every document the emulator understands.
// Keys are matched case-insensitively on input and written back in these
// spellings; keys not listed here are kept as the caller sent them.

var (
	schemaVersionSpec = f("SchemaVersion", f("Major"), f("Minor"))
	policySpec        = f("Policies", f("Type"), f("Settings"))
	routeSpec         = f("Routes", f("NextHop"), f("DestinationPrefix"), f("Metric"))
	dnsSpec           = f("Dns", f("Domain"), f("Search"), f("ServerList"), f("Options"))
	healthSpec        = f("Health", f("Data"), f("Extra"))
)

func baseFields(extra ...*field) spec {
	all := []*field{f("ID"), f("Owner"), f("Name"), f("Version"), f("AdditionalParams"),
		healthSpec, schemaVersionSpec, f("Telemetry"), f("State")}
	return fields(append(all, extra...)...)
}

var networkSpec = baseFields(
	f("Type"), policySpec,
	f("MacPool", f("Ranges", f("StartMacAddress"), f("EndMacAddress"))),
	dnsSpec,
	f("Ipams", f("Type"), f("Subnets",
		f("IpAddressPrefix"), f("Policies", f("Type"), f("Settings")), routeSpec,
		f("IpSubnets", f("IpAddressPrefix"), f("Flags"), f("Policies")), f("Flags"))),
	f("Flags"),
)

var endpointSpec = baseFields(
	f("HostComputeNetwork"), f("HostComputeNamespace"), policySpec,
	f("IpConfigurations", f("IpAddress"), f("PrefixLength"), f("IpSubnetId")),
	dnsSpec, routeSpec, f("MacAddress"), f("Flags"),
)

var namespaceSpec = baseFields(
	f("NamespaceId"), f("NamespaceGuid"), f("Type"),
	f("Resources", f("Type"), f("Data", f("ID"))), f("ReadyOnCreate"),
)

var loadBalancerSpec = baseFields(
	f("HostComputeNetwork"), f("HostComputeEndpoints"), f("SourceVIP"), f("FrontendVIPs"),
	f("PortMappings", f("Protocol"), f("InternalPort"), f("ExternalPort"), f("DistributionType"), f("Flags")),
	f("Flags"),
)

var sdnRouteItem = []*field{f("DestinationPrefix"), f("NextHop"), f("NeedEncap"), f("AutomaticEndpointMonitor")}

var routeDocSpec = baseFields(
	f("HostComputeNetwork"), f("HostComputeEndpoints"),
	f("Setting", sdnRouteItem...), f("Routes", sdnRouteItem...),
)

var gnsSpec = baseFields(
	f("VirtualMachineId"), f("MirroredInterfaces"), f("MirrorHostNetworking"),
	f("GnsRpcServerInformation"), f("Flags"),
)

var modifySpec = fields(f("ResourceType"), f("RequestType"), f("Settings"), f("ResourceUri"))

var querySpec = fields(schemaVersionSpec, f("Flags"), f("Filter"))

func specOf(k hcn.Kind) spec {
	switch k {
	case hcn.KindNetwork:
		return networkSpec
	case hcn.KindEndpoint:
		return endpointSpec
	case hcn.KindNamespace:
		return namespaceSpec
	case hcn.KindLoadBalancer:
		return loadBalancerSpec
	case hcn.KindSDNRoute:
		return routeDocSpec
	}
	return gnsSpec
}

// Enum names in wire order (the index is the numeric form).
var (
	networkTypes = []string{"NAT", "ICS", "Transparent", "L2Bridge", "L2Tunnel", "Overlay",
		"Private", "Internal", "Mirrored", "Infiniband", "ConstrainedICS"}
	ipamTypes      = []string{"Static", "Dhcp"}
	namespaceTypes = []string{"Host", "HostDefault", "Guest", "GuestDefault"}
	resourceTypes  = []string{"Container", "Endpoint"}
	requestTypes   = []string{"Add", "Remove", "Update", "Refresh", "Reset"}
	gnsStates      = []string{"None", "Created", "Bootstrapping", "Synchronized", "Paused",
		"Desynchronized", "Rehydrating", "Degraded", "Destroyed"}
)

// Policy types the service knows, per family.
var (
	networkPolicyTypes = []string{"SourceMacAddress", "NetAdapterName", "VSwitchExtension",
		"DrMacAddress", "AutomaticDNS", "InterfaceConstraint", "ProviderAddress",
		"RemoteSubnetRoute", "VxlanPort", "HostRoute", "SetPolicy", "L4Proxy",
		"LayerConstraint", "NetworkACL"}
	endpointPolicyTypes = []string{"PortMapping", "ACL", "QOS", "L2Driver", "OutBoundNAT",
		"SDNRoute", "L4Proxy", "L4WFPPROXY", "PortName", "EncapOverhead",
		"InterfaceConstraint", "ProviderAddress", "Iov", "TierAcl", "Encryption", "VLAN",
		"InterfaceParameters", "Firewall", "NetworkACL", "NetworkL4Proxy"}
	subnetPolicyTypes = []string{"VLAN", "VSID"}
)

// policyScopes records which objects each policy type applies to, written
// from Microsoft's hcn package (a type its NetworkPolicyType and
// EndpointPolicyType lists both name applies to both; SubnetPolicyType
// lists the subnet ones), the HNS schema and the wire-format notes. The
// emulator does not decide with it: the per-family lists above do, and
// they differ from it for NetworkACL and NetworkL4Proxy (see the tests).
// It is an oracle the tests hold the library's policy registry to.
var policyScopes = map[string][]string{
	"PortMapping":         {"endpoint"},
	"ACL":                 {"endpoint"},
	"QOS":                 {"endpoint"},
	"L2Driver":            {"endpoint"},
	"OutBoundNAT":         {"endpoint"},
	"SDNRoute":            {"endpoint"},
	"L4Proxy":             {"network", "endpoint"},
	"L4WFPPROXY":          {"endpoint"},
	"PortName":            {"endpoint"},
	"EncapOverhead":       {"endpoint"},
	"InterfaceConstraint": {"network", "endpoint"},
	"ProviderAddress":     {"network", "endpoint"},
	"Iov":                 {"endpoint"},
	"TierAcl":             {"endpoint"},
	"Encryption":          {"endpoint"},
	"VLAN":                {"endpoint", "subnet"},
	"VSID":                {"subnet"},
	"InterfaceParameters": {"endpoint"},
	"Firewall":            {"endpoint"},
	"SourceMacAddress":    {"network"},
	"NetAdapterName":      {"network"},
	"VSwitchExtension":    {"network"},
	"DrMacAddress":        {"network"},
	"AutomaticDNS":        {"network"},
	"RemoteSubnetRoute":   {"network"},
	"VxlanPort":           {"network"},
	"HostRoute":           {"network"},
	"SetPolicy":           {"network"},
	"NetworkACL":          {"network"},
	"NetworkL4Proxy":      {"network"},
	"LayerConstraint":     {"network"},
}
