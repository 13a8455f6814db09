//go:build windows

package hcn

import (
	"fmt"
	"unsafe"

	cn "github.com/hcnkit/hcn/internal/computenetwork"
)

// ReserveGuestNetworkServicePort is HcnReserveGuestNetworkServicePort.
func (s *hostService) ReserveGuestNetworkServicePort(gns Handle, protocol PortProtocol, access PortAccess, port uint16) (Handle, error) {
	const op = OpReserveGuestNetworkServicePort
	const kind = KindGuestNetworkService
	e, ok := s.handles.use(hostKind(kind), gns)
	if !ok {
		return 0, hostBadHandle(op, kind)
	}
	defer e.done()
	var raw cn.Handle
	r := cn.HcnReserveGuestNetworkServicePort(e.raw, uint32(protocol), uint32(access), port, &raw)
	return s.hostAdopt(op, kind, hostKindReservation, "", raw, 0, s.hostResult(op, kind, "", r, ""))
}

// ReserveGuestNetworkServicePortRange is
// HcnReserveGuestNetworkServicePortRange.
func (s *hostService) ReserveGuestNetworkServicePortRange(gns Handle, count uint16) (PortRange, Handle, error) {
	const op = OpReserveGuestNetworkServicePortRange
	const kind = KindGuestNetworkService
	e, ok := s.handles.use(hostKind(kind), gns)
	if !ok {
		return PortRange{}, 0, hostBadHandle(op, kind)
	}
	defer e.done()
	var raw cn.Handle
	var rr cn.PortRangeReservation
	r := cn.HcnReserveGuestNetworkServicePortRange(e.raw, count, &rr, &raw)
	h, err := s.hostAdopt(op, kind, hostKindReservation, "", raw, 0, s.hostResult(op, kind, "", r, ""))
	if err != nil {
		return PortRange{}, 0, err
	}
	return PortRange{Start: rr.StartingPort, End: rr.EndingPort}, h, nil
}

// ReleaseGuestNetworkServicePortReservation is
// HcnReleaseGuestNetworkServicePortReservationHandle; the reservation is
// released exactly once (releasing again reports E_HANDLE).
func (s *hostService) ReleaseGuestNetworkServicePortReservation(h Handle) error {
	const op = OpReleaseGuestNetworkServicePort
	e, ok := s.handles.remove(hostKindReservation, h)
	if !ok {
		return hostBadHandle(op, KindGuestNetworkService)
	}
	return s.hostResult(op, KindGuestNetworkService, "", cn.HcnReleaseGuestNetworkServicePortReservationHandle(e.raw), "")
}

// EnumerateGuestNetworkPortReservations is
// HcnEnumerateGuestNetworkPortReservations; the array is copied and freed
// with HcnFreeGuestNetworkPortReservations on every path.
func (s *hostService) EnumerateGuestNetworkPortReservations() ([]PortRangeEntry, error) {
	const op = OpEnumerateGuestNetworkPortReservations
	var count uint32
	var entries *cn.PortRangeEntry
	r := cn.HcnEnumerateGuestNetworkPortReservations(&count, &entries)
	var out []PortRangeEntry
	if entries != nil {
		for _, c := range unsafe.Slice(entries, count) {
			out = append(out, hostPortEntry(c))
		}
		if err := cn.HcnFreeGuestNetworkPortReservations(entries); err != nil {
			return nil, &Error{Op: OpFreeGuestNetworkPortReservations, Err: fmt.Errorf("%w: %v", ErrNotSupported, err)}
		}
	}
	if err := s.hostResult(op, KindGuestNetworkService, "", r, ""); err != nil {
		return nil, err
	}
	return out, nil
}

func hostPortEntry(c cn.PortRangeEntry) PortRangeEntry {
	return PortRangeEntry{
		OwningPartitionID: GUID(c.OwningPartitionID),
		TargetPartitionID: GUID(c.TargetPartitionID),
		Protocol:          PortProtocol(c.Protocol),
		Priority:          c.Priority,
		ReservationType:   c.ReservationType,
		SharingFlags:      c.SharingFlags,
		DeliveryMode:      c.DeliveryMode,
		StartingPort:      c.StartingPort,
		EndingPort:        c.EndingPort,
	}
}

// HNSCall is vmcompute.dll!HNSCall (HNS v1); the response is returned as
// the service wrote it (the {"Success","Error","Output"} envelope).
func (s *hostService) HNSCall(method, path, request string) (string, error) {
	const op = OpHNSCall
	m, err := hostUTF16(op, 0, path, "method", method)
	if err != nil {
		return "", err
	}
	p, err := hostUTF16(op, 0, path, "path", path)
	if err != nil {
		return "", err
	}
	q, err := hostUTF16(op, 0, path, "request", request)
	if err != nil {
		return "", err
	}
	var out hostOut
	r := cn.HNSCall(m, p, q, &out.result)
	resp, _ := out.take()
	if err := s.hostResult(op, 0, path, r, ""); err != nil {
		return "", err
	}
	return resp, nil
}
