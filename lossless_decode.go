package hcn

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
)

// Decoders. Each one consumes one value at the decode position (after
// white space) and stores it in an addressable reflect.Value. The choice of
// decoder follows the codec's rules: enums and lossless structs (and
// containers of them) decode here; every other type decodes as
// encoding/json would decode it, natively for strings, unsigned integers,
// booleans, string slices and raw messages, and through encoding/json (or
// the type's UnmarshalJSON) otherwise — also whenever a native decoder
// meets a value of the wrong kind, so errors are encoding/json's.

// decFunc decodes the value at d's position into v.
type decFunc func(d *decodeState, v reflect.Value) error

var (
	decoders     sync.Map // reflect.Type → decFunc
	rawMessageT  = reflect.TypeFor[json.RawMessage]()
	numberT      = reflect.TypeFor[json.Number]()
	stringsT     = reflect.TypeFor[[]string]()
	textUnmarshT = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decoderOf returns the decoder of values of type t.
func decoderOf(t reflect.Type) decFunc {
	if f, ok := decoders.Load(t); ok {
		return f.(decFunc)
	}
	f, _ := decoders.LoadOrStore(t, buildDecoder(t))
	return f.(decFunc)
}

func buildDecoder(t reflect.Type) decFunc {
	if e := enumOf(t); e != nil {
		return e.decodeAt
	}
	switch t {
	case policyT:
		return decodePolicy
	case modifyT:
		return decodeModify
	}
	if t.Kind() == reflect.Slice && isStructLike(t.Elem()) {
		return sliceDecoder(t) // element by element, so errors name the index
	}
	if !needsCodec(t) {
		return leafDecoder(t)
	}
	switch t.Kind() {
	case reflect.Pointer:
		return pointerDecoder(t)
	case reflect.Slice:
		return sliceDecoder(t)
	case reflect.Struct:
		return structDecoder(infoOf(t))
	}
	return func(d *decodeState, v reflect.Value) error {
		if d.null() {
			v.SetZero()
			return nil
		}
		if err := d.skipValue(); err != nil {
			return err
		}
		return &DecodeError{Err: fmt.Errorf("cannot decode into %s", t)}
	}
}

func structDecoder(ti *typeInfo) decFunc {
	return func(d *decodeState, v reflect.Value) error {
		if d.null() {
			v.SetZero()
			return nil
		}
		return decodeStruct(d, ti, v)
	}
}

// decodeStruct decodes a JSON object into the addressable lossless struct
// v, replacing its content.
func decodeStruct(d *decodeState, ti *typeInfo, v reflect.Value) error {
	if d.peek() != '{' {
		s, err := d.valueSpan()
		if err != nil {
			return err
		}
		return &DecodeError{Err: fmt.Errorf("want a JSON object, got %s", describeJSON(d.data[s.start:s.end]))}
	}
	ti.ready()
	v.SetZero()
	base, seenBase := len(d.members), len(d.seen)
	d.seen = append(d.seen, make([]span, len(ti.fields))...)
	seen := d.seen[seenBase:]
	err := decodeMembers(d, ti, v, seen)
	if err == nil {
		ti.finish(d, v, seen, base)
	}
	clear(d.members[base:])
	d.members, d.seen = d.members[:base], d.seen[:seenBase]
	return err
}

// decodeMembers decodes the members of the object at d's position: each
// modelled one into its field (seen records its text), the others onto
// d.members.
func decodeMembers(d *decodeState, ti *typeInfo, v reflect.Value, seen []span) error {
	if err := d.enter(); err != nil || d.closeEmpty('}') {
		return err
	}
	next := 0 // the key expected next: members mostly come in field order
	for more := true; more; {
		i, key, err := d.fieldKey(ti, &next)
		if err != nil {
			return err
		}
		start := d.pos
		if i < 0 {
			if err := d.skipValue(); err != nil {
				return err
			}
			d.members = append(d.members, member{key: key, raw: d.raw(span{start, d.pos})})
		} else {
			f := &ti.fields[i]
			if err := f.dec(d, f.value(v)); err != nil {
				return pathError(f.name, err)
			}
			seen[i] = span{start, d.pos}
		}
		if more, err = d.next('}'); err != nil {
			return err
		}
	}
	return nil
}

// fieldKey reads a member's key and the colon after it. It returns the
// index of the field the key names, or -1 and the key. next is the index
// in ti.keys of the key expected next, tried first.
func (d *decodeState) fieldKey(ti *typeInfo, next *int) (int, string, error) {
	if d.peek() != '"' {
		return 0, "", errSyntax
	}
	ks := d.pos
	ke, fl, err := d.scanString()
	if err == nil {
		err = d.colon()
	}
	if err != nil {
		return 0, "", err
	}
	if fl != 0 || !ti.ascii {
		key := d.stringValue(ks, ke, fl)
		if i := ti.lookup(key); i >= 0 {
			return i, "", nil
		}
		return -1, key, nil
	}
	key := d.data[ks+1 : ke-1]
	k := *next
	if !ti.unique || k >= len(ti.keys) || !foldEqual(ti.keys[k].lower, key) {
		k = foldIndex(ti.keys, key)
	}
	if k < 0 {
		return -1, d.str(ks+1, ke-1), nil
	}
	*next = k + 1
	return ti.keys[k].field, "", nil
}

// pathError prefixes a decode error with elem; syntax errors pass as they
// are, to be reported for the whole text.
func pathError(elem string, err error) error {
	if err == errSyntax {
		return err
	}
	return atPath(elem, err)
}

// finish stores the Extra of a decoded struct: the unknown members in
// d.members[base:], the modelled members that arrived with a value the
// encoder omits (gathered on d.members after them), and the defaults of
// absent ones.
func (ti *typeInfo) finish(d *decodeState, v reflect.Value, seen []span, base int) {
	var ex Extra
	if n := len(d.members) - base; n > 0 {
		ex.members = make([]member, n)
		copy(ex.members, d.members[base:])
	}
	kept := len(d.members)
	for i := range ti.fields {
		f := &ti.fields[i]
		present := seen[i].end > 0
		if f.settings || !present && f.def == "" {
			continue
		}
		fv := f.value(v)
		empty := f.empty(fv)
		if present && f.omitEmpty && empty {
			d.members = append(d.members, member{key: f.name, raw: d.raw(seen[i])})
		}
		if empty && f.def != "" && fv.Kind() == reflect.String {
			fv.SetString(f.def) // absent, null or "": the default
			ex.defaulted = append(ex.defaulted, f.name)
		}
	}
	if n := len(d.members) - kept; n > 0 {
		ex.kept = make([]member, n)
		copy(ex.kept, d.members[kept:])
	}
	if ex.members != nil || ex.kept != nil || ex.defaulted != nil {
		*ti.extraOf(v) = ex // else still zero from decodeStruct
	}
}

func pointerDecoder(t reflect.Type) decFunc {
	elem := sync.OnceValue(func() decFunc { return decoderOf(t.Elem()) })
	return func(d *decodeState, v reflect.Value) error {
		if d.null() {
			v.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		if err := elem()(d, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
}

// sliceDecoder decodes a JSON array element by element through the codec
// into a new slice.
func sliceDecoder(t reflect.Type) decFunc {
	elem := sync.OnceValue(func() decFunc { return decoderOf(t.Elem()) })
	empty := reflect.MakeSlice(t, 0, 0)
	return func(d *decodeState, v reflect.Value) error {
		if d.null() {
			v.SetZero()
			return nil
		}
		if d.peek() != '[' {
			s, err := d.valueSpan()
			if err != nil {
				return err
			}
			return &DecodeError{Err: fmt.Errorf("want a JSON array, got %s", describeJSON(d.data[s.start:s.end]))}
		}
		n := d.countElements()
		if err := d.enter(); err != nil {
			return err
		}
		if d.closeEmpty(']') {
			v.Set(empty)
			return nil
		}
		var old reflect.Value // a slice from an earlier member of the same key
		if !v.IsNil() {
			old = reflect.New(t).Elem()
			old.Set(v)
			v.SetZero()
		}
		err := decodeElements(d, v, n, elem())
		if err != nil && old.IsValid() {
			v.Set(old)
		} else if err != nil {
			v.SetZero()
		}
		return err
	}
}

// decodeElements decodes the elements of the array being read into the nil
// slice v, sized for n elements.
func decodeElements(d *decodeState, v reflect.Value, n int, elem decFunc) error {
	v.Grow(n)
	v.SetLen(n)
	for i := 0; ; i++ {
		if i == v.Len() {
			v.Grow(1)
			v.SetLen(i + 1)
		}
		if err := elem(d, v.Index(i)); err != nil {
			if err == errSyntax {
				return err
			}
			return atPath(fmt.Sprintf("[%d]", i), err)
		}
		more, err := d.next(']')
		if err != nil {
			return err
		}
		if !more {
			v.SetLen(i + 1)
			return nil
		}
	}
}

// leafDecoder returns the decoder of a type the codec leaves to
// encoding/json.
func leafDecoder(t reflect.Type) decFunc {
	switch pt := reflect.PointerTo(t); {
	case t == rawMessageT:
		return decodeRawMessage
	case t == numberT || pt.Implements(textUnmarshT) && !pt.Implements(unmarshalT):
		return decodeFallback
	case pt.Implements(unmarshalT):
		return decodeUnmarshaler
	}
	switch t.Kind() {
	case reflect.String:
		return decodeString
	case reflect.Bool:
		return decodeBool
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return decodeUint
	case reflect.Slice:
		if t == stringsT {
			return decodeStrings
		}
	}
	return decodeFallback
}

// decodeFallback decodes the value with encoding/json.
func decodeFallback(d *decodeState, v reflect.Value) error {
	s, err := d.valueSpan()
	if err != nil {
		return err
	}
	return json.Unmarshal(d.data[s.start:s.end], v.Addr().Interface())
}

// decodeUnmarshaler hands the value's text to the type's UnmarshalJSON, as
// encoding/json does.
func decodeUnmarshaler(d *decodeState, v reflect.Value) error {
	s, err := d.valueSpan()
	if err != nil {
		return err
	}
	return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(d.data[s.start:s.end])
}

// decodeRawMessage keeps the value's text (null included).
func decodeRawMessage(d *decodeState, v reflect.Value) error {
	s, err := d.valueSpan()
	if err != nil {
		return err
	}
	v.SetBytes(d.raw(s))
	return nil
}

// decodeString decodes a string; null leaves the field as it is.
func decodeString(d *decodeState, v reflect.Value) error {
	switch d.peek() {
	case '"':
		s, err := d.readString()
		if err != nil {
			return err
		}
		v.SetString(s)
		return nil
	case 'n':
		if d.null() {
			return nil
		}
	}
	return decodeFallback(d, v)
}

// decodeBool decodes true or false; null leaves the field as it is.
func decodeBool(d *decodeState, v reflect.Value) error {
	switch d.peek() {
	case 't':
		if d.literal("true") == nil {
			v.SetBool(true)
			return nil
		}
	case 'f':
		if d.literal("false") == nil {
			v.SetBool(false)
			return nil
		}
	case 'n':
		if d.null() {
			return nil
		}
	}
	return decodeFallback(d, v)
}

// decodeUint decodes an unsigned integer that fits the field; null leaves
// the field as it is.
func decodeUint(d *decodeState, v reflect.Value) error {
	start := d.pos
	if c := d.peek(); '0' <= c && c <= '9' {
		plain, err := d.scanNumber()
		if err != nil {
			return err
		}
		if plain && d.pos-start <= 19 { // no uint64 overflow
			var n uint64
			for _, c := range d.data[start:d.pos] {
				n = n*10 + uint64(c-'0')
			}
			if !v.OverflowUint(n) {
				v.SetUint(n)
				return nil
			}
		}
		d.pos = start
	} else if d.null() {
		return nil
	}
	return decodeFallback(d, v)
}

// decodeStrings decodes an array of strings (a null element is "") into a
// new slice, null into nil.
func decodeStrings(d *decodeState, v reflect.Value) error {
	if d.null() {
		v.SetZero()
		return nil
	}
	if start := d.pos; d.peek() == '[' && v.IsNil() {
		out, ok, err := d.stringArray()
		if err != nil {
			return err
		}
		if ok {
			p, _ := reflect.TypeAssert[*[]string](v.Addr())
			*p = out
			return nil
		}
		d.pos = start
	}
	// encoding/json reuses an earlier slice of the same key and reports
	// elements of another kind.
	return decodeFallback(d, v)
}

// stringArray reads an array of strings; false when an element is of
// another kind.
func (d *decodeState) stringArray() ([]string, bool, error) {
	depth, base := d.depth, len(d.strs)
	defer func() {
		clear(d.strs[base:])
		d.strs = d.strs[:base]
	}()
	if err := d.enter(); err != nil {
		return nil, false, err
	}
	for more := !d.closeEmpty(']'); more; {
		switch d.peek() {
		case '"':
			s, err := d.readString()
			if err != nil {
				return nil, false, err
			}
			d.strs = append(d.strs, s)
		case 'n':
			if !d.null() {
				return nil, false, errSyntax
			}
			d.strs = append(d.strs, "")
		default:
			d.depth = depth
			return nil, false, nil
		}
		var err error
		if more, err = d.next(']'); err != nil {
			return nil, false, err
		}
	}
	out := make([]string, len(d.strs)-base)
	copy(out, d.strs[base:])
	return out, true, nil
}
