package hcn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Query is a HostComputeQuery, the query document of HcnEnumerate* and
// HcnQuery*Properties: {"SchemaVersion": {...}, "Flags": 0|1,
// "Filter": "<JSON text>"}.
//
// Filter is JSON text inside a string, not an object. Clients send an
// object by mistake often enough that decoding accepts one: the object is
// kept as its compact text, and re-encoding writes the string the service
// requires. Any other Filter value (number, array, boolean) is rejected.
// A query with SchemaVersion 1.0 asks for v1-shaped output.
type Query struct {
	// SchemaVersion is the shape of the answer: 2.0 for v2 documents, 1.0
	// for v1-shaped output.
	SchemaVersion SchemaVersion `json:"SchemaVersion,omitempty"`
	// Flags are QueryFlags: QueryFlagNone 0, or QueryFlagDetailed 1 for more
	// members in the answer.
	Flags QueryFlags `json:"Flags,omitempty"`
	// Filter selects objects by member values, JSON text such as
	// `{"Name":"nat"}`; empty selects all.
	Filter QueryFilter `json:"Filter,omitempty"`

	// Unknown keeps the members this type does not model (see Extra).
	Unknown Extra `json:"-"`
}

// QueryFilter is a query's Filter: JSON text (an object) carried as a
// string, e.g. `{"Name":"nat"}`.
type QueryFilter string

// UnmarshalJSON accepts a JSON string, an object (kept as compact text) or
// null; anything else is an error naming Filter.
func (f *QueryFilter) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	switch {
	case isNull(t):
		return nil
	case len(t) > 0 && t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return err
		}
		*f = QueryFilter(s)
		return nil
	case len(t) > 0 && t[0] == '{':
		var buf bytes.Buffer
		if err := json.Compact(&buf, t); err != nil {
			return err
		}
		// Invalid UTF-8 becomes U+FFFD now, as it would in a string.
		*f = QueryFilter(strings.ToValidUTF8(buf.String(), "\uFFFD"))
		return nil
	}
	return fmt.Errorf("want a string holding a JSON object, got %s", describeJSON(t))
}

// MarshalJSON implements json.Marshaler.
func (q Query) MarshalJSON() ([]byte, error) { return encodeFrom(&q) }

// UnmarshalJSON implements json.Unmarshaler.
func (q *Query) UnmarshalJSON(b []byte) error { return decodeInto(b, q) }

// NewQuery returns the default query: schema 2.0, no filter.
func NewQuery() Query { return Query{SchemaVersion: V2()} }

// QueryByID returns a query for the object with id.
func QueryByID(id ID) Query {
	return NewQuery().withText(map[string]string{"ID": string(id.Canonical())})
}

// QueryByName returns a query for objects named name.
func QueryByName(name string) Query { return NewQuery().withText(map[string]string{"Name": name}) }

// QueryByNetwork returns a query for the endpoints of a network. It uses
// the filter key "VirtualNetwork" (the v1 name; the service does not
// reliably accept "HostComputeNetwork").
func QueryByNetwork(network ID) Query {
	return NewQuery().withText(map[string]string{"VirtualNetwork": string(network.Canonical())})
}

// QueryDefaultNamespace returns the query that finds the host's default
// namespace ({"IsDefault":true}).
func QueryDefaultNamespace() Query {
	q := NewQuery()
	q.Filter = `{"IsDefault":true}`
	return q
}

// withText sets a filter of string members (which cannot fail to encode).
func (q Query) withText(m map[string]string) Query {
	b, _ := json.Marshal(m)
	q.Filter = QueryFilter(b)
	return q
}

// WithFilter returns q with the filter f encoded as its Filter text. It
// fails when f holds a value encoding/json cannot encode.
func (q Query) WithFilter(f map[string]any) (Query, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return q, fmt.Errorf("hcn: %w: query filter: %w", ErrInvalid, err)
	}
	q.Filter = QueryFilter(b)
	return q, nil
}

// WithFilterText returns q with a filter given as JSON text; the text must
// be a JSON object.
func (q Query) WithFilterText(text string) (Query, error) {
	q.Filter = QueryFilter(text)
	if _, err := q.FilterMap(); err != nil {
		return q, err
	}
	return q, nil
}

// Detailed returns q with the Detailed flag (full properties).
func (q Query) Detailed() Query {
	q.Flags |= QueryFlagDetailed
	return q
}

// FilterMap decodes the filter text; an empty filter gives an empty map.
func (q Query) FilterMap() (map[string]any, error) {
	m := map[string]any{}
	if q.Filter == "" {
		return m, nil
	}
	t := bytes.TrimSpace([]byte(q.Filter))
	if !json.Valid(t) || t[0] != '{' {
		return nil, &ValidationError{Path: "Filter", Value: string(q.Filter), Reason: "not a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, &ValidationError{Path: "Filter", Value: string(q.Filter), Reason: err.Error()}
	}
	return m, nil
}

// Validate checks that the filter, when set, is a JSON object.
func (q *Query) Validate() error {
	_, err := q.FilterMap()
	return err
}

// String returns the query as JSON text, as the Service seam takes it.
func (q Query) String() string { return jsonText(q) }
