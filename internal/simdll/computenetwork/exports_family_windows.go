//go:build windows && cgo

package main

/*
#include <windows.h>
*/
import "C"

import "github.com/hcnkit/hcn"

// The seven-call families: HcnEnumerate<Kind>s, HcnCreate<Kind>,
// HcnOpen<Kind>, HcnModify<Kind>, HcnQuery<Kind>Properties,
// HcnDelete<Kind>, HcnClose<Kind>. Handles arrive as UINT_PTR, which has
// the ABI of the header's void* handle types.

//export HcnEnumerateNetworks
func HcnEnumerateNetworks(query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doEnumerate(hcn.KindNetwork, query, result, record)
}

//export HcnCreateNetwork
func HcnCreateNetwork(id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doCreate(hcn.KindNetwork, id, settings, out, record)
}

//export HcnOpenNetwork
func HcnOpenNetwork(id *C.GUID, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doOpen(hcn.KindNetwork, id, out, record)
}

//export HcnModifyNetwork
func HcnModifyNetwork(h C.UINT_PTR, settings *C.WCHAR, record **C.WCHAR) C.HRESULT {
	return doModify(hcn.KindNetwork, h, settings, record)
}

//export HcnQueryNetworkProperties
func HcnQueryNetworkProperties(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doQuery(hcn.KindNetwork, h, query, result, record)
}

//export HcnDeleteNetwork
func HcnDeleteNetwork(id *C.GUID, record **C.WCHAR) C.HRESULT {
	return doDelete(hcn.KindNetwork, id, record)
}

//export HcnCloseNetwork
func HcnCloseNetwork(h C.UINT_PTR) C.HRESULT {
	return doClose(hcn.KindNetwork, h)
}

//export HcnEnumerateEndpoints
func HcnEnumerateEndpoints(query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doEnumerate(hcn.KindEndpoint, query, result, record)
}

//export HcnCreateEndpoint
func HcnCreateEndpoint(network C.UINT_PTR, id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doCreateEndpoint(network, id, settings, out, record)
}

//export HcnOpenEndpoint
func HcnOpenEndpoint(id *C.GUID, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doOpen(hcn.KindEndpoint, id, out, record)
}

//export HcnModifyEndpoint
func HcnModifyEndpoint(h C.UINT_PTR, settings *C.WCHAR, record **C.WCHAR) C.HRESULT {
	return doModify(hcn.KindEndpoint, h, settings, record)
}

//export HcnQueryEndpointProperties
func HcnQueryEndpointProperties(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doQuery(hcn.KindEndpoint, h, query, result, record)
}

//export HcnDeleteEndpoint
func HcnDeleteEndpoint(id *C.GUID, record **C.WCHAR) C.HRESULT {
	return doDelete(hcn.KindEndpoint, id, record)
}

//export HcnCloseEndpoint
func HcnCloseEndpoint(h C.UINT_PTR) C.HRESULT {
	return doClose(hcn.KindEndpoint, h)
}

//export HcnEnumerateNamespaces
func HcnEnumerateNamespaces(query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doEnumerate(hcn.KindNamespace, query, result, record)
}

//export HcnCreateNamespace
func HcnCreateNamespace(id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doCreate(hcn.KindNamespace, id, settings, out, record)
}

//export HcnOpenNamespace
func HcnOpenNamespace(id *C.GUID, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doOpen(hcn.KindNamespace, id, out, record)
}

//export HcnModifyNamespace
func HcnModifyNamespace(h C.UINT_PTR, settings *C.WCHAR, record **C.WCHAR) C.HRESULT {
	return doModify(hcn.KindNamespace, h, settings, record)
}

//export HcnQueryNamespaceProperties
func HcnQueryNamespaceProperties(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doQuery(hcn.KindNamespace, h, query, result, record)
}

//export HcnDeleteNamespace
func HcnDeleteNamespace(id *C.GUID, record **C.WCHAR) C.HRESULT {
	return doDelete(hcn.KindNamespace, id, record)
}

//export HcnCloseNamespace
func HcnCloseNamespace(h C.UINT_PTR) C.HRESULT {
	return doClose(hcn.KindNamespace, h)
}

//export HcnEnumerateLoadBalancers
func HcnEnumerateLoadBalancers(query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doEnumerate(hcn.KindLoadBalancer, query, result, record)
}

//export HcnCreateLoadBalancer
func HcnCreateLoadBalancer(id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doCreate(hcn.KindLoadBalancer, id, settings, out, record)
}

//export HcnOpenLoadBalancer
func HcnOpenLoadBalancer(id *C.GUID, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doOpen(hcn.KindLoadBalancer, id, out, record)
}

//export HcnModifyLoadBalancer
func HcnModifyLoadBalancer(h C.UINT_PTR, settings *C.WCHAR, record **C.WCHAR) C.HRESULT {
	return doModify(hcn.KindLoadBalancer, h, settings, record)
}

//export HcnQueryLoadBalancerProperties
func HcnQueryLoadBalancerProperties(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doQuery(hcn.KindLoadBalancer, h, query, result, record)
}

//export HcnDeleteLoadBalancer
func HcnDeleteLoadBalancer(id *C.GUID, record **C.WCHAR) C.HRESULT {
	return doDelete(hcn.KindLoadBalancer, id, record)
}

//export HcnCloseLoadBalancer
func HcnCloseLoadBalancer(h C.UINT_PTR) C.HRESULT {
	return doClose(hcn.KindLoadBalancer, h)
}

//export HcnEnumerateSdnRoutes
func HcnEnumerateSdnRoutes(query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doEnumerate(hcn.KindSDNRoute, query, result, record)
}

//export HcnCreateSdnRoute
func HcnCreateSdnRoute(id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doCreate(hcn.KindSDNRoute, id, settings, out, record)
}

//export HcnOpenSdnRoute
func HcnOpenSdnRoute(id *C.GUID, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doOpen(hcn.KindSDNRoute, id, out, record)
}

//export HcnModifySdnRoute
func HcnModifySdnRoute(h C.UINT_PTR, settings *C.WCHAR, record **C.WCHAR) C.HRESULT {
	return doModify(hcn.KindSDNRoute, h, settings, record)
}

//export HcnQuerySdnRouteProperties
func HcnQuerySdnRouteProperties(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doQuery(hcn.KindSDNRoute, h, query, result, record)
}

//export HcnDeleteSdnRoute
func HcnDeleteSdnRoute(id *C.GUID, record **C.WCHAR) C.HRESULT {
	return doDelete(hcn.KindSDNRoute, id, record)
}

//export HcnCloseSdnRoute
func HcnCloseSdnRoute(h C.UINT_PTR) C.HRESULT {
	return doClose(hcn.KindSDNRoute, h)
}

//export HcnEnumerateGuestNetworkServices
func HcnEnumerateGuestNetworkServices(query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doEnumerate(hcn.KindGuestNetworkService, query, result, record)
}

//export HcnCreateGuestNetworkService
func HcnCreateGuestNetworkService(id *C.GUID, settings *C.WCHAR, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doCreate(hcn.KindGuestNetworkService, id, settings, out, record)
}

//export HcnOpenGuestNetworkService
func HcnOpenGuestNetworkService(id *C.GUID, out *C.HANDLE, record **C.WCHAR) C.HRESULT {
	return doOpen(hcn.KindGuestNetworkService, id, out, record)
}

//export HcnModifyGuestNetworkService
func HcnModifyGuestNetworkService(h C.UINT_PTR, settings *C.WCHAR, record **C.WCHAR) C.HRESULT {
	return doModify(hcn.KindGuestNetworkService, h, settings, record)
}

//export HcnQueryGuestNetworkServiceProperties
func HcnQueryGuestNetworkServiceProperties(h C.UINT_PTR, query *C.WCHAR, result, record **C.WCHAR) C.HRESULT {
	return doQuery(hcn.KindGuestNetworkService, h, query, result, record)
}

//export HcnDeleteGuestNetworkService
func HcnDeleteGuestNetworkService(id *C.GUID, record **C.WCHAR) C.HRESULT {
	return doDelete(hcn.KindGuestNetworkService, id, record)
}

//export HcnCloseGuestNetworkService
func HcnCloseGuestNetworkService(h C.UINT_PTR) C.HRESULT {
	return doClose(hcn.KindGuestNetworkService, h)
}
