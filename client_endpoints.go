package hcn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// CreateEndpoint is HcnOpenNetwork + HcnCreateEndpoint + HcnCloseNetwork
// followed by HcnQueryEndpointProperties on the new handle: it validates
// e, creates it on the network e.HostComputeNetwork (required) and returns
// the endpoint as the service reports it (with the addresses it
// assigned). The network handle is closed on every path. Features the
// service's version lacks — policies, IPv6 addresses or routes, an IPv4
// /32 prefix (Slash32EndpointPrefixes) — are refused before any call. A
// MacAddress may be written with dashes or colons; it is sent with dashes.
// If the read-back fails the endpoint is deleted again and the error
// returned.
//
// Prefix lengths: the service gives an endpoint its subnet's prefix
// length. When an IpConfigurations entry asks for a PrefixLength other
// than zero (the subnet's) or an IPv4 /32, the Client first reads the
// network (HcnQueryNetworkProperties on the open network handle) and
// refuses a PrefixLength that differs from the subnet's with ErrInvalid
// naming IpConfigurations[i].PrefixLength (Endpoint.ValidateIn makes the
// same check offline). Should the service still answer with a prefix
// length other than the one asked for (a host without /32 support), the
// Client logs a warning naming both; the returned document shows what
// applies.
func (c *Client) CreateEndpoint(ctx context.Context, e *Endpoint) (*Endpoint, error) {
	p, err := c.prepareEndpoint(ctx, e)
	if err != nil {
		return nil, err
	}
	out, err := abandonableCreate(ctx, c, func() (*Endpoint, error) {
		h, err := c.createOnNetwork(ctx, p.network, p.id, p.settings, p.check)
		if err != nil {
			return nil, err
		}
		return readBack[Endpoint](ctx, c, KindEndpoint, p.id, h)
	}, func(*Endpoint) { c.undoCreate(KindEndpoint, p.id, 0) })
	if err == nil {
		c.notePrefixChanges(e, out)
	}
	return out, err
}

// notePrefixChanges logs each address whose PrefixLength the service set
// to another value than the one asked for.
func (c *Client) notePrefixChanges(asked, got *Endpoint) {
	for _, a := range asked.IpConfigurations {
		if a.PrefixLength == 0 {
			continue
		}
		for _, g := range got.IpConfigurations {
			if g.IpAddress == a.IpAddress && g.PrefixLength != a.PrefixLength {
				c.log.Warn("hcn: the service gave the endpoint another prefix length than asked", "id", got.ID,
					"address", a.IpAddress, "asked", a.PrefixLength, "given", g.PrefixLength)
			}
		}
	}
}

// CreateEndpointHandle is CreateEndpoint returning the owned handle of the
// new endpoint instead of its document.
func (c *Client) CreateEndpointHandle(ctx context.Context, e *Endpoint) (*EndpointHandle, error) {
	p, err := c.prepareEndpoint(ctx, e)
	if err != nil {
		return nil, err
	}
	h, err := abandonableCreate(ctx, c, func() (Handle, error) {
		return c.createOnNetwork(ctx, p.network, p.id, p.settings, p.check)
	}, func(h Handle) { c.undoCreate(KindEndpoint, p.id, h) })
	if err != nil {
		return nil, err
	}
	return &EndpointHandle{core: c.adopt(KindEndpoint, p.id, h)}, nil
}

// OpenEndpoint is HcnOpenEndpoint: an owned handle to an existing endpoint.
func (c *Client) OpenEndpoint(ctx context.Context, id ID) (*EndpointHandle, error) {
	g, h, err := c.openArg(ctx, KindEndpoint, id)
	if err != nil {
		return nil, err
	}
	return &EndpointHandle{core: c.adopt(KindEndpoint, g, h)}, nil
}

// endpointCreate is a checked CreateEndpoint: the network to create on,
// the endpoint's id (never zero: a random one when e has none, so that an
// abandoned create can be undone), the settings, and the check to run on
// the open network handle first (nil: none).
type endpointCreate struct {
	network, id GUID
	settings    string
	check       func(context.Context, Handle) error
}

// prepareEndpoint checks e and encodes it for HcnCreateEndpoint.
func (c *Client) prepareEndpoint(ctx context.Context, e *Endpoint) (endpointCreate, error) {
	const op = OpCreateEndpoint
	if e == nil {
		return endpointCreate{}, invalidf(op, KindEndpoint, "endpoint", "must not be nil")
	}
	if e.HostComputeNetwork == "" {
		return endpointCreate{}, opError(op, KindEndpoint, string(e.ID), &ValidationError{Path: "HostComputeNetwork", Reason: "required (the network to create the endpoint on)"})
	}
	id, settings, err := prepareCreate(op, e, e.ID)
	if err != nil {
		return endpointCreate{}, err
	}
	network, err := parseDocID(op, KindEndpoint, "HostComputeNetwork", e.HostComputeNetwork)
	if err != nil {
		return endpointCreate{}, err
	}
	if err := c.requireDocument(ctx, op, e); err != nil {
		return endpointCreate{}, err
	}
	if id.IsZero() {
		id = NewGUID()
	}
	return endpointCreate{network: network, id: id, settings: settings, check: c.prefixCheck(op, e, network)}, nil
}

// prefixCheck returns the check CreateEndpoint runs on the open network
// handle when e asks for a PrefixLength the network decides (see
// CreateEndpoint); nil when it asks for none.
func (c *Client) prefixCheck(op string, e *Endpoint, network GUID) func(context.Context, Handle) error {
	if !slices.ContainsFunc(e.IpConfigurations, func(c IPConfig) bool {
		a, err := c.Addr()
		return err == nil && c.PrefixLength != 0 && !(a.Is4() && c.PrefixLength == 32)
	}) {
		return nil
	}
	return func(ctx context.Context, nh Handle) error {
		n, err := docOn[Network](ctx, c, KindNetwork, network, nh)
		if err != nil {
			return err
		}
		var v validator
		e.checkPrefixLengths(&v, n)
		if err := v.err(); err != nil {
			return opError(op, KindEndpoint, string(e.ID), err)
		}
		return nil
	}
}

// GetEndpoint is HcnOpenEndpoint + HcnQueryEndpointProperties +
// HcnCloseEndpoint: the endpoint with id, or ErrNotFound.
func (c *Client) GetEndpoint(ctx context.Context, id ID) (*Endpoint, error) {
	return getArg[Endpoint](ctx, c, KindEndpoint, id)
}

// GetEndpointByName returns the endpoint named exactly name, or
// ErrNotFound, looked up as GetNetworkByName looks up networks. Endpoint
// names need not be unique: the first in enumeration order wins. An empty
// name is ErrInvalid before any call.
func (c *Client) GetEndpointByName(ctx context.Context, name string) (*Endpoint, error) {
	const op = "GetEndpointByName"
	if err := requireName(op, KindEndpoint, name); err != nil {
		return nil, err
	}
	opts := &ListOptions{Name: name}
	eps, err := listDocs(ctx, c, KindEndpoint, enumQuery(KindEndpoint, opts), opts.propertiesQuery(),
		decodeFor[Endpoint](KindEndpoint), func(e *Endpoint) bool { return e.Name == name })
	if err != nil {
		return nil, err
	}
	return firstByName(KindEndpoint, name, eps)
}

// ListEndpoints is HcnEnumerateEndpoints followed by open, query and close
// of each endpoint with bounded parallelism (exactly 1+3N calls when
// nothing fails), skipping endpoints deleted meanwhile, in enumeration
// order. opts filters by Name, Network, Namespace and IP; with Namespace
// the endpoints are those the namespace names, in its order (ListOptions
// gives the cost of each filter).
func (c *Client) ListEndpoints(ctx context.Context, opts *ListOptions) ([]*Endpoint, error) {
	if err := opts.check("ListEndpoints", KindEndpoint); err != nil {
		return nil, err
	}
	decode, keep := decodeFor[Endpoint](KindEndpoint), opts.keepEndpoint
	if ns, ok := opts.namespace(); ok {
		ids, err := c.namespaceEndpoints(ctx, ns)
		if err != nil {
			return nil, err
		}
		return fetchDocs(ctx, c, KindEndpoint, ids, opts.propertiesQuery(), decode, keep)
	}
	return listDocs(ctx, c, KindEndpoint, enumQuery(KindEndpoint, opts), opts.propertiesQuery(), decode, keep)
}

// namespace returns the Namespace filter's id, when there is one that
// names a namespace.
func (o *ListOptions) namespace() (GUID, bool) {
	if o == nil {
		return NilGUID, false
	}
	g, err := o.Namespace.GUID()
	return g, err == nil && !g.IsZero()
}

// namespaceEndpoints returns the ids of the endpoints namespace ns names
// in its Resources, in its order and each once: HcnOpenNamespace +
// HcnQueryNamespaceProperties + HcnCloseNamespace. A namespace that does
// not exist names none.
func (c *Client) namespaceEndpoints(ctx context.Context, ns GUID) ([]GUID, error) {
	doc, err := getDoc[Namespace](ctx, c, KindNamespace, ns)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []GUID
	for _, s := range doc.EndpointIDs() {
		if g, err := s.GUID(); err == nil && !g.IsZero() && !slices.Contains(ids, g) {
			ids = append(ids, g)
		}
	}
	return ids, nil
}

// keepEndpoint applies the endpoint filters.
func (o *ListOptions) keepEndpoint(e *Endpoint) bool {
	switch {
	case o == nil:
		return true
	case o.Name != "" && e.Name != o.Name,
		o.Network != "" && !e.HostComputeNetwork.Equal(o.Network),
		o.Namespace != "" && !e.HostComputeNamespace.Equal(o.Namespace):
		return false
	case o.IP.IsValid():
		for i := range e.IpConfigurations {
			if a, err := e.IpConfigurations[i].Addr(); err == nil && a == o.IP {
				return true
			}
		}
		return false
	}
	return true
}

// DeleteEndpoint is HcnDeleteEndpoint. With opts.IgnoreNotFound an
// endpoint that is already gone is a success.
func (c *Client) DeleteEndpoint(ctx context.Context, id ID, opts *DeleteOptions) error {
	return c.Delete(ctx, KindEndpoint, id, opts)
}

// ModifyEndpoint is HcnOpenEndpoint + HcnModifyEndpoint +
// HcnCloseEndpoint with a typed request (ModifyPolicies,
// ModifyEndpointPort), validated and feature-checked before any call.
func (c *Client) ModifyEndpoint(ctx context.Context, id ID, req ModifyRequest) error {
	return c.modifyByID(ctx, KindEndpoint, id, req)
}

// AddEndpointPolicies adds policies to an endpoint.
func (c *Client) AddEndpointPolicies(ctx context.Context, id ID, policies ...Policy) error {
	return c.ModifyEndpoint(ctx, id, ModifyPolicies(RequestAdd, policies...))
}

// RemoveEndpointPolicies removes policies from an endpoint.
func (c *Client) RemoveEndpointPolicies(ctx context.Context, id ID, policies ...Policy) error {
	return c.ModifyEndpoint(ctx, id, ModifyPolicies(RequestRemove, policies...))
}

// UpdateEndpointPolicies replaces policies of an endpoint.
func (c *Client) UpdateEndpointPolicies(ctx context.Context, id ID, policies ...Policy) error {
	return c.ModifyEndpoint(ctx, id, ModifyPolicies(RequestUpdate, policies...))
}

// AttachEndpointPort attaches an endpoint to a VM's switch port
// (ResourceType Port, RequestType Add).
func (c *Client) AttachEndpointPort(ctx context.Context, id ID, port EndpointPortRequest) error {
	return c.ModifyEndpoint(ctx, id, ModifyEndpointPort(RequestAdd, port))
}

// DetachEndpointPort detaches an endpoint from a VM's switch port
// (ResourceType Port, RequestType Remove).
func (c *Client) DetachEndpointPort(ctx context.Context, id ID, port EndpointPortRequest) error {
	return c.ModifyEndpoint(ctx, id, ModifyEndpointPort(RequestRemove, port))
}

// Query is HcnQueryEndpointProperties on the handle, decoded.
func (e *EndpointHandle) Query(ctx context.Context) (*Endpoint, error) {
	return queryDoc[Endpoint](ctx, &e.core)
}

// Modify is HcnModifyEndpoint on the handle with a typed request.
func (e *EndpointHandle) Modify(ctx context.Context, req ModifyRequest) error {
	return e.core.c.modifyOn(ctx, &e.core, req)
}

// EndpointStats returns an endpoint's traffic counters:
// HcnQueryEndpointStats where the host has it, else (the export missing:
// ErrNotSupported) HNS v1 `GET /endpointstats/<id>`. Transient failures
// are retried.
func (c *Client) EndpointStats(ctx context.Context, arg ID) (*EndpointStats, error) {
	id, err := argID(OpQueryEndpointStats, KindEndpoint, "id", arg)
	if err != nil {
		return nil, err
	}
	s, err := withOpened(ctx, c, KindEndpoint, id, func(h Handle) (string, error) {
		return c.readOn(ctx, h, defaultQuery, c.svc.QueryEndpointStats)
	})
	if errors.Is(err, ErrNotSupported) {
		return c.endpointStatsV1(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	return decodeStats(OpQueryEndpointStats, id, s)
}

// Stats is EndpointStats for the handle's endpoint (HcnQueryEndpointStats
// on the handle, falling back to HNS v1).
func (e *EndpointHandle) Stats(ctx context.Context) (*EndpointStats, error) {
	c := e.core.c
	s, err := onOwned(ctx, &e.core, OpQueryEndpointStats, func(h Handle) (string, error) {
		return c.readOn(ctx, h, defaultQuery, c.svc.QueryEndpointStats)
	}, nil)
	if errors.Is(err, ErrNotSupported) {
		return c.endpointStatsV1(ctx, e.core.id)
	}
	if err != nil {
		return nil, err
	}
	return decodeStats(OpQueryEndpointStats, e.core.id, s)
}

func decodeStats(op string, id GUID, s string) (*EndpointStats, error) {
	st, err := ParseEndpointStats(s)
	if err != nil {
		return nil, opError(op, KindEndpoint, id.String(), err)
	}
	return &st, nil
}

// endpointStatsV1 is HNS v1 `GET /endpointstats/<id>`: the v1 envelope
// {"Success":..,"Error":..,"Output":{counters}}.
func (c *Client) endpointStatsV1(ctx context.Context, id GUID) (*EndpointStats, error) {
	const op = "HNSCall GET /endpointstats"
	out, err := abandonable(ctx, func() (string, error) { return c.hnsGet(ctx, "/endpointstats/"+id.String()) }, nil)
	if err != nil {
		return nil, err
	}
	var env struct {
		Success bool            `json:"Success"`
		Error   string          `json:"Error"`
		Output  json.RawMessage `json:"Output"`
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		return nil, opError(op, KindEndpoint, id.String(), fmt.Errorf("%w: answer is not a v1 envelope: %v", ErrInvalid, err))
	}
	if !env.Success {
		return nil, opError(op, KindEndpoint, id.String(), v1Failure(env.Error))
	}
	return decodeStats(op, id, string(env.Output))
}

// v1Failure classifies an HNS v1 failure message: the v1 API reports
// failures as text only.
func v1Failure(msg string) error {
	msg = strings.TrimSpace(msg)
	if strings.Contains(strings.ToLower(msg), "not found") {
		return fmt.Errorf("%w: %s", ErrNotFound, msg)
	}
	return errors.New(msg)
}

// EndpointAddresses is the answer of HcnQueryEndpointAddresses: the
// endpoint's addresses and MAC address.
type EndpointAddresses struct {
	// IPAddresses are the endpoint's addresses ("IpAddresses").
	IPAddresses []IPConfig `json:"IpAddresses,omitempty"`
	// MacAddress is the endpoint's MAC address, e.g. "00-15-5D-52-C0-00".
	MacAddress string `json:"MacAddress,omitempty"`
	// Raw is the answer as the service sent it.
	Raw string `json:"-"`
}

// EndpointAddresses is HcnOpenEndpoint + HcnQueryEndpointAddresses +
// HcnCloseEndpoint. Hosts without the export fail with ErrNotSupported.
func (c *Client) EndpointAddresses(ctx context.Context, arg ID) (*EndpointAddresses, error) {
	id, err := argID(OpQueryEndpointAddresses, KindEndpoint, "id", arg)
	if err != nil {
		return nil, err
	}
	s, err := withOpened(ctx, c, KindEndpoint, id, func(h Handle) (string, error) {
		return c.readOn(ctx, h, defaultQuery, c.svc.QueryEndpointAddresses)
	})
	if err != nil {
		return nil, err
	}
	return parseAddresses(id, s)
}

// Addresses is HcnQueryEndpointAddresses on the handle.
func (e *EndpointHandle) Addresses(ctx context.Context) (*EndpointAddresses, error) {
	c := e.core.c
	s, err := onOwned(ctx, &e.core, OpQueryEndpointAddresses, func(h Handle) (string, error) {
		return c.readOn(ctx, h, defaultQuery, c.svc.QueryEndpointAddresses)
	}, nil)
	if err != nil {
		return nil, err
	}
	return parseAddresses(e.core.id, s)
}

// parseAddresses decodes the answer of HcnQueryEndpointAddresses.
func parseAddresses(id GUID, s string) (*EndpointAddresses, error) {
	a := &EndpointAddresses{Raw: s}
	if err := json.Unmarshal([]byte(s), a); err != nil {
		return nil, opError(OpQueryEndpointAddresses, KindEndpoint, id.String(), fmt.Errorf("%w: %v", ErrInvalid, err))
	}
	return a, nil
}

// keepIP reports whether addr is one of texts (parsed addresses).
func keepIP(texts []string, addr netip.Addr) bool {
	for _, t := range texts {
		if a, err := netip.ParseAddr(t); err == nil && a == addr {
			return true
		}
	}
	return false
}
