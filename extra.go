package hcn

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Extra keeps what a document type does not model, so that a document read
// from the service, edited and sent back keeps every member the service gave
// it. Every document, part, policy and settings type has a field
//
//	Unknown Extra `json:"-"`
//
// filled on decode and written back on encode. It holds:
//
//   - the members whose key matches no field of the type (kept with the key
//     spelling and the value bytes as received, in input order);
//   - the modelled members that arrived with a value the encoder would omit
//     (null, [], {}, 0, false, ""), so that "Policies": [] or
//     "IpSubnets": null come back exactly as they were, as long as the field
//     is still empty when encoded;
//   - the modelled members that were absent and got a default on decode (a
//     network without Type is NAT), so that they stay absent on encode while
//     the value is unchanged.
//
// The zero Extra is empty. An Extra is safe to copy: Set and Delete never
// modify storage shared with a copy.
type Extra struct {
	members   []member // unknown members, in input order
	kept      []member // modelled members received with an omitted-on-encode value
	defaulted []string // modelled members absent on input and defaulted on decode
}

// member is one JSON object member.
type member struct {
	key string
	raw json.RawMessage
}

// Len returns the number of unknown members.
func (e Extra) Len() int { return len(e.members) }

// Keys returns the keys of the unknown members in input order.
func (e Extra) Keys() []string {
	keys := make([]string, len(e.members))
	for i, m := range e.members {
		keys[i] = m.key
	}
	return keys
}

// Get returns the value of the unknown member key, matched
// case-insensitively as the service matches keys.
func (e Extra) Get(key string) (json.RawMessage, bool) {
	for _, m := range e.members {
		if strings.EqualFold(m.key, key) {
			return m.raw, true
		}
	}
	return nil, false
}

// Set adds or replaces the unknown member key (matched case-insensitively;
// a replaced member keeps its position and spelling). value must be valid
// JSON. A key that names a field of the enclosing type is not written on
// encode: set the field instead.
func (e *Extra) Set(key string, value json.RawMessage) error {
	if !json.Valid(value) {
		return fmt.Errorf("hcn: %w: value of %q is not valid JSON", ErrInvalid, key)
	}
	raw := append(json.RawMessage(nil), value...)
	ms := append([]member(nil), e.members...)
	for i := range ms {
		if strings.EqualFold(ms[i].key, key) {
			ms[i].raw = raw
			e.members = ms
			return nil
		}
	}
	e.members = append(ms, member{key: key, raw: raw})
	return nil
}

// Delete removes the unknown member key (matched case-insensitively).
func (e *Extra) Delete(key string) {
	var ms []member
	for _, m := range e.members {
		if !strings.EqualFold(m.key, key) {
			ms = append(ms, m)
		}
	}
	e.members = ms
}

// empty reports whether e holds nothing that the encoder writes.
func (e Extra) empty() bool { return len(e.members) == 0 && len(e.kept) == 0 }

// keptValue returns the value a modelled member arrived with when that value
// is one the encoder omits.
func (e Extra) keptValue(name string) (json.RawMessage, bool) {
	for _, m := range e.kept {
		if m.key == name {
			return m.raw, true
		}
	}
	return nil, false
}

// wasDefaulted reports whether the modelled member name was absent on
// decode and got its default.
func (e Extra) wasDefaulted(name string) bool {
	for _, n := range e.defaulted {
		if n == name {
			return true
		}
	}
	return false
}
