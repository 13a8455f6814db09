package hcn

import (
	"context"
	"sync"
)

// PortReservation is an owned port reservation of a guest network service
// (HcnReserveGuestNetworkServicePort[Range]). Release it when done; Release
// is idempotent and safe for concurrent use.
type PortReservation struct {
	c   *Client
	h   Handle
	rng PortRange

	once sync.Once
	err  error
}

// Range returns the reserved ports (one port for a single reservation).
func (r *PortReservation) Range() PortRange { return r.rng }

// Release is HcnReleaseGuestNetworkServicePortReservationHandle. The first
// call releases; later calls return the first call's result.
func (r *PortReservation) Release() error {
	r.once.Do(func() { r.err = r.c.svc.ReleaseGuestNetworkServicePortReservation(r.h) })
	return r.err
}

func (c *Client) releaseOrphan(h Handle) {
	if err := c.svc.ReleaseGuestNetworkServicePortReservation(h); err != nil {
		c.log.Warn("hcn: releasing an orphaned port reservation failed", "err", err)
	}
}

// ReservePort is HcnReserveGuestNetworkServicePort: it reserves port for
// protocol with the given access on the guest network service. Keep the
// service handle open while the reservation is in use. A reservation made
// by a call abandoned by ctx is released.
func (g *GuestNetworkServiceHandle) ReservePort(ctx context.Context, protocol PortProtocol, access PortAccess, port uint16) (*PortReservation, error) {
	const op = OpReserveGuestNetworkServicePort
	switch {
	case protocol < PortProtocolTCP || protocol > PortProtocolBoth:
		return nil, invalidf(op, KindGuestNetworkService, "protocol", "want TCP (1), UDP (2) or Both (3), got %d", uint32(protocol))
	case access < PortAccessExclusive || access > PortAccessShared:
		return nil, invalidf(op, KindGuestNetworkService, "access", "want Exclusive (1) or Shared (2), got %d", uint32(access))
	case port == 0:
		return nil, invalidf(op, KindGuestNetworkService, "port", "must not be 0")
	}
	c := g.core.c
	h, err := onOwned(ctx, &g.core, OpReserveGuestNetworkServicePort, func(gh Handle) (Handle, error) {
		h, err := c.svc.ReserveGuestNetworkServicePort(gh, protocol, access, port)
		return h, c.seen(err)
	}, c.releaseOrphan)
	if err != nil {
		return nil, err
	}
	return &PortReservation{c: c, h: h, rng: PortRange{Start: port, End: port}}, nil
}

// ReservePortRange is HcnReserveGuestNetworkServicePortRange: it reserves
// count consecutive ports chosen by the service.
func (g *GuestNetworkServiceHandle) ReservePortRange(ctx context.Context, count uint16) (*PortReservation, error) {
	if count == 0 {
		return nil, invalidf(OpReserveGuestNetworkServicePortRange, KindGuestNetworkService, "count", "must be at least 1")
	}
	c := g.core.c
	type res struct {
		rng PortRange
		h   Handle
	}
	r, err := onOwned(ctx, &g.core, OpReserveGuestNetworkServicePortRange, func(gh Handle) (res, error) {
		rng, h, err := c.svc.ReserveGuestNetworkServicePortRange(gh, count)
		return res{rng, h}, c.seen(err)
	}, func(r res) { c.releaseOrphan(r.h) })
	if err != nil {
		return nil, err
	}
	return &PortReservation{c: c, h: r.h, rng: r.rng}, nil
}

// PortReservations is HcnEnumerateGuestNetworkPortReservations: every port
// reservation on the host. Transient failures are retried.
func (c *Client) PortReservations(ctx context.Context) ([]PortRangeEntry, error) {
	return abandonable(ctx, func() ([]PortRangeEntry, error) {
		for attempt := 1; ; attempt++ {
			e, err := c.svc.EnumerateGuestNetworkPortReservations()
			if retry, err := c.retryAfter(ctx, attempt, c.seen(err), retryable); !retry {
				return e, err
			}
		}
	}, nil)
}

// Watch is HcnRegisterGuestNetworkServiceCallback as a channel: the
// service's notifications about this guest network service until ctx ends
// (then the registration is removed and the channel closed). Each call
// makes its own registration. The handle must stay open while watching.
func (g *GuestNetworkServiceHandle) Watch(ctx context.Context) (<-chan Event, error) {
	c := g.core.c
	w := &watcher{out: make(chan Event), wake: make(chan struct{}, 1)}
	push := func(t NotificationType, status HRESULT, data string) { w.push(newEvent(t, status, data)) }
	unregister := func(h Handle) {
		if err := c.svc.UnregisterGuestNetworkServiceCallback(h); err != nil {
			c.log.Debug("hcn: HcnUnregisterGuestNetworkServiceCallback failed", "err", err)
		}
	}
	reg, err := onOwned(ctx, &g.core, OpRegisterGuestNetworkServiceCallback, func(gh Handle) (Handle, error) {
		h, err := c.svc.RegisterGuestNetworkServiceCallback(gh, push)
		return h, c.seen(err)
	}, unregister)
	if err != nil {
		return nil, err
	}
	go w.pump(ctx, func() { unregister(reg) })
	return w.out, nil
}
