package hcn

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
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
//
// Each type gets a plan on first use: its fields with a decoder, an encoder
// and an emptiness test built for the field's type (lossless_decode.go,
// lossless_encode.go). Members decode straight from the text in one pass
// (lossless_scan.go); values the plan has no fast path for go through
// encoding/json, so they decode, encode and fail exactly as they would
// there.

// fieldInfo describes one modelled field.
type fieldInfo struct {
	name      string // canonical wire name
	key       []byte // `"name":`
	aliases   []string
	index     []int
	omitEmpty bool
	def       string // default for an absent string field
	// settings marks the interface field of a custom type: its text is
	// decoded by the type's own rule (lossless_settings.go).
	settings bool

	// Set by typeInfo.ready.
	kind  leafKind // a plain string, unsigned or bool field, coded inline
	dec   decFunc
	enc   encFunc
	empty func(reflect.Value) bool
}

// leafKind names the field types the struct codec handles without calling
// the field's decoder or encoder.
type leafKind uint8

const (
	leafOther leafKind = iota
	leafString
	leafUint
	leafBool
)

// typeInfo describes a lossless struct type.
type typeInfo struct {
	t      reflect.Type
	fields []fieldInfo
	extra  []int // index of the Extra field
	// custom is set for types with an interface-typed field, their typed
	// Settings (Policy, ModifyRequest): the codec decodes them with the
	// type's own rule around the plan (lossless_settings.go), and reaches
	// any other custom type through its JSON methods. The JSON methods of
	// every lossless type must be the one-line calls of
	// decodeInto/encodeFrom: the codec bypasses them.
	custom bool
	keys   []fieldKey // field names and aliases in lookup order
	ascii  bool       // every name and alias is ASCII
	unique bool       // no two keys are equal ignoring case

	built  atomic.Bool // the field codecs are set
	mu     sync.Mutex
	copies sync.Pool // *T for the type T: the copies encodeFrom encodes
}

// fieldKey is a name or alias of field, lower-cased.
type fieldKey struct {
	lower string
	field int
}

var (
	typeInfos  sync.Map // reflect.Type → *typeInfo (nil when not lossless)
	codecTypes sync.Map // reflect.Type → bool (needsCodec)
	extraType  = reflect.TypeFor[Extra]()
	marshalerT = reflect.TypeFor[json.Marshaler]()
	unmarshalT = reflect.TypeFor[json.Unmarshaler]()
	policyT    = reflect.TypeFor[Policy]()
)

// infoOf returns the codec description of t, or nil when t is not a
// lossless struct.
func infoOf(t reflect.Type) *typeInfo {
	if v, ok := typeInfos.Load(t); ok {
		return v.(*typeInfo)
	}
	v, _ := typeInfos.LoadOrStore(t, buildInfo(t))
	return v.(*typeInfo)
}

func buildInfo(t reflect.Type) *typeInfo {
	if t.Kind() != reflect.Struct {
		return nil
	}
	ti := &typeInfo{t: t, ascii: true}
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
	for i := range ti.fields {
		f := &ti.fields[i]
		f.settings = ti.custom && t.FieldByIndex(f.index).Type.Kind() == reflect.Interface
		for _, n := range append([]string{f.name}, f.aliases...) {
			ti.keys = append(ti.keys, fieldKey{strings.ToLower(n), i})
			ti.ascii = ti.ascii && isASCII(n)
		}
	}
	ti.unique = true
	for i, k := range ti.keys {
		ti.unique = ti.unique && foldIndex(ti.keys[:i], k.lower) < 0
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
	f.key = append(appendString(nil, name), ':')
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

// ready builds the field codecs on first use. Building never readies
// another type (struct fields capture their typeInfo), so recursive types
// are fine.
func (ti *typeInfo) ready() {
	if !ti.built.Load() {
		ti.build()
	}
}

func (ti *typeInfo) build() {
	ti.mu.Lock()
	defer ti.mu.Unlock()
	if ti.built.Load() {
		return
	}
	for i := range ti.fields {
		f := &ti.fields[i]
		ft := ti.t.FieldByIndex(f.index).Type
		f.empty = emptyFunc(ft)
		if f.settings {
			f.dec, f.enc = captureSettings, encodeSettingsField
			continue
		}
		f.dec, f.enc, f.kind = decoderOf(ft), encoderOf(ft), leafKindOf(ft)
	}
	ti.built.Store(true)
}

// leafKindOf returns the kind of a field type the codec leaves to
// encoding/json and codes like it: strings, unsigned integers and booleans
// of types without JSON or text methods.
func leafKindOf(t reflect.Type) leafKind {
	pt := reflect.PointerTo(t)
	if enumOf(t) != nil || needsCodec(t) || t == numberT || t.Implements(marshalerT) || t.Implements(textMarshalT) ||
		pt.Implements(unmarshalT) || pt.Implements(textUnmarshT) {
		return leafOther
	}
	switch t.Kind() {
	case reflect.String:
		return leafString
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return leafUint
	case reflect.Bool:
		return leafBool
	}
	return leafOther
}

// value returns the field of the struct v.
func (f *fieldInfo) value(v reflect.Value) reflect.Value {
	if len(f.index) == 1 {
		return v.Field(f.index[0])
	}
	return v.FieldByIndex(f.index)
}

// extraOf returns the Extra of the addressable struct v.
func (ti *typeInfo) extraOf(v reflect.Value) *Extra {
	if len(ti.extra) == 1 {
		v = v.Field(ti.extra[0])
	} else {
		v = v.FieldByIndex(ti.extra)
	}
	p, _ := reflect.TypeAssert[*Extra](v.Addr())
	return p
}

// lookup returns the index of the field the key names, or -1.
func (ti *typeInfo) lookup(key string) int {
	if ti.ascii && isASCII(key) {
		if k := foldIndex(ti.keys, key); k >= 0 {
			return ti.keys[k].field
		}
		return -1
	}
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

// foldIndex returns the index of the first of keys equal to key ignoring
// case, -1 if none; key and the keys are ASCII, where EqualFold is ASCII
// case folding.
func foldIndex[S string | []byte](keys []fieldKey, key S) int {
	for k := range keys {
		if foldEqual(keys[k].lower, key) {
			return k
		}
	}
	return -1
}

// foldEqual reports whether the ASCII key equals the lower-case name
// ignoring case.
func foldEqual[S string | []byte](lower string, key S) bool {
	if len(lower) != len(key) {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
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

// decodeInto decodes a JSON object into *v, a lossless struct. A JSON null
// leaves *v unchanged, as encoding/json does for structs. The text is
// checked as it is decoded; malformed text leaves *v unchanged and the
// error is encoding/json's syntax error, even when a member before the
// fault failed to decode.
func decodeInto[T any](data []byte, v *T) error {
	if isNull(data) {
		return nil
	}
	saved := *v
	ti := infoOf(reflect.TypeFor[T]())
	rv := reflect.ValueOf(v).Elem()
	d := newDecodeState(data)
	defer d.free()
	d.ws()
	var err error
	switch ti.t {
	case policyT:
		err = decodePolicy(d, rv)
	case modifyT:
		err = decodeModify(d, rv)
	default:
		err = decodeStruct(d, ti, rv)
	}
	if err == nil {
		err = d.end()
	}
	if err == errSyntax || err != nil && !json.Valid(data) {
		*v = saved
		return syntaxError(data)
	}
	return err
}

// decodeValue decodes raw into the addressable value v.
func decodeValue(raw []byte, v reflect.Value) error {
	d := newDecodeState(raw)
	defer d.free()
	d.ws()
	err := decoderOf(v.Type())(d, v)
	if err == nil {
		err = d.end()
	}
	if err == errSyntax {
		return syntaxError(raw)
	}
	return err
}

// syntaxError returns encoding/json's syntax error for malformed text, with
// its offset.
func syntaxError(data []byte) error {
	var x any
	err := json.Unmarshal(data, &x)
	if err == nil {
		err = errScan // not reached: the scanner follows encoding/json's grammar
	}
	return &DecodeError{Err: err}
}

// encodeFrom encodes the lossless struct *v. It encodes a pooled copy of
// *v, so that v, often the receiver of a MarshalJSON method, does not
// escape.
func encodeFrom[T any](v *T) ([]byte, error) {
	ti := infoOf(reflect.TypeFor[T]())
	c, ok := ti.copies.Get().(*T)
	if !ok {
		c = new(T)
	}
	*c = *v
	defer func() {
		var zero T
		*c = zero
		ti.copies.Put(c)
	}()
	e := newEncodeState()
	defer e.free()
	if err := encodeStruct(e, ti, reflect.ValueOf(c).Elem()); err != nil {
		return nil, err
	}
	return bytes.Clone(e.buf), nil
}

// emptyFunc returns the test of whether an omitempty field of type t is
// left out: false, zero numbers, "", empty slices and maps, nil pointers
// and interfaces, zero structs, and lossless structs whose fields are all
// empty and whose Extra holds nothing.
func emptyFunc(t reflect.Type) func(reflect.Value) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
		return func(v reflect.Value) bool { return v.Len() == 0 }
	case reflect.Pointer, reflect.Interface:
		return reflect.Value.IsNil
	case reflect.Struct:
		if ti := infoOf(t); ti != nil {
			return ti.isEmpty
		}
	}
	return reflect.Value.IsZero
}

func (ti *typeInfo) isEmpty(v reflect.Value) bool {
	ti.ready()
	var ex Extra
	if v.CanAddr() {
		ex = *ti.extraOf(v)
	} else {
		ex = v.FieldByIndex(ti.extra).Interface().(Extra)
	}
	if !ex.empty() {
		return false
	}
	for i := range ti.fields {
		f := &ti.fields[i]
		if !f.empty(f.value(v)) {
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
