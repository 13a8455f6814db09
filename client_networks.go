package hcn

import (
	"context"
	"errors"
)

// CreateNetwork is HcnCreateNetwork followed by HcnQueryNetworkProperties
// on the new handle: it validates n, creates the network (SchemaVersion
// 2.0 when n has none; a random id when n.ID is empty) and returns the
// network as the service reports it. Policies the service's version lacks
// are refused with ErrNotSupported before any call. If the read-back fails
// the network is deleted again and the error returned.
func (c *Client) CreateNetwork(ctx context.Context, n *Network) (*Network, error) {
	id, settings, err := c.prepareNetwork(ctx, n)
	if err != nil {
		return nil, err
	}
	return createDoc[Network](ctx, c, KindNetwork, id, settings)
}

// CreateNetworkHandle is HcnCreateNetwork returning the owned handle of
// the new network instead of its document.
func (c *Client) CreateNetworkHandle(ctx context.Context, n *Network) (*NetworkHandle, error) {
	id, settings, err := c.prepareNetwork(ctx, n)
	if err != nil {
		return nil, err
	}
	h, id, err := c.createRaw(ctx, KindNetwork, id, settings)
	if err != nil {
		return nil, err
	}
	return &NetworkHandle{core: c.adopt(KindNetwork, id, h)}, nil
}

// OpenNetwork is HcnOpenNetwork: an owned handle to an existing network.
func (c *Client) OpenNetwork(ctx context.Context, id ID) (*NetworkHandle, error) {
	g, h, err := c.openArg(ctx, KindNetwork, id)
	if err != nil {
		return nil, err
	}
	return &NetworkHandle{core: c.adopt(KindNetwork, g, h)}, nil
}

// prepareNetwork checks n and encodes it for HcnCreateNetwork: the id to
// create with (zero: assign) and the settings.
func (c *Client) prepareNetwork(ctx context.Context, n *Network) (GUID, string, error) {
	const op = OpCreateNetwork
	if n == nil {
		return NilGUID, "", invalidf(op, KindNetwork, "network", "must not be nil")
	}
	id, settings, err := prepareCreate(op, n, n.ID)
	if err != nil {
		return NilGUID, "", err
	}
	if err := c.requireDocument(ctx, op, n); err != nil {
		return NilGUID, "", err
	}
	return id, settings, nil
}

// EnsureNetwork returns the network named n.Name, creating it from n when
// there is none: the create-or-reuse of a node agent that may have made
// the network in an earlier run. created reports whether this call made
// it. The existing network is returned as it is, even when its settings
// differ from n. A create that loses a race with another creator
// (ErrAlreadyExists) returns the winner's network.
//
// The existing network is found as GetNetworkByName finds it: a network
// whose name differs from n.Name only in case is returned where the
// service treats the two names as one (see Names in the package
// documentation). A nil n, or an empty n.Name, is ErrInvalid before any
// call.
func (c *Client) EnsureNetwork(ctx context.Context, n *Network) (net *Network, created bool, err error) {
	if n == nil {
		return nil, false, invalidf("EnsureNetwork", KindNetwork, "network", "must not be nil")
	}
	if err := requireName("EnsureNetwork", KindNetwork, n.Name); err != nil {
		return nil, false, err
	}
	net, err = c.GetNetworkByName(ctx, n.Name)
	if !IsNotFound(err) {
		return net, false, err
	}
	net, err = c.CreateNetwork(ctx, n)
	if errors.Is(err, ErrAlreadyExists) {
		net, err = c.GetNetworkByName(ctx, n.Name)
		return net, false, err
	}
	return net, err == nil, err
}

// GetNetwork is HcnOpenNetwork + HcnQueryNetworkProperties +
// HcnCloseNetwork: the network with id, or ErrNotFound.
func (c *Client) GetNetwork(ctx context.Context, id ID) (*Network, error) {
	return getArg[Network](ctx, c, KindNetwork, id)
}

// GetNetworkByName returns the network named exactly name, or
// ErrNotFound: HcnEnumerateNetworks with the filter {"Name":name}, then
// open, query and close of each match. Names are case-sensitive (see Names
// in the package documentation). An empty name is ErrInvalid before any
// call.
func (c *Client) GetNetworkByName(ctx context.Context, name string) (*Network, error) {
	const op = "GetNetworkByName"
	if err := requireName(op, KindNetwork, name); err != nil {
		return nil, err
	}
	opts := &ListOptions{Name: name}
	nets, err := listDocs(ctx, c, KindNetwork, enumQuery(KindNetwork, opts), opts.propertiesQuery(),
		decodeFor[Network](KindNetwork), func(n *Network) bool { return n.Name == name })
	if err != nil {
		return nil, err
	}
	return firstByName(KindNetwork, name, nets)
}

// ListNetworks is HcnEnumerateNetworks followed by open, query and close
// of each network with bounded parallelism (exactly 1+3N service calls
// when nothing fails). Networks deleted while the list runs are skipped;
// the result keeps the service's enumeration order. opts may filter by
// Name; the other filters are refused (see ListOptions).
func (c *Client) ListNetworks(ctx context.Context, opts *ListOptions) ([]*Network, error) {
	if err := opts.check("ListNetworks", KindNetwork); err != nil {
		return nil, err
	}
	return listDocs(ctx, c, KindNetwork, enumQuery(KindNetwork, opts), opts.propertiesQuery(),
		decodeFor[Network](KindNetwork), func(n *Network) bool { return opts == nil || opts.Name == "" || n.Name == opts.Name })
}

// DeleteNetwork is HcnDeleteNetwork. With opts.IgnoreNotFound a network
// that is already gone is a success.
func (c *Client) DeleteNetwork(ctx context.Context, id ID, opts *DeleteOptions) error {
	return c.Delete(ctx, KindNetwork, id, opts)
}

// ModifyNetwork is HcnOpenNetwork + HcnModifyNetwork + HcnCloseNetwork
// with a typed request (see ModifyPolicies, ModifyDNS, ModifySubnet...).
// The request is validated, and policies the service's version lacks are
// refused, before any call.
func (c *Client) ModifyNetwork(ctx context.Context, id ID, req ModifyRequest) error {
	return c.modifyByID(ctx, KindNetwork, id, req)
}

// AddNetworkPolicies adds policies to a network (ResourceType Policy,
// RequestType Add).
func (c *Client) AddNetworkPolicies(ctx context.Context, id ID, policies ...Policy) error {
	return c.ModifyNetwork(ctx, id, ModifyPolicies(RequestAdd, policies...))
}

// RemoveNetworkPolicies removes policies from a network (RequestType
// Remove).
func (c *Client) RemoveNetworkPolicies(ctx context.Context, id ID, policies ...Policy) error {
	return c.ModifyNetwork(ctx, id, ModifyPolicies(RequestRemove, policies...))
}

// UpdateNetworkPolicies replaces policies of a network (RequestType
// Update).
func (c *Client) UpdateNetworkPolicies(ctx context.Context, id ID, policies ...Policy) error {
	return c.ModifyNetwork(ctx, id, ModifyPolicies(RequestUpdate, policies...))
}

// UpdateNetworkDNS replaces a network's DNS settings (ResourceType DNS,
// RequestType Update).
func (c *Client) UpdateNetworkDNS(ctx context.Context, id ID, dns DNS) error {
	return c.ModifyNetwork(ctx, id, ModifyDNS(RequestUpdate, dns))
}

// AddNetworkSubnet adds a subnet to a network (ResourceType Subnet,
// schema 2.6).
func (c *Client) AddNetworkSubnet(ctx context.Context, id ID, s Subnet) error {
	return c.ModifyNetwork(ctx, id, ModifySubnet(RequestAdd, s))
}

// RemoveNetworkSubnet removes a subnet from a network.
func (c *Client) RemoveNetworkSubnet(ctx context.Context, id ID, s Subnet) error {
	return c.ModifyNetwork(ctx, id, ModifySubnet(RequestRemove, s))
}

// Query is HcnQueryNetworkProperties on the handle, decoded. Transient
// failures are retried.
func (n *NetworkHandle) Query(ctx context.Context) (*Network, error) {
	return queryDoc[Network](ctx, &n.core)
}

// Modify is HcnModifyNetwork on the handle with a typed request, checked
// as ModifyNetwork checks it.
func (n *NetworkHandle) Modify(ctx context.Context, req ModifyRequest) error {
	return n.core.c.modifyOn(ctx, &n.core, req)
}

// decodeFor returns the list decoder of a document type.
func decodeFor[D any, P docPtr[D]](kind Kind) func(string) (P, error) {
	return func(s string) (P, error) { return decodeDoc[D, P](kind, NilGUID, s) }
}
