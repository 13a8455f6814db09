package hcnsim

import (
	"errors"

	"github.com/hcnkit/hcn"
)

// The served methods, one per hcn.Service method under its Go name. A
// handle argument is translated by the connection's table: one the
// connection does not own (or of another kind) becomes 0, which the Sim
// refuses with E_HANDLE exactly as it refuses any invalid handle (the call
// counted, the error record the same). A handle the Sim gives is adopted
// into the table; one it releases is forgotten.

type serveMethod func(c *srvConn, r *request) *response

var serveMethods = map[string]serveMethod{
	"Enumerate": func(c *srvConn, r *request) *response {
		return textReply(c.s.sim.Enumerate(r.Kind, r.Text))
	},
	"Create": func(c *srvConn, r *request) *response {
		h, err := c.s.sim.Create(r.Kind, r.GUID, r.Text)
		return c.handleReply(h, err, HandleKind(r.Kind))
	},
	"CreateEndpoint": func(c *srvConn, r *request) *response {
		h, err := c.s.sim.CreateEndpoint(c.owned(r.Handle, HandleNetwork), r.GUID, r.Text)
		return c.handleReply(h, err, HandleEndpoint)
	},
	"Open": func(c *srvConn, r *request) *response {
		h, err := c.s.sim.Open(r.Kind, r.GUID)
		return c.handleReply(h, err, HandleKind(r.Kind))
	},
	"Modify": func(c *srvConn, r *request) *response {
		return errorReply(c.s.sim.Modify(r.Kind, c.object(r.Kind, r.Handle), r.Text))
	},
	"Query": func(c *srvConn, r *request) *response {
		return textReply(c.s.sim.Query(r.Kind, c.object(r.Kind, r.Handle), r.Text))
	},
	"Delete": func(c *srvConn, r *request) *response {
		return errorReply(c.s.sim.Delete(r.Kind, r.GUID))
	},
	"Close": func(c *srvConn, r *request) *response {
		h := c.object(r.Kind, r.Handle)
		err := c.s.sim.Close(r.Kind, h)
		if h != 0 { // the Sim releases a handle of the right kind whatever it answers
			c.forget(h)
		}
		return errorReply(err)
	},
	"QueryEndpointStats": func(c *srvConn, r *request) *response {
		return textReply(c.s.sim.QueryEndpointStats(c.owned(r.Handle, HandleEndpoint), r.Text))
	},
	"QueryEndpointAddresses": func(c *srvConn, r *request) *response {
		return textReply(c.s.sim.QueryEndpointAddresses(c.owned(r.Handle, HandleEndpoint), r.Text))
	},
	"RegisterServiceCallback": func(c *srvConn, r *request) *response {
		return c.register(r, HandleServiceCallback, func(fn hcn.NotificationFunc) (hcn.Handle, error) {
			return c.s.sim.RegisterServiceCallback(fn)
		})
	},
	"UnregisterServiceCallback": func(c *srvConn, r *request) *response {
		return c.release(r.Handle, HandleServiceCallback, c.s.sim.UnregisterServiceCallback)
	},
	"RegisterGuestNetworkServiceCallback": func(c *srvConn, r *request) *response {
		gns := c.owned(r.Handle, HandleGuestNetworkService)
		return c.register(r, HandleGuestNetworkServiceCallback, func(fn hcn.NotificationFunc) (hcn.Handle, error) {
			return c.s.sim.RegisterGuestNetworkServiceCallback(gns, fn)
		})
	},
	"UnregisterGuestNetworkServiceCallback": func(c *srvConn, r *request) *response {
		return c.release(r.Handle, HandleGuestNetworkServiceCallback, c.s.sim.UnregisterGuestNetworkServiceCallback)
	},
	"ReserveGuestNetworkServicePort": func(c *srvConn, r *request) *response {
		h, err := c.s.sim.ReserveGuestNetworkServicePort(c.owned(r.Handle, HandleGuestNetworkService), r.Protocol, r.Access, r.Port)
		return c.handleReply(h, err, HandlePortReservation)
	},
	"ReserveGuestNetworkServicePortRange": func(c *srvConn, r *request) *response {
		rng, h, err := c.s.sim.ReserveGuestNetworkServicePortRange(c.owned(r.Handle, HandleGuestNetworkService), r.Count)
		resp := c.handleReply(h, err, HandlePortReservation)
		if err == nil {
			resp.Range = &rng
		}
		return resp
	},
	"ReleaseGuestNetworkServicePortReservation": func(c *srvConn, r *request) *response {
		return c.release(r.Handle, HandlePortReservation, c.s.sim.ReleaseGuestNetworkServicePortReservation)
	},
	"EnumerateGuestNetworkPortReservations": func(c *srvConn, r *request) *response {
		entries, err := c.s.sim.EnumerateGuestNetworkPortReservations()
		if err != nil {
			return errorReply(err)
		}
		return &response{Entries: &entries}
	},
	"HNSCall": func(c *srvConn, r *request) *response {
		return textReply(c.s.sim.HNSCall(r.Verb, r.Path, r.Text))
	},
}

// dispatch runs one call; an unknown method is answered E_NOTIMPL.
func (c *srvConn) dispatch(r *request) *response {
	m, ok := serveMethods[r.Method]
	if !ok {
		return errorReply(hcn.NewError(opOf(r.Method), 0, "", hcn.E_NOTIMPL,
			recordText(hcn.E_NOTIMPL, "the server has no method "+opOf(r.Method))))
	}
	return m(c, r)
}

// opOf names an unknown method in an error, cut to a sane length.
func opOf(method string) string {
	if len(method) > 64 {
		return method[:64]
	}
	return method
}

func errorReply(err error) *response {
	if err == nil {
		return &response{}
	}
	return &response{Err: encodeError(err)}
}

func textReply(s string, err error) *response {
	if err != nil {
		return errorReply(err)
	}
	return &response{Text: s}
}

// handleReply adopts a handle the Sim gave.
func (c *srvConn) handleReply(h hcn.Handle, err error, k HandleKind) *response {
	if err != nil {
		return errorReply(err)
	}
	c.adopt(h, k, nil)
	return &response{Handle: h}
}

// register makes a callback registration that pushes the Sim's
// notifications to the client, tagged with the client's number for it (0
// registers a nil callback, which the Sim refuses).
func (c *srvConn) register(r *request, k HandleKind, reg func(hcn.NotificationFunc) (hcn.Handle, error)) *response {
	if r.Callback == 0 {
		_, err := reg(nil)
		return errorReply(err)
	}
	cb := &srvCallback{id: r.Callback}
	c.mu.Lock()
	c.cbs[cb] = struct{}{}
	c.mu.Unlock()
	h, err := reg(c.notifyFunc(cb))
	if err != nil {
		c.mu.Lock()
		delete(c.cbs, cb)
		c.mu.Unlock()
		return errorReply(err)
	}
	c.adopt(h, k, cb)
	return &response{Handle: h}
}

// release runs an unregister or a port release on the connection's
// handle and forgets the handle once the Sim no longer holds it.
func (c *srvConn) release(h hcn.Handle, k HandleKind, fn func(hcn.Handle) error) *response {
	sh := c.owned(h, k)
	err := fn(sh)
	if sh != 0 && (err == nil || errors.Is(err, hcn.E_HANDLE)) {
		c.forget(sh)
	}
	return errorReply(err)
}
