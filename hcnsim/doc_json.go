package hcnsim

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/hcnkit/hcn"
)

// obj is a decoded JSON object: values are nil, bool, string, json.Number,
// []any or obj (map[string]any).
type obj = map[string]any

// parseObject decodes text as one JSON object. Anything else (not JSON,
// trailing data, an array, a string) is HCN_E_INVALID_JSON.
func parseObject(text string, what string) (obj, error) {
	v, err := parseJSON(text)
	if err != nil {
		return nil, fail(hcn.HCN_E_INVALID_JSON, "%s: %v", what, err)
	}
	m, ok := v.(obj)
	if !ok {
		return nil, fail(hcn.HCN_E_INVALID_JSON, "%s: {{ExpectedObject}}", what)
	}
	return m, nil
}

func parseJSON(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errTrailing
	}
	return v, nil
}

type jsonErr string

func (e jsonErr) Error() string { return string(e) }

const errTrailing = jsonErr("unexpected data after the JSON value")

// decodeInto decodes a generic value into a typed struct (case-insensitive
// keys). A type mismatch is HCN_E_INVALID_JSON naming what.
func decodeInto(v any, dst any, what string) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fail(hcn.HCN_E_INVALID_JSON, "%s: %v", what, err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fail(hcn.HCN_E_INVALID_JSON, "%s: %v", what, err)
	}
	return nil
}

// spec is a JSON schema for key canonicalisation: lower-case key → field.
type spec map[string]*field

// field is one known key: its canonical spelling and, for objects or
// arrays of objects, the schema of their members.
type field struct {
	name string
	sub  spec
}

func f(name string, sub ...*field) *field {
	var s spec
	if len(sub) > 0 {
		s = fields(sub...)
	}
	return &field{name: name, sub: s}
}

func fields(fs ...*field) spec {
	s := make(spec, len(fs))
	for _, x := range fs {
		s[strings.ToLower(x.name)] = x
	}
	return s
}

// canonical renames the keys of v that the schema knows (matched
// case-insensitively) to their canonical spelling, recursively. Unknown keys
// are kept as sent.
func canonical(v any, s spec) any {
	switch x := v.(type) {
	case obj:
		out := make(obj, len(x))
		for k, val := range x {
			if fd, ok := s[strings.ToLower(k)]; ok {
				out[fd.name] = canonical(val, fd.sub)
				continue
			}
			out[k] = val
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canonical(e, s)
		}
		return out
	}
	return v
}

// stripZero removes zero values (null, "", 0, false, empty arrays and
// objects) from objects, recursively, as the service omits them on output.
// Array elements are kept (their own members stripped).
func stripZero(v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case bool:
		return x, x
	case string:
		return x, x != ""
	case json.Number:
		fv, err := x.Float64()
		return x, err != nil || fv != 0
	case obj:
		for k, val := range x {
			nv, keep := stripZero(val)
			if !keep {
				delete(x, k)
				continue
			}
			x[k] = nv
		}
		return x, len(x) > 0
	case []any:
		for i, e := range x {
			nv, keep := stripZero(e)
			if !keep {
				nv = zeroElem(e)
			}
			x[i] = nv
		}
		return x, len(x) > 0
	}
	return v, true
}

// zeroElem keeps an emptied array element in place.
func zeroElem(e any) any {
	if _, ok := e.(obj); ok {
		return obj{}
	}
	return e
}

// getKey returns the value of key in m, matching case-insensitively.
func getKey(m obj, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// str returns m[key] as a string ("" when absent or not a string).
func str(m obj, key string) string {
	v, _ := getKey(m, key)
	s, _ := v.(string)
	return s
}

// enumValue parses an enum given as a name (any case) or an index into
// names. It returns the canonical name.
func enumValue(v any, names []string) (string, bool) {
	switch x := v.(type) {
	case string:
		for _, n := range names {
			if strings.EqualFold(n, x) {
				return n, true
			}
		}
	case json.Number:
		i, err := x.Int64()
		if err == nil && i >= 0 && i < int64(len(names)) {
			return names[i], true
		}
	case float64:
		if x >= 0 && x < float64(len(names)) && x == math.Trunc(x) {
			return names[int(x)], true
		}
	}
	return "", false
}

// uintValue parses a JSON number (or a decimal string) as a uint64 below max.
func uintValue(v any, max uint64) (uint64, bool) {
	var n json.Number
	switch x := v.(type) {
	case nil:
		return 0, true
	case json.Number:
		n = x
	default:
		return 0, false
	}
	if i, err := n.Int64(); err == nil {
		if i < 0 || uint64(i) > max {
			return 0, false
		}
		return uint64(i), true
	}
	fv, err := n.Float64()
	if err != nil || fv < 0 || fv > float64(max) || fv != math.Trunc(fv) {
		return 0, false
	}
	return uint64(fv), true
}

func num(u uint64) json.Number { return json.Number(strconv.FormatUint(u, 10)) }

// deepCopy copies a generic JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case obj:
		out := make(obj, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// jsonEqual compares two generic values as JSON (strings exactly).
func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// marshal encodes a generic value (keys sorted).
func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// parseID parses a GUID from a JSON value (string, any case, braces ok).
func parseID(v any) (hcn.GUID, bool) {
	s, ok := v.(string)
	if !ok {
		return hcn.GUID{}, false
	}
	g, err := hcn.ParseGUID(s)
	return g, err == nil
}
