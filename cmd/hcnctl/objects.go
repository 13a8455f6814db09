package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hcnkit/hcn"
)

// object is one HCN object as hcnctl handles it: its kind, id, name (for
// networks and endpoints) and document, which marshals to the service's
// own JSON, losslessly.
type object struct {
	kind hcn.Kind
	id   hcn.ID
	name string
	doc  json.Marshaler
}

// wrap returns the objects of docs.
func wrap[D json.Marshaler](kind hcn.Kind, docs []D, idName func(D) (hcn.ID, string)) []object {
	out := make([]object, 0, len(docs))
	for _, d := range docs {
		id, name := idName(d)
		out = append(out, object{kind: kind, id: id, name: name, doc: d})
	}
	return out
}

// listObjects lists the objects of kind, filtered by opts.
func listObjects(ctx context.Context, c *hcn.Client, kind hcn.Kind, opts *hcn.ListOptions) ([]object, error) {
	switch kind {
	case hcn.KindNetwork:
		d, err := c.ListNetworks(ctx, opts)
		return wrap(kind, d, func(n *hcn.Network) (hcn.ID, string) { return n.ID, n.Name }), err
	case hcn.KindEndpoint:
		d, err := c.ListEndpoints(ctx, opts)
		return wrap(kind, d, func(e *hcn.Endpoint) (hcn.ID, string) { return e.ID, e.Name }), err
	case hcn.KindNamespace:
		d, err := c.ListNamespaces(ctx, opts)
		return wrap(kind, d, func(n *hcn.Namespace) (hcn.ID, string) { return n.ID, "" }), err
	case hcn.KindLoadBalancer:
		d, err := c.ListLoadBalancers(ctx, opts)
		return wrap(kind, d, func(l *hcn.LoadBalancer) (hcn.ID, string) { return l.ID, "" }), err
	case hcn.KindSDNRoute:
		d, err := c.ListSDNRoutes(ctx, opts)
		return wrap(kind, d, func(r *hcn.SDNRoute) (hcn.ID, string) { return r.ID, "" }), err
	case hcn.KindGuestNetworkService:
		d, err := c.ListGuestNetworkServices(ctx, opts)
		return wrap(kind, d, func(g *hcn.GuestNetworkService) (hcn.ID, string) { return g.ID, "" }), err
	}
	return nil, fmt.Errorf("kind %s has no list", kind)
}

// getObject returns the object of kind with id.
func getObject(ctx context.Context, c *hcn.Client, kind hcn.Kind, id hcn.ID) (object, error) {
	var (
		doc  json.Marshaler
		name string
		err  error
	)
	switch kind {
	case hcn.KindNetwork:
		var n *hcn.Network
		if n, err = c.GetNetwork(ctx, id); err == nil {
			doc, name = n, n.Name
		}
	case hcn.KindEndpoint:
		var e *hcn.Endpoint
		if e, err = c.GetEndpoint(ctx, id); err == nil {
			doc, name = e, e.Name
		}
	case hcn.KindNamespace:
		doc, err = nonNil(c.GetNamespace(ctx, id))
	case hcn.KindLoadBalancer:
		doc, err = nonNil(c.GetLoadBalancer(ctx, id))
	case hcn.KindSDNRoute:
		doc, err = nonNil(c.GetSDNRoute(ctx, id))
	case hcn.KindGuestNetworkService:
		doc, err = nonNil(c.GetGuestNetworkService(ctx, id))
	default:
		err = fmt.Errorf("kind %s has no get", kind)
	}
	if err != nil {
		return object{}, err
	}
	return object{kind: kind, id: id.Canonical(), name: name, doc: doc}, nil
}

// nonNil turns a typed nil document into a nil interface.
func nonNil[D interface {
	*E
	json.Marshaler
}, E any](d D, err error) (json.Marshaler, error) {
	if err != nil || d == nil {
		return nil, err
	}
	return d, nil
}

// resolve returns the object of kind that ref names: an id (any case,
// braced or not), else, for networks and endpoints, a name. A name that
// names several endpoints is ambiguous.
func resolve(ctx context.Context, c *hcn.Client, kind hcn.Kind, ref string) (object, error) {
	if _, err := hcn.ParseGUID(ref); err == nil {
		return getObject(ctx, c, kind, hcn.ID(ref))
	}
	if kind != hcn.KindNetwork && kind != hcn.KindEndpoint {
		return object{}, usagef("%q is not an id (a %s has no name)", ref, kind)
	}
	objs, err := listObjects(ctx, c, kind, &hcn.ListOptions{Name: ref})
	if err != nil {
		return object{}, err
	}
	switch len(objs) {
	case 0:
		return object{}, fmt.Errorf("%s %q: %w", kind, ref, hcn.ErrNotFound)
	case 1:
		return objs[0], nil
	}
	return object{}, fmt.Errorf("%s name %q is ambiguous (%d objects); use an id", kind, ref, len(objs))
}
