package hcnsim

import (
	"errors"

	"github.com/hcnkit/hcn"
)

// The hcn.Service methods of Conn: each is one call named as the method
// (see wire.go). A transport failure names the operation as the service
// would (hcn.OpName, the Op* constants).

// Enumerate is HcnEnumerate<Kind>s on the server.
func (c *Conn) Enumerate(kind hcn.Kind, query string) (string, error) {
	return c.text(hcn.OpName(hcn.VerbEnumerate, kind), kind, "", &request{Method: "Enumerate", Kind: kind, Text: query})
}

// Create is HcnCreate<Kind> on the server.
func (c *Conn) Create(kind hcn.Kind, id hcn.GUID, settings string) (hcn.Handle, error) {
	return c.handle(hcn.OpName(hcn.VerbCreate, kind), kind, string(id.ID()),
		&request{Method: "Create", Kind: kind, GUID: id, Text: settings})
}

// CreateEndpoint is HcnCreateEndpoint on the server.
func (c *Conn) CreateEndpoint(network hcn.Handle, id hcn.GUID, settings string) (hcn.Handle, error) {
	return c.handle(hcn.OpCreateEndpoint, hcn.KindEndpoint, string(id.ID()),
		&request{Method: "CreateEndpoint", Handle: network, GUID: id, Text: settings})
}

// Open is HcnOpen<Kind> on the server.
func (c *Conn) Open(kind hcn.Kind, id hcn.GUID) (hcn.Handle, error) {
	return c.handle(hcn.OpName(hcn.VerbOpen, kind), kind, string(id.ID()), &request{Method: "Open", Kind: kind, GUID: id})
}

// Modify is HcnModify<Kind> on the server.
func (c *Conn) Modify(kind hcn.Kind, h hcn.Handle, settings string) error {
	_, err := c.call(hcn.OpName(hcn.VerbModify, kind), kind, "", &request{Method: "Modify", Kind: kind, Handle: h, Text: settings})
	return err
}

// Query is HcnQuery<Kind>Properties on the server.
func (c *Conn) Query(kind hcn.Kind, h hcn.Handle, query string) (string, error) {
	return c.text(hcn.OpName(hcn.VerbQuery, kind), kind, "", &request{Method: "Query", Kind: kind, Handle: h, Text: query})
}

// Delete is HcnDelete<Kind> on the server.
func (c *Conn) Delete(kind hcn.Kind, id hcn.GUID) error {
	_, err := c.call(hcn.OpName(hcn.VerbDelete, kind), kind, string(id.ID()), &request{Method: "Delete", Kind: kind, GUID: id})
	return err
}

// Close is HcnClose<Kind> on the server.
func (c *Conn) Close(kind hcn.Kind, h hcn.Handle) error {
	_, err := c.call(hcn.OpName(hcn.VerbClose, kind), kind, "", &request{Method: "Close", Kind: kind, Handle: h})
	return err
}

// QueryEndpointStats is HcnQueryEndpointStats on the server.
func (c *Conn) QueryEndpointStats(endpoint hcn.Handle, query string) (string, error) {
	return c.text(hcn.OpQueryEndpointStats, hcn.KindEndpoint, "", &request{Method: "QueryEndpointStats", Handle: endpoint, Text: query})
}

// QueryEndpointAddresses is HcnQueryEndpointAddresses on the server.
func (c *Conn) QueryEndpointAddresses(endpoint hcn.Handle, query string) (string, error) {
	return c.text(hcn.OpQueryEndpointAddresses, hcn.KindEndpoint, "", &request{Method: "QueryEndpointAddresses", Handle: endpoint, Text: query})
}

// RegisterServiceCallback is HcnRegisterServiceCallback: the server pushes
// the notifications, and fn receives them in the service's order, one call
// at a time, off the connection's goroutine. When the connection is lost
// fn receives ServiceDisconnect and the registration is gone with it.
func (c *Conn) RegisterServiceCallback(fn hcn.NotificationFunc) (hcn.Handle, error) {
	return c.register(hcn.OpRegisterServiceCallback, 0, &request{Method: "RegisterServiceCallback"}, fn)
}

// UnregisterServiceCallback is HcnUnregisterServiceCallback: when it
// returns, no call of the callback is in flight and none will follow. It
// must not be called from inside the callback.
func (c *Conn) UnregisterServiceCallback(h hcn.Handle) error {
	return c.unregister(hcn.OpUnregisterServiceCallback, "UnregisterServiceCallback", h)
}

// RegisterGuestNetworkServiceCallback is
// HcnRegisterGuestNetworkServiceCallback on the server (see
// RegisterServiceCallback).
func (c *Conn) RegisterGuestNetworkServiceCallback(gns hcn.Handle, fn hcn.NotificationFunc) (hcn.Handle, error) {
	return c.register(hcn.OpRegisterGuestNetworkServiceCallback, hcn.KindGuestNetworkService,
		&request{Method: "RegisterGuestNetworkServiceCallback", Handle: gns}, fn)
}

// UnregisterGuestNetworkServiceCallback is
// HcnUnregisterGuestNetworkServiceCallback (see UnregisterServiceCallback).
func (c *Conn) UnregisterGuestNetworkServiceCallback(h hcn.Handle) error {
	return c.unregister(hcn.OpUnregisterGuestNetworkServiceCallback, "UnregisterGuestNetworkServiceCallback", h)
}

// ReserveGuestNetworkServicePort is HcnReserveGuestNetworkServicePort on
// the server; the reservation ends with the connection.
func (c *Conn) ReserveGuestNetworkServicePort(gns hcn.Handle, protocol hcn.PortProtocol, access hcn.PortAccess, port uint16) (hcn.Handle, error) {
	return c.handle(hcn.OpReserveGuestNetworkServicePort, hcn.KindGuestNetworkService, "",
		&request{Method: "ReserveGuestNetworkServicePort", Handle: gns, Protocol: protocol, Access: access, Port: port})
}

// ReserveGuestNetworkServicePortRange is
// HcnReserveGuestNetworkServicePortRange on the server; the reservation
// ends with the connection.
func (c *Conn) ReserveGuestNetworkServicePortRange(gns hcn.Handle, count uint16) (hcn.PortRange, hcn.Handle, error) {
	resp, err := c.call(hcn.OpReserveGuestNetworkServicePortRange, hcn.KindGuestNetworkService, "",
		&request{Method: "ReserveGuestNetworkServicePortRange", Handle: gns, Count: count})
	if err != nil {
		return hcn.PortRange{}, 0, err
	}
	var rng hcn.PortRange
	if resp.Range != nil {
		rng = *resp.Range
	}
	return rng, resp.Handle, nil
}

// ReleaseGuestNetworkServicePortReservation is
// HcnReleaseGuestNetworkServicePortReservationHandle on the server.
func (c *Conn) ReleaseGuestNetworkServicePortReservation(h hcn.Handle) error {
	_, err := c.call(hcn.OpReleaseGuestNetworkServicePort, 0, "", &request{Method: "ReleaseGuestNetworkServicePortReservation", Handle: h})
	return err
}

// EnumerateGuestNetworkPortReservations is
// HcnEnumerateGuestNetworkPortReservations on the server.
func (c *Conn) EnumerateGuestNetworkPortReservations() ([]hcn.PortRangeEntry, error) {
	resp, err := c.call(hcn.OpEnumerateGuestNetworkPortReservations, 0, "", &request{Method: "EnumerateGuestNetworkPortReservations"})
	if err != nil {
		return nil, err
	}
	if resp.Entries == nil {
		return nil, nil
	}
	return *resp.Entries, nil
}

// HNSCall is HNS v1's HNSCall on the server.
func (c *Conn) HNSCall(method, path, body string) (string, error) {
	return c.text(hcn.OpHNSCall, 0, path, &request{Method: "HNSCall", Verb: method, Path: path, Text: body})
}

func (c *Conn) text(op string, kind hcn.Kind, id string, req *request) (string, error) {
	resp, err := c.call(op, kind, id, req)
	if err != nil {
		return "", err
	}
	return resp.Text, nil
}

func (c *Conn) handle(op string, kind hcn.Kind, id string, req *request) (hcn.Handle, error) {
	resp, err := c.call(op, kind, id, req)
	if err != nil {
		return 0, err
	}
	return resp.Handle, nil
}

// register numbers a registration and starts its delivery before the call,
// so notifications that overtake the reply are not lost. A nil fn is sent
// as number 0, which the server refuses as the Sim does.
func (c *Conn) register(op string, kind hcn.Kind, req *request, fn hcn.NotificationFunc) (hcn.Handle, error) {
	s, err := c.session(op, kind, "")
	if err != nil {
		return 0, err
	}
	if fn == nil {
		resp, err := c.callOn(s, op, kind, "", req)
		if err != nil {
			return 0, err
		}
		return resp.Handle, nil
	}
	r := &clientReg{r: startRegistration(fn), sess: s}
	c.mu.Lock()
	c.nextCB++
	r.id = c.nextCB
	c.regs[r.id] = r
	c.mu.Unlock()
	req.Callback = r.id
	resp, err := c.callOn(s, op, kind, "", req)
	if err != nil {
		c.forgetReg(r, 0)
		r.r.stop()
		return 0, err
	}
	c.mu.Lock()
	if _, ok := c.regs[r.id]; ok {
		c.byHandle[resp.Handle] = r
		r.live = true
		if s.broken() { // lost between the reply and now: lost skipped it
			c.tellLocked(r)
		}
	}
	c.mu.Unlock()
	return resp.Handle, nil
}

// unregister ends a registration. One made on a lost connection is gone
// already: it fails with E_HANDLE without a call, as the service fails a
// handle it does not know.
func (c *Conn) unregister(op, method string, h hcn.Handle) error {
	c.mu.Lock()
	r := c.byHandle[h]
	c.mu.Unlock()
	if r != nil && r.sess.broken() {
		c.forgetReg(r, h)
		r.r.stop()
		return toError(op, 0, "", fail(hcn.E_HANDLE, ""))
	}
	_, err := c.call(op, 0, "", &request{Method: method, Handle: h})
	if r != nil && (err == nil || errors.Is(err, hcn.E_HANDLE) || r.sess.broken()) {
		c.forgetReg(r, h)
		r.r.stop()
	}
	return err
}

func (c *Conn) forgetReg(r *clientReg, h hcn.Handle) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.regs[r.id] == r {
		delete(c.regs, r.id)
	}
	if h != 0 && c.byHandle[h] == r {
		delete(c.byHandle, h)
	}
}
