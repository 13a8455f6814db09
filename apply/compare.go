package apply

import (
	"bytes"
	"encoding/json"
	"net"
	"net/netip"
	"sort"
	"strings"

	"github.com/hcnkit/hcn"
)

// Diff is one top-level member that differs between the desired entry and
// the object: its name and both values as compact JSON ("" when absent).
type Diff struct {
	Member string
	Old    string
	New    string
}

// ignored are the top-level members never compared: the matching keys and
// what the service fills or owns.
var ignored = map[string]bool{
	"id": true, "schemaversion": true, "owner": true, "version": true, "state": true,
	"health": true, "additionalparams": true, "hostcomputenamespace": true,
	"namespaceid": true,
}

// diff compares the members desired sets with the same members of
// observed: objects are compared member by member on the desired side's
// members only, lists as multisets, strings without regard to case,
// GUIDs, MACs, addresses and prefixes by value. A member desired sets to
// an empty value matches an absent one.
func diff(desired, observed hcn.Document) ([]Diff, error) {
	dm, err := members(desired)
	if err != nil {
		return nil, err
	}
	om, err := members(observed)
	if err != nil {
		return nil, err
	}
	lower := make(map[string]string, len(om))
	for k := range om {
		lower[strings.ToLower(k)] = k
	}
	keys := make([]string, 0, len(dm))
	for k := range dm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Diff
	for _, k := range keys {
		if ignored[strings.ToLower(k)] {
			continue
		}
		dv := dm[k]
		ok := k0(lower, k)
		ov, has := om[ok]
		if !has {
			ov = nil
		}
		if sameValue(dv, ov) || defaulted(desired, k, dv, has) {
			continue
		}
		out = append(out, Diff{Member: k, Old: text(ov, has), New: text(dv, true)})
	}
	return out, nil
}

func k0(lower map[string]string, k string) string {
	if o, ok := lower[strings.ToLower(k)]; ok {
		return o
	}
	return k
}

// defaulted reports a member the service leaves out when it has its
// default value: a network's Type NAT.
func defaulted(d hcn.Document, k string, v any, present bool) bool {
	if _, ok := d.(*hcn.Network); ok && !present && strings.EqualFold(k, "Type") {
		s, _ := v.(string)
		return strings.EqualFold(s, string(hcn.NetworkTypeNAT))
	}
	return false
}

// members decodes a document's JSON into its top-level members.
func members(d hcn.Document) (map[string]any, error) {
	b, err := d.MarshalJSON()
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// text is a member's value as compact JSON, "" when absent.
func text(v any, present bool) string {
	if !present {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}

// empty reports the values the service omits.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case bool:
		return !v
	case json.Number:
		f, err := v.Float64()
		return err == nil && f == 0
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, x := range v {
			if !empty(x) {
				return false
			}
		}
		return true
	}
	return false
}

// sameValue is the semantic comparison diff describes; d is the desired
// side.
func sameValue(d, o any) bool {
	if empty(d) {
		return empty(o)
	}
	switch d := d.(type) {
	case string:
		s, ok := o.(string)
		return ok && sameString(d, s)
	case json.Number:
		switch o := o.(type) {
		case json.Number:
			return sameNumber(d, o)
		case string:
			return sameString(d.String(), o)
		}
		return false
	case bool:
		b, ok := o.(bool)
		return ok && b == d
	case map[string]any:
		om, ok := o.(map[string]any)
		if !ok {
			return false
		}
		lower := make(map[string]string, len(om))
		for k := range om {
			lower[strings.ToLower(k)] = k
		}
		for k, v := range d {
			ov, has := om[k0(lower, k)]
			if !has {
				ov = nil
			}
			if !sameValue(v, ov) {
				return false
			}
		}
		return true
	case []any:
		ol, ok := o.([]any)
		if !ok || len(ol) != len(d) {
			return false
		}
		used := make([]bool, len(ol))
	next:
		for _, dv := range d {
			for i, ov := range ol {
				if !used[i] && sameValue(dv, ov) {
					used[i] = true
					continue next
				}
			}
			return false
		}
		return true
	}
	return false
}

func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	x, err1 := a.Float64()
	y, err2 := b.Float64()
	return err1 == nil && err2 == nil && x == y
}

// sameString compares two scalar texts: case-insensitively (enum values,
// GUIDs with or without braces), and MACs, addresses and prefixes by
// value.
func sameString(a, b string) bool {
	if strings.EqualFold(a, b) || hcn.EqualFoldGUID(a, b) {
		return true
	}
	if x, err := netip.ParseAddr(a); err == nil {
		y, err := netip.ParseAddr(b)
		return err == nil && x == y
	}
	if x, err := netip.ParsePrefix(a); err == nil {
		y, err := netip.ParsePrefix(b)
		return err == nil && x.Masked() == y.Masked()
	}
	if x, err := net.ParseMAC(a); err == nil {
		y, err := hcn.ParseMAC(b)
		if err != nil {
			y, err = net.ParseMAC(b)
		}
		return err == nil && bytes.Equal(x, y)
	}
	if x, err := hcn.ParseMAC(a); err == nil {
		y, err := hcn.ParseMAC(b)
		return err == nil && bytes.Equal(x, y)
	}
	return false
}

func parseAddr(s string) (string, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", err
	}
	return a.Unmap().String(), nil
}

func prefixText(s string) string {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return strings.ToLower(s)
	}
	return p.Masked().String()
}
