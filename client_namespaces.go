package hcn

import "context"

// CreateNamespace is HcnCreateNamespace followed by
// HcnQueryNamespaceProperties on the new handle: it validates ns, creates
// it (a random id when ns.ID is empty; Type Host is what a container
// needs) and returns the namespace as the service reports it. The service
// may ignore the requested id (HostDefault); the returned document has the
// real one.
func (c *Client) CreateNamespace(ctx context.Context, ns *Namespace) (*Namespace, error) {
	h, id, err := c.createNamespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	return readBack[Namespace](ctx, c, KindNamespace, id, h)
}

// CreateNamespaceHandle is HcnCreateNamespace returning the owned handle
// of the new namespace. Keep it open for as long as a container uses the
// namespace.
func (c *Client) CreateNamespaceHandle(ctx context.Context, ns *Namespace) (*NamespaceHandle, error) {
	h, id, err := c.createNamespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	return &NamespaceHandle{core: newCore(c, KindNamespace, id, h)}, nil
}

// OpenNamespace is HcnOpenNamespace: an owned handle to an existing namespace.
func (c *Client) OpenNamespace(ctx context.Context, id GUID) (*NamespaceHandle, error) {
	h, err := c.openRaw(ctx, KindNamespace, id)
	if err != nil {
		return nil, err
	}
	return &NamespaceHandle{core: newCore(c, KindNamespace, id, h)}, nil
}

func (c *Client) createNamespace(ctx context.Context, ns *Namespace) (Handle, GUID, error) {
	const op = OpCreateNamespace
	if ns == nil {
		return 0, NilGUID, invalidf(op, KindNamespace, "namespace", "must not be nil")
	}
	id, settings, err := prepareCreate(op, ns, ns.ID)
	if err != nil {
		return 0, NilGUID, err
	}
	return c.createRaw(ctx, KindNamespace, id, settings)
}

// GetNamespace is HcnOpenNamespace + HcnQueryNamespaceProperties +
// HcnCloseNamespace: the namespace with id, or ErrNotFound.
func (c *Client) GetNamespace(ctx context.Context, id GUID) (*Namespace, error) {
	return getDoc[Namespace](ctx, c, KindNamespace, id)
}

// ListNamespaces is HcnEnumerateNamespaces followed by open, query and
// close of each namespace with bounded parallelism (1+3N calls), skipping
// namespaces deleted meanwhile, in enumeration order. Namespaces have no
// name; opts.Detailed is the only option that applies.
func (c *Client) ListNamespaces(ctx context.Context, opts *ListOptions) ([]*Namespace, error) {
	return listDocs(ctx, c, KindNamespace, defaultQuery, opts.propertiesQuery(), decodeFor[Namespace](KindNamespace), nil)
}

// DeleteNamespace is HcnDeleteNamespace. The host default namespace
// (HostDefaultNamespaceID) is refused with ErrInvalid before any call:
// deleting it breaks host networking. With opts.IgnoreNotFound a namespace
// that is already gone is a success.
func (c *Client) DeleteNamespace(ctx context.Context, id GUID, opts *DeleteOptions) error {
	return c.deleteDoc(ctx, KindNamespace, id, opts)
}

// ModifyNamespace is HcnOpenNamespace + HcnModifyNamespace +
// HcnCloseNamespace with a typed request (ModifyNamespaceEndpoint,
// ModifyNamespaceContainer), validated before any call.
func (c *Client) ModifyNamespace(ctx context.Context, id GUID, req ModifyRequest) error {
	return c.modifyByID(ctx, KindNamespace, id, req)
}

// AddNamespaceEndpoint adds an endpoint to a namespace (ResourceType
// Endpoint, RequestType Add, the id in bare lower-case form).
func (c *Client) AddNamespaceEndpoint(ctx context.Context, namespace, endpoint GUID) error {
	return c.ModifyNamespace(ctx, namespace, ModifyNamespaceEndpoint(RequestAdd, endpoint))
}

// RemoveNamespaceEndpoint removes an endpoint from a namespace.
func (c *Client) RemoveNamespaceEndpoint(ctx context.Context, namespace, endpoint GUID) error {
	return c.ModifyNamespace(ctx, namespace, ModifyNamespaceEndpoint(RequestRemove, endpoint))
}

// AddNamespaceContainer adds a container to a namespace (ResourceType
// Container, RequestType Add).
func (c *Client) AddNamespaceContainer(ctx context.Context, namespace GUID, containerID string) error {
	return c.ModifyNamespace(ctx, namespace, ModifyNamespaceContainer(RequestAdd, containerID))
}

// RemoveNamespaceContainer removes a container from a namespace.
func (c *Client) RemoveNamespaceContainer(ctx context.Context, namespace GUID, containerID string) error {
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
func (n *NamespaceHandle) AddEndpoint(ctx context.Context, endpoint GUID) error {
	return n.Modify(ctx, ModifyNamespaceEndpoint(RequestAdd, endpoint))
}

// RemoveEndpoint removes an endpoint from the namespace.
func (n *NamespaceHandle) RemoveEndpoint(ctx context.Context, endpoint GUID) error {
	return n.Modify(ctx, ModifyNamespaceEndpoint(RequestRemove, endpoint))
}
