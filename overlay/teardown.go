package overlay

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hcnkit/hcn"
)

// TeardownOptions tunes Teardown. A nil *TeardownOptions means defaults.
type TeardownOptions struct {
	// AllOwned also deletes every network whose name starts with
	// "<OwnerTag>-" (networks of the owner's earlier slices or names), not
	// only the node's. Leave it unset when several Nodes share a tag.
	AllOwned bool
}

// TeardownReport is what Teardown removed.
type TeardownReport struct {
	// Detached are the containers detached.
	Detached []string
	// Networks are the ids of the networks deleted.
	Networks []hcn.ID
}

// Teardown removes the node from the host, for uninstall or a node that
// leaves the cluster: it detaches every container the node holds (or
// left half-detached), then deletes the networks the node created: first
// the recorded one (NetworkID), then the one named Config.NetworkName
// (and, with AllOwned, every network named "<OwnerTag>-..."). Deleting a
// network deletes its remaining endpoints. It goes on past failures and
// returns them joined, with the report of what it did remove. Teardown
// of a node with nothing left is a success.
func (n *Node) Teardown(ctx context.Context, opts *TeardownOptions) (*TeardownReport, error) {
	var o TeardownOptions
	if opts != nil {
		o = *opts
	}
	rep := &TeardownReport{}
	var errs []error
	n.mu.Lock()
	var ids []string
	for id := range n.atts {
		ids = append(ids, id)
	}
	for id := range n.unfinished {
		ids = append(ids, id)
	}
	n.mu.Unlock()
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if err := n.Detach(ctx, id); err != nil {
			errs = append(errs, err)
			continue
		}
		rep.Detached = append(rep.Detached, id)
	}
	n.ensure.Lock()
	defer n.ensure.Unlock()
	del := func(id hcn.ID) {
		if slices.ContainsFunc(rep.Networks, id.Equal) {
			return
		}
		n.forgetNetwork(id)
		if err := n.c.DeleteNetwork(ctx, id, nil); err != nil {
			if !hcn.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("overlay: teardown: deleting network %s: %w", id, err))
			}
			return
		}
		rep.Networks = append(rep.Networks, id.Canonical())
	}
	if rec := n.NetworkID(); rec != "" {
		del(rec)
	}
	var nets []*hcn.Network
	var err error
	if o.AllOwned {
		nets, err = n.c.ListNetworks(ctx, nil)
	} else {
		nets, err = n.c.ListNetworks(ctx, &hcn.ListOptions{Name: n.cfg.NetworkName})
	}
	if err != nil {
		errs = append(errs, fmt.Errorf("overlay: teardown: listing networks: %w", err))
	}
	for _, net := range nets {
		if net.Name == n.cfg.NetworkName || (o.AllOwned && strings.HasPrefix(net.Name, n.cfg.prefix)) {
			del(net.ID)
		}
	}
	n.mu.Lock()
	n.network, n.netID, n.createdAt = nil, "", time.Time{}
	n.mu.Unlock()
	return rep, errors.Join(errs...)
}

// Close closes the namespace handles the node holds, without deleting
// anything: for an agent that stops while its containers are gone or
// stopping too (closing the handle of a running container's namespace
// may break it). The Node must not be used afterwards.
func (n *Node) Close() error {
	n.mu.Lock()
	var hs []*hcn.NamespaceHandle
	for _, a := range n.atts {
		if a.ns != nil {
			hs = append(hs, a.ns)
			a.ns = nil
		}
	}
	n.mu.Unlock()
	var errs []error
	for _, h := range hs {
		if err := h.Close(); err != nil && !errors.Is(err, hcn.ErrInvalidHandle) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
