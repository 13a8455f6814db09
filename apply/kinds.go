package apply

import (
	"context"
	"fmt"

	"github.com/hcnkit/hcn"
)

// The five families apply manages, in dependency order: an object may refer
// only to objects of the families before it.
var order = [...]hcn.Kind{hcn.KindNetwork, hcn.KindEndpoint, hcn.KindNamespace, hcn.KindLoadBalancer, hcn.KindSDNRoute}

// kindIndex is the position of k in order, or -1.
func kindIndex(k hcn.Kind) int {
	for i, o := range order {
		if o == k {
			return i
		}
	}
	return -1
}

// kindWord is how plans and errors name a family.
func kindWord(k hcn.Kind) string {
	switch k {
	case hcn.KindNetwork:
		return "network"
	case hcn.KindEndpoint:
		return "endpoint"
	case hcn.KindNamespace:
		return "namespace"
	case hcn.KindLoadBalancer:
		return "loadbalancer"
	case hcn.KindSDNRoute:
		return "route"
	}
	return k.String()
}

// listField is the Desired member holding a family.
func listField(k hcn.Kind) string {
	switch k {
	case hcn.KindNetwork:
		return "networks"
	case hcn.KindEndpoint:
		return "endpoints"
	case hcn.KindNamespace:
		return "namespaces"
	case hcn.KindLoadBalancer:
		return "loadBalancers"
	case hcn.KindSDNRoute:
		return "routes"
	}
	return k.String()
}

// base returns the document's ID and base fields.
func base(d hcn.Document) (*hcn.ID, *hcn.BaseFields) {
	switch d := d.(type) {
	case *hcn.Network:
		return &d.ID, &d.BaseFields
	case *hcn.Endpoint:
		return &d.ID, &d.BaseFields
	case *hcn.Namespace:
		return &d.ID, &d.BaseFields
	case *hcn.LoadBalancer:
		return &d.ID, &d.BaseFields
	case *hcn.SDNRoute:
		return &d.ID, &d.BaseFields
	}
	panic(fmt.Sprintf("apply: unexpected document %T", d))
}

func idOf(d hcn.Document) hcn.ID    { id, _ := base(d); return *id }
func ownerOf(d hcn.Document) string { _, b := base(d); return b.Owner }

// nameOf is a network's or endpoint's Name, else "".
func nameOf(d hcn.Document) string {
	switch d := d.(type) {
	case *hcn.Network:
		return d.Name
	case *hcn.Endpoint:
		return d.Name
	}
	return ""
}

// newDoc returns an empty document of kind k.
func newDoc(k hcn.Kind) hcn.Document {
	switch k {
	case hcn.KindNetwork:
		return new(hcn.Network)
	case hcn.KindEndpoint:
		return new(hcn.Endpoint)
	case hcn.KindNamespace:
		return new(hcn.Namespace)
	case hcn.KindLoadBalancer:
		return new(hcn.LoadBalancer)
	case hcn.KindSDNRoute:
		return new(hcn.SDNRoute)
	}
	panic("apply: unexpected kind " + k.String())
}

// clone copies d through its JSON form, so that nothing is shared.
func clone(d hcn.Document) (hcn.Document, error) {
	b, err := d.MarshalJSON()
	if err != nil {
		return nil, err
	}
	c := newDoc(d.Kind())
	if err := c.UnmarshalJSON(b); err != nil {
		return nil, err
	}
	return c, nil
}

// get reads one object.
func get(ctx context.Context, c *hcn.Client, k hcn.Kind, id hcn.ID) (hcn.Document, error) {
	switch k {
	case hcn.KindNetwork:
		return c.GetNetwork(ctx, id)
	case hcn.KindEndpoint:
		return c.GetEndpoint(ctx, id)
	case hcn.KindNamespace:
		return c.GetNamespace(ctx, id)
	case hcn.KindLoadBalancer:
		return c.GetLoadBalancer(ctx, id)
	case hcn.KindSDNRoute:
		return c.GetSDNRoute(ctx, id)
	}
	panic("apply: unexpected kind " + k.String())
}

// list reads every object of a family.
func list(ctx context.Context, c *hcn.Client, k hcn.Kind) ([]hcn.Document, error) {
	var out []hcn.Document
	add := func(n int, at func(int) hcn.Document, err error) ([]hcn.Document, error) {
		if err != nil {
			return nil, err
		}
		for i := range n {
			out = append(out, at(i))
		}
		return out, nil
	}
	switch k {
	case hcn.KindNetwork:
		l, err := c.ListNetworks(ctx, nil)
		return add(len(l), func(i int) hcn.Document { return l[i] }, err)
	case hcn.KindEndpoint:
		l, err := c.ListEndpoints(ctx, nil)
		return add(len(l), func(i int) hcn.Document { return l[i] }, err)
	case hcn.KindNamespace:
		l, err := c.ListNamespaces(ctx, nil)
		return add(len(l), func(i int) hcn.Document { return l[i] }, err)
	case hcn.KindLoadBalancer:
		l, err := c.ListLoadBalancers(ctx, nil)
		return add(len(l), func(i int) hcn.Document { return l[i] }, err)
	case hcn.KindSDNRoute:
		l, err := c.ListSDNRoutes(ctx, nil)
		return add(len(l), func(i int) hcn.Document { return l[i] }, err)
	}
	panic("apply: unexpected kind " + k.String())
}

// create makes the object d describes (its ID set) and closes the handle:
// HcnCreate<Kind> and HcnClose<Kind>, with no read-back.
func create(ctx context.Context, c *hcn.Client, d hcn.Document) error {
	var h interface{ Close() error }
	var err error
	switch d := d.(type) {
	case *hcn.Network:
		h, err = c.CreateNetworkHandle(ctx, d)
	case *hcn.Endpoint:
		h, err = c.CreateEndpointHandle(ctx, d)
	case *hcn.Namespace:
		h, err = c.CreateNamespaceHandle(ctx, d)
	case *hcn.LoadBalancer:
		h, err = c.CreateLoadBalancerHandle(ctx, d)
	case *hcn.SDNRoute:
		h, err = c.CreateSDNRouteHandle(ctx, d)
	}
	if err != nil {
		return err
	}
	// A failed close leaves the object made; the Client logs it.
	_ = h.Close()
	return nil
}
