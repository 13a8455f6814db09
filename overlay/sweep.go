package overlay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"

	"github.com/hcnkit/hcn"
)

// SweepOptions tunes Sweep. A nil *SweepOptions means defaults.
type SweepOptions struct {
	// DryRun reports what would be removed and removes nothing.
	DryRun bool
}

// SweepReport is what Sweep removed (or, with DryRun, would remove).
type SweepReport struct {
	// DryRun is set when nothing was removed.
	DryRun bool
	// Endpoints are the owner's endpoints whose container is gone.
	Endpoints []SweptEndpoint
	// Namespaces are the ids of the namespaces removed: the swept
	// endpoints' and those that referenced only endpoints that no longer
	// exist.
	Namespaces []hcn.ID
}

// SweptEndpoint is one endpoint Sweep removed.
type SweptEndpoint struct {
	// ID, Name and Network identify the endpoint.
	ID      hcn.ID
	Name    string
	Network hcn.ID
	// ContainerID is the container the endpoint's name gives.
	ContainerID string
	// Namespace is the namespace the endpoint was in; empty when none.
	Namespace hcn.ID
	// IPs are its addresses.
	IPs []netip.Addr
}

// Sweep removes what an agent that crashed left behind, as seen on the
// service (Node.Sweep does the same for a node, sparing the containers it
// is working on):
//
//   - every endpoint named "<ownerTag>-<containerID>" whose container is
//     not alive, on any network, with its namespace (the one it is in, or
//     the one an attach cut short made for it) unless that namespace holds
//     anything else;
//   - every Host namespace whose endpoint references all name endpoints
//     that no longer exist and that holds no container: HCS cannot start a
//     container in it. The host's default namespace is never touched.
//
// Each removal follows Detach's order and treats "already gone" as done.
// Sweep goes on past failures and returns them joined with the report of
// what it did remove. A failure to list is returned before anything is
// removed. alive is called once per owned endpoint, without the node's
// lock held.
func Sweep(ctx context.Context, c *hcn.Client, ownerTag string, alive func(containerID string) bool, opts *SweepOptions) (*SweepReport, error) {
	if c == nil {
		return nil, &hcn.ValidationError{Path: "c", Reason: "required"}
	}
	if err := checkTag(ownerTag); err != nil {
		return nil, &hcn.ValidationError{Path: "ownerTag", Value: ownerTag, Reason: err.Error()}
	}
	if alive == nil {
		return nil, &hcn.ValidationError{Path: "alive", Reason: "required (a func reporting whether a container still runs)"}
	}
	cfg := Config{Client: c, OwnerTag: ownerTag, Logger: slog.New(slog.DiscardHandler)}
	n := &Node{cfg: &configured{Config: cfg, prefix: ownerTag + "-"}, c: c}
	return n.sweep(ctx, func(string) (func(), bool) { return func() {}, true }, alive, opts)
}

// Sweep is the package's Sweep for the node's owner tag. It spares the
// containers the node holds and those it is attaching or detaching (each
// swept container is locked against them while Sweep works on it), and
// finishes the detaches the node left unfinished of containers that are
// not alive.
func (n *Node) Sweep(ctx context.Context, alive func(containerID string) bool, opts *SweepOptions) (*SweepReport, error) {
	if alive == nil {
		return nil, &hcn.ValidationError{Path: "alive", Reason: "required (a func reporting whether a container still runs)"}
	}
	return n.sweep(ctx, n.tryLock, alive, opts)
}

// tryLock locks container id for Sweep: false when the node holds it or
// an operation on it is under way.
func (n *Node) tryLock(id string) (func(), bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.atts[id] != nil || n.locks[id] != nil {
		return nil, false
	}
	l := &keyLock{ch: make(chan struct{}, 1), users: 1}
	l.ch <- struct{}{}
	n.locks[id] = l
	return func() {
		<-l.ch
		n.mu.Lock()
		if l.users--; l.users == 0 {
			delete(n.locks, id)
		}
		n.mu.Unlock()
	}, true
}

// sweep is Sweep; hold locks a container against the node's own
// operations for the time Sweep works on it (false: leave it alone).
func (n *Node) sweep(ctx context.Context, hold func(string) (func(), bool), alive func(string) bool, opts *SweepOptions) (*SweepReport, error) {
	var o SweepOptions
	if opts != nil {
		o = *opts
	}
	rep := &SweepReport{DryRun: o.DryRun}
	var errs []error
	if !o.DryRun {
		errs = n.finishUnfinished(ctx, hold, alive, rep)
	}
	eps, err := n.c.ListEndpoints(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("overlay: sweep: listing endpoints: %w", err)
	}
	nss, err := n.c.ListNamespaces(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("overlay: sweep: listing namespaces: %w", err)
	}
	exists := map[hcn.ID]bool{}
	for _, e := range eps {
		exists[e.ID.Canonical()] = true
	}
	swept := map[hcn.ID]bool{}  // endpoints removed
	nsDone := map[hcn.ID]bool{} // namespaces removed
	for _, e := range eps {
		id, ok := strings.CutPrefix(e.Name, n.cfg.prefix)
		if !ok || checkContainerID(id) != nil {
			continue
		}
		release, ok := holdDead(hold, alive, id)
		if !ok {
			continue
		}
		a := n.fromEndpoint(id, e)
		se := SweptEndpoint{ID: a.EndpointID, Name: e.Name, Network: a.NetworkID, ContainerID: id,
			Namespace: e.HostComputeNamespace.Canonical(), IPs: endpointAddrs([]*hcn.Endpoint{e})}
		if o.DryRun {
			rep.Endpoints = append(rep.Endpoints, se)
			swept[a.EndpointID] = true
			if ns := namespaceOf(nss, a.NamespaceID); ns != nil && (!a.keepNS || onlyEndpoint(ns, a.EndpointID)) {
				rep.Namespaces = append(rep.Namespaces, ns.ID.Canonical())
				nsDone[ns.ID.Canonical()] = true
			}
			release()
			continue
		}
		err := n.steps(ctx, a)
		release()
		if a.epGone {
			rep.Endpoints = append(rep.Endpoints, se)
			swept[a.EndpointID] = true
			if n.alloc != nil {
				n.unclaim(a.IP)
			}
		}
		if a.nsGone && !a.keepNS && namespaceOf(nss, a.NamespaceID) != nil {
			rep.Namespaces = append(rep.Namespaces, a.NamespaceID)
			nsDone[a.NamespaceID] = true
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("overlay: sweep: container %s: %w", id, err))
		}
	}
	for _, ns := range nss {
		nsID := ns.ID.Canonical()
		if nsDone[nsID] || !n.deadOnly(ctx, ns, exists, swept) {
			continue
		}
		if !o.DryRun {
			if err := n.c.DeleteNamespace(ctx, nsID, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
				errs = append(errs, fmt.Errorf("overlay: sweep: deleting namespace %s: %w", nsID, err))
				continue
			}
		}
		rep.Namespaces = append(rep.Namespaces, nsID)
	}
	return rep, errors.Join(errs...)
}

// holdDead locks container id for sweeping when hold allows it and the
// container is not alive; false leaves it alone.
func holdDead(hold func(string) (func(), bool), alive func(string) bool, id string) (func(), bool) {
	release, ok := hold(id)
	if !ok {
		return nil, false
	}
	if alive(id) {
		release()
		return nil, false
	}
	return release, true
}

// finishUnfinished finishes the node's unfinished detaches of containers
// that are not alive, adding what they removed to rep.
func (n *Node) finishUnfinished(ctx context.Context, hold func(string) (func(), bool), alive func(string) bool, rep *SweepReport) []error {
	n.mu.Lock()
	var ids []string
	for id := range n.unfinished {
		ids = append(ids, id)
	}
	n.mu.Unlock()
	slices.Sort(ids)
	var errs []error
	for _, id := range ids {
		release, ok := holdDead(hold, alive, id)
		if !ok {
			continue
		}
		a := n.take(id)
		if a == nil {
			release()
			continue
		}
		epDone, nsDone := a.epGone, a.nsGone
		err := n.finish(ctx, id, a)
		release()
		if a.epGone && !epDone {
			rep.Endpoints = append(rep.Endpoints, SweptEndpoint{ID: a.EndpointID, Name: n.cfg.prefix + id,
				Network: a.NetworkID, ContainerID: id, Namespace: a.NamespaceID, IPs: []netip.Addr{a.IP}})
		}
		if a.nsGone && !nsDone && !a.keepNS {
			rep.Namespaces = append(rep.Namespaces, a.NamespaceID)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("overlay: sweep: container %s: %w", id, err))
		}
	}
	return errs
}

// namespaceOf returns the namespace with id among nss, nil if none.
func namespaceOf(nss []*hcn.Namespace, id hcn.ID) *hcn.Namespace {
	for _, ns := range nss {
		if id != "" && ns.ID.Equal(id) {
			return ns
		}
	}
	return nil
}

// onlyEndpoint reports whether ep is all that ns holds.
func onlyEndpoint(ns *hcn.Namespace, ep hcn.ID) bool {
	return len(ns.Resources) == 1 && len(ns.EndpointIDs()) == 1 && ns.EndpointIDs()[0].Equal(ep)
}

// deadOnly reports whether ns is a Host namespace other than the host's
// default, holding no container, whose endpoint references all name
// endpoints that no longer exist. A reference to an endpoint the listing
// did not see is checked again, so that an endpoint created since is not
// taken for a dead one.
func (n *Node) deadOnly(ctx context.Context, ns *hcn.Namespace, exists, swept map[hcn.ID]bool) bool {
	if ns.ID.Equal(hcn.HostDefaultNamespaceID) || !ns.Type.Is(hcn.NamespaceTypeHost) {
		return false
	}
	refs := ns.EndpointIDs()
	if len(refs) == 0 || len(refs) != len(ns.Resources) {
		return false
	}
	for _, r := range refs {
		id := r.Canonical()
		if swept[id] {
			continue
		}
		if exists[id] {
			return false
		}
		if _, err := n.c.GetEndpoint(ctx, id); !hcn.IsNotFound(err) {
			return false
		}
	}
	return true
}
