package hcn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// The one codec every document type uses. A "lossless" type is a struct
// with a field of type Extra; its exported fields carry their wire name in a
// json tag and, optionally, an hcn tag:
//
//	`json:"Setting,omitempty" hcn:"alias=Routes"`   also accept key Routes
//	`json:"Type,omitempty" hcn:"default=NAT"`       absent on input means NAT
//
// Decoding matches keys case-insensitively (as the service does), decodes
// each modelled member into its field and keeps the rest in Extra. Encoding
// writes the modelled fields in declaration order with their canonical
// spelling — omitting empty values of omitempty fields (empty nested structs
// included, so no "Dns":{}) — and then the unknown members. Types reach the
// codec through one-line MarshalJSON/UnmarshalJSON methods, or, for nested
// types without methods, through their parent.
//
// Decoding replaces the whole value (encoding/json would merge into the
// existing one): what a document holds after a decode is exactly what the
// text said.

// fieldInfo describes one modelled field.
type fieldInfo struct {
	name      string // canonical wire name
	quoted    []byte // name as a JSON string
	aliases   []string
	index     []int
	omitEmpty bool
	def       string // default for an absent string field
}

// typeInfo describes a lossless struct type.
type typeInfo struct {
	fields []fieldInfo
	extra  []int // index of the Extra field
	// custom is set for types with an interface-typed field (Policy,
	// ModifyRequest): the codec reaches them through their own JSON
	// methods. The JSON methods of every other lossless type must be the
	// one-line calls of decodeInto/encodeFrom: the codec bypasses them.
	custom bool
}

var (
	typeInfos  sync.Map // reflect.Type → *typeInfo (nil when not lossless)
	codecTypes sync.Map // reflect.Type → bool (needsCodec)
	extraType  = reflect.TypeFor[Extra]()
	marshalerT = reflect.TypeFor[json.Marshaler]()
	unmarshalT = reflect.TypeFor[json.Unmarshaler]()
)

// infoOf returns the codec description of t, or nil when t is not a
// lossless struct.
func infoOf(t reflect.Type) *typeInfo {
	if v, ok := typeInfos.Load(t); ok {
		return v.(*typeInfo)
	}
	ti := buildInfo(t)
	typeInfos.Store(t, ti)
	return ti
}

func buildInfo(t reflect.Type) *typeInfo {
	if t.Kind() != reflect.Struct {
		return nil
	}
	ti := &typeInfo{}
	for _, sf := range reflect.VisibleFields(t) {
		if sf.Type == extraType && !sf.Anonymous {
			ti.extra = sf.Index
			continue
		}
		if f, ok := fieldOf(sf); ok {
			ti.fields = append(ti.fields, f)
			ti.custom = ti.custom || sf.Type.Kind() == reflect.Interface
		}
	}
	if ti.extra == nil {
		return nil
	}
	return ti
}

// fieldOf returns the description of a struct field, false when the field
// is not on the wire.
func fieldOf(sf reflect.StructField) (fieldInfo, bool) {
	tag, ok := sf.Tag.Lookup("json")
	if !sf.IsExported() || !ok || tag == "-" {
		return fieldInfo{}, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	f := fieldInfo{name: name, index: sf.Index, omitEmpty: strings.Contains(opts, "omitempty")}
	f.quoted, _ = json.Marshal(name)
	for _, o := range strings.Split(sf.Tag.Get("hcn"), ",") {
		switch k, v, _ := strings.Cut(o, "="); k {
		case "alias":
			f.aliases = append(f.aliases, v)
		case "default":
			f.def = v
		}
	}
	return f, true
}

// lookup returns the index of the field the key names, or -1.
func (ti *typeInfo) lookup(key string) int {
	for i := range ti.fields {
		f := &ti.fields[i]
		if strings.EqualFold(key, f.name) {
			return i
		}
		for _, a := range f.aliases {
			if strings.EqualFold(key, a) {
				return i
			}
		}
	}
	return -1
}

// DecodeError reports a member that could not be decoded, with the path of
// the member in the document (e.g. "Ipams[0].Subnets[1].Routes"). It
// matches ErrInvalid with errors.Is.
type DecodeError struct {
	// Path is the member's path, e.g. "Ipams[0].Subnets[1].Routes"; empty
	// for the document itself.
	Path string
	// Err is the cause (a syntax, type or value error).
	Err error
}

// Error formats "hcn: cannot decode Ipams[0].Type: <reason>".
func (e *DecodeError) Error() string {
	if e.Path == "" {
		return "hcn: cannot decode: " + e.Err.Error()
	}
	return "hcn: cannot decode " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns ErrInvalid and the cause.
func (e *DecodeError) Unwrap() []error { return []error{ErrInvalid, e.Err} }

// atPath prefixes the path of a decode error with elem (a field name or
// "[i]").
func atPath(elem string, err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		p := de.Path
		if p != "" && p[0] != '[' {
			p = "." + p
		}
		return &DecodeError{Path: elem + p, Err: de.Err}
	}
	return &DecodeError{Path: elem, Err: err}
}

// decodeInto decodes a JSON object into *v, a pointer to a lossless struct.
// A JSON null leaves *v unchanged, as encoding/json does for structs.
func decodeInto(data []byte, v any) error {
	if isNull(data) {
		return nil
	}
	if !json.Valid(data) {
		var x any
		return &DecodeError{Err: json.Unmarshal(data, &x)} // the syntax error, with its offset
	}
	return decodeObject(data, reflect.ValueOf(v).Elem())
}

// encodeFrom encodes v, a lossless struct or a pointer to one.
func encodeFrom(v any) ([]byte, error) {
	return encodeObject(reflect.Indirect(reflect.ValueOf(v)))
}

// decodeObject decodes a JSON object into the addressable lossless struct
// v. data must be valid JSON (checked by encoding/json or decodeInto).
func decodeObject(data []byte, v reflect.Value) error {
	ti := infoOf(v.Type())
	members, err := scanObject(data)
	if err != nil {
		return &DecodeError{Err: fmt.Errorf("want a JSON object, got %s", describeJSON(data))}
	}
	v.SetZero()
	var ex Extra
	raws := make([]json.RawMessage, len(ti.fields))
	for _, m := range members {
		i := ti.lookup(m.key)
		if i < 0 {
			ex.members = append(ex.members, member{key: m.key, raw: bytes.Clone(m.raw)})
			continue
		}
		if err := decodeValue(m.raw, v.FieldByIndex(ti.fields[i].index)); err != nil {
			return atPath(ti.fields[i].name, err)
		}
		raws[i] = m.raw
	}
	finishDecode(ti, v, raws, &ex)
	v.FieldByIndex(ti.extra).Set(reflect.ValueOf(ex))
	return nil
}

// finishDecode records the members that arrived empty and applies the
// defaults of absent ones.
func finishDecode(ti *typeInfo, v reflect.Value, raws []json.RawMessage, ex *Extra) {
	for i := range ti.fields {
		f := &ti.fields[i]
		fv := v.FieldByIndex(f.index)
		empty := isEmpty(fv)
		if raws[i] != nil && f.omitEmpty && empty {
			ex.kept = append(ex.kept, member{key: f.name, raw: bytes.Clone(raws[i])})
		}
		if empty && f.def != "" && fv.Kind() == reflect.String {
			fv.SetString(f.def) // absent, null or "": the default
			ex.defaulted = append(ex.defaulted, f.name)
		}
	}
}

// encodeObject encodes the lossless struct v.
func encodeObject(v reflect.Value) ([]byte, error) {
	ti := infoOf(v.Type())
	ex := v.FieldByIndex(ti.extra).Interface().(Extra)
	buf := []byte{'{'}
	for i := range ti.fields {
		f := &ti.fields[i]
		raw, err := encodeField(f, v.FieldByIndex(f.index), ex)
		if err != nil {
			return nil, fmt.Errorf("hcn: encoding %s: %w", f.name, err)
		}
		if raw != nil {
			buf = appendMember(buf, f.quoted, raw)
		}
	}
	for _, m := range ex.members {
		if ti.lookup(m.key) >= 0 {
			continue // a modelled key set through Extra.Set: the field wins
		}
		k, _ := json.Marshal(m.key)
		buf = appendMember(buf, k, m.raw)
	}
	return append(buf, '}'), nil
}

// encodeField returns the value to write for one field, nil to omit it.
func encodeField(f *fieldInfo, fv reflect.Value, ex Extra) (json.RawMessage, error) {
	if f.def != "" && fv.Kind() == reflect.String && fv.String() == f.def && ex.wasDefaulted(f.name) {
		raw, _ := ex.keptValue(f.name) // as received: absent, null or ""
		return raw, nil
	}
	if f.omitEmpty && isEmpty(fv) {
		raw, _ := ex.keptValue(f.name)
		return raw, nil
	}
	return encodeValue(fv)
}

func appendMember(buf, key, raw []byte) []byte {
	if len(buf) > 1 {
		buf = append(buf, ',')
	}
	buf = append(buf, key...)
	buf = append(buf, ':')
	return append(buf, raw...)
}

// isEmpty reports whether an omitempty field holding v is left out: false,
// zero numbers, "", empty slices and maps, nil pointers and interfaces,
// zero structs, and lossless structs whose fields are all empty and whose
// Extra holds nothing.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Struct:
		return isEmptyStruct(v)
	}
	return v.IsZero()
}

func isEmptyStruct(v reflect.Value) bool {
	ti := infoOf(v.Type())
	if ti == nil {
		return v.IsZero()
	}
	if !v.FieldByIndex(ti.extra).Interface().(Extra).empty() {
		return false
	}
	for i := range ti.fields {
		if !isEmpty(v.FieldByIndex(ti.fields[i].index)) {
			return false
		}
	}
	return true
}

// needsCodec reports whether values of t must go through this codec rather
// than straight to encoding/json: lossless structs without JSON methods,
// open enums, and containers of them.
func needsCodec(t reflect.Type) bool {
	if v, ok := codecTypes.Load(t); ok {
		return v.(bool)
	}
	b := computeNeedsCodec(t)
	codecTypes.Store(t, b)
	return b
}

func computeNeedsCodec(t reflect.Type) bool {
	if enumOf(t) != nil {
		return true
	}
	if t.Kind() == reflect.Struct {
		if ti := infoOf(t); ti != nil {
			return !ti.custom
		}
	}
	if t.Implements(marshalerT) || reflect.PointerTo(t).Implements(unmarshalT) {
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return needsCodec(t.Elem())
	case reflect.Interface:
		return true
	}
	return false
}

// encodeValue encodes one field value.
func encodeValue(v reflect.Value) (json.RawMessage, error) {
	if e := enumOf(v.Type()); e != nil {
		return e.encode(v)
	}
	if !needsCodec(v.Type()) {
		return json.Marshal(v.Interface())
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return json.RawMessage("null"), nil
		}
		return encodeValue(v.Elem())
	case reflect.Slice, reflect.Array:
		return encodeArray(v)
	}
	return encodeObject(v)
}

func encodeArray(v reflect.Value) (json.RawMessage, error) {
	if v.Kind() == reflect.Slice && v.IsNil() {
		return json.RawMessage("null"), nil
	}
	buf := []byte{'['}
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		raw, err := encodeValue(v.Index(i))
		if err != nil {
			return nil, err
		}
		buf = append(buf, raw...)
	}
	return append(buf, ']'), nil
}

// decodeValue decodes raw into the addressable value v.
func decodeValue(raw json.RawMessage, v reflect.Value) error {
	if e := enumOf(v.Type()); e != nil {
		return e.decode(raw, v)
	}
	if v.Kind() == reflect.Slice && isStructLike(v.Type().Elem()) {
		if isNull(raw) {
			v.SetZero()
			return nil
		}
		return decodeSlice(raw, v) // element by element, so errors name the index
	}
	if !needsCodec(v.Type()) {
		return json.Unmarshal(raw, v.Addr().Interface())
	}
	if isNull(raw) {
		v.SetZero()
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := decodeValue(raw, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Slice:
		return decodeSlice(raw, v)
	case reflect.Struct:
		return decodeObject(raw, v)
	}
	return &DecodeError{Err: fmt.Errorf("cannot decode into %s", v.Type())}
}

// decodeSlice decodes a JSON array element by element through the codec.
func decodeSlice(raw json.RawMessage, v reflect.Value) error {
	elems, err := scanArray(raw)
	if err != nil {
		return &DecodeError{Err: fmt.Errorf("want a JSON array, got %s", describeJSON(raw))}
	}
	s := reflect.MakeSlice(v.Type(), len(elems), len(elems))
	for i, e := range elems {
		if err := decodeValue(e, s.Index(i)); err != nil {
			return atPath(fmt.Sprintf("[%d]", i), err)
		}
	}
	v.Set(s)
	return nil
}

// isStructLike reports whether t is a struct or a pointer to one.
func isStructLike(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// describeJSON names the kind of a JSON value for error messages.
func describeJSON(raw []byte) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
