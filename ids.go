package hcn

// ID is an HCN object's id as text: what a document's ID (or
// HostComputeNetwork, HostComputeEndpoints, ...) member holds, and what every
// Client method that names an object takes. An ID the library returned passes
// straight back in; an ID is kept exactly as the service wrote it, so a
// document round-trips unchanged.
//
// An ID is a GUID in text form, in any case, with or without braces; two IDs
// name the same object when Equal says so. A method given an ID that is not a
// GUID fails before any service call with an error wrapping ErrInvalid that
// names the argument or field. GUID.ID converts the other way.
type ID string

// GUID parses the id. An empty id is NilGUID; text that is not a GUID is an
// error wrapping ErrInvalid (a *ValidationError; the Client's errors name
// the argument or field instead of "id").
func (id ID) GUID() (GUID, error) { return parseID("id", id) }

// IsZero reports whether the id is empty or the nil GUID: on create, both
// ask the service to assign one.
func (id ID) IsZero() bool {
	g, err := id.GUID()
	return err == nil && g.IsZero()
}

// Equal reports whether id and o name the same object: the same GUID in any
// case, with or without braces. Ids that are not GUIDs are equal only when
// their texts are.
func (id ID) Equal(o ID) bool { return id == o || EqualFoldGUID(string(id), string(o)) }

// Canonical returns the id in the canonical lower-case form without braces
// (or the text unchanged when it is not a GUID).
func (id ID) Canonical() ID {
	if g, err := id.GUID(); err == nil {
		return g.ID()
	}
	return id
}

// String returns the id's text.
func (id ID) String() string { return string(id) }

// ID returns g as an ID, in the canonical lower-case form; GUID_NULL is the
// empty ID (both mean "no object": on create, "assign one"). Errors name an
// id this way.
func (g GUID) ID() ID {
	if g.IsZero() {
		return ""
	}
	return ID(g.String())
}

// parseID parses id for the field or argument named field.
func parseID(field string, id ID) (GUID, error) {
	if id == "" {
		return NilGUID, nil
	}
	g, err := ParseGUID(string(id))
	if err != nil {
		return NilGUID, &ValidationError{Path: field, Value: string(id), Reason: "not a GUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"}
	}
	return g, nil
}
