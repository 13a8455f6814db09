package hcn

import "context"

// queryJSON is HcnQuery<Kind>Properties on the owned handle, retried on
// transient failures.
func (hc *handleCore) queryJSON(ctx context.Context, query string) (string, error) {
	return onOwned(ctx, hc, OpName(VerbQuery, hc.kind), func(h Handle) (string, error) {
		return hc.c.queryOn(ctx, hc.kind, h, query)
	}, nil)
}

// modifyJSON is HcnModify<Kind> on the owned handle (never retried).
func (hc *handleCore) modifyJSON(ctx context.Context, settings string) error {
	_, err := onOwned(ctx, hc, OpName(VerbModify, hc.kind), func(h Handle) (struct{}, error) {
		return struct{}{}, hc.c.seen(hc.c.svc.Modify(hc.kind, h, settings))
	}, nil)
	return err
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
