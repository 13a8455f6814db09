package overlay

import (
	"context"
	"errors"
	"fmt"

	"github.com/hcnkit/hcn"
)

// Detach removes container id from the node's network, in this order:
//
//  1. the endpoint is removed from the namespace;
//  2. the namespace handle is closed;
//  3. the endpoint is deleted;
//  4. the namespace is deleted.
//
// Each step treats "already gone" as done, and the address returns to the
// allocator once the endpoint is gone. The host's default namespace is
// never touched. A container the node does not hold (attached by an
// earlier run) is found by its endpoint's name; one attached nowhere is a
// success.
//
// A step that fails does not stop the later ones (deleting the endpoint
// also takes it out of its namespace); Detach then returns the failures
// and remembers what is left, so that the next Detach (or Attach, Sweep or
// Teardown) of the container finishes the job.
func (n *Node) Detach(ctx context.Context, containerID string) error {
	if err := checkContainerID(containerID); err != nil {
		return &hcn.ValidationError{Path: "containerID", Value: containerID, Reason: err.Error()}
	}
	unlock, err := n.lock(ctx, containerID)
	if err != nil {
		return err
	}
	defer unlock()
	a := n.take(containerID)
	if a == nil {
		ep, err := n.findEndpoint(ctx, n.cfg.prefix+containerID, n.NetworkID())
		if err != nil {
			return fmt.Errorf("overlay: detach %s: %w", containerID, err)
		}
		if ep == nil {
			return nil
		}
		a = n.fromEndpoint(containerID, ep)
	}
	if err := n.finish(ctx, containerID, a); err != nil {
		return fmt.Errorf("overlay: detach %s: %w", containerID, err)
	}
	return nil
}

// take removes container id's attachment (held or unfinished) from the
// node's tables, before any call, so that Watch does not report the
// node's own detach. nil when the node has none.
func (n *Node) take(id string) *attachment {
	n.mu.Lock()
	defer n.mu.Unlock()
	a := n.atts[id]
	if a == nil {
		a = n.unfinished[id]
	}
	delete(n.atts, id)
	delete(n.unfinished, id)
	if a != nil {
		delete(n.byID, a.EndpointID)
		delete(n.byID, a.NamespaceID)
	}
	return a
}

// finish runs the detach steps of a, remembering a as unfinished when
// something is left.
func (n *Node) finish(ctx context.Context, id string, a *attachment) error {
	n.mu.Lock()
	delete(n.unfinished, id)
	n.mu.Unlock()
	err := n.steps(ctx, a)
	if a.epGone {
		n.unclaim(a.IP)
	}
	if err != nil {
		n.mu.Lock()
		n.unfinished[id] = a
		n.mu.Unlock()
	}
	return err
}

// fromEndpoint is the attachment of an endpoint the node does not hold.
// Its namespace is the node's to delete when it has the id the node
// derives from the endpoint's, or holds no other endpoint (steps checks).
func (n *Node) fromEndpoint(id string, ep *hcn.Endpoint) *attachment {
	a := &attachment{Attachment: Attachment{
		ContainerID: id,
		EndpointID:  ep.ID.Canonical(),
		NetworkID:   ep.HostComputeNetwork.Canonical(),
		MacAddress:  ep.MacAddress,
	}}
	a.IP, _ = ep.PrimaryIP()
	if g, err := ep.ID.GUID(); err == nil {
		a.NamespaceID = namespaceFor(g).ID()
	}
	if ns := ep.HostComputeNamespace; ns != "" && !ns.Equal(a.NamespaceID) {
		a.NamespaceID = ns.Canonical()
		a.keepNS = true // unless steps finds it empty
	}
	return a
}

// steps runs the detach steps not yet done; the error joins the failures
// of the steps that leave something behind.
func (n *Node) steps(ctx context.Context, a *attachment) error {
	hostDefault := a.NamespaceID.Equal(hcn.HostDefaultNamespaceID)
	if hostDefault {
		a.nsGone, a.keepNS = true, true
	}
	var removeErr error
	if !a.epGone && !a.nsGone && a.NamespaceID != "" {
		var err error
		if a.ns != nil {
			err = a.ns.RemoveEndpoint(ctx, a.EndpointID)
		}
		if a.ns == nil || errors.Is(err, hcn.ErrInvalidHandle) {
			err = n.c.RemoveNamespaceEndpoint(ctx, a.NamespaceID, a.EndpointID)
		}
		if err != nil && !hcn.IsNotFound(err) {
			removeErr = fmt.Errorf("removing endpoint %s from namespace %s: %w", a.EndpointID, a.NamespaceID, err)
		}
	}
	if a.ns != nil {
		n.closeNS(a.ns)
		a.ns = nil
	}
	var errs []error
	if !a.epGone {
		if err := n.c.DeleteEndpoint(ctx, a.EndpointID, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
			errs = append(errs, removeErr, fmt.Errorf("deleting endpoint %s: %w", a.EndpointID, err))
		} else {
			a.epGone = true
			if removeErr != nil {
				n.cfg.Logger.Debug("overlay: removing the endpoint from its namespace failed; deleting it did", "err", removeErr)
			}
		}
	}
	if !a.nsGone && a.NamespaceID != "" {
		if a.keepNS {
			if ns, err := n.c.GetNamespace(ctx, a.NamespaceID); err == nil && len(ns.Resources) == 0 && ns.Type.Is(hcn.NamespaceTypeHost) {
				a.keepNS = false
			} else if hcn.IsNotFound(err) {
				a.nsGone = true
			}
		}
		if !a.keepNS {
			if err := n.c.DeleteNamespace(ctx, a.NamespaceID, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
				errs = append(errs, fmt.Errorf("deleting namespace %s: %w", a.NamespaceID, err))
			} else {
				a.nsGone = true
			}
		}
	}
	return errors.Join(errs...)
}
