package hcn

import "context"

// CreateGuestNetworkService is HcnCreateGuestNetworkService followed by
// HcnQueryGuestNetworkServiceProperties on the new handle: the service as
// the host reports it.
func (c *Client) CreateGuestNetworkService(ctx context.Context, g *GuestNetworkService) (*GuestNetworkService, error) {
	h, id, err := c.createGNS(ctx, g)
	if err != nil {
		return nil, err
	}
	return readBack[GuestNetworkService](ctx, c, KindGuestNetworkService, id, h)
}

// CreateGuestNetworkServiceHandle is HcnCreateGuestNetworkService
// returning the owned handle (needed for port reservations and watches).
func (c *Client) CreateGuestNetworkServiceHandle(ctx context.Context, g *GuestNetworkService) (*GuestNetworkServiceHandle, error) {
	h, id, err := c.createGNS(ctx, g)
	if err != nil {
		return nil, err
	}
	return &GuestNetworkServiceHandle{core: newCore(c, KindGuestNetworkService, id, h)}, nil
}

// OpenGuestNetworkService is HcnOpenGuestNetworkService: an owned handle
// to an existing guest network service.
func (c *Client) OpenGuestNetworkService(ctx context.Context, id ID) (*GuestNetworkServiceHandle, error) {
	g, h, err := c.openArg(ctx, KindGuestNetworkService, id)
	if err != nil {
		return nil, err
	}
	return &GuestNetworkServiceHandle{core: newCore(c, KindGuestNetworkService, g, h)}, nil
}

func (c *Client) createGNS(ctx context.Context, g *GuestNetworkService) (Handle, GUID, error) {
	const op = OpCreateGuestNetworkService
	if g == nil {
		return 0, NilGUID, invalidf(op, KindGuestNetworkService, "service", "must not be nil")
	}
	id, settings, err := prepareCreate(op, g, g.ID)
	if err != nil {
		return 0, NilGUID, err
	}
	return c.createRaw(ctx, KindGuestNetworkService, id, settings)
}

// GetGuestNetworkService is HcnOpenGuestNetworkService +
// HcnQueryGuestNetworkServiceProperties + HcnCloseGuestNetworkService.
func (c *Client) GetGuestNetworkService(ctx context.Context, id ID) (*GuestNetworkService, error) {
	return getArg[GuestNetworkService](ctx, c, KindGuestNetworkService, id)
}

// ListGuestNetworkServices is HcnEnumerateGuestNetworkServices followed by
// open, query and close of each (1+3N calls), skipping those deleted
// meanwhile, in enumeration order.
func (c *Client) ListGuestNetworkServices(ctx context.Context, opts *ListOptions) ([]*GuestNetworkService, error) {
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
