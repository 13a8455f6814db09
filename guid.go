package hcn

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
)

// GUID is a Windows GUID with the Windows memory layout (Data1 little-endian
// uint32, Data2 and Data3 uint16, Data4 eight bytes), so a *GUID can be passed
// where the C API takes a REFGUID. It is portable: it behaves the same on
// every OS.
//
// Its text form is the canonical lower-case form without braces, e.g.
// "5f0b1190-63be-4e0c-b974-bd0f55675a42", which is what the service's
// namespace-modify path requires. Parsing accepts any case, with or without
// braces. The zero GUID is GUID_NULL, which the service reads as "assign an
// id" on create.
type GUID struct {
	// Data1 is the first group of the text form (8 hex digits).
	Data1 uint32
	// Data2 is the second group (4 hex digits).
	Data2 uint16
	// Data3 is the third group (4 hex digits).
	Data3 uint16
	// Data4 is the last two groups (4 and 12 hex digits), in text order.
	Data4 [8]byte
}

// NilGUID is GUID_NULL.
var NilGUID GUID

// errGUIDSyntax is wrapped by every ParseGUID failure.
var errGUIDSyntax = errors.New("invalid GUID syntax")

// NewGUID returns a random (version 4, RFC 4122 variant) GUID.
func NewGUID() GUID {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand.Read never fails on supported platforms (Go 1.24+).
		panic("hcn: crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return GUIDFromBytes(b)
}

// GUIDFromBytes returns the GUID whose text form reads as b in order (the
// RFC 4122 big-endian byte order, not the Windows memory order).
func GUIDFromBytes(b [16]byte) GUID {
	var g GUID
	g.Data1 = binary.BigEndian.Uint32(b[0:4])
	g.Data2 = binary.BigEndian.Uint16(b[4:6])
	g.Data3 = binary.BigEndian.Uint16(b[6:8])
	copy(g.Data4[:], b[8:16])
	return g
}

// Bytes returns the GUID in RFC 4122 byte order, the order of its text form.
func (g GUID) Bytes() [16]byte {
	var b [16]byte
	binary.BigEndian.PutUint32(b[0:4], g.Data1)
	binary.BigEndian.PutUint16(b[4:6], g.Data2)
	binary.BigEndian.PutUint16(b[6:8], g.Data3)
	copy(b[8:16], g.Data4[:])
	return b
}

// IsZero reports whether g is GUID_NULL.
func (g GUID) IsZero() bool { return g == NilGUID }

// ParseGUID parses a GUID in any case, with or without surrounding braces:
// "5F0B1190-63BE-4E0C-B974-BD0F55675A42" and
// "{5f0b1190-63be-4e0c-b974-bd0f55675a42}" give the same GUID.
func ParseGUID(s string) (GUID, error) {
	t := s
	if len(t) == 38 && t[0] == '{' && t[37] == '}' {
		t = t[1:37]
	}
	if len(t) != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
		return GUID{}, fmt.Errorf("hcn: %w %q: want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", errGUIDSyntax, s)
	}
	var b [16]byte
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
			continue
		}
		hi, ok1 := unhex(t[i])
		lo, ok2 := unhex(t[i+1])
		if !ok1 || !ok2 {
			return GUID{}, fmt.Errorf("hcn: %w %q: non-hex character at offset %d", errGUIDSyntax, s, i)
		}
		b[j] = hi<<4 | lo
		j++
		i += 2
	}
	return GUIDFromBytes(b), nil
}

// MustParseGUID is like ParseGUID but panics on error. It is meant for
// constants in tests and package-level variables.
func MustParseGUID(s string) GUID {
	g, err := ParseGUID(s)
	if err != nil {
		panic(err)
	}
	return g
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String returns the canonical lower-case form without braces.
func (g GUID) String() string {
	return string(g.appendText(make([]byte, 0, 36)))
}

// BracedUpper returns the "{XXXXXXXX-...}" form some Windows tools print.
func (g GUID) BracedUpper() string {
	b := g.appendText(make([]byte, 1, 38))
	b[0] = '{'
	for i := range b {
		if 'a' <= b[i] && b[i] <= 'f' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(append(b, '}'))
}

func (g GUID) appendText(dst []byte) []byte {
	const hexdig = "0123456789abcdef"
	b := g.Bytes()
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexdig[c>>4], hexdig[c&0xf])
	}
	return dst
}

// MarshalText implements encoding.TextMarshaler (canonical lower case).
func (g GUID) MarshalText() ([]byte, error) { return g.appendText(make([]byte, 0, 36)), nil }

// UnmarshalText implements encoding.TextUnmarshaler. An empty text is
// GUID_NULL, as the service treats an absent or empty id.
func (g *GUID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*g = GUID{}
		return nil
	}
	v, err := ParseGUID(string(b))
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// EqualFoldGUID reports whether two GUID strings name the same GUID, comparing
// case-insensitively and ignoring braces. Unparseable strings compare equal
// only when byte-identical.
func EqualFoldGUID(a, b string) bool {
	ga, errA := ParseGUID(a)
	gb, errB := ParseGUID(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ga == gb
}
