//go:build windows

package computenetwork

// The HCN v2 C API, header ComputeNetwork.h, DLL computenetwork.dll:
// https://learn.microsoft.com/virtualization/api/hcn/Reference/hcn-reference
//
// Every line ends in "?": the export is resolved before the call, so a
// missing export (an older host, or the SdnRoute and GuestNetworkService
// Enumerate/Open/Query calls, which are exported but not in the public
// header) returns a *windows.DLLError instead of panicking. hr is the
// HRESULT as a syscall.Errno when it is not S_OK (S_FALSE included).
//
// Regenerate zsyscall_windows.go with scripts/generate.sh.

// Network family.

//sys HcnEnumerateNetworks(query *uint16, networks **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnEnumerateNetworks?
//sys HcnCreateNetwork(id *GUID, settings *uint16, network *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnCreateNetwork?
//sys HcnOpenNetwork(id *GUID, network *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnOpenNetwork?
//sys HcnModifyNetwork(network Handle, settings *uint16, errorRecord **uint16) (hr error) = computenetwork.HcnModifyNetwork?
//sys HcnQueryNetworkProperties(network Handle, query *uint16, properties **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQueryNetworkProperties?
//sys HcnDeleteNetwork(id *GUID, errorRecord **uint16) (hr error) = computenetwork.HcnDeleteNetwork?
//sys HcnCloseNetwork(network Handle) (hr error) = computenetwork.HcnCloseNetwork?

// Endpoint family.

//sys HcnEnumerateEndpoints(query *uint16, endpoints **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnEnumerateEndpoints?
//sys HcnCreateEndpoint(network Handle, id *GUID, settings *uint16, endpoint *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnCreateEndpoint?
//sys HcnOpenEndpoint(id *GUID, endpoint *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnOpenEndpoint?
//sys HcnModifyEndpoint(endpoint Handle, settings *uint16, errorRecord **uint16) (hr error) = computenetwork.HcnModifyEndpoint?
//sys HcnQueryEndpointProperties(endpoint Handle, query *uint16, properties **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQueryEndpointProperties?
//sys HcnDeleteEndpoint(id *GUID, errorRecord **uint16) (hr error) = computenetwork.HcnDeleteEndpoint?
//sys HcnCloseEndpoint(endpoint Handle) (hr error) = computenetwork.HcnCloseEndpoint?

// Namespace family.

//sys HcnEnumerateNamespaces(query *uint16, namespaces **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnEnumerateNamespaces?
//sys HcnCreateNamespace(id *GUID, settings *uint16, namespace *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnCreateNamespace?
//sys HcnOpenNamespace(id *GUID, namespace *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnOpenNamespace?
//sys HcnModifyNamespace(namespace Handle, settings *uint16, errorRecord **uint16) (hr error) = computenetwork.HcnModifyNamespace?
//sys HcnQueryNamespaceProperties(namespace Handle, query *uint16, properties **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQueryNamespaceProperties?
//sys HcnDeleteNamespace(id *GUID, errorRecord **uint16) (hr error) = computenetwork.HcnDeleteNamespace?
//sys HcnCloseNamespace(namespace Handle) (hr error) = computenetwork.HcnCloseNamespace?

// LoadBalancer family.

//sys HcnEnumerateLoadBalancers(query *uint16, loadBalancers **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnEnumerateLoadBalancers?
//sys HcnCreateLoadBalancer(id *GUID, settings *uint16, loadBalancer *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnCreateLoadBalancer?
//sys HcnOpenLoadBalancer(id *GUID, loadBalancer *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnOpenLoadBalancer?
//sys HcnModifyLoadBalancer(loadBalancer Handle, settings *uint16, errorRecord **uint16) (hr error) = computenetwork.HcnModifyLoadBalancer?
//sys HcnQueryLoadBalancerProperties(loadBalancer Handle, query *uint16, properties **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQueryLoadBalancerProperties?
//sys HcnDeleteLoadBalancer(id *GUID, errorRecord **uint16) (hr error) = computenetwork.HcnDeleteLoadBalancer?
//sys HcnCloseLoadBalancer(loadBalancer Handle) (hr error) = computenetwork.HcnCloseLoadBalancer?

// SdnRoute family.

//sys HcnEnumerateSdnRoutes(query *uint16, sdnRoutes **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnEnumerateSdnRoutes?
//sys HcnCreateSdnRoute(id *GUID, settings *uint16, sdnRoute *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnCreateSdnRoute?
//sys HcnOpenSdnRoute(id *GUID, sdnRoute *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnOpenSdnRoute?
//sys HcnModifySdnRoute(sdnRoute Handle, settings *uint16, errorRecord **uint16) (hr error) = computenetwork.HcnModifySdnRoute?
//sys HcnQuerySdnRouteProperties(sdnRoute Handle, query *uint16, properties **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQuerySdnRouteProperties?
//sys HcnDeleteSdnRoute(id *GUID, errorRecord **uint16) (hr error) = computenetwork.HcnDeleteSdnRoute?
//sys HcnCloseSdnRoute(sdnRoute Handle) (hr error) = computenetwork.HcnCloseSdnRoute?

// GuestNetworkService family.

//sys HcnEnumerateGuestNetworkServices(query *uint16, guestNetworkServices **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnEnumerateGuestNetworkServices?
//sys HcnCreateGuestNetworkService(id *GUID, settings *uint16, guestNetworkService *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnCreateGuestNetworkService?
//sys HcnOpenGuestNetworkService(id *GUID, guestNetworkService *Handle, errorRecord **uint16) (hr error) = computenetwork.HcnOpenGuestNetworkService?
//sys HcnModifyGuestNetworkService(guestNetworkService Handle, settings *uint16, errorRecord **uint16) (hr error) = computenetwork.HcnModifyGuestNetworkService?
//sys HcnQueryGuestNetworkServiceProperties(guestNetworkService Handle, query *uint16, properties **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQueryGuestNetworkServiceProperties?
//sys HcnDeleteGuestNetworkService(id *GUID, errorRecord **uint16) (hr error) = computenetwork.HcnDeleteGuestNetworkService?
//sys HcnCloseGuestNetworkService(guestNetworkService Handle) (hr error) = computenetwork.HcnCloseGuestNetworkService?

// Endpoint statistics and addresses (SDK metadata "added in NI"; older
// hosts lack them and answer only HNSCall GET /endpointstats/<id>).

//sys HcnQueryEndpointStats(endpoint Handle, query *uint16, stats **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQueryEndpointStats?
//sys HcnQueryEndpointAddresses(endpoint Handle, query *uint16, addresses **uint16, errorRecord **uint16) (hr error) = computenetwork.HcnQueryEndpointAddresses?

// Notifications. callback is an HCN_NOTIFICATION_CALLBACK made with
// syscall.NewCallback; context is passed back to it unchanged.

//sys HcnRegisterServiceCallback(callback uintptr, context uintptr, callbackHandle *Handle) (hr error) = computenetwork.HcnRegisterServiceCallback?
//sys HcnUnregisterServiceCallback(callbackHandle Handle) (hr error) = computenetwork.HcnUnregisterServiceCallback?
//sys HcnRegisterGuestNetworkServiceCallback(guestNetworkService Handle, callback uintptr, context uintptr, callbackHandle *Handle) (hr error) = computenetwork.HcnRegisterGuestNetworkServiceCallback?
//sys HcnUnregisterGuestNetworkServiceCallback(callbackHandle Handle) (hr error) = computenetwork.HcnUnregisterGuestNetworkServiceCallback?

// Guest network service port reservations.

//sys HcnReserveGuestNetworkServicePort(guestNetworkService Handle, protocol uint32, access uint32, port uint16, portReservationHandle *Handle) (hr error) = computenetwork.HcnReserveGuestNetworkServicePort?
//sys HcnReserveGuestNetworkServicePortRange(guestNetworkService Handle, portCount uint16, portRangeReservation *PortRangeReservation, portReservationHandle *Handle) (hr error) = computenetwork.HcnReserveGuestNetworkServicePortRange?
//sys HcnReleaseGuestNetworkServicePortReservationHandle(portReservationHandle Handle) (hr error) = computenetwork.HcnReleaseGuestNetworkServicePortReservationHandle?
//sys HcnEnumerateGuestNetworkPortReservations(returnCount *uint32, portEntries **PortRangeEntry) (hr error) = computenetwork.HcnEnumerateGuestNetworkPortReservations?
//sys HcnFreeGuestNetworkPortReservations(portEntries *PortRangeEntry) = computenetwork.HcnFreeGuestNetworkPortReservations?

// HNS v1, vmcompute.dll. response is CoTaskMem, like every HCN out string.

//sys HNSCall(method *uint16, path *uint16, request *uint16, response **uint16) (hr error) = vmcompute.HNSCall?
