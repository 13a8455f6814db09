package hcn

import "context"

// CreateSDNRoute is HcnCreateSdnRoute followed by
// HcnQuerySdnRouteProperties: it validates r and returns the route as the
// service reports it. Hosts without the (undocumented) SdnRoute exports
// fail with ErrNotSupported.
func (c *Client) CreateSDNRoute(ctx context.Context, r *SDNRoute) (*SDNRoute, error) {
	id, settings, err := prepareRoute(r)
	if err != nil {
		return nil, err
	}
	return createDoc[SDNRoute](ctx, c, KindSDNRoute, id, settings)
}

// CreateSDNRouteHandle is CreateSDNRoute returning the owned handle
// instead of the document.
func (c *Client) CreateSDNRouteHandle(ctx context.Context, r *SDNRoute) (*SDNRouteHandle, error) {
	id, settings, err := prepareRoute(r)
	if err != nil {
		return nil, err
	}
	h, id, err := c.createRaw(ctx, KindSDNRoute, id, settings)
	if err != nil {
		return nil, err
	}
	return &SDNRouteHandle{core: c.adopt(KindSDNRoute, id, h)}, nil
}

// OpenSDNRoute is HcnOpenSdnRoute: an owned handle to an existing SDN route.
func (c *Client) OpenSDNRoute(ctx context.Context, id ID) (*SDNRouteHandle, error) {
	g, h, err := c.openArg(ctx, KindSDNRoute, id)
	if err != nil {
		return nil, err
	}
	return &SDNRouteHandle{core: c.adopt(KindSDNRoute, g, h)}, nil
}

// prepareRoute checks r and encodes it for HcnCreateSdnRoute.
func prepareRoute(r *SDNRoute) (GUID, string, error) {
	if r == nil {
		return NilGUID, "", invalidf(OpCreateSDNRoute, KindSDNRoute, "route", "must not be nil")
	}
	return prepareCreate(OpCreateSDNRoute, r, r.ID)
}

// GetSDNRoute is HcnOpenSdnRoute + HcnQuerySdnRouteProperties +
// HcnCloseSdnRoute.
func (c *Client) GetSDNRoute(ctx context.Context, id ID) (*SDNRoute, error) {
	return getArg[SDNRoute](ctx, c, KindSDNRoute, id)
}

// ListSDNRoutes is HcnEnumerateSdnRoutes followed by open, query and close
// of each (1+3N calls), skipping routes deleted meanwhile, in enumeration
// order. opts filters by Network and Endpoint.
func (c *Client) ListSDNRoutes(ctx context.Context, opts *ListOptions) ([]*SDNRoute, error) {
	if err := opts.check("ListSDNRoutes", KindSDNRoute); err != nil {
		return nil, err
	}
	return listDocs(ctx, c, KindSDNRoute, defaultQuery, opts.propertiesQuery(), decodeFor[SDNRoute](KindSDNRoute),
		func(r *SDNRoute) bool {
			return opts == nil || (opts.Network == "" || r.HostComputeNetwork.Equal(opts.Network)) &&
				opts.keepMember(r.HostComputeEndpoints)
		})
}

// DeleteSDNRoute is HcnDeleteSdnRoute. Lookup failures are returned, never
// swallowed; with opts.IgnoreNotFound a route already gone is a success.
func (c *Client) DeleteSDNRoute(ctx context.Context, id ID, opts *DeleteOptions) error {
	return c.Delete(ctx, KindSDNRoute, id, opts)
}

// routeReplacer is the whole-document update of SDN routes. The service's
// rule for two routes at once is not known; the Client assumes none and
// falls back to replacing in place when the service refuses the second
// (ErrAlreadyExists or ErrPortInUse).
var routeReplacer = wholeDoc[SDNRoute, *SDNRoute]{
	kind: KindSDNRoute,
	withID: func(r *SDNRoute, id GUID) *SDNRoute {
		cp := *r
		// The owner tag is the caller's and stays; the rest is the
		// service's to fill.
		cp.ID, cp.BaseFields = "", BaseFields{Owner: r.Owner}
		if !id.IsZero() {
			cp.ID = id.ID()
		}
		return &cp
	},
	idOf:     func(r *SDNRoute) ID { return r.ID },
	collides: func(a, b *SDNRoute) bool { return false },
	members:  func(r *SDNRoute) *[]ID { return &r.HostComputeEndpoints },
	check: func(_ context.Context, _ *Client, op string, id GUID, r *SDNRoute) error {
		if err := r.Validate(); err != nil {
			return opError(op, KindSDNRoute, id.String(), err)
		}
		return nil
	},
}

// UpdateSDNRoute changes route id to r: HcnModifySdnRoute with the whole
// document (the id stays), or, where the service answers ErrNotSupported,
// a replacement: the new route is created first (new id, returned) and the
// old one deleted after; if the service refuses two at once, the old one is
// deleted and the new one created under its id (restoring the old one if
// that fails), as UpdateLoadBalancer describes. Updates and edits of one
// route from Clients over the same Service value run one at a time.
func (c *Client) UpdateSDNRoute(ctx context.Context, arg ID, r *SDNRoute) (*SDNRoute, error) {
	const op = "UpdateSDNRoute"
	id, err := argID(op, KindSDNRoute, "id", arg)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, invalidf(op, KindSDNRoute, "route", "must not be nil")
	}
	if err := routeReplacer.check(ctx, c, op, id, r); err != nil {
		return nil, err
	}
	return routeReplacer.updateLocked(ctx, c, id, r)
}

// AddSDNRouteEndpoints adds endpoints to a route: HcnOpenSdnRoute,
// HcnQuerySdnRouteProperties, HcnEnumerateEndpoints, HcnModifySdnRoute
// with the whole document, HcnQuerySdnRouteProperties and
// HcnCloseSdnRoute (replacing the route where modify is missing).
// Endpoints already there are skipped; one that does not exist is
// ErrNotFound naming it; ids of endpoints deleted elsewhere are dropped and
// logged. Concurrent edits are safe as AddLoadBalancerEndpoints describes.
func (c *Client) AddSDNRouteEndpoints(ctx context.Context, id ID, endpoints ...ID) (*SDNRoute, error) {
	return routeReplacer.editArgs(ctx, c, id, "AddSDNRouteEndpoints", true, endpoints)
}

// RemoveSDNRouteEndpoints removes endpoints from a route, as
// AddSDNRouteEndpoints edits it. Removing an endpoint the route does not
// have is a no-op; it never removes another.
func (c *Client) RemoveSDNRouteEndpoints(ctx context.Context, id ID, endpoints ...ID) (*SDNRoute, error) {
	return routeReplacer.editArgs(ctx, c, id, "RemoveSDNRouteEndpoints", false, endpoints)
}

// Query is HcnQuerySdnRouteProperties on the handle, decoded.
func (r *SDNRouteHandle) Query(ctx context.Context) (*SDNRoute, error) {
	return queryDoc[SDNRoute](ctx, &r.core)
}

// Modify is HcnModifySdnRoute on the handle with the whole document. It
// waits for edits of the same route in this process, and they for it.
func (r *SDNRouteHandle) Modify(ctx context.Context, route *SDNRoute) error {
	const op = OpModifySDNRoute
	if route == nil {
		return invalidf(op, KindSDNRoute, "route", "must not be nil")
	}
	if err := route.Validate(); err != nil {
		return opError(op, KindSDNRoute, r.core.id.String(), err)
	}
	b, err := MarshalForCreate(routeReplacer.withID(route, r.core.id))
	if err != nil {
		return opError(op, KindSDNRoute, r.core.id.String(), err)
	}
	ctx, unlock, err := r.core.c.lockEdit(ctx, KindSDNRoute, r.core.id)
	if err != nil {
		return err
	}
	defer unlock()
	return r.core.modifyJSON(ctx, string(b))
}
