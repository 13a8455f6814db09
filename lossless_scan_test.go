package hcn

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// The codec checks syntax, unescapes strings, escapes them and compacts raw
// text itself; these tests hold each of those to encoding/json's behaviour.

// jsonSeeds are texts at the edges of the grammar.
var jsonSeeds = []string{
	``, ` `, `{}`, `[]`, `null`, `nul`, `true`, `trUe`, `false`, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `1e`, `1e+`, `1E-2`,
	`.5`, `+1`, `"`, `"\"`, `"\\"`, `"\u00e9"`, `"\u00E9\uD83D\uDE00"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`,
	`"\x"`, `"\u12"`, `"\u12G4"`, "\"\t\"", "\"\x7f\"", "\"\xff\"", "\"\xe2\x80\xa8<&>\"", `{"a":1,}`, `{"a" 1}`, `{,}`,
	`[1,]`, `[1 2]`, `{"a":1}}`, `{"a":[1,{"b":null}]}`, ` {"a" : [ 1 , "x" ] } `, `{"a":1}x`, "\u00a0{}", `{"":""}`,
	`{"a":1,"a":2}`, `[[[[]]]]`, `{"a":"b"/**/}`, `"a` + "\n" + `"`, `123456789012345678901234567890`,
}

// nested returns n arrays, each inside the previous.
func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func addJSONSeeds(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(nested(maxDepth)))
	f.Add([]byte(nested(maxDepth + 1)))
}

// FuzzScanValid checks the scanner's syntax check against json.Valid, and
// that decoding malformed text reports encoding/json's syntax error.
func FuzzScanValid(f *testing.F) {
	addJSONSeeds(f)
	addSeeds(f, "network-", "invalid-")
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := json.Valid(data)
		if got := validJSON(data); got != valid {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", data, got, valid)
		}
		wrapped := append(append([]byte(`{"ID":"x","Unknown":`), data...), '}')
		err := decodeInto(wrapped, new(Network))
		var se *json.SyntaxError
		if isSyntax := errors.As(err, &se); isSyntax == json.Valid(wrapped) {
			t.Fatalf("%q: decode error %v, json.Valid %v", wrapped, err, json.Valid(wrapped))
		}
	})
}

// TestScanDepth checks the nesting limit at its edge, inside a document.
func TestScanDepth(t *testing.T) {
	for _, n := range []int{maxDepth - 1, maxDepth} {
		doc := []byte(`{"X":` + nested(n) + `}`) // the object is one more level
		var nw Network
		err := decodeInto(doc, &nw)
		if valid := json.Valid(doc); (err == nil) != valid {
			t.Errorf("depth %d: err %v, json.Valid %v", n+1, err, valid)
		}
	}
}

// FuzzStringCodec checks string decoding against json.Unmarshal, and string
// encoding and raw compaction against json.Marshal.
func FuzzStringCodec(f *testing.F) {
	addJSONSeeds(f)
	for c := range 256 {
		f.Add([]byte{'"', byte(c), '"'})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		checkRawCompact(t, data)
		lit := bytes.TrimSpace(data)
		var s string
		if lit[0] != '"' || json.Unmarshal(lit, &s) != nil {
			return
		}
		d := decodeState{data: lit}
		got, err := d.readString()
		if err != nil || got != s {
			t.Fatalf("readString(%q) = %q, %v; encoding/json decodes %q", data, got, err, s)
		}
		checkString(t, s)
		checkString(t, string(data)) // any bytes, invalid UTF-8 included
	})
}

func checkString(t *testing.T, s string) {
	t.Helper()
	want, _ := json.Marshal(s)
	if got := appendString(nil, s); !bytes.Equal(got, want) {
		t.Fatalf("appendString(%q) = %s, json.Marshal writes %s", s, got, want)
	}
}

func checkRawCompact(t *testing.T, raw []byte) {
	t.Helper()
	want, err := json.Marshal(json.RawMessage(raw))
	if err != nil {
		t.Fatalf("json.Marshal of valid %q: %v", raw, err)
	}
	if got := appendCompact(nil, raw); !bytes.Equal(got, want) {
		t.Fatalf("appendCompact(%q) = %s, json.Marshal writes %s", raw, got, want)
	}
}

// TestStringCodecEveryRune runs the string checks on every rune class
// boundary json.Marshal treats specially.
func TestStringCodecEveryRune(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		checkString(t, "a"+string(r)+"b")
	}
	for _, r := range []rune{0xFFFD, 0xFFFF, 0x10000, 0x10FFFF, utf8.RuneError} {
		checkString(t, string(r))
	}
}
