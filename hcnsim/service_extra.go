package hcnsim

import (
	"encoding/json"

	"github.com/hcnkit/hcn"
)

// endpointCall runs a read-only call on an open endpoint handle.
func (s *Sim) endpointCall(op string, h hcn.Handle, query string, fn func(*object) string) (string, error) {
	if err := s.begin(op); err != nil {
		return "", toError(op, hcn.KindEndpoint, "", err)
	}
	e, ok := s.handles.get(h, HandleEndpoint)
	if !ok {
		return "", toError(op, hcn.KindEndpoint, "", fail(hcn.E_HANDLE, ""))
	}
	if _, err := parseQuery(query); err != nil {
		return "", toError(op, hcn.KindEndpoint, e.id.String(), err)
	}
	var out string
	err := s.read(func(st *state) error {
		o, err := st.lookup(hcn.KindEndpoint, e.id)
		if err == nil {
			out = fn(o)
		}
		return err
	})
	return out, toError(op, hcn.KindEndpoint, e.id.String(), err)
}

// QueryEndpointStats is HcnQueryEndpointStats: every counter (zeros
// included), EndpointId and InstanceId.
func (s *Sim) QueryEndpointStats(endpoint hcn.Handle, query string) (string, error) {
	return s.endpointCall(hcn.OpQueryEndpointStats, endpoint, query, statsJSON)
}

func statsJSON(o *object) string {
	b, _ := json.Marshal(struct {
		EndpointStats
		EndpointId string
		InstanceId string
	}{o.ep.stats, o.id.String(), o.ep.instance.String()})
	return string(b)
}

// QueryEndpointAddresses is HcnQueryEndpointAddresses:
// {"IpAddresses":[{"IpAddress":..,"PrefixLength":..}],"MacAddress":..}.
func (s *Sim) QueryEndpointAddresses(endpoint hcn.Handle, query string) (string, error) {
	return s.endpointCall(hcn.OpQueryEndpointAddresses, endpoint, query, func(o *object) string {
		out := obj{"IpAddresses": ipConfigDoc(o.ep)}
		if o.ep.hasMAC {
			out["MacAddress"] = formatMAC(o.ep.mac)
		}
		return marshal(out)
	})
}

// RegisterServiceCallback is HcnRegisterServiceCallback. Notifications are
// delivered asynchronously, in order, one call at a time.
func (s *Sim) RegisterServiceCallback(fn hcn.NotificationFunc) (hcn.Handle, error) {
	op := hcn.OpRegisterServiceCallback
	if err := s.begin(op); err != nil {
		return 0, toError(op, 0, "", err)
	}
	if fn == nil {
		return 0, toError(op, 0, "", fail(hcn.E_POINTER, "nil callback"))
	}
	r := s.notify.register(fn, hcn.GUID{})
	return s.handles.open(&handleEntry{kind: HandleServiceCallback, reg: r}), nil
}

// UnregisterServiceCallback is HcnUnregisterServiceCallback; it waits for
// a call in flight. It must not be called from within the callback.
func (s *Sim) UnregisterServiceCallback(h hcn.Handle) error {
	return s.unregister(hcn.OpUnregisterServiceCallback, h, HandleServiceCallback)
}

func (s *Sim) unregister(op string, h hcn.Handle, k HandleKind) error {
	if err := s.begin(op); err != nil {
		return toError(op, 0, "", err)
	}
	e, ok := s.handles.close(h, k)
	if !ok {
		return toError(op, 0, "", fail(hcn.E_HANDLE, ""))
	}
	s.notify.unregister(e.reg)
	return nil
}

// RegisterGuestNetworkServiceCallback is
// HcnRegisterGuestNetworkServiceCallback: the callback receives the
// GuestNetworkServiceStateChanged notifications of that service.
func (s *Sim) RegisterGuestNetworkServiceCallback(gns hcn.Handle, fn hcn.NotificationFunc) (hcn.Handle, error) {
	op := hcn.OpRegisterGuestNetworkServiceCallback
	if err := s.begin(op); err != nil {
		return 0, toError(op, hcn.KindGuestNetworkService, "", err)
	}
	e, ok := s.handles.get(gns, HandleGuestNetworkService)
	if !ok {
		return 0, toError(op, hcn.KindGuestNetworkService, "", fail(hcn.E_HANDLE, ""))
	}
	if fn == nil {
		return 0, toError(op, hcn.KindGuestNetworkService, e.id.String(), fail(hcn.E_POINTER, "nil callback"))
	}
	r := s.notify.register(fn, e.id)
	return s.handles.open(&handleEntry{kind: HandleGuestNetworkServiceCallback, id: e.id, reg: r}), nil
}

// UnregisterGuestNetworkServiceCallback is
// HcnUnregisterGuestNetworkServiceCallback.
func (s *Sim) UnregisterGuestNetworkServiceCallback(h hcn.Handle) error {
	return s.unregister(hcn.OpUnregisterGuestNetworkServiceCallback, h, HandleGuestNetworkServiceCallback)
}

// gnsFor checks a GNS handle for a port call.
func (s *Sim) gnsFor(op string, gns hcn.Handle) (hcn.GUID, error) {
	if err := s.begin(op); err != nil {
		return hcn.GUID{}, toError(op, hcn.KindGuestNetworkService, "", err)
	}
	e, ok := s.handles.get(gns, HandleGuestNetworkService)
	if !ok {
		return hcn.GUID{}, toError(op, hcn.KindGuestNetworkService, "", fail(hcn.E_HANDLE, ""))
	}
	err := s.read(func(st *state) error {
		_, err := st.lookup(hcn.KindGuestNetworkService, e.id)
		return err
	})
	return e.id, toError(op, hcn.KindGuestNetworkService, e.id.String(), err)
}

// ReserveGuestNetworkServicePort is HcnReserveGuestNetworkServicePort.
// Ports are host-wide: an exclusive reservation collides with any other
// of an overlapping protocol on the port (HCN_E_PORT_ALREADY_EXISTS).
func (s *Sim) ReserveGuestNetworkServicePort(gns hcn.Handle, protocol hcn.PortProtocol, access hcn.PortAccess, port uint16) (hcn.Handle, error) {
	op := hcn.OpReserveGuestNetworkServicePort
	id, err := s.gnsFor(op, gns)
	if err != nil {
		return 0, err
	}
	if protocol < hcn.PortProtocolTCP || protocol > hcn.PortProtocolBoth ||
		access < hcn.PortAccessExclusive || access > hcn.PortAccessShared || port == 0 {
		return 0, toError(op, hcn.KindGuestNetworkService, id.String(),
			fail(hcn.E_INVALIDARG, "protocol %d access %d port %d", protocol, access, port))
	}
	r := &reservation{gns: id, protocol: protocol, access: access, start: port, end: port}
	if err := s.ports.reserve(r); err != nil {
		return 0, toError(op, hcn.KindGuestNetworkService, id.String(), err)
	}
	return s.handles.open(&handleEntry{kind: HandlePortReservation, id: id, res: r}), nil
}

// ReserveGuestNetworkServicePortRange is
// HcnReserveGuestNetworkServicePortRange: the lowest run of count free
// ports of the ephemeral range, exclusive, TCP and UDP.
func (s *Sim) ReserveGuestNetworkServicePortRange(gns hcn.Handle, count uint16) (hcn.PortRange, hcn.Handle, error) {
	op := hcn.OpReserveGuestNetworkServicePortRange
	id, err := s.gnsFor(op, gns)
	if err != nil {
		return hcn.PortRange{}, 0, err
	}
	if count == 0 {
		return hcn.PortRange{}, 0, toError(op, hcn.KindGuestNetworkService, id.String(), fail(hcn.E_INVALIDARG, "count 0"))
	}
	r, err := s.ports.reserveRange(id, count)
	if err != nil {
		return hcn.PortRange{}, 0, toError(op, hcn.KindGuestNetworkService, id.String(), err)
	}
	h := s.handles.open(&handleEntry{kind: HandlePortReservation, id: id, res: r})
	return hcn.PortRange{Start: r.start, End: r.end}, h, nil
}

// ReleaseGuestNetworkServicePortReservation is
// HcnReleaseGuestNetworkServicePortReservationHandle.
func (s *Sim) ReleaseGuestNetworkServicePortReservation(h hcn.Handle) error {
	op := hcn.OpReleaseGuestNetworkServicePort
	if err := s.begin(op); err != nil {
		return toError(op, 0, "", err)
	}
	e, ok := s.handles.close(h, HandlePortReservation)
	if !ok {
		return toError(op, 0, "", fail(hcn.E_HANDLE, ""))
	}
	s.ports.release(e.res)
	return nil
}

// EnumerateGuestNetworkPortReservations is
// HcnEnumerateGuestNetworkPortReservations: OwningPartitionID is the
// service's id, SharingFlags the access (1 exclusive, 2 shared),
// ReservationType 0 for a port and 1 for a range.
func (s *Sim) EnumerateGuestNetworkPortReservations() ([]hcn.PortRangeEntry, error) {
	op := hcn.OpEnumerateGuestNetworkPortReservations
	if err := s.begin(op); err != nil {
		return nil, toError(op, 0, "", err)
	}
	return s.ports.entries(), nil
}

// HNSCall is HNS v1's HNSCall over the state the v2 calls see: /networks,
// /endpoints (with attach and detach), /policylists, /namespaces,
// /accelnet, /endpointstats and /globals/version (see the package
// documentation and v1.go). Transport-level failures (injected faults) are
// errors; a request the service refuses is a Success:false envelope.
func (s *Sim) HNSCall(method, path, request string) (string, error) {
	op := hcn.OpHNSCall
	if err := s.begin(op); err != nil {
		return "", toError(op, 0, path, err)
	}
	return s.hnsV1(method, path, request), nil
}
