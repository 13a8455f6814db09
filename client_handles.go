package hcn

import (
	"context"
	"fmt"
	"sync"
)

// handleCore is the shared state of an owned handle: the service handle,
// the calls in flight on it, and whether Close was called. The service
// handle is closed exactly once, when Close has been called and no call on
// it is in flight, so a call abandoned by its context never runs on a
// closed handle and Close never waits for a hung call.
type handleCore struct {
	c    *Client
	kind Kind
	id   GUID

	mu      sync.Mutex
	h       Handle
	users   int
	closing bool
}

func newCore(c *Client, kind Kind, id GUID, h Handle) handleCore {
	return handleCore{c: c, kind: kind, id: id, h: h}
}

// acquire marks a call in flight and returns the service handle, or an
// ErrInvalidHandle failure once Close was called.
func (hc *handleCore) acquire(op string) (Handle, error) {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if hc.closing {
		return 0, opError(op, hc.kind, hc.id.String(), fmt.Errorf("%w: %w", ErrInvalidHandle, errHandleClosed))
	}
	hc.users++
	return hc.h, nil
}

// release ends a call; the last call out closes a handle whose Close ran
// while it was in flight.
func (hc *handleCore) release() {
	hc.mu.Lock()
	hc.users--
	last := hc.closing && hc.users == 0
	h := hc.h
	hc.mu.Unlock()
	if last {
		hc.c.closeHandle(hc.kind, h)
	}
}

// close is the idempotent Close of every handle type.
func (hc *handleCore) close() error {
	hc.mu.Lock()
	if hc.closing {
		hc.mu.Unlock()
		return nil
	}
	hc.closing = true
	busy := hc.users > 0
	h := hc.h
	hc.mu.Unlock()
	if busy {
		return nil // the last call in flight closes it
	}
	if err := hc.c.closeRetry(hc.kind, h); err != nil {
		return err
	}
	return nil
}

// do runs fn with the service handle under ctx (see Client docs).
func (hc *handleCore) do(ctx context.Context, op string, fn func(Handle) error) error {
	_, err := useHandle(ctx, hc, op, func(h Handle) (struct{}, error) { return struct{}{}, fn(h) }, nil)
	return err
}

// useHandle runs fn with hc's service handle on the call runner. The handle
// is acquired inside the runner's goroutine, so a call that never starts
// (ctx already ended) holds nothing, and a call abandoned by ctx keeps the
// handle open until it returns; orphan receives the result of a call
// abandoned by ctx that later succeeded.
func useHandle[T any](ctx context.Context, hc *handleCore, op string, fn func(Handle) (T, error), orphan func(T)) (T, error) {
	return call(ctx, func() (T, error) {
		h, err := hc.acquire(op)
		if err != nil {
			var zero T
			return zero, err
		}
		defer hc.release()
		v, err := fn(h)
		return v, hc.c.seen(err)
	}, orphan)
}

// queryJSON is HcnQuery<Kind>Properties on the handle, retried on
// transient failures.
func (hc *handleCore) queryJSON(ctx context.Context, query string) (string, error) {
	var out string
	err := hc.c.retryReadIf(ctx, transient, func() error {
		return hc.do(ctx, OpName(VerbQuery, hc.kind), func(h Handle) error {
			var err error
			out, err = hc.c.svc.Query(hc.kind, h, query)
			return err
		})
	})
	return out, err
}

// modifyJSON is HcnModify<Kind> on the handle (never retried).
func (hc *handleCore) modifyJSON(ctx context.Context, settings string) error {
	return hc.do(ctx, OpName(VerbModify, hc.kind), func(h Handle) error {
		return hc.c.svc.Modify(hc.kind, h, settings)
	})
}

// NetworkHandle is an open network (HCN_NETWORK) owned by the caller. Close
// it when done; closing never deletes the network. It is safe for
// concurrent use.
type NetworkHandle struct{ core handleCore }

// ID returns the network's id.
func (n *NetworkHandle) ID() ID { return n.core.id.ID() }

// QueryJSON is HcnQueryNetworkProperties with a raw HCN query (empty means
// the default query); it returns the properties JSON as the service sent it.
func (n *NetworkHandle) QueryJSON(ctx context.Context, query string) (string, error) {
	return n.core.queryJSON(ctx, query)
}

// ModifyJSON is HcnModifyNetwork with a raw modify request.
func (n *NetworkHandle) ModifyJSON(ctx context.Context, request string) error {
	return n.core.modifyJSON(ctx, request)
}

// Close is HcnCloseNetwork. It is idempotent and safe to call while other
// calls on the handle are in flight (the handle closes when they return).
func (n *NetworkHandle) Close() error { return n.core.close() }

// EndpointHandle is an open endpoint (HCN_ENDPOINT) owned by the caller.
// Close it when done; closing never deletes the endpoint. It is safe for
// concurrent use.
type EndpointHandle struct{ core handleCore }

// ID returns the endpoint's id.
func (e *EndpointHandle) ID() ID { return e.core.id.ID() }

// QueryJSON is HcnQueryEndpointProperties with a raw HCN query.
func (e *EndpointHandle) QueryJSON(ctx context.Context, query string) (string, error) {
	return e.core.queryJSON(ctx, query)
}

// ModifyJSON is HcnModifyEndpoint with a raw modify request.
func (e *EndpointHandle) ModifyJSON(ctx context.Context, request string) error {
	return e.core.modifyJSON(ctx, request)
}

// Close is HcnCloseEndpoint; idempotent, see NetworkHandle.Close.
func (e *EndpointHandle) Close() error { return e.core.close() }

// NamespaceHandle is an open namespace (HCN_NAMESPACE) owned by the caller.
// Close it when done; closing never deletes the namespace. Keep it open for
// as long as a container uses the namespace. It is safe for concurrent use.
type NamespaceHandle struct{ core handleCore }

// ID returns the namespace's id.
func (n *NamespaceHandle) ID() ID { return n.core.id.ID() }

// QueryJSON is HcnQueryNamespaceProperties with a raw HCN query.
func (n *NamespaceHandle) QueryJSON(ctx context.Context, query string) (string, error) {
	return n.core.queryJSON(ctx, query)
}

// ModifyJSON is HcnModifyNamespace with a raw modify request.
func (n *NamespaceHandle) ModifyJSON(ctx context.Context, request string) error {
	return n.core.modifyJSON(ctx, request)
}

// Close is HcnCloseNamespace; idempotent, see NetworkHandle.Close.
func (n *NamespaceHandle) Close() error { return n.core.close() }

// LoadBalancerHandle is an open load balancer (HCN_LOADBALANCER) owned by
// the caller. Close it when done; closing never deletes. It is safe for
// concurrent use.
type LoadBalancerHandle struct{ core handleCore }

// ID returns the load balancer's id.
func (l *LoadBalancerHandle) ID() ID { return l.core.id.ID() }

// QueryJSON is HcnQueryLoadBalancerProperties with a raw HCN query.
func (l *LoadBalancerHandle) QueryJSON(ctx context.Context, query string) (string, error) {
	return l.core.queryJSON(ctx, query)
}

// ModifyJSON is HcnModifyLoadBalancer with a whole load balancer document
// (the service replaces the LB's settings). It is sent whatever the
// service version; on HNS 15.4 it may succeed without applying a new
// backend list (see FeatureModifyLoadBalancer).
func (l *LoadBalancerHandle) ModifyJSON(ctx context.Context, document string) error {
	return l.core.modifyJSON(ctx, document)
}

// Close is HcnCloseLoadBalancer; idempotent, see NetworkHandle.Close.
func (l *LoadBalancerHandle) Close() error { return l.core.close() }

// SDNRouteHandle is an open SDN route (HcnOpenSdnRoute) owned by the
// caller. Close it when done; closing never deletes. It is safe for
// concurrent use.
type SDNRouteHandle struct{ core handleCore }

// ID returns the route's id.
func (r *SDNRouteHandle) ID() ID { return r.core.id.ID() }

// QueryJSON is HcnQuerySdnRouteProperties with a raw HCN query.
func (r *SDNRouteHandle) QueryJSON(ctx context.Context, query string) (string, error) {
	return r.core.queryJSON(ctx, query)
}

// ModifyJSON is HcnModifySdnRoute with a raw settings document.
func (r *SDNRouteHandle) ModifyJSON(ctx context.Context, settings string) error {
	return r.core.modifyJSON(ctx, settings)
}

// Close is HcnCloseSdnRoute; idempotent, see NetworkHandle.Close.
func (r *SDNRouteHandle) Close() error { return r.core.close() }

// GuestNetworkServiceHandle is an open guest network service
// (HCN_GUESTNETWORKSERVICE) owned by the caller: port reservations and
// watches are made on it, so keep it open while they are in use. Closing
// never deletes. It is safe for concurrent use.
type GuestNetworkServiceHandle struct{ core handleCore }

// ID returns the guest network service's id.
func (g *GuestNetworkServiceHandle) ID() ID { return g.core.id.ID() }

// QueryJSON is HcnQueryGuestNetworkServiceProperties with a raw HCN query.
func (g *GuestNetworkServiceHandle) QueryJSON(ctx context.Context, query string) (string, error) {
	return g.core.queryJSON(ctx, query)
}

// ModifyJSON is HcnModifyGuestNetworkService with a raw modify request.
func (g *GuestNetworkServiceHandle) ModifyJSON(ctx context.Context, request string) error {
	return g.core.modifyJSON(ctx, request)
}

// Close is HcnCloseGuestNetworkService; idempotent, see NetworkHandle.Close.
func (g *GuestNetworkServiceHandle) Close() error { return g.core.close() }
