package hcn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// openRaw is HcnOpen<Kind>, retried on transient failures. A handle the
// call produces after ctx ended is closed.
func (c *Client) openRaw(ctx context.Context, kind Kind, id GUID) (Handle, error) {
	var h Handle
	err := c.retryRead(ctx, func() error {
		var err error
		h, err = c.openOnce(ctx, kind, id)
		return err
	})
	return h, err
}

// openArg is openRaw for the id argument of a Client method.
func (c *Client) openArg(ctx context.Context, kind Kind, arg ID) (GUID, Handle, error) {
	id, err := argID(OpName(VerbOpen, kind), kind, "id", arg)
	if err != nil {
		return NilGUID, 0, err
	}
	h, err := c.openRaw(ctx, kind, id)
	return id, h, err
}

// openOnce is one HcnOpen<Kind> under ctx.
func (c *Client) openOnce(ctx context.Context, kind Kind, id GUID) (Handle, error) {
	return call(ctx, func() (Handle, error) {
		h, err := c.svc.Open(kind, id)
		return h, c.seen(err)
	}, func(h Handle) { c.closeHandle(kind, h) })
}

// createRaw is HcnCreate<Kind> (never retried). A zero id is replaced by
// a random one first, so that an object created by a call abandoned by its
// context can be found and deleted again.
func (c *Client) createRaw(ctx context.Context, kind Kind, id GUID, settings string) (Handle, GUID, error) {
	if id.IsZero() {
		id = NewGUID()
	}
	h, err := call(ctx, func() (Handle, error) {
		h, err := c.svc.Create(kind, id, settings)
		return h, c.seen(err)
	}, func(h Handle) { c.rollback(kind, id, h) })
	return h, id, err
}

// createEndpointRaw is HcnOpenNetwork + HcnCreateEndpoint +
// HcnCloseNetwork; the network handle is closed on every path. check,
// when non-nil, runs on the open network handle before the create; its
// error stops it.
func (c *Client) createEndpointRaw(ctx context.Context, network, id GUID, settings string, check func(context.Context, *handleCore) error) (Handle, GUID, error) {
	if id.IsZero() {
		id = NewGUID()
	}
	var out Handle
	err := c.withOpen(ctx, KindNetwork, network, func(nh *handleCore) error {
		if check != nil {
			if err := check(ctx, nh); err != nil {
				return err
			}
		}
		var err error
		out, err = useHandle(ctx, nh, OpCreateEndpoint, func(h Handle) (Handle, error) {
			return c.svc.CreateEndpoint(h, id, settings)
		}, func(h Handle) { c.rollback(KindEndpoint, id, h) })
		return err
	})
	return out, id, err
}

// rollback undoes a create whose caller gave up: close, then delete.
func (c *Client) rollback(kind Kind, id GUID, h Handle) {
	c.closeHandle(kind, h)
	if err := c.svc.Delete(kind, id); err != nil && !IsNotFound(err) {
		c.log.Warn("hcn: deleting an object created by an abandoned call failed",
			"op", OpName(VerbDelete, kind), "id", id.String(), "err", err)
	}
}

// deleteRaw is HcnDelete<Kind> (never retried).
func (c *Client) deleteRaw(ctx context.Context, kind Kind, id GUID) error {
	return call0(ctx, func() error { return c.seen(c.svc.Delete(kind, id)) })
}

// withOpen opens id, runs fn with the handle and closes it on every path
// (after any call fn started and abandoned has returned). fn's service
// calls must go through useHandle or handleCore.do.
func (c *Client) withOpen(ctx context.Context, kind Kind, id GUID, fn func(*handleCore) error) error {
	h, err := c.openRaw(ctx, kind, id)
	if err != nil {
		return err
	}
	return c.using(kind, id, h, fn)
}

// using runs fn with an owned core for h and closes it on every path.
func (c *Client) using(kind Kind, id GUID, h Handle, fn func(*handleCore) error) error {
	hc := newCore(c, kind, id, h)
	defer func() {
		if err := hc.close(); err != nil {
			// A handle a service restart invalidated needs no close.
			level := slog.LevelWarn
			if errors.Is(err, ErrInvalidHandle) {
				level = slog.LevelDebug
			}
			c.log.Log(context.Background(), level, "hcn: close failed", "op", OpName(VerbClose, kind), "id", id.String(), "err", err)
		}
	}()
	return fn(&hc)
}

// readObject is HcnOpen + HcnQueryProperties + HcnClose on one object,
// the whole sequence retried on transient failures (including a handle
// invalidated by a service restart between open and query). It is exactly
// three service calls when nothing fails.
func (c *Client) readObject(ctx context.Context, kind Kind, id GUID, query string) (string, error) {
	var out string
	err := c.retryRead(ctx, func() error {
		h, err := c.openOnce(ctx, kind, id)
		if err != nil {
			return err
		}
		return c.using(kind, id, h, func(hc *handleCore) error {
			var err error
			out, err = useHandle(ctx, hc, OpName(VerbQuery, kind), func(h Handle) (string, error) {
				return c.svc.Query(kind, h, query)
			}, nil)
			return err
		})
	})
	return out, err
}

// enumerate is HcnEnumerate<Kind>s, retried on transient failures, with
// the id list parsed (any case, braces allowed). An unparseable answer is
// an error, never an empty list.
func (c *Client) enumerate(ctx context.Context, kind Kind, query string) ([]GUID, error) {
	var ids []GUID
	err := c.retryRead(ctx, func() error {
		out, err := call(ctx, func() (string, error) {
			s, err := c.svc.Enumerate(kind, query)
			return s, c.seen(err)
		}, nil)
		if err != nil {
			return err
		}
		ids, err = parseIDList(out)
		if err != nil {
			return opError(OpName(VerbEnumerate, kind), kind, "", err)
		}
		return nil
	})
	return ids, err
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
	g, err := argID(OpName(VerbDelete, kind), kind, "id", id)
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
