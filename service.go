package hcn

import "fmt"

// NotificationType is an HCN_NOTIFICATIONS value. The upper four bits are
// flags; use Base to switch on the type.
type NotificationType uint32

// Notification types (HCN_NOTIFICATIONS).
const (
	NotificationInvalid                                  NotificationType = 0x00000000
	NotificationNetworkPreCreate                         NotificationType = 0x00000001
	NotificationNetworkCreate                            NotificationType = 0x00000002
	NotificationNetworkPreDelete                         NotificationType = 0x00000003
	NotificationNetworkDelete                            NotificationType = 0x00000004
	NotificationNamespaceCreate                          NotificationType = 0x00000005
	NotificationNamespaceDelete                          NotificationType = 0x00000006
	NotificationGuestNetworkServiceCreate                NotificationType = 0x00000007
	NotificationGuestNetworkServiceDelete                NotificationType = 0x00000008
	NotificationNetworkEndpointAttached                  NotificationType = 0x00000009
	NotificationNetworkEndpointDetached                  NotificationType = 0x00000010
	NotificationGuestNetworkServiceStateChanged          NotificationType = 0x00000011
	NotificationGuestNetworkServiceInterfaceStateChanged NotificationType = 0x00000012
	NotificationServiceDisconnect                        NotificationType = 0x01000000

	// NotificationFlagsMask covers the reserved flag bits.
	NotificationFlagsMask NotificationType = 0xF0000000
)

// Base returns the type with the flag bits masked off.
func (t NotificationType) Base() NotificationType { return t &^ NotificationFlagsMask }

var notificationNames = map[NotificationType]string{
	NotificationInvalid:                                  "Invalid",
	NotificationNetworkPreCreate:                         "NetworkPreCreate",
	NotificationNetworkCreate:                            "NetworkCreate",
	NotificationNetworkPreDelete:                         "NetworkPreDelete",
	NotificationNetworkDelete:                            "NetworkDelete",
	NotificationNamespaceCreate:                          "NamespaceCreate",
	NotificationNamespaceDelete:                          "NamespaceDelete",
	NotificationGuestNetworkServiceCreate:                "GuestNetworkServiceCreate",
	NotificationGuestNetworkServiceDelete:                "GuestNetworkServiceDelete",
	NotificationNetworkEndpointAttached:                  "NetworkEndpointAttached",
	NotificationNetworkEndpointDetached:                  "NetworkEndpointDetached",
	NotificationGuestNetworkServiceStateChanged:          "GuestNetworkServiceStateChanged",
	NotificationGuestNetworkServiceInterfaceStateChanged: "GuestNetworkServiceInterfaceStateChanged",
	NotificationServiceDisconnect:                        "ServiceDisconnect",
}

// String names the type ("NetworkCreate"); flag bits are shown in hex.
func (t NotificationType) String() string {
	name, ok := notificationNames[t.Base()]
	if !ok {
		name = fmt.Sprintf("Notification(0x%X)", uint32(t.Base()))
	}
	if f := t & NotificationFlagsMask; f != 0 {
		name += fmt.Sprintf("|0x%08X", uint32(f))
	}
	return name
}

// NotificationFunc receives a service notification: its type, status and
// JSON payload (`{"ID":"<guid>","Flags":<uint32>,"Data":...}`, possibly
// empty). Implementations call it off the OS callback thread, one call at a
// time per registration.
type NotificationFunc func(typ NotificationType, status HRESULT, data string)

// PortProtocol is HCN_PORT_PROTOCOL.
type PortProtocol uint32

// Port protocols.
const (
	PortProtocolTCP  PortProtocol = 1
	PortProtocolUDP  PortProtocol = 2
	PortProtocolBoth PortProtocol = 3
)

// String returns "TCP", "UDP", "Both" or the number.
func (p PortProtocol) String() string {
	switch p {
	case PortProtocolTCP:
		return "TCP"
	case PortProtocolUDP:
		return "UDP"
	case PortProtocolBoth:
		return "Both"
	}
	return fmt.Sprintf("PortProtocol(%d)", uint32(p))
}

// PortAccess is HCN_PORT_ACCESS.
type PortAccess uint32

// Port access modes.
const (
	PortAccessExclusive PortAccess = 1
	PortAccessShared    PortAccess = 2
)

// String returns "Exclusive", "Shared" or the number.
func (a PortAccess) String() string {
	switch a {
	case PortAccessExclusive:
		return "Exclusive"
	case PortAccessShared:
		return "Shared"
	}
	return fmt.Sprintf("PortAccess(%d)", uint32(a))
}

// PortRange is HCN_PORT_RANGE_RESERVATION: an inclusive range of ports.
type PortRange struct {
	// Start is the first port.
	Start uint16
	// End is the last port (inclusive).
	End uint16
}

// PortRangeEntry is HCN_PORT_RANGE_ENTRY: one reservation as
// HcnEnumerateGuestNetworkPortReservations reports it.
type PortRangeEntry struct {
	// OwningPartitionID is the partition that holds the reservation
	// (OwningPartitionId; undocumented beyond its name).
	OwningPartitionID GUID
	// TargetPartitionID is the partition the ports are reserved for
	// (TargetPartitionId; undocumented beyond its name).
	TargetPartitionID GUID
	// Protocol is TCP, UDP or both (HCN_PORT_PROTOCOL).
	Protocol PortProtocol
	// Priority is the reservation's priority; undocumented.
	Priority uint64
	// ReservationType is a number the header does not explain.
	ReservationType uint32
	// SharingFlags are bits the header does not explain.
	SharingFlags uint32
	// DeliveryMode is a number the header does not explain.
	DeliveryMode uint32
	// StartingPort is the first reserved port.
	StartingPort uint16
	// EndingPort is the last reserved port (inclusive).
	EndingPort uint16
}

// Service is the seam between the typed library and an implementation of
// the HCN service: it mirrors computenetwork.dll call for call. Each method
// is one HCN function; documents cross it as JSON text, objects as opaque
// handles, and failures as *Error values carrying the HRESULT and the parsed
// error record exactly as the service gave them.
//
// Implementations: the host service over computenetwork.dll (Windows,
// NewHostService), hcnsim (an emulator on any OS), and test doubles. All must
// be safe for concurrent use. Methods do not take a context: the DLL's calls
// cannot be cancelled; the Client layers cancellation on top.
//
// A kind-generic method on a kind that the DLL has no such function for
// (Create on KindEndpoint: use CreateEndpoint) fails with ErrInvalid.
type Service interface {
	// Enumerate is HcnEnumerate<Kind>s: the ids matching query (HCN query
	// JSON, may be empty) as a JSON array of GUID strings.
	Enumerate(kind Kind, query string) (string, error)
	// Create is HcnCreate<Kind> for every kind but endpoints. id may be
	// NilGUID for a service-assigned id.
	Create(kind Kind, id GUID, settings string) (Handle, error)
	// CreateEndpoint is HcnCreateEndpoint: network is an open network handle.
	CreateEndpoint(network Handle, id GUID, settings string) (Handle, error)
	// Open is HcnOpen<Kind>.
	Open(kind Kind, id GUID) (Handle, error)
	// Modify is HcnModify<Kind>; settings is a modify request (or, for load
	// balancers, the whole document).
	Modify(kind Kind, h Handle, settings string) error
	// Query is HcnQuery<Kind>Properties.
	Query(kind Kind, h Handle, query string) (string, error)
	// Delete is HcnDelete<Kind>.
	Delete(kind Kind, id GUID) error
	// Close is HcnClose<Kind>. Closing never deletes.
	Close(kind Kind, h Handle) error

	// QueryEndpointStats is HcnQueryEndpointStats.
	QueryEndpointStats(endpoint Handle, query string) (string, error)
	// QueryEndpointAddresses is HcnQueryEndpointAddresses.
	QueryEndpointAddresses(endpoint Handle, query string) (string, error)

	// RegisterServiceCallback is HcnRegisterServiceCallback.
	RegisterServiceCallback(fn NotificationFunc) (Handle, error)
	// UnregisterServiceCallback is HcnUnregisterServiceCallback; when it
	// returns, no call of the callback is in flight and none will follow.
	UnregisterServiceCallback(h Handle) error
	// RegisterGuestNetworkServiceCallback is HcnRegisterGuestNetworkServiceCallback.
	RegisterGuestNetworkServiceCallback(gns Handle, fn NotificationFunc) (Handle, error)
	// UnregisterGuestNetworkServiceCallback is HcnUnregisterGuestNetworkServiceCallback.
	UnregisterGuestNetworkServiceCallback(h Handle) error

	// ReserveGuestNetworkServicePort is HcnReserveGuestNetworkServicePort.
	ReserveGuestNetworkServicePort(gns Handle, protocol PortProtocol, access PortAccess, port uint16) (Handle, error)
	// ReserveGuestNetworkServicePortRange is
	// HcnReserveGuestNetworkServicePortRange: count consecutive ports.
	ReserveGuestNetworkServicePortRange(gns Handle, count uint16) (PortRange, Handle, error)
	// ReleaseGuestNetworkServicePortReservation is
	// HcnReleaseGuestNetworkServicePortReservationHandle.
	ReleaseGuestNetworkServicePortReservation(h Handle) error
	// EnumerateGuestNetworkPortReservations is
	// HcnEnumerateGuestNetworkPortReservations (the array is copied and
	// freed with HcnFreeGuestNetworkPortReservations).
	EnumerateGuestNetworkPortReservations() ([]PortRangeEntry, error)

	// HNSCall is vmcompute.dll's HNSCall (HNS v1): method ("GET", "POST",
	// ...), path ("/globals/version") and request body; the response is
	// the v1 envelope {"Success":bool,"Error":string,"Output":...}.
	HNSCall(method, path, request string) (string, error)
}
