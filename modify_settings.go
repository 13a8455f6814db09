package hcn

// Typed settings of modify requests, one per resource type, and the
// constructors of the requests. The shapes of Policy, Port, Endpoint,
// Container requests are the ones real clients send; DNS, Extension,
// Subnet, IPSubnet and State follow the schema's names, are not confirmed
// by a captured request, and keep any member they do not model.

// PolicyRequest is the Settings of a Policy request (network or
// endpoint): {"Policies": [...]}.
type PolicyRequest struct {
	// Policies are the policies to add, remove or update; the member is
	// always written.
	Policies []Policy `json:"Policies"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// ResourceType returns ResourcePolicy.
func (PolicyRequest) ResourceType() ResourceType { return ResourcePolicy }

func (r PolicyRequest) validate(v *validator, path string) {
	v.policies(at(path, "Policies"), r.Policies)
}

// DNSRequest is the Settings of a network DNS request: the DNS members.
type DNSRequest DNS

// ResourceType returns ResourceDNS.
func (DNSRequest) ResourceType() ResourceType { return ResourceDNS }

func (r DNSRequest) validate(v *validator, path string) {
	d := DNS(r)
	validateDNS(v, path, &d)
}

// ExtensionRequest is the Settings of a network Extension request: a
// switch extension by id (or name) and whether it is enabled, in the shape
// the service reports extensions.
type ExtensionRequest struct {
	// ID is the extension's GUID (wire "Id"); ids differ between hosts.
	ID string `json:"Id,omitempty"`
	// Name is the extension's name, e.g. "Microsoft Windows Filtering
	// Platform".
	Name string `json:"Name,omitempty"`
	// IsEnabled is whether the extension is to be enabled; always written.
	IsEnabled bool `json:"IsEnabled"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// ResourceType returns ResourceExtension.
func (ExtensionRequest) ResourceType() ResourceType { return ResourceExtension }

// SubnetRequest is the Settings of a network Subnet request (schema 2.6):
// the subnet's members.
type SubnetRequest Subnet

// ResourceType returns ResourceSubnet.
func (SubnetRequest) ResourceType() ResourceType { return ResourceSubnet }

func (r SubnetRequest) validate(v *validator, path string) {
	s := Subnet(r)
	validateSubnet(v, path, &s)
}

// IPSubnetRequest is the Settings of a network IPSubnet request (schema
// 2.6): the IP subnet's members.
type IPSubnetRequest IPSubnet

// ResourceType returns ResourceIPSubnet.
func (IPSubnetRequest) ResourceType() ResourceType { return ResourceIPSubnet }

func (r IPSubnetRequest) validate(v *validator, path string) {
	v.guid(at(path, "ID"), r.ID)
	v.prefix(at(path, "IpAddressPrefix"), r.IpAddressPrefix, true)
}

// EndpointPortRequest is the Settings of an endpoint Port request: attach
// the endpoint to a VM's switch port.
type EndpointPortRequest struct {
	// PortID is the GUID of the switch port to create (wire "PortId").
	PortID string `json:"PortId,omitempty"`
	// VirtualNicName is the name of the VM's network adapter for the port.
	VirtualNicName string `json:"VirtualNicName,omitempty"`
	// VirtualMachineID is the VM's GUID (wire "VirtualMachineId").
	VirtualMachineID string `json:"VirtualMachineId,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// ResourceType returns ResourcePort.
func (EndpointPortRequest) ResourceType() ResourceType { return ResourcePort }

func (r EndpointPortRequest) validate(v *validator, path string) {
	v.guid(at(path, "PortId"), r.PortID)
	v.guid(at(path, "VirtualMachineId"), r.VirtualMachineID)
}

// NamespaceEndpointRequest is the Settings of a namespace Endpoint
// request: {"EndpointId": "<bare lower-case guid>"}. The service rejects
// the braced upper-case form.
type NamespaceEndpointRequest struct {
	// EndpointID is the endpoint's GUID in the bare lower-case form (wire
	// "EndpointId").
	EndpointID ID `json:"EndpointId,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// ResourceType returns ResourceEndpoint.
func (NamespaceEndpointRequest) ResourceType() ResourceType { return ResourceEndpoint }

func (r NamespaceEndpointRequest) validate(v *validator, path string) {
	p := at(path, "EndpointId")
	g, err := ParseGUID(string(r.EndpointID))
	switch {
	case r.EndpointID == "":
		v.add(p, "", "required")
	case err != nil:
		v.add(p, string(r.EndpointID), "not a GUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
	case g.ID() != r.EndpointID:
		v.add(p, string(r.EndpointID), "the service wants the bare lower-case form "+g.String())
	}
}

// NamespaceContainerRequest is the Settings of a namespace Container
// request.
type NamespaceContainerRequest struct {
	// ContainerID is the container's id, free text (wire "ContainerId").
	ContainerID string `json:"ContainerId,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// ResourceType returns ResourceContainer.
func (NamespaceContainerRequest) ResourceType() ResourceType { return ResourceContainer }

func (r NamespaceContainerRequest) validate(v *validator, path string) {
	if r.ContainerID == "" {
		v.add(at(path, "ContainerId"), "", "required")
	}
}

// GuestNetworkServiceStateRequest is the Settings of a guest network
// service State request.
type GuestNetworkServiceStateRequest struct {
	// State is the state to move the service to (Created, Bootstrapping,
	// Synchronized, Paused, ...).
	State GuestNetworkServiceState `json:"State,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// ResourceType returns ResourceState.
func (GuestNetworkServiceStateRequest) ResourceType() ResourceType { return ResourceState }

func (r GuestNetworkServiceStateRequest) validate(v *validator, path string) {
	if knownName(string(r.State), gnsStateNames) == "" {
		v.add(at(path, "State"), string(r.State), "unknown guest network service state")
	}
}

// NewModifyRequest returns the request of type req carrying settings; its
// ResourceType is the settings' resource type.
func NewModifyRequest(req RequestType, settings ModifySettings) ModifyRequest {
	if isNilSettings(settings) {
		return ModifyRequest{RequestType: req}
	}
	return ModifyRequest{ResourceType: settings.ResourceType(), RequestType: req, Settings: settings}
}

// ModifyPolicies returns a Policy request for HcnModifyNetwork or
// HcnModifyEndpoint: add, remove or update (replace) policies.
func ModifyPolicies(req RequestType, policies ...Policy) ModifyRequest {
	return NewModifyRequest(req, &PolicyRequest{Policies: append([]Policy{}, policies...)})
}

// ModifyDNS returns a network DNS request for HcnModifyNetwork.
func ModifyDNS(req RequestType, dns DNS) ModifyRequest {
	r := DNSRequest(dns)
	return NewModifyRequest(req, &r)
}

// ModifyExtension returns a network Extension request for
// HcnModifyNetwork.
func ModifyExtension(req RequestType, ext ExtensionRequest) ModifyRequest {
	return NewModifyRequest(req, &ext)
}

// ModifySubnet returns a network Subnet request for HcnModifyNetwork
// (schema 2.6).
func ModifySubnet(req RequestType, s Subnet) ModifyRequest {
	r := SubnetRequest(s)
	return NewModifyRequest(req, &r)
}

// ModifyIPSubnet returns a network IPSubnet request for HcnModifyNetwork
// (schema 2.6).
func ModifyIPSubnet(req RequestType, s IPSubnet) ModifyRequest {
	r := IPSubnetRequest(s)
	return NewModifyRequest(req, &r)
}

// ModifyEndpointPort returns an endpoint Port request for
// HcnModifyEndpoint.
func ModifyEndpointPort(req RequestType, port EndpointPortRequest) ModifyRequest {
	return NewModifyRequest(req, &port)
}

// ModifyNamespaceEndpoint returns a namespace Endpoint request for
// HcnModifyNamespace (RequestAdd to put the endpoint in the namespace,
// RequestRemove to take it out), with the id in the bare lower-case form
// the service requires (an id that is not a GUID is kept as given, and
// Validate refuses it).
func ModifyNamespaceEndpoint(req RequestType, endpoint ID) ModifyRequest {
	return NewModifyRequest(req, &NamespaceEndpointRequest{EndpointID: endpoint.Canonical()})
}

// ModifyNamespaceContainer returns a namespace Container request for
// HcnModifyNamespace.
func ModifyNamespaceContainer(req RequestType, containerID string) ModifyRequest {
	return NewModifyRequest(req, &NamespaceContainerRequest{ContainerID: containerID})
}

// ModifyGuestNetworkServiceState returns a State request for
// HcnModifyGuestNetworkService.
func ModifyGuestNetworkServiceState(state GuestNetworkServiceState) ModifyRequest {
	return NewModifyRequest(RequestUpdate, &GuestNetworkServiceStateRequest{State: state})
}
