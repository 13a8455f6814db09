package hcn

import "context"

// CreateGuestNetworkService is HcnCreateGuestNetworkService followed by
// HcnQueryGuestNetworkServiceProperties on the new handle: the service as
// the host reports it.
func (c *Client) CreateGuestNetworkService(ctx context.Context, g *GuestNetworkService) (*GuestNetworkService, error) {
	id, settings, err := prepareGNS(g)
	if err != nil {
		return nil, err
	}
	return createDoc[GuestNetworkService](ctx, c, KindGuestNetworkService, id, settings)
}

// CreateGuestNetworkServiceHandle is HcnCreateGuestNetworkService
// returning the owned handle (needed for port reservations and watches).
func (c *Client) CreateGuestNetworkServiceHandle(ctx context.Context, g *GuestNetworkService) (*GuestNetworkServiceHandle, error) {
	id, settings, err := prepareGNS(g)
	if err != nil {
		return nil, err
	}
	h, id, err := c.createRaw(ctx, KindGuestNetworkService, id, settings)
	if err != nil {
		return nil, err
	}
	return &GuestNetworkServiceHandle{core: c.adopt(KindGuestNetworkService, id, h)}, nil
}

// OpenGuestNetworkService is HcnOpenGuestNetworkService: an owned handle
// to an existing guest network service.
func (c *Client) OpenGuestNetworkService(ctx context.Context, id ID) (*GuestNetworkServiceHandle, error) {
	g, h, err := c.openArg(ctx, KindGuestNetworkService, id)
	if err != nil {
		return nil, err
	}
	return &GuestNetworkServiceHandle{core: c.adopt(KindGuestNetworkService, g, h)}, nil
}

// prepareGNS checks g and encodes it for HcnCreateGuestNetworkService.
func prepareGNS(g *GuestNetworkService) (GUID, string, error) {
	if g == nil {
		return NilGUID, "", invalidf(OpCreateGuestNetworkService, KindGuestNetworkService, "service", "must not be nil")
	}
	return prepareCreate(OpCreateGuestNetworkService, g, g.ID)
}

// GetGuestNetworkService is HcnOpenGuestNetworkService +
// HcnQueryGuestNetworkServiceProperties + HcnCloseGuestNetworkService.
func (c *Client) GetGuestNetworkService(ctx context.Context, id ID) (*GuestNetworkService, error) {
	return getArg[GuestNetworkService](ctx, c, KindGuestNetworkService, id)
}

// ListGuestNetworkServices is HcnEnumerateGuestNetworkServices followed by
// open, query and close of each (1+3N calls), skipping those deleted
// meanwhile, in enumeration order. opts.Detailed is the only option that
// applies; a filter set is refused (see ListOptions).
func (c *Client) ListGuestNetworkServices(ctx context.Context, opts *ListOptions) ([]*GuestNetworkService, error) {
	if err := opts.check("ListGuestNetworkServices", KindGuestNetworkService); err != nil {
		return nil, err
	}
	return listDocs(ctx, c, KindGuestNetworkService, defaultQuery, opts.propertiesQuery(),
		decodeFor[GuestNetworkService](KindGuestNetworkService), nil)
}

// DeleteGuestNetworkService is HcnDeleteGuestNetworkService.
func (c *Client) DeleteGuestNetworkService(ctx context.Context, id ID, opts *DeleteOptions) error {
	return c.Delete(ctx, KindGuestNetworkService, id, opts)
}

// SetGuestNetworkServiceState is HcnModifyGuestNetworkService with a State
// request.
func (c *Client) SetGuestNetworkServiceState(ctx context.Context, id ID, state GuestNetworkServiceState) error {
	return c.modifyByID(ctx, KindGuestNetworkService, id, ModifyGuestNetworkServiceState(state))
}

// Query is HcnQueryGuestNetworkServiceProperties on the handle, decoded.
func (g *GuestNetworkServiceHandle) Query(ctx context.Context) (*GuestNetworkService, error) {
	return queryDoc[GuestNetworkService](ctx, &g.core)
}

// Modify is HcnModifyGuestNetworkService on the handle with a typed
// request.
func (g *GuestNetworkServiceHandle) Modify(ctx context.Context, req ModifyRequest) error {
	return g.core.c.modifyOn(ctx, &g.core, req)
}

// SetState is HcnModifyGuestNetworkService with a State request.
func (g *GuestNetworkServiceHandle) SetState(ctx context.Context, state GuestNetworkServiceState) error {
	return g.Modify(ctx, ModifyGuestNetworkServiceState(state))
}
