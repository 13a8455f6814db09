package hcn

import "context"

// CreateNamespace is HcnCreateNamespace followed by
// HcnQueryNamespaceProperties on the new handle: it validates ns, creates
// it (a random id when ns.ID is empty; Type Host is what a container
// needs) and returns the namespace as the service reports it. The service
// may ignore the requested id (HostDefault); the returned document has the
// real one.
func (c *Client) CreateNamespace(ctx context.Context, ns *Namespace) (*Namespace, error) {
	id, settings, err := prepareNamespace(ns)
	if err != nil {
		return nil, err
	}
	return createDoc[Namespace](ctx, c, KindNamespace, id, settings)
}

// CreateNamespaceHandle is HcnCreateNamespace returning the owned handle
// of the new namespace. Keep it open for as long as a container uses the
// namespace.
func (c *Client) CreateNamespaceHandle(ctx context.Context, ns *Namespace) (*NamespaceHandle, error) {
	id, settings, err := prepareNamespace(ns)
	if err != nil {
		return nil, err
	}
	h, id, err := c.createRaw(ctx, KindNamespace, id, settings)
	if err != nil {
		return nil, err
	}
	return &NamespaceHandle{core: c.adopt(KindNamespace, id, h)}, nil
}

// OpenNamespace is HcnOpenNamespace: an owned handle to an existing namespace.
func (c *Client) OpenNamespace(ctx context.Context, id ID) (*NamespaceHandle, error) {
	g, h, err := c.openArg(ctx, KindNamespace, id)
	if err != nil {
		return nil, err
	}
	return &NamespaceHandle{core: c.adopt(KindNamespace, g, h)}, nil
}

// prepareNamespace checks ns and encodes it for HcnCreateNamespace.
func prepareNamespace(ns *Namespace) (GUID, string, error) {
	if ns == nil {
		return NilGUID, "", invalidf(OpCreateNamespace, KindNamespace, "namespace", "must not be nil")
	}
	return prepareCreate(OpCreateNamespace, ns, ns.ID)
}

// GetNamespace is HcnOpenNamespace + HcnQueryNamespaceProperties +
// HcnCloseNamespace: the namespace with id, or ErrNotFound.
func (c *Client) GetNamespace(ctx context.Context, id ID) (*Namespace, error) {
	return getArg[Namespace](ctx, c, KindNamespace, id)
}

// ListNamespaces is HcnEnumerateNamespaces followed by open, query and
// close of each namespace with bounded parallelism (1+3N calls), skipping
// namespaces deleted meanwhile, in enumeration order. Namespaces have no
// name; opts.Detailed is the only option that applies, and a filter set
// is refused (see ListOptions).
func (c *Client) ListNamespaces(ctx context.Context, opts *ListOptions) ([]*Namespace, error) {
	if err := opts.check("ListNamespaces", KindNamespace); err != nil {
		return nil, err
	}
	return listDocs(ctx, c, KindNamespace, defaultQuery, opts.propertiesQuery(), decodeFor[Namespace](KindNamespace), nil)
}

// DeleteNamespace is HcnDeleteNamespace. The host default namespace
// (HostDefaultNamespaceID) is refused with ErrInvalid before any call:
// deleting it breaks host networking. With opts.IgnoreNotFound a namespace
// that is already gone is a success.
func (c *Client) DeleteNamespace(ctx context.Context, id ID, opts *DeleteOptions) error {
	return c.Delete(ctx, KindNamespace, id, opts)
}

// ModifyNamespace is HcnOpenNamespace + HcnModifyNamespace +
// HcnCloseNamespace with a typed request (ModifyNamespaceEndpoint,
// ModifyNamespaceContainer), validated before any call.
func (c *Client) ModifyNamespace(ctx context.Context, id ID, req ModifyRequest) error {
	return c.modifyByID(ctx, KindNamespace, id, req)
}

// AddNamespaceEndpoint adds an endpoint to a namespace (ResourceType
// Endpoint, RequestType Add, the id in bare lower-case form).
func (c *Client) AddNamespaceEndpoint(ctx context.Context, namespace, endpoint ID) error {
	return c.namespaceEndpoint(ctx, RequestAdd, namespace, endpoint)
}

// RemoveNamespaceEndpoint removes an endpoint from a namespace.
func (c *Client) RemoveNamespaceEndpoint(ctx context.Context, namespace, endpoint ID) error {
	return c.namespaceEndpoint(ctx, RequestRemove, namespace, endpoint)
}

// namespaceEndpoint is Add/RemoveNamespaceEndpoint, with both ids checked
// (and named) before any call.
func (c *Client) namespaceEndpoint(ctx context.Context, req RequestType, namespace, endpoint ID) error {
	const op = OpModifyNamespace
	if _, err := argID(op, KindNamespace, "namespace", namespace); err != nil {
		return err
	}
	if _, err := argID(op, KindNamespace, "endpoint", endpoint); err != nil {
		return err
	}
	return c.ModifyNamespace(ctx, namespace, ModifyNamespaceEndpoint(req, endpoint))
}

// AddNamespaceContainer adds a container to a namespace (ResourceType
// Container, RequestType Add).
func (c *Client) AddNamespaceContainer(ctx context.Context, namespace ID, containerID string) error {
	return c.ModifyNamespace(ctx, namespace, ModifyNamespaceContainer(RequestAdd, containerID))
}

// RemoveNamespaceContainer removes a container from a namespace.
func (c *Client) RemoveNamespaceContainer(ctx context.Context, namespace ID, containerID string) error {
	return c.ModifyNamespace(ctx, namespace, ModifyNamespaceContainer(RequestRemove, containerID))
}

// Query is HcnQueryNamespaceProperties on the handle, decoded.
func (n *NamespaceHandle) Query(ctx context.Context) (*Namespace, error) {
	return queryDoc[Namespace](ctx, &n.core)
}

// Modify is HcnModifyNamespace on the handle with a typed request.
func (n *NamespaceHandle) Modify(ctx context.Context, req ModifyRequest) error {
	return n.core.c.modifyOn(ctx, &n.core, req)
}

// AddEndpoint adds an endpoint to the namespace (HcnModifyNamespace).
func (n *NamespaceHandle) AddEndpoint(ctx context.Context, endpoint ID) error {
	return n.Modify(ctx, ModifyNamespaceEndpoint(RequestAdd, endpoint))
}

// RemoveEndpoint removes an endpoint from the namespace.
func (n *NamespaceHandle) RemoveEndpoint(ctx context.Context, endpoint ID) error {
	return n.Modify(ctx, ModifyNamespaceEndpoint(RequestRemove, endpoint))
}
