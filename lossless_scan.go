package hcn

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// A small scanner that splits an already validated JSON object into its
// members and an array into its elements, without decoding the values.
// Every caller hands it text that encoding/json (or json.Valid) has
// checked, so it only needs to find boundaries; it still reports malformed
// input as an error rather than misbehaving.

var errScan = errors.New("malformed JSON")

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the closing quote of the string that
// starts at b[i], or -1.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// valueEnd returns the index after the value that starts at b[i], or -1.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		return compositeEnd(b, i)
	}
	j := i
	for j < len(b) && bytes.IndexByte([]byte(",}] \t\r\n"), b[j]) < 0 {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

func compositeEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			e := stringEnd(b, j)
			if e < 0 {
				return -1
			}
			j = e - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return -1
}

// unquote decodes a JSON string literal the way encoding/json does
// (invalid UTF-8 becomes U+FFFD).
func unquote(lit []byte) (string, error) {
	body := lit[1 : len(lit)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		return string(body), nil
	}
	var s string
	err := json.Unmarshal(lit, &s)
	return s, err
}

// scanObject splits a JSON object into its members, in order. The values
// alias b.
func scanObject(b []byte) ([]member, error) { return scanList(b, '{', '}', scanMember) }

// scanArray splits a JSON array into its elements. The elements alias b.
func scanArray(b []byte) ([]json.RawMessage, error) { return scanList(b, '[', ']', scanElement) }

// scanList reads a whole JSON object or array whose items item reads.
func scanList[T any](b []byte, open, close byte, item func([]byte, int) (T, int, error)) ([]T, error) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != open {
		return nil, errScan
	}
	var out []T
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == close {
		return out, scanEnd(b, i+1)
	}
	for {
		v, next, err := item(b, i)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		i = skipWS(b, next)
		switch {
		case i < len(b) && b[i] == ',':
			i = skipWS(b, i+1)
		case i < len(b) && b[i] == close:
			return out, scanEnd(b, i+1)
		default:
			return nil, errScan
		}
	}
}

// scanElement reads an array element at b[i].
func scanElement(b []byte, i int) (json.RawMessage, int, error) {
	e := valueEnd(b, i)
	if e < 0 {
		return nil, 0, errScan
	}
	return b[i:e], e, nil
}

// scanMember reads `"key": value` at b[i].
func scanMember(b []byte, i int) (member, int, error) {
	if i >= len(b) || b[i] != '"' {
		return member{}, 0, errScan
	}
	end := stringEnd(b, i)
	if end < 0 {
		return member{}, 0, errScan
	}
	key, err := unquote(b[i:end])
	if err != nil {
		return member{}, 0, err
	}
	i = skipWS(b, end)
	if i >= len(b) || b[i] != ':' {
		return member{}, 0, errScan
	}
	i = skipWS(b, i+1)
	vend := valueEnd(b, i)
	if vend < 0 {
		return member{}, 0, errScan
	}
	return member{key: key, raw: b[i:vend]}, vend, nil
}

// scanEnd rejects anything but white space after the value.
func scanEnd(b []byte, i int) error {
	if skipWS(b, i) != len(b) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}
