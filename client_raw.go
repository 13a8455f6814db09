package hcn

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// openArg is HcnOpen<Kind> for the id argument of a Client method (the
// OpenX methods), retried on transient failures. A handle the call
// produces after ctx ended is closed.
func (c *Client) openArg(ctx context.Context, kind Kind, arg ID) (GUID, Handle, error) {
	id, err := idArg(VerbOpen, kind, arg)
	if err != nil {
		return NilGUID, 0, err
	}
	h, err := abandonable(ctx, func() (Handle, error) { return c.openRetried(ctx, kind, id) },
		func(h Handle) { c.closeHandle(kind, h) })
	return id, h, err
}

// createRaw is HcnCreate<Kind> (never retried). A zero id is replaced by
// a random one first, so that an object created by a call abandoned by its
// context can be found and deleted again.
func (c *Client) createRaw(ctx context.Context, kind Kind, id GUID, settings string) (Handle, GUID, error) {
	if id.IsZero() {
		id = NewGUID()
	}
	h, err := abandonableCreate(ctx, c, func() (Handle, error) {
		h, err := c.svc.Create(kind, id, settings)
		return h, c.seen(err)
	}, func(h Handle) { c.undoCreate(kind, id, h) })
	return h, id, err
}

// createDoc is HcnCreate<Kind> and the read-back of the new object, one
// unit under ctx (see readBack): the object as the service reports it. A
// zero id is replaced by a random one first (see createRaw).
func createDoc[D any, P docPtr[D]](ctx context.Context, c *Client, kind Kind, id GUID, settings string) (P, error) {
	if id.IsZero() {
		id = NewGUID()
	}
	return abandonableCreate(ctx, c, func() (P, error) {
		h, err := c.svc.Create(kind, id, settings)
		if err != nil {
			return nil, c.seen(err)
		}
		return readBack[D, P](ctx, c, kind, id, h)
	}, func(P) { c.undoCreate(kind, id, 0) })
}

// createOnNetwork is HcnOpenNetwork + HcnCreateEndpoint + HcnCloseNetwork
// on the calling goroutine, inside the caller's unit; the network handle
// is closed on every path. check, when non-nil, runs on the open network
// handle before the create; its error stops it.
func (c *Client) createOnNetwork(ctx context.Context, network, id GUID, settings string, check func(context.Context, Handle) error) (Handle, error) {
	nh, err := c.openRetried(ctx, KindNetwork, network)
	if err != nil {
		return 0, err
	}
	defer c.closeOwn(KindNetwork, network, nh)
	if check != nil {
		if err := check(ctx, nh); err != nil {
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	h, err := c.svc.CreateEndpoint(nh, id, settings)
	return h, c.seen(err)
}

// deleteRaw is HcnDelete<Kind> (never retried).
func (c *Client) deleteRaw(ctx context.Context, kind Kind, id GUID) error {
	return abandonableErr(ctx, func() error { return c.seen(c.svc.Delete(kind, id)) })
}

// enumerate is HcnEnumerate<Kind>s, retried on transient failures, with
// the id list parsed (any case, braces allowed). An unparseable answer is
// an error, never an empty list.
func (c *Client) enumerate(ctx context.Context, kind Kind, query string) ([]GUID, error) {
	return abandonable(ctx, func() ([]GUID, error) {
		out, err := c.enumerateRetried(ctx, kind, query)
		if err != nil {
			return nil, err
		}
		ids, err := parseIDList(out)
		if err != nil {
			return nil, opError(OpName(VerbEnumerate, kind), kind, "", err)
		}
		return ids, nil
	}, nil)
}

// enumerateRetried is HcnEnumerate<Kind>s on the calling goroutine,
// retried on transient failures.
func (c *Client) enumerateRetried(ctx context.Context, kind Kind, query string) (string, error) {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		out, err := c.svc.Enumerate(kind, query)
		if retry, err := c.retryAfter(ctx, attempt, c.seen(err), retryable); !retry {
			return out, err
		}
	}
}

// parseIDList parses HcnEnumerate*'s answer: a JSON array of GUID strings
// (or null / empty text for none).
func parseIDList(s string) ([]GUID, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var raw []string
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, fmt.Errorf("%w: enumerate result is not a JSON array of strings: %v", ErrInvalid, err)
	}
	ids := make([]GUID, 0, len(raw))
	for i, r := range raw {
		g, err := ParseGUID(r)
		if err != nil {
			return nil, fmt.Errorf("%w: enumerate result [%d]: %v", ErrInvalid, i, err)
		}
		ids = append(ids, g)
	}
	return ids, nil
}

// EnumerateIDs is HcnEnumerate<Kind>s: the ids of the objects of kind
// matching query (a raw HCN query; empty means all), in the service's
// order, each in the canonical lower-case form. Transient failures are
// retried per the Client's policy.
func (c *Client) EnumerateIDs(ctx context.Context, kind Kind, query string) ([]ID, error) {
	if !kind.Valid() {
		return nil, invalidf("EnumerateIDs", 0, "kind", "unknown object kind %d", uint8(kind))
	}
	gs, err := c.enumerate(ctx, kind, query)
	if err != nil {
		return nil, err
	}
	ids := make([]ID, len(gs))
	for i, g := range gs {
		ids[i] = g.ID()
	}
	return ids, nil
}

// Delete is HcnDelete<Kind>: it deletes the object of kind with id, and
// every typed Delete (DeleteNetwork, DeleteNamespace, ...) is this call. A
// missing object fails with ErrNotFound; use DeleteOptions, or wrap the
// call in IgnoreNotFound, to treat already-gone as success. The host
// default namespace (HostDefaultNamespaceID), whose deletion breaks host
// networking, is refused with ErrInvalid before any call.
func (c *Client) Delete(ctx context.Context, kind Kind, id ID, opts *DeleteOptions) error {
	if !kind.Valid() {
		return invalidf("Delete", 0, "kind", "unknown object kind %d", uint8(kind))
	}
	g, err := idArg(VerbDelete, kind, id)
	if err != nil {
		return err
	}
	if err := refuseDelete(kind, g); err != nil {
		return err
	}
	err = c.deleteRaw(ctx, kind, g)
	if opts != nil && opts.IgnoreNotFound {
		return IgnoreNotFound(err)
	}
	return err
}

// DeleteOptions tunes a delete. A nil *DeleteOptions means the zero value.
type DeleteOptions struct {
	// IgnoreNotFound makes deleting an object that is already gone a
	// success. False means such a delete fails with ErrNotFound.
	IgnoreNotFound bool
}
