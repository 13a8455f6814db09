package hcn

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Encoders append one value to a shared buffer: for a type the codec leaves
// to encoding/json, what json.Marshal writes for it (strings with HTML
// characters escaped, the output of a MarshalJSON method compacted),
// natively for strings, integers, booleans, string slices, raw messages and
// the custom types, by json.Marshal otherwise.
//
// Raw text kept from a decode or set through Extra (unknown and kept
// members) is copied as it is, except inside a value that json.Marshal
// compacts: a Policy or ModifyRequest inside another value, and the
// Settings of one, which the encoding/json model writes through MarshalJSON
// and json.RawMessage. There the encoder compacts raw text too (removes
// white space, escapes HTML characters).

// encFunc appends the encoding of v.
type encFunc func(e *encodeState, v reflect.Value) error

// encodeState is the output of an encode (pooled).
type encodeState struct {
	buf     []byte
	compact bool // raw text is compacted and HTML-escaped
}

var (
	encoders     sync.Map // reflect.Type → encFunc
	encodeStates = sync.Pool{New: func() any { return &encodeState{buf: make([]byte, 0, 2048)} }}
	textMarshalT = reflect.TypeFor[encoding.TextMarshaler]()
	rawSettingsT = reflect.TypeFor[RawSettings]()
)

func newEncodeState() *encodeState { return encodeStates.Get().(*encodeState) }

func (e *encodeState) free() {
	if cap(e.buf) > 64<<10 {
		return
	}
	e.buf, e.compact = e.buf[:0], false
	encodeStates.Put(e)
}

// rawValue appends raw JSON text kept from a decode or set through Extra.
func (e *encodeState) rawValue(raw []byte) {
	if e.compact {
		e.buf = appendCompact(e.buf, raw)
	} else {
		e.buf = append(e.buf, raw...)
	}
}

// encoderOf returns the encoder of values of type t.
func encoderOf(t reflect.Type) encFunc {
	if f, ok := encoders.Load(t); ok {
		return f.(encFunc)
	}
	f, _ := encoders.LoadOrStore(t, buildEncoder(t))
	return f.(encFunc)
}

func buildEncoder(t reflect.Type) encFunc {
	if e := enumOf(t); e != nil {
		return e.encodeTo
	}
	if !needsCodec(t) {
		return leafEncoder(t)
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := sync.OnceValue(func() encFunc { return encoderOf(t.Elem()) })
		return func(e *encodeState, v reflect.Value) error {
			if v.IsNil() {
				e.buf = append(e.buf, "null"...)
				return nil
			}
			return elem()(e, v.Elem())
		}
	case reflect.Interface:
		return func(e *encodeState, v reflect.Value) error {
			if v.IsNil() {
				e.buf = append(e.buf, "null"...)
				return nil
			}
			return encoderOf(v.Elem().Type())(e, v.Elem())
		}
	case reflect.Slice, reflect.Array:
		return arrayEncoder(t)
	}
	ti := infoOf(t)
	return func(e *encodeState, v reflect.Value) error { return encodeStruct(e, ti, v) }
}

func arrayEncoder(t reflect.Type) encFunc {
	elem := sync.OnceValue(func() encFunc { return encoderOf(t.Elem()) })
	return func(e *encodeState, v reflect.Value) error {
		if v.Kind() == reflect.Slice && v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := elem()(e, v.Index(i)); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
		return nil
	}
}

// encodeStruct encodes the lossless struct v: the modelled fields in
// declaration order, then the unknown members.
func encodeStruct(e *encodeState, ti *typeInfo, v reflect.Value) error {
	ti.ready()
	if !v.CanAddr() {
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		v = c
	}
	ex := ti.extraOf(v)
	e.buf = append(e.buf, '{')
	n0 := len(e.buf)
	for i := range ti.fields {
		f := &ti.fields[i]
		if err := e.field(n0, f, f.value(v), ex); err != nil {
			if f.settings {
				return err
			}
			return fmt.Errorf("hcn: encoding %s: %w", f.name, err)
		}
	}
	for _, m := range ex.members {
		if ti.lookup(m.key) >= 0 {
			continue // a modelled key set through Extra.Set: the field wins
		}
		if len(e.buf) > n0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(appendString(e.buf, m.key), ':')
		e.rawValue(m.raw)
	}
	e.buf = append(e.buf, '}')
	return nil
}

// field encodes one field of a struct whose members start at n0. A field
// whose value is a default that was absent on decode, or an empty
// omitempty value, is written as received (see Extra).
func (e *encodeState) field(n0 int, f *fieldInfo, fv reflect.Value, ex *Extra) error {
	switch f.kind {
	case leafString:
		s := fv.String()
		if s == "" && f.omitEmpty || f.def != "" && s == f.def && ex.wasDefaulted(f.name) {
			e.kept(n0, f, ex)
			return nil
		}
		e.key(n0, f.key)
		e.buf = appendString(e.buf, s)
	case leafUint:
		n := fv.Uint()
		if n == 0 && f.omitEmpty {
			e.kept(n0, f, ex)
			return nil
		}
		e.key(n0, f.key)
		e.buf = strconv.AppendUint(e.buf, n, 10)
	case leafBool:
		b := fv.Bool()
		if !b && f.omitEmpty {
			e.kept(n0, f, ex)
			return nil
		}
		e.key(n0, f.key)
		e.buf = strconv.AppendBool(e.buf, b)
	default:
		if f.def != "" && fv.Kind() == reflect.String && fv.String() == f.def && ex.wasDefaulted(f.name) ||
			f.omitEmpty && f.empty(fv) {
			e.kept(n0, f, ex)
			return nil
		}
		e.key(n0, f.key)
		return f.enc(e, fv)
	}
	return nil
}

// kept writes an omitted field as it was received, if it was.
func (e *encodeState) kept(n0 int, f *fieldInfo, ex *Extra) {
	if raw, ok := ex.keptValue(f.name); ok {
		e.key(n0, f.key)
		e.rawValue(raw)
	}
}

// key appends a member's `"name":`, after a comma unless it is the first
// member of the object opened at n0.
func (e *encodeState) key(n0 int, key []byte) {
	if len(e.buf) > n0 {
		e.buf = append(e.buf, ',')
	}
	e.buf = append(e.buf, key...)
}

// leafEncoder returns the encoder of a type the codec leaves to
// encoding/json.
func leafEncoder(t reflect.Type) encFunc {
	switch {
	case t == policyT || t == modifyT:
		return encodeCustomValue
	case t == rawMessageT || t == rawSettingsT:
		return encodeRaw
	case t == numberT || t.Implements(marshalerT) || t.Implements(textMarshalT):
		return encodeFallback
	}
	switch t.Kind() {
	case reflect.String:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = appendString(e.buf, v.String())
			return nil
		}
	case reflect.Bool:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = strconv.AppendBool(e.buf, v.Bool())
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
			return nil
		}
	case reflect.Slice:
		switch {
		case t == stringsT:
			return encodeStrings
		case t.Elem() == policyT:
			return encodePolicies
		}
	}
	return encodeFallback
}

// encodeFallback writes json.Marshal's encoding.
func encodeFallback(e *encodeState, v reflect.Value) error {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return err
	}
	e.buf = append(e.buf, b...)
	return nil
}

// marshalError returns json.Marshal's error for v, whose native encoding
// failed with err: the error encoding/json would have reported.
func marshalError(v reflect.Value, err error) error {
	if _, jerr := json.Marshal(v.Interface()); jerr != nil {
		return jerr
	}
	return err
}

// encodeRaw writes a json.RawMessage or RawSettings compacted, as
// json.Marshal does, and "null" for a nil one (an empty one for
// RawSettings).
func encodeRaw(e *encodeState, v reflect.Value) error {
	raw := v.Bytes()
	if raw == nil || len(raw) == 0 && v.Type() == rawSettingsT {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if !validJSON(raw) {
		return marshalError(v, errScan)
	}
	e.buf = appendCompact(e.buf, raw)
	return nil
}

func encodeStrings(e *encodeState, v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	e.buf = append(e.buf, '[')
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendString(e.buf, v.Index(i).String())
	}
	e.buf = append(e.buf, ']')
	return nil
}

// validJSON reports whether raw is one JSON value, as json.Valid.
func validJSON(raw []byte) bool {
	d := decodeState{data: raw}
	d.ws()
	return d.skipValue() == nil && d.end() == nil
}

// appendCompact appends valid JSON text without white space outside
// strings and with <, >, &, U+2028 and U+2029 escaped inside them, as
// json.Marshal writes the output of a MarshalJSON method.
func appendCompact(dst, src []byte) []byte {
	start, inString := 0, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !inString {
			switch c {
			case '"':
				inString = true
			case ' ', '\t', '\n', '\r':
				dst = append(dst, src[start:i]...)
				start = i + 1
			}
			continue
		}
		switch {
		case c == '\\':
			i++
		case c == '"':
			inString = false
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			start = i + 1
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[src[i+2]&0xF])
			i += 2
			start = i + 1
		}
	}
	return append(dst, src[start:]...)
}

const hexDigits = "0123456789abcdef"

// htmlSafe marks the ASCII bytes json.Marshal writes as they are in a
// string.
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString appends s as a JSON string the way json.Marshal writes it:
// HTML characters, U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendEscape(dst, c)
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscape appends the escape of an ASCII byte json.Marshal escapes.
func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
