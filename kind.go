package hcn

import "fmt"

// The shared vocabulary of the Service seam: the object families (Kind), the
// handles the service hands out (Handle) and the names of its operations.
// Errors, fault injection (hcnsim.InjectFault) and call counters all name an
// operation by the C function it stands for; the constants below are the one
// spelling of those names.

// Kind names an HCN object family.
type Kind uint8

// The object families of the HCN API.
const (
	KindNetwork Kind = iota + 1
	KindEndpoint
	KindNamespace
	KindLoadBalancer
	KindSDNRoute
	KindGuestNetworkService
)

// Kinds lists every object family, in the order above.
var Kinds = []Kind{KindNetwork, KindEndpoint, KindNamespace, KindLoadBalancer, KindSDNRoute, KindGuestNetworkService}

var kindNames = [...]struct{ text, api string }{
	KindNetwork:             {"network", "Network"},
	KindEndpoint:            {"endpoint", "Endpoint"},
	KindNamespace:           {"namespace", "Namespace"},
	KindLoadBalancer:        {"loadbalancer", "LoadBalancer"},
	KindSDNRoute:            {"sdnroute", "SdnRoute"},
	KindGuestNetworkService: {"guestnetworkservice", "GuestNetworkService"},
}

// Valid reports whether k is one of the object families.
func (k Kind) Valid() bool { return k >= KindNetwork && k <= KindGuestNetworkService }

// String returns the lower-case name ("network", "loadbalancer", ...).
func (k Kind) String() string {
	if !k.Valid() {
		return fmt.Sprintf("kind(%d)", uint8(k))
	}
	return kindNames[k].text
}

// API returns the family's name as the HCN functions spell it ("Network",
// "SdnRoute", "GuestNetworkService").
func (k Kind) API() string {
	if !k.Valid() {
		return k.String()
	}
	return kindNames[k].api
}

// ParseKind parses a kind name as String or API return it, in any case;
// plural forms ("networks") are accepted too.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		for _, n := range []string{kindNames[k].text, kindNames[k].api} {
			if equalFoldASCII(s, n) || equalFoldASCII(s, n+"s") {
				return k, nil
			}
		}
	}
	switch {
	case equalFoldASCII(s, "route"), equalFoldASCII(s, "routes"):
		return KindSDNRoute, nil
	case equalFoldASCII(s, "gns"):
		return KindGuestNetworkService, nil
	}
	return 0, fmt.Errorf("hcn: %w: unknown object kind %q", ErrInvalid, s)
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Op verbs, used to name HCN functions in errors.
const (
	VerbEnumerate = "Enumerate"
	VerbCreate    = "Create"
	VerbOpen      = "Open"
	VerbModify    = "Modify"
	VerbQuery     = "Query"
	VerbDelete    = "Delete"
	VerbClose     = "Close"
)

// OpName returns the HCN function for a verb on a family:
// OpName(VerbCreate, KindNetwork) is "HcnCreateNetwork",
// OpName(VerbEnumerate, KindSDNRoute) is "HcnEnumerateSdnRoutes",
// OpName(VerbQuery, KindEndpoint) is "HcnQueryEndpointProperties".
func OpName(verb string, k Kind) string {
	switch verb {
	case VerbEnumerate:
		return "HcnEnumerate" + k.API() + "s"
	case VerbQuery:
		return "HcnQuery" + k.API() + "Properties"
	}
	return "Hcn" + verb + k.API()
}

// Handle is an opaque handle to an open service object (HCN_NETWORK,
// HCN_ENDPOINT, ...), a callback registration (HCN_CALLBACK) or a port
// reservation. Zero is never a valid handle.
type Handle uintptr

// The operations of the six object families, named as the C functions
// (OpName computes the same names from a verb and a Kind).
const (
	// The Network family.
	OpEnumerateNetworks = "HcnEnumerateNetworks"
	OpCreateNetwork     = "HcnCreateNetwork"
	OpOpenNetwork       = "HcnOpenNetwork"
	OpModifyNetwork     = "HcnModifyNetwork"
	OpQueryNetwork      = "HcnQueryNetworkProperties"
	OpDeleteNetwork     = "HcnDeleteNetwork"
	OpCloseNetwork      = "HcnCloseNetwork"
	// The Endpoint family.
	OpEnumerateEndpoints = "HcnEnumerateEndpoints"
	OpCreateEndpoint     = "HcnCreateEndpoint"
	OpOpenEndpoint       = "HcnOpenEndpoint"
	OpModifyEndpoint     = "HcnModifyEndpoint"
	OpQueryEndpoint      = "HcnQueryEndpointProperties"
	OpDeleteEndpoint     = "HcnDeleteEndpoint"
	OpCloseEndpoint      = "HcnCloseEndpoint"
	// The Namespace family.
	OpEnumerateNamespaces = "HcnEnumerateNamespaces"
	OpCreateNamespace     = "HcnCreateNamespace"
	OpOpenNamespace       = "HcnOpenNamespace"
	OpModifyNamespace     = "HcnModifyNamespace"
	OpQueryNamespace      = "HcnQueryNamespaceProperties"
	OpDeleteNamespace     = "HcnDeleteNamespace"
	OpCloseNamespace      = "HcnCloseNamespace"
	// The LoadBalancer family.
	OpEnumerateLoadBalancers = "HcnEnumerateLoadBalancers"
	OpCreateLoadBalancer     = "HcnCreateLoadBalancer"
	OpOpenLoadBalancer       = "HcnOpenLoadBalancer"
	OpModifyLoadBalancer     = "HcnModifyLoadBalancer"
	OpQueryLoadBalancer      = "HcnQueryLoadBalancerProperties"
	OpDeleteLoadBalancer     = "HcnDeleteLoadBalancer"
	OpCloseLoadBalancer      = "HcnCloseLoadBalancer"
	// The SdnRoute family.
	OpEnumerateSDNRoutes = "HcnEnumerateSdnRoutes"
	OpCreateSDNRoute     = "HcnCreateSdnRoute"
	OpOpenSDNRoute       = "HcnOpenSdnRoute"
	OpModifySDNRoute     = "HcnModifySdnRoute"
	OpQuerySDNRoute      = "HcnQuerySdnRouteProperties"
	OpDeleteSDNRoute     = "HcnDeleteSdnRoute"
	OpCloseSDNRoute      = "HcnCloseSdnRoute"
	// The GuestNetworkService family.
	OpEnumerateGuestNetworkServices = "HcnEnumerateGuestNetworkServices"
	OpCreateGuestNetworkService     = "HcnCreateGuestNetworkService"
	OpOpenGuestNetworkService       = "HcnOpenGuestNetworkService"
	OpModifyGuestNetworkService     = "HcnModifyGuestNetworkService"
	OpQueryGuestNetworkService      = "HcnQueryGuestNetworkServiceProperties"
	OpDeleteGuestNetworkService     = "HcnDeleteGuestNetworkService"
	OpCloseGuestNetworkService      = "HcnCloseGuestNetworkService"
)

// The operations outside the six families' seven calls.
const (
	OpQueryEndpointStats                    = "HcnQueryEndpointStats"
	OpQueryEndpointAddresses                = "HcnQueryEndpointAddresses"
	OpRegisterServiceCallback               = "HcnRegisterServiceCallback"
	OpUnregisterServiceCallback             = "HcnUnregisterServiceCallback"
	OpRegisterGuestNetworkServiceCallback   = "HcnRegisterGuestNetworkServiceCallback"
	OpUnregisterGuestNetworkServiceCallback = "HcnUnregisterGuestNetworkServiceCallback"
	OpReserveGuestNetworkServicePort        = "HcnReserveGuestNetworkServicePort"
	OpReserveGuestNetworkServicePortRange   = "HcnReserveGuestNetworkServicePortRange"
	OpReleaseGuestNetworkServicePort        = "HcnReleaseGuestNetworkServicePortReservationHandle"
	OpEnumerateGuestNetworkPortReservations = "HcnEnumerateGuestNetworkPortReservations"
	OpFreeGuestNetworkPortReservations      = "HcnFreeGuestNetworkPortReservations"
	// OpHNSCall is HNS v1's JSON-over-RPC entry point (vmcompute.dll).
	OpHNSCall = "HNSCall"
)
