package hcn

import (
	"context"
	"fmt"
)

// docPtr is the pointer to a document type (*Network, *Endpoint, ...).
type docPtr[D any] interface {
	*D
	Document
}

// decodeDoc decodes the properties JSON of object id (NilGUID: not known)
// into a new document.
func decodeDoc[D any, P docPtr[D]](kind Kind, id GUID, s string) (P, error) {
	p := P(new(D))
	if err := p.UnmarshalJSON([]byte(s)); err != nil {
		text := ""
		if !id.IsZero() {
			text = id.String()
		}
		return nil, opError(OpName(VerbQuery, kind), kind, text, err)
	}
	return p, nil
}

// getDoc is the object-level read, one unit under ctx: HcnOpen +
// HcnQueryProperties + HcnClose, retried on transient failures, decoded.
func getDoc[D any, P docPtr[D]](ctx context.Context, c *Client, kind Kind, id GUID) (P, error) {
	return abandonable(ctx, func() (P, error) {
		s, err := c.readRetried(ctx, kind, id, defaultQuery)
		if err != nil {
			return nil, err
		}
		return decodeDoc[D, P](kind, id, s)
	}, nil)
}

// getArg is getDoc for the id argument of a Client method.
func getArg[D any, P docPtr[D]](ctx context.Context, c *Client, kind Kind, arg ID) (P, error) {
	id, err := idArg(VerbOpen, kind, arg)
	if err != nil {
		return nil, err
	}
	return getDoc[D, P](ctx, c, kind, id)
}

// queryDoc is the typed Query of an owned handle.
func queryDoc[D any, P docPtr[D]](ctx context.Context, hc *handleCore) (P, error) {
	s, err := hc.queryJSON(ctx, defaultQuery)
	if err != nil {
		return nil, err
	}
	return decodeDoc[D, P](hc.kind, hc.id, s)
}

// docOn is the typed query of object id on the open handle h, inside the
// caller's unit (see queryOn).
func docOn[D any, P docPtr[D]](ctx context.Context, c *Client, kind Kind, id GUID, h Handle) (P, error) {
	s, err := c.queryOn(ctx, kind, h, defaultQuery)
	if err != nil {
		return nil, err
	}
	return decodeDoc[D, P](kind, id, s)
}

// parseDocID parses an id member of a document (field names it): empty
// means "assign one".
func parseDocID(op string, kind Kind, field string, id ID) (GUID, error) {
	g, err := parseID(field, id)
	if err != nil {
		return NilGUID, opError(op, kind, string(id), err)
	}
	return g, nil
}

// argID parses the id argument arg of a Client method. An id that is
// empty, the nil GUID or not a GUID names no object: ErrInvalid naming the
// argument, before any call.
func argID(op string, kind Kind, arg string, id ID) (GUID, error) {
	g, err := parseID(arg, id)
	if err != nil {
		return NilGUID, opError(op, kind, string(id), err)
	}
	if g.IsZero() {
		return NilGUID, opError(op, kind, string(id), &ValidationError{Path: arg, Value: string(id), Reason: "must name an object (empty or the nil GUID)"})
	}
	return g, nil
}

// idArg is argID for the "id" argument of a method that does verb on
// kind; the operation is named only when the id is refused.
func idArg(verb string, kind Kind, id ID) (GUID, error) {
	if g, err := id.GUID(); err == nil && !g.IsZero() {
		return g, nil
	}
	return argID(OpName(verb, kind), kind, "id", id)
}

// argIDs parses a list argument of ids (arg names it).
func argIDs(op string, kind Kind, arg string, ids []ID) ([]GUID, error) {
	out := make([]GUID, len(ids))
	for i, id := range ids {
		g, err := argID(op, kind, fmt.Sprintf("%s[%d]", arg, i), id)
		if err != nil {
			return nil, err
		}
		out[i] = g
	}
	return out, nil
}

// prepareCreate validates doc and encodes it for HcnCreate*: the id to
// create with (zero: assign) and the settings text.
func prepareCreate(op string, doc Document, id ID) (GUID, string, error) {
	if doc == nil {
		return NilGUID, "", invalidf(op, 0, "document", "must not be nil")
	}
	kind := doc.Kind()
	if err := doc.Validate(); err != nil {
		return NilGUID, "", opError(op, kind, string(id), err)
	}
	g, err := parseDocID(op, kind, "ID", id)
	if err != nil {
		return NilGUID, "", err
	}
	b, err := MarshalForCreate(wireForm(doc))
	if err != nil {
		return NilGUID, "", opError(op, kind, string(id), fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	return g, string(b), nil
}

// readBack queries a just-created object on its new handle and closes the
// handle, inside the creating unit. When the read fails (ctx ended
// included) the object is deleted again, so that a failed create has no
// effect, and the read's error is returned.
func readBack[D any, P docPtr[D]](ctx context.Context, c *Client, kind Kind, id GUID, h Handle) (P, error) {
	out, err := docOn[D, P](ctx, c, kind, id, h)
	c.closeOwn(kind, id, h)
	if err != nil {
		c.deleteQuiet(kind, id, "hcn: deleting an object whose read-back failed")
		return nil, err
	}
	return out, nil
}

// modifyOn sends a typed modify request on an open handle after checking
// it: valid, with a resource type that fits kind, and using no policy the
// service's version lacks.
func (c *Client) modifyOn(ctx context.Context, hc *handleCore, req ModifyRequest) error {
	op := OpName(VerbModify, hc.kind)
	text, err := c.prepareModify(ctx, op, hc.kind, hc.id, req)
	if err != nil {
		return err
	}
	return hc.modifyJSON(ctx, text)
}

// prepareModify checks and encodes a modify request for kind.
func (c *Client) prepareModify(ctx context.Context, op string, kind Kind, id GUID, req ModifyRequest) (string, error) {
	if err := req.ResolveResourceType(kind); err != nil {
		return "", opError(op, kind, id.String(), err)
	}
	if err := req.ValidateFor(kind); err != nil {
		return "", opError(op, kind, id.String(), err)
	}
	if pr, ok := req.Settings.(*PolicyRequest); ok && !req.RequestType.Is(RequestRemove) {
		if err := c.requirePolicies(ctx, op, pr.Policies); err != nil {
			return "", err
		}
	}
	for _, f := range requestFeatures(req) {
		if err := c.require(ctx, op, f); err != nil {
			return "", err
		}
	}
	b, err := wireRequest(req).MarshalJSON()
	if err != nil {
		return "", opError(op, kind, id.String(), fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	return string(b), nil
}

// modifyByID opens id, sends a typed modify request and closes the handle.
func (c *Client) modifyByID(ctx context.Context, kind Kind, arg ID, req ModifyRequest) error {
	op := OpName(VerbModify, kind)
	id, err := argID(op, kind, "id", arg)
	if err != nil {
		return err
	}
	text, err := c.prepareModify(ctx, op, kind, id, req)
	if err != nil {
		return err
	}
	_, err = withOpened(ctx, c, kind, id, func(h Handle) (struct{}, error) {
		return struct{}{}, c.seen(c.svc.Modify(kind, h, text))
	})
	return err
}

// refuseDelete returns the error of a delete the Client never sends: the
// host default namespace (HostDefaultNamespaceID), whose deletion breaks
// host networking, is refused with ErrInvalid before any call.
func refuseDelete(kind Kind, id GUID) error {
	if kind == KindNamespace && sameID(HostDefaultNamespaceID, id) {
		return opError(OpName(VerbDelete, kind), kind, id.String(),
			fmt.Errorf("%w: the host default namespace must never be deleted", ErrInvalid))
	}
	return nil
}

// enumQuery returns the enumerate query for opts: the Name filter (and,
// for endpoints, the network filter) the service understands.
func enumQuery(kind Kind, opts *ListOptions) string {
	if opts == nil {
		return defaultQuery
	}
	f := map[string]string{}
	if opts.Name != "" {
		f["Name"] = opts.Name
	}
	if kind == KindEndpoint && opts.Network != "" {
		f["VirtualNetwork"] = string(opts.Network.Canonical())
	}
	return hcnQuery(f, false)
}

// sameID reports whether an id member names id (any case, braces).
func sameID(s ID, id GUID) bool {
	g, err := s.GUID()
	return err == nil && g == id
}

// hasID reports whether ids holds id.
func hasID(ids []ID, id GUID) bool {
	for _, s := range ids {
		if sameID(s, id) {
			return true
		}
	}
	return false
}

// byNameNotFound is the error of a GetXByName that found nothing.
func byNameNotFound(kind Kind, name string) error {
	return &Error{Op: "Get" + kind.API() + "ByName", Kind: kind, ID: name,
		Err: fmt.Errorf("%w: no %s named %q", ErrNotFound, kind, name)}
}

// requireName refuses an empty name for a by-name lookup: the service
// would match every object, or none, and a caller never means either.
func requireName(op string, kind Kind, name string) error {
	if name == "" {
		return invalidf(op, kind, "name", "must not be empty (list the %ss to see them all)", kind)
	}
	return nil
}

// firstByName returns the first document of a by-name lookup (the list
// keeps only exact matches), or ErrNotFound.
func firstByName[P any](kind Kind, name string, docs []P) (P, error) {
	if len(docs) == 0 {
		var zero P
		return zero, byNameNotFound(kind, name)
	}
	return docs[0], nil
}

// resourceFits reports whether a named resource type applies to kind.
func resourceFits(rt ResourceType, kind Kind) bool {
	for _, n := range resourceTypesByKind[kind] {
		if rt.Is(n) {
			return true
		}
	}
	return false
}
