package hcn

import (
	"bytes"
	"errors"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The scanner reads JSON text in one pass for the decoder: it checks the
// syntax as strictly as encoding/json (same grammar, same nesting limit)
// while the decoder consumes the values, so a document is never validated
// separately. A syntax error stops the decode with errSyntax, which
// decodeInto replaces by encoding/json's own error for the whole text.
// Decoded strings and raw values are copies: nothing a decode returns
// aliases the input.

// maxDepth is encoding/json's limit on the nesting of objects and arrays.
const maxDepth = 10000

var (
	errSyntax = errors.New("malformed JSON") // internal: decodeInto reports encoding/json's error
	errScan   = errors.New("malformed JSON")
)

// span is the text of one value, data[start:end]; end is 0 when absent.
type span struct{ start, end int }

// decodeState is the position of a decode in its input and the scratch
// space it reuses (pooled).
type decodeState struct {
	data  []byte
	pos   int
	depth int

	members  []member // unknown members of the objects being decoded, innermost last
	seen     []span   // the text of the modelled members of those objects
	strs     []string // elements of the string array being decoded
	settings span     // the Settings text of the custom value being decoded
}

var decodeStates = sync.Pool{New: func() any { return new(decodeState) }}

func newDecodeState(data []byte) *decodeState {
	d := decodeStates.Get().(*decodeState)
	d.data = data
	return d
}

// free returns d to the pool, dropping every reference to the input (and
// scratch space grown large by an unusual document).
func (d *decodeState) free() {
	clear(d.members)
	clear(d.strs)
	*d = decodeState{members: d.members[:0], seen: d.seen[:0], strs: d.strs[:0]}
	if cap(d.members) > maxScratch || cap(d.seen) > maxScratch || cap(d.strs) > maxScratch {
		return
	}
	decodeStates.Put(d)
}

// maxScratch bounds the scratch space a pooled decodeState keeps.
const maxScratch = 1 << 10

// str returns data[start:end] as a string.
func (d *decodeState) str(start, end int) string { return string(d.data[start:end]) }

// raw returns a copy of the value text s.
func (d *decodeState) raw(s span) []byte { return bytes.Clone(d.data[s.start:s.end]) }

// ws skips white space.
func (d *decodeState) ws() {
	if d.pos < len(d.data) && d.data[d.pos] > ' ' {
		return
	}
	d.skipWS()
}

func (d *decodeState) skipWS() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the byte at the position, 0 at the end.
func (d *decodeState) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// enter consumes the opening bracket of an object or array.
func (d *decodeState) enter() error {
	d.pos++
	d.depth++
	if d.depth > maxDepth {
		return errSyntax
	}
	d.ws()
	return nil
}

// next consumes the separator after a member or element: true when
// another follows, false after the closing bracket.
func (d *decodeState) next(closing byte) (bool, error) {
	d.ws()
	switch d.peek() {
	case ',':
		d.pos++
		d.ws()
		return true, nil
	case closing:
		d.pos++
		d.depth--
		return false, nil
	}
	return false, errSyntax
}

// closeEmpty consumes the closing bracket of an empty object or array.
func (d *decodeState) closeEmpty(closing byte) bool {
	if d.peek() == closing {
		d.pos++
		d.depth--
		return true
	}
	return false
}

// stringFlags say what a string literal holds besides plain ASCII.
type stringFlags uint8

const (
	strEscaped  stringFlags = 1 << iota // a backslash escape
	strNonASCII                         // a byte >= 0x80
)

// strStop marks the bytes that end the fast loop over a string's body.
var strStop = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf
	}
	return t
}()

// scanString consumes the string literal at the position and returns its
// end (after the closing quote).
func (d *decodeState) scanString() (int, stringFlags, error) {
	b := d.data
	var fl stringFlags
	for i := d.pos + 1; i < len(b); i++ {
		c := b[i]
		if !strStop[c] {
			continue
		}
		switch {
		case c == '"':
			d.pos = i + 1
			return i + 1, fl, nil
		case c == '\\':
			n := escapeLen(b[i:])
			if n == 0 {
				return 0, 0, errSyntax
			}
			i += n - 1
			fl |= strEscaped
		case c < 0x20:
			return 0, 0, errSyntax
		default:
			fl |= strNonASCII
		}
	}
	return 0, 0, errSyntax
}

// escapeLen returns the length of the valid escape at b[0], 0 if invalid.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(b) >= 6 && hexRune(b[2:6]) >= 0 {
			return 6
		}
	}
	return 0
}

// hexRune decodes four hex digits, -1 if they are not.
func hexRune(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// readString consumes a string literal and returns its value.
func (d *decodeState) readString() (string, error) {
	start := d.pos
	if d.peek() != '"' {
		return "", errSyntax
	}
	end, fl, err := d.scanString()
	if err != nil {
		return "", err
	}
	return d.stringValue(start, end, fl), nil
}

// stringValue returns the value of the string literal data[start:end] the
// way encoding/json decodes it (invalid UTF-8 becomes U+FFFD).
func (d *decodeState) stringValue(start, end int, fl stringFlags) string {
	body := d.data[start+1 : end-1]
	if fl&strEscaped == 0 && (fl&strNonASCII == 0 || utf8.Valid(body)) {
		return d.str(start+1, end-1)
	}
	return string(unescape(body))
}

// unescape decodes the body of a valid string literal: escapes, surrogate
// pairs (a lone surrogate becomes U+FFFD) and invalid UTF-8 (U+FFFD).
func unescape(s []byte) []byte {
	out := make([]byte, 0, len(s)+utf8.UTFMax)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && s[i+1] == 'u':
			r := hexRune(s[i+2:])
			i += 6
			if utf16.IsSurrogate(r) {
				var r2 rune = -1
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2 = hexRune(s[i+2:])
				}
				if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
					r, i = dec, i+6
				} else {
					r = unicode.ReplacementChar
				}
			}
			out = utf8.AppendRune(out, r)
		case c == '\\':
			out = append(out, unescapeByte(s[i+1]))
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			out = utf8.AppendRune(out, r)
			i += n
		}
	}
	return out
}

func unescapeByte(c byte) byte {
	switch c {
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return c // '"', '\\', '/'
}

// scanNumber consumes a number and reports whether it is a plain unsigned
// integer (digits only).
func (d *decodeState) scanNumber() (bool, error) {
	b, i := d.data, d.pos
	plain := true
	if i < len(b) && b[i] == '-' {
		i, plain = i+1, false
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i)
	default:
		return false, errSyntax
	}
	if i < len(b) && b[i] == '.' {
		if j := digits(b, i+1); j > i+1 {
			i, plain = j, false
		} else {
			return false, errSyntax
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return false, errSyntax
		}
		i, plain = j, false
	}
	d.pos = i
	return plain, nil
}

func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// literal consumes the literal lit (true, false or null).
func (d *decodeState) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) || string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return errSyntax
	}
	d.pos += len(lit)
	return nil
}

// null consumes a null literal if there is one.
func (d *decodeState) null() bool {
	if d.peek() == 'n' && d.literal("null") == nil {
		return true
	}
	return false
}

// skipValue consumes one value, checking its syntax.
func (d *decodeState) skipValue() error {
	switch c := d.peek(); c {
	case '{':
		return d.skipObject()
	case '[':
		return d.skipArray()
	case '"':
		_, _, err := d.scanString()
		return err
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		if c == '-' || '0' <= c && c <= '9' {
			_, err := d.scanNumber()
			return err
		}
	}
	return errSyntax
}

func (d *decodeState) skipObject() error {
	if err := d.enter(); err != nil || d.closeEmpty('}') {
		return err
	}
	for more := true; more; {
		if err := d.memberKey(); err != nil {
			return err
		}
		if err := d.skipValue(); err != nil {
			return err
		}
		var err error
		if more, err = d.next('}'); err != nil {
			return err
		}
	}
	return nil
}

// memberKey consumes a member's key and the colon after it.
func (d *decodeState) memberKey() error {
	if d.peek() != '"' {
		return errSyntax
	}
	if _, _, err := d.scanString(); err != nil {
		return err
	}
	return d.colon()
}

// colon consumes the colon between a key and its value.
func (d *decodeState) colon() error {
	d.ws()
	if d.peek() != ':' {
		return errSyntax
	}
	d.pos++
	d.ws()
	return nil
}

func (d *decodeState) skipArray() error {
	if err := d.enter(); err != nil || d.closeEmpty(']') {
		return err
	}
	for more := true; more; {
		if err := d.skipValue(); err != nil {
			return err
		}
		var err error
		if more, err = d.next(']'); err != nil {
			return err
		}
	}
	return nil
}

// valueSpan consumes one value and returns its text.
func (d *decodeState) valueSpan() (span, error) {
	start := d.pos
	err := d.skipValue()
	return span{start, d.pos}, err
}

// end checks that only white space follows the value.
func (d *decodeState) end() error {
	d.ws()
	if d.pos != len(d.data) {
		return errSyntax
	}
	return nil
}

// countElements returns the number of elements of the array at the
// position without checking its syntax (the decode that follows does), so
// that a slice is allocated once.
func (d *decodeState) countElements() int {
	b := d.data
	depth, n, empty := 0, 0, true
	for i := d.pos + 1; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = quoteEnd(b, i)
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				if empty {
					return 0
				}
				return n + 1
			}
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		case ' ', '\t', '\n', '\r':
			continue
		}
		empty = false
	}
	return n + 1
}

// quoteEnd returns the index of the quote that closes the string opening
// at b[i], len(b) if there is none.
func quoteEnd(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			return len(b)
		}
		i += j + 1
		k := i - 1
		for b[k] == '\\' {
			k--
		}
		if (i-1-k)%2 == 0 { // not escaped
			return i
		}
	}
}

// scanObject splits a JSON object into its members, in order. The values
// alias b.
func scanObject(b []byte) ([]member, error) {
	d := decodeState{data: b}
	d.ws()
	if d.peek() != '{' {
		return nil, errScan
	}
	var out []member
	if err := d.enter(); err != nil {
		return nil, errScan
	}
	for more := !d.closeEmpty('}'); more; {
		key, err := d.readString()
		if err != nil || d.colon() != nil {
			return nil, errScan
		}
		s, err := d.valueSpan()
		if err != nil {
			return nil, errScan
		}
		out = append(out, member{key: key, raw: b[s.start:s.end]})
		if more, err = d.next('}'); err != nil {
			return nil, errScan
		}
	}
	if d.end() != nil {
		return nil, errScan
	}
	return out, nil
}

// scanArray splits a JSON array into its elements. The elements alias b.
func scanArray(b []byte) ([][]byte, error) {
	d := decodeState{data: b}
	d.ws()
	if d.peek() != '[' {
		return nil, errScan
	}
	var out [][]byte
	if err := d.enter(); err != nil {
		return nil, errScan
	}
	for more := !d.closeEmpty(']'); more; {
		s, err := d.valueSpan()
		if err != nil {
			return nil, errScan
		}
		out = append(out, b[s.start:s.end])
		if more, err = d.next(']'); err != nil {
			return nil, errScan
		}
	}
	if d.end() != nil {
		return nil, errScan
	}
	return out, nil
}
