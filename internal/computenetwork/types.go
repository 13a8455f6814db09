package computenetwork

// GUID mirrors the C GUID (Data1 little-endian uint32, Data2, Data3,
// Data4[8]): the REFGUID every Hcn* id parameter points to. It has the same
// layout as hcn.GUID, so the two convert directly.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// Handle is an opaque HCN handle (HCN_NETWORK, HCN_ENDPOINT, ...,
// HCN_CALLBACK, or a port reservation HANDLE): a void* the caller never
// dereferences.
type Handle uintptr

// PortRangeReservation mirrors HCN_PORT_RANGE_RESERVATION, the inclusive
// port range HcnReserveGuestNetworkServicePortRange fills in. Size 4.
type PortRangeReservation struct {
	StartingPort uint16
	EndingPort   uint16
}

// PortRangeEntry mirrors HCN_PORT_RANGE_ENTRY, one element of the array
// HcnEnumerateGuestNetworkPortReservations returns (freed with
// HcnFreeGuestNetworkPortReservations). Size 64, alignment 8; the padding
// after Protocol is explicit so the layout is the same on every
// architecture.
type PortRangeEntry struct {
	OwningPartitionID GUID
	TargetPartitionID GUID
	Protocol          uint32 // HCN_PORT_PROTOCOL
	_                 uint32 // padding before the 8-aligned Priority
	Priority          uint64
	ReservationType   uint32
	SharingFlags      uint32
	DeliveryMode      uint32
	StartingPort      uint16
	EndingPort        uint16
}

// HRESULT values the bindings' callers test for.
const (
	S_OK    = 0x00000000
	S_FALSE = 0x00000001
)
