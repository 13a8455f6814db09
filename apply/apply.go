package apply

import (
	"context"
	"errors"
	"fmt"

	"github.com/hcnkit/hcn"
)

// Result is what Apply did.
type Result struct {
	// Done are the actions that completed, in order.
	Done []Action
	// Failed is the action that failed, or nil.
	Failed *Action
}

// Apply carries out the plan's actions in order and stops at the first
// failure or when ctx ends, returning what it did. Each action is made of
// single service requests:
//
//   - create: HcnCreate<Kind> with the id the plan chose, then HcnClose;
//   - delete: HcnDelete<Kind> (an object already gone counts as deleted);
//   - replace: delete, then create under the same id;
//   - update: the typed modify requests — network policies and DNS,
//     endpoint policies, namespace endpoint add/remove — or, for load
//     balancers and routes, HcnOpen, HcnModify with the whole document and
//     HcnClose (a route the service cannot modify is replaced).
//
// Apply keeps the plan's State (and opts.Observed, when it is another one)
// current: each completed action is recorded, and the object of a failed
// one is forgotten so that the next Plan reads it again. A plan stopped
// half-way leaves objects a next Plan and Apply converge from: every
// object Apply creates carries the owner tag and is recognised by its
// name or key.
func Apply(ctx context.Context, c *hcn.Client, ch *Changes, opts *Options) (*Result, error) {
	res := &Result{}
	if ch.Empty() {
		return res, nil
	}
	if c == nil {
		return res, inputErr("Client", "", "must not be nil", nil)
	}
	states := []*State{ch.Observed}
	if opts != nil && opts.Observed != nil && opts.Observed != ch.Observed {
		states = append(states, opts.Observed)
	}
	for i := range ch.Actions {
		a := &ch.Actions[i]
		if err := ctx.Err(); err != nil {
			return res, err
		}
		err := run(ctx, c, a)
		for _, st := range states {
			if st != nil {
				record(st, a, err)
			}
		}
		if err != nil {
			res.Failed = a
			return res, fmt.Errorf("%s %s %s: %w", a.Op, kindWord(a.Kind), a.label(), err)
		}
		res.Done = append(res.Done, *a)
		if opts != nil && opts.Progress != nil {
			opts.Progress(len(res.Done), len(ch.Actions))
		}
	}
	return res, nil
}

func (a *Action) label() string {
	if a.Name != "" {
		return a.Name
	}
	return string(a.ID)
}

// record updates a State after an action.
func record(st *State, a *Action, err error) {
	if a.Kind == hcn.KindNetwork && (a.Op == Delete || a.Op == Replace) {
		// The network's endpoints went with it.
		for _, d := range st.Objects(hcn.KindEndpoint) {
			if d.(*hcn.Endpoint).HostComputeNetwork.Equal(a.ID) {
				st.Forget(hcn.KindEndpoint, idOf(d))
			}
		}
	}
	switch {
	case err != nil, a.Op == Delete:
		st.Forget(a.Kind, a.ID)
	default:
		st.put(a.doc)
	}
}

// run carries out one action.
func run(ctx context.Context, c *hcn.Client, a *Action) error {
	switch a.Op {
	case Create:
		return create(ctx, c, a.doc)
	case Delete:
		return remove(ctx, c, a.Kind, a.ID)
	case Replace:
		return replace(ctx, c, a)
	case Update:
		return update(ctx, c, a)
	}
	return fmt.Errorf("apply: unknown action %v", a.Op)
}

func remove(ctx context.Context, c *hcn.Client, k hcn.Kind, id hcn.ID) error {
	if k == hcn.KindNamespace && id.Equal(hcn.HostDefaultNamespaceID) {
		return nil
	}
	return hcn.IgnoreNotFound(c.Delete(ctx, k, id, nil))
}

func replace(ctx context.Context, c *hcn.Client, a *Action) error {
	if err := remove(ctx, c, a.Kind, a.ID); err != nil {
		return err
	}
	return create(ctx, c, a.doc)
}

func update(ctx context.Context, c *hcn.Client, a *Action) error {
	switch d := a.doc.(type) {
	case *hcn.Network:
		old := a.old.(*hcn.Network)
		for _, df := range a.Diffs {
			var err error
			switch df.Member {
			case "Policies":
				err = policies(ctx, a.ID, d.Policies, old.Policies, c.UpdateNetworkPolicies, c.RemoveNetworkPolicies)
			case "Dns":
				err = c.UpdateNetworkDNS(ctx, a.ID, d.Dns)
			}
			if err != nil {
				return err
			}
		}
		return nil
	case *hcn.Endpoint:
		return policies(ctx, a.ID, d.Policies, a.old.(*hcn.Endpoint).Policies, c.UpdateEndpointPolicies, c.RemoveEndpointPolicies)
	case *hcn.Namespace:
		want, have := idSet(d.EndpointIDs()), idSet(a.old.(*hcn.Namespace).EndpointIDs())
		for _, id := range have {
			if !contains(want, id) {
				if err := hcn.IgnoreNotFound(c.RemoveNamespaceEndpoint(ctx, a.ID, id)); err != nil {
					return err
				}
			}
		}
		for _, id := range want {
			if !contains(have, id) {
				if err := c.AddNamespaceEndpoint(ctx, a.ID, id); err != nil {
					return err
				}
			}
		}
		return nil
	case *hcn.LoadBalancer:
		h, err := c.OpenLoadBalancer(ctx, a.ID)
		if err != nil {
			return err
		}
		defer h.Close()
		// The document is sent as the plan built it, owner tag included:
		// the service replaces the whole document.
		text, err := hcn.MarshalForCreate(d)
		if err != nil {
			return err
		}
		return h.ModifyJSON(ctx, string(text))
	case *hcn.SDNRoute:
		h, err := c.OpenSDNRoute(ctx, a.ID)
		if err != nil {
			return err
		}
		text, err := hcn.MarshalForCreate(d)
		if err == nil {
			err = h.ModifyJSON(ctx, string(text))
		}
		h.Close()
		if errors.Is(err, hcn.ErrNotSupported) {
			return replace(ctx, c, a)
		}
		return err
	}
	return fmt.Errorf("apply: cannot update %T", a.doc)
}

// policies brings an object's policies to want: an Update request with
// the wanted policies (replacing those of each type given), then a Remove
// request for the types no longer wanted.
func policies(ctx context.Context, id hcn.ID, want, have []hcn.Policy,
	upd, rm func(context.Context, hcn.ID, ...hcn.Policy) error) error {
	if len(want) > 0 {
		if err := upd(ctx, id, want...); err != nil {
			return err
		}
	}
	var drop []hcn.Policy
	for _, h := range have {
		keep := false
		for _, w := range want {
			keep = keep || w.Type.Is(h.Type)
		}
		if !keep {
			drop = append(drop, h)
		}
	}
	if len(drop) > 0 {
		return rm(ctx, id, drop...)
	}
	return nil
}

func contains(ids []hcn.ID, id hcn.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
