package hcn

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// Policy and ModifyRequest, the custom types, hold typed Settings whose Go
// type depends on another member (Type, ResourceType), which may come after
// them. Their codec is the struct codec with the Settings field handled
// here: decoding keeps the text of Settings (captureSettings) and, once the
// object is read, decodes that text from where it lies in the input by the
// type's rule; encoding writes Settings compacted, as json.Marshal writes
// a json.RawMessage. A custom value that fails to decode is left as it was,
// and null leaves it unchanged.

var (
	modifyT    = reflect.TypeFor[ModifyRequest]()
	policyInfo = sync.OnceValue(func() *typeInfo { return infoOf(policyT) })
)

// captureSettings is the decoder of a Settings field: it keeps the text.
func captureSettings(d *decodeState, _ reflect.Value) error {
	s, err := d.valueSpan()
	d.settings = s
	return err
}

// encodeSettingsField encodes non-nil Settings, compacted. Its errors are
// the custom type's own, without the field's name.
func encodeSettingsField(e *encodeState, v reflect.Value) error {
	saved := e.compact
	e.compact = true
	s := v.Elem()
	err := encoderOf(s.Type())(e, s)
	e.compact = saved
	return err
}

// decodePolicy decodes a policy: Settings of a modelled Type that are an
// object decode into a new *...PolicySetting, any other Settings are kept as
// RawSettings.
func decodePolicy(d *decodeState, v reflect.Value) error {
	if d.null() {
		return nil
	}
	p, _ := reflect.TypeAssert[*Policy](v.Addr())
	saved := *p
	d.settings = span{}
	err := decodeStruct(d, policyInfo(), v)
	if err == nil {
		err = d.policySettings(p, d.settings)
	}
	if err != nil {
		*p = saved
	}
	return err
}

// policySettings decodes the Settings text s of p by p.Type.
func (d *decodeState) policySettings(p *Policy, s span) error {
	if s.end == 0 {
		return nil
	}
	rt := policySettingsType(p.Type)
	if rt == nil || d.data[s.start] != '{' {
		p.Settings = RawSettings(d.raw(s))
		return nil
	}
	pv := reflect.New(rt)
	pos := d.pos
	d.pos = s.start
	err := decodeStruct(d, infoOf(rt), pv.Elem())
	d.pos = pos
	if err != nil {
		return atPath("Settings", err)
	}
	p.Settings, _ = reflect.TypeAssert[PolicySettings](pv)
	return nil
}

// typeByName looks name up in a table keyed by lower-case names (see
// typeTable), without allocating for an ASCII name.
func typeByName(table map[string]reflect.Type, name string) reflect.Type {
	var buf [32]byte
	if len(name) > len(buf) || !isASCII(name) {
		return table[strings.ToLower(name)]
	}
	b := buf[:len(name)]
	for i := range b {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return table[string(b)]
}

// decodeModify decodes a modify request: Settings must be an object; a
// numeric ResourceType is resolved from their shape when that is
// unambiguous; they decode by ResourceType (RawSettings for a type the
// library does not model).
func decodeModify(d *decodeState, v reflect.Value) error {
	if d.null() {
		return nil
	}
	m, _ := reflect.TypeAssert[*ModifyRequest](v.Addr())
	saved := *m
	d.settings = span{}
	err := decodeStruct(d, infoOf(modifyT), v)
	if err == nil {
		err = d.modifySettings(m, d.settings)
	}
	if err != nil {
		*m = saved
	}
	return err
}

// modifySettings decodes the Settings text s of m by m.ResourceType.
func (d *decodeState) modifySettings(m *ModifyRequest, s span) error {
	if s.end == 0 {
		return nil
	}
	raw := d.raw(s)
	if raw[0] != '{' {
		return &DecodeError{Path: "Settings", Err: fmt.Errorf("%w, got %s", errSettingsObject, describeJSON(raw))}
	}
	if isDigits(string(m.ResourceType)) {
		m.ResourceType = inferResourceType(m.ResourceType, raw)
	}
	rt := typeByName(modifySettingsTypes, string(m.ResourceType))
	if rt == nil {
		m.Settings = RawSettings(raw)
		return nil
	}
	sv := reflect.New(rt)
	pos := d.pos
	d.pos = s.start
	err := decoderOf(rt)(d, sv.Elem())
	d.pos = pos
	if err != nil {
		return atPath("Settings", err)
	}
	m.Settings, _ = reflect.TypeAssert[ModifySettings](sv)
	return nil
}

// encodeCustomValue encodes a policy or modify request inside another
// value: compacted, as json.Marshal writes the output of their MarshalJSON,
// and failing with the error json.Marshal reports.
func encodeCustomValue(e *encodeState, v reflect.Value) error {
	if err := encodeCustom(e, v); err != nil {
		return marshalError(v, err)
	}
	return nil
}

func encodeCustom(e *encodeState, v reflect.Value) error {
	saved := e.compact
	e.compact = true
	err := encodeStruct(e, infoOf(v.Type()), v)
	e.compact = saved
	return err
}

// encodePolicies encodes a []Policy as json.Marshal does.
func encodePolicies(e *encodeState, v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	ti := policyInfo()
	saved := e.compact
	e.compact = true
	defer func() { e.compact = saved }()
	e.buf = append(e.buf, '[')
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := encodeStruct(e, ti, v.Index(i)); err != nil {
			return marshalError(v, err)
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}
