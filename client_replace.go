package hcn

import (
	"context"
	"errors"
	"fmt"
)

// wholeDoc describes, for a kind whose modify takes the whole document
// (load balancers, SDN routes), how the Client replaces one.
type wholeDoc[D any, P docPtr[D]] struct {
	kind Kind
	// feature, when non-zero, is what HcnModify<Kind> needs; below it the
	// Client replaces without trying modify.
	feature Feature
	// withID returns a copy of d with its ID set (zero: none) and the
	// members the service fills (Version, State, Health,
	// AdditionalParams) cleared; the Owner tag is kept.
	withID func(d P, id GUID) P
	// idOf returns a document's ID member.
	idOf func(d P) ID
	// collides reports whether old and next cannot exist at once.
	collides func(old, next P) bool
	// members returns the document's backend list (HostComputeEndpoints).
	members func(d P) *[]ID
	// check validates a document before it is sent and refuses features
	// the service lacks.
	check func(ctx context.Context, c *Client, op string, id GUID, d P) error
}

// update changes object id to next: HcnModify<Kind> with the whole
// document when the service supports it, else a replacement (see
// UpdateLoadBalancer for exactly what happens).
func (w wholeDoc[D, P]) update(ctx context.Context, c *Client, id GUID, next P) (P, error) {
	useModify, err := w.modifySupported(ctx, c)
	if err != nil {
		return nil, err
	}
	if useModify {
		doc, err := w.modify(ctx, c, id, next)
		if !errors.Is(err, ErrNotSupported) {
			return doc, err
		}
		c.log.Debug("hcn: modify not supported; replacing", "kind", w.kind.String(), "id", id.String(), "err", err)
	}
	return w.replace(ctx, c, id, next)
}

// modifySupported reports whether to try HcnModify<Kind>: the service's
// version has the feature, or it cannot be learnt (ErrNotSupported).
func (w wholeDoc[D, P]) modifySupported(ctx context.Context, c *Client) (bool, error) {
	if w.feature == 0 {
		return true, nil
	}
	ok, err := c.Supports(ctx, w.feature)
	switch {
	case err == nil:
		return ok, nil
	case errors.Is(err, ErrNotSupported):
		return true, nil
	}
	return false, err
}

// encode is the whole document next as HcnModify<Kind> or HcnCreate<Kind>
// take it for object id.
func (w wholeDoc[D, P]) encode(op string, id GUID, next P) (string, error) {
	b, err := MarshalForCreate(w.withID(next, id))
	if err != nil {
		return "", opError(op, w.kind, id.String(), fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	return string(b), nil
}

// modify is HcnOpen + HcnModify (whole document) + HcnQueryProperties +
// HcnClose.
func (w wholeDoc[D, P]) modify(ctx context.Context, c *Client, id GUID, next P) (P, error) {
	text, err := w.encode(OpName(VerbModify, w.kind), id, next)
	if err != nil {
		return nil, err
	}
	return withOpened(ctx, c, w.kind, id, func(h Handle) (P, error) {
		if err := c.seen(c.svc.Modify(w.kind, h, text)); err != nil {
			return nil, err
		}
		return docOn[D, P](ctx, c, w.kind, id, h)
	})
}

// replace swaps the object for a new one built from next. Without a
// collision the new object is created first (a new id) and the old one
// deleted after, so there is no moment with neither. With a collision the
// old one is deleted first and the new one created under the old id; if
// that create fails the old document is created again under its id and
// the create's error returned. Once the in-place replacement has started
// (the delete) it runs to completion even if ctx ends (the caller still
// gets ctx.Err() at once); before that, ctx ending stops it with nothing
// changed (an abandoned create is undone).
func (w wholeDoc[D, P]) replace(ctx context.Context, c *Client, id GUID, next P) (P, error) {
	old, err := getDoc[D, P](ctx, c, w.kind, id)
	if err != nil {
		return nil, err
	}
	return w.replaceFrom(ctx, c, id, old, next)
}

// replaceFrom is replace with the old document already read.
func (w wholeDoc[D, P]) replaceFrom(ctx context.Context, c *Client, id GUID, old, next P) (P, error) {
	if !w.collides(old, next) {
		created, err := w.create(ctx, c, NewGUID(), next)
		switch {
		case errors.Is(err, ErrPortInUse), errors.Is(err, ErrAlreadyExists):
			// The service sees a collision the Client did not: replace
			// in place instead.
			return w.replaceInPlace(ctx, c, id, old, next)
		case err != nil:
			return nil, err
		}
		if err := c.deleteRaw(context.WithoutCancel(ctx), w.kind, id); err != nil && !IsNotFound(err) {
			return created, fmt.Errorf("hcn: the replacement %s %s exists, but deleting the old one (%s) failed: %w",
				w.kind, w.idOf(created), id, err)
		}
		return created, nil
	}
	return w.replaceInPlace(ctx, c, id, old, next)
}

// replaceInPlace deletes the old object and creates next under its id,
// restoring old when the create fails.
func (w wholeDoc[D, P]) replaceInPlace(ctx context.Context, c *Client, id GUID, old, next P) (P, error) {
	// Once started, the steps run to completion on their own goroutine:
	// a delete abandoned half way would leave nothing behind. A caller
	// whose ctx ends still gets ctx.Err() at once; the outcome is logged.
	bg := context.WithoutCancel(ctx)
	return abandonable(ctx, func() (P, error) {
		d, err := w.inPlace(bg, c, id, old, next)
		if err != nil && ctx.Err() != nil {
			c.log.Warn("hcn: an in-place replacement finished after its caller gave up", "kind", w.kind.String(), "id", id.String(), "err", err)
		}
		return d, err
	}, nil)
}

// inPlace is delete, create under the same id, and restore on failure.
func (w wholeDoc[D, P]) inPlace(ctx context.Context, c *Client, id GUID, old, next P) (P, error) {
	if err := c.deleteRaw(ctx, w.kind, id); err != nil {
		return nil, err
	}
	created, err := w.create(ctx, c, id, next)
	if err == nil {
		return created, nil
	}
	if _, rerr := w.create(ctx, c, id, old); rerr != nil {
		return nil, fmt.Errorf("hcn: replacing %s %s: the new document was refused and restoring the old one failed: %w",
			w.kind, id, errors.Join(err, rerr))
	}
	return nil, err
}

// create is HcnCreate<Kind> with the given id and read-back.
func (w wholeDoc[D, P]) create(ctx context.Context, c *Client, id GUID, d P) (P, error) {
	text, err := w.encode(OpName(VerbCreate, w.kind), id, d)
	if err != nil {
		return nil, err
	}
	return createDoc[D, P](ctx, c, w.kind, id, text)
}
