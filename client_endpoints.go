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
	h, id, err := c.createEndpoint(ctx, e)
	if err != nil {
		return nil, err
	}
	out, err := readBack[Endpoint](ctx, c, KindEndpoint, id, h)
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
	h, id, err := c.createEndpoint(ctx, e)
	if err != nil {
		return nil, err
	}
	return &EndpointHandle{core: newCore(c, KindEndpoint, id, h)}, nil
}

// OpenEndpoint is HcnOpenEndpoint: an owned handle to an existing endpoint.
func (c *Client) OpenEndpoint(ctx context.Context, id ID) (*EndpointHandle, error) {
	g, h, err := c.openArg(ctx, KindEndpoint, id)
	if err != nil {
		return nil, err
	}
	return &EndpointHandle{core: newCore(c, KindEndpoint, g, h)}, nil
}

func (c *Client) createEndpoint(ctx context.Context, e *Endpoint) (Handle, GUID, error) {
	const op = OpCreateEndpoint
	if e == nil {
		return 0, NilGUID, invalidf(op, KindEndpoint, "endpoint", "must not be nil")
	}
	if e.HostComputeNetwork == "" {
		return 0, NilGUID, opError(op, KindEndpoint, string(e.ID), &ValidationError{Path: "HostComputeNetwork", Reason: "required (the network to create the endpoint on)"})
	}
	id, settings, err := prepareCreate(op, e, e.ID)
	if err != nil {
		return 0, NilGUID, err
	}
	network, err := parseDocID(op, KindEndpoint, "HostComputeNetwork", e.HostComputeNetwork)
	if err != nil {
		return 0, NilGUID, err
	}
	if err := c.requireDocument(ctx, op, e); err != nil {
		return 0, NilGUID, err
	}
	return c.createEndpointRaw(ctx, network, id, settings, prefixCheck(op, e))
}

// prefixCheck returns the check CreateEndpoint runs on the open network
// handle when e asks for a PrefixLength the network decides (see
// CreateEndpoint); nil when it asks for none.
func prefixCheck(op string, e *Endpoint) func(context.Context, *handleCore) error {
	if !slices.ContainsFunc(e.IpConfigurations, func(c IPConfig) bool {
		a, err := c.Addr()
		return err == nil && c.PrefixLength != 0 && !(a.Is4() && c.PrefixLength == 32)
	}) {
		return nil
	}
	return func(ctx context.Context, nh *handleCore) error {
		n, err := queryDoc[Network](ctx, nh)
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
		decodeFor[Endpoint](KindEndpoint), func(e **Endpoint) bool { return (*e).Name == name })
	if err != nil {
		return nil, err
	}
	return firstByName(KindEndpoint, name, eps)
}

// ListEndpoints is HcnEnumerateEndpoints followed by open, query and close
// of each endpoint with bounded parallelism (exactly 1+3N calls when
// nothing fails), skipping endpoints deleted meanwhile, in enumeration
// order. opts filters by Name, Network, Namespace and IP.
func (c *Client) ListEndpoints(ctx context.Context, opts *ListOptions) ([]*Endpoint, error) {
	if err := opts.check("ListEndpoints", KindEndpoint); err != nil {
		return nil, err
	}
	return listDocs(ctx, c, KindEndpoint, enumQuery(KindEndpoint, opts), opts.propertiesQuery(),
		decodeFor[Endpoint](KindEndpoint), func(e **Endpoint) bool { return opts.keepEndpoint(*e) })
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
	var s string
	err = c.withOpen(ctx, KindEndpoint, id, func(hc *handleCore) error {
		var err error
		s, err = hc.readWith(ctx, OpQueryEndpointStats, c.svc.QueryEndpointStats)
		return err
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
	s, err := e.core.readWith(ctx, OpQueryEndpointStats, c.svc.QueryEndpointStats)
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
	var out string
	err := c.retryRead(ctx, func() error {
		var err error
		out, err = call(ctx, func() (string, error) {
			s, err := c.svc.HNSCall("GET", "/endpointstats/"+id.String(), "")
			return s, c.seen(err)
		}, nil)
		return err
	})
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
	var a *EndpointAddresses
	err = c.withOpen(ctx, KindEndpoint, id, func(hc *handleCore) error {
		var err error
		a, err = hc.addresses(ctx)
		return err
	})
	return a, err
}

// Addresses is HcnQueryEndpointAddresses on the handle.
func (e *EndpointHandle) Addresses(ctx context.Context) (*EndpointAddresses, error) {
	return e.core.addresses(ctx)
}

func (hc *handleCore) addresses(ctx context.Context) (*EndpointAddresses, error) {
	const op = OpQueryEndpointAddresses
	s, err := hc.readWith(ctx, op, hc.c.svc.QueryEndpointAddresses)
	if err != nil {
		return nil, err
	}
	a := &EndpointAddresses{Raw: s}
	if err := json.Unmarshal([]byte(s), a); err != nil {
		return nil, opError(op, KindEndpoint, hc.id.String(), fmt.Errorf("%w: %v", ErrInvalid, err))
	}
	return a, nil
}

// readWith runs a read-only call taking the handle and the default query,
// retried on transient failures.
func (hc *handleCore) readWith(ctx context.Context, op string, fn func(Handle, string) (string, error)) (string, error) {
	var out string
	err := hc.c.retryReadIf(ctx, transient, func() error {
		var err error
		out, err = useHandle(ctx, hc, op, func(h Handle) (string, error) { return fn(h, defaultQuery) }, nil)
		return err
	})
	return out, err
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
