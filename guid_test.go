package hcn

import (
	"encoding/json"
	"errors"
	"testing"
	"unsafe"
)

func TestGUIDLayout(t *testing.T) {
	if got := unsafe.Sizeof(GUID{}); got != 16 {
		t.Fatalf("sizeof GUID = %d, want 16", got)
	}
	if off := unsafe.Offsetof(GUID{}.Data4); off != 8 {
		t.Fatalf("offset of Data4 = %d, want 8", off)
	}
}

func TestParseGUID(t *testing.T) {
	want := GUID{0x5f0b1190, 0x63be, 0x4e0c, [8]byte{0xb9, 0x74, 0xbd, 0x0f, 0x55, 0x67, 0x5a, 0x42}}
	for _, s := range []string{
		"5f0b1190-63be-4e0c-b974-bd0f55675a42",
		"5F0B1190-63BE-4E0C-B974-BD0F55675A42",
		"{5f0b1190-63be-4e0c-b974-bd0f55675a42}",
		"{5F0B1190-63be-4E0C-b974-BD0F55675A42}",
	} {
		g, err := ParseGUID(s)
		if err != nil {
			t.Fatalf("ParseGUID(%q): %v", s, err)
		}
		if g != want {
			t.Fatalf("ParseGUID(%q) = %v, want %v", s, g, want)
		}
	}
	if got := want.String(); got != "5f0b1190-63be-4e0c-b974-bd0f55675a42" {
		t.Fatalf("String = %q", got)
	}
	if got := want.BracedUpper(); got != "{5F0B1190-63BE-4E0C-B974-BD0F55675A42}" {
		t.Fatalf("BracedUpper = %q", got)
	}
	for _, bad := range []string{"", "{}", "5f0b1190-63be-4e0c-b974-bd0f55675a4", "5f0b1190x63be-4e0c-b974-bd0f55675a42",
		"5f0b1190-63be-4e0c-b974-bd0f55675a4g", "{5f0b1190-63be-4e0c-b974-bd0f55675a42", "5f0b119063be4e0cb974bd0f55675a42"} {
		if _, err := ParseGUID(bad); err == nil || !errors.Is(err, errGUIDSyntax) {
			t.Errorf("ParseGUID(%q) = %v, want a syntax error", bad, err)
		}
	}
}

func TestGUIDJSON(t *testing.T) {
	g := NewGUID()
	if g.IsZero() {
		t.Fatal("NewGUID returned GUID_NULL")
	}
	if v := g.Bytes()[6] >> 4; v != 4 {
		t.Fatalf("version nibble = %d, want 4", v)
	}
	b, err := json.Marshal(struct{ ID GUID }{g})
	if err != nil {
		t.Fatal(err)
	}
	var back struct{ ID GUID }
	if err := json.Unmarshal([]byte(`{"id":"`+g.BracedUpper()+`"}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.ID != g {
		t.Fatalf("round trip via %s: got %v want %v", b, back.ID, g)
	}
	if err := json.Unmarshal([]byte(`{"ID":""}`), &back); err != nil || !back.ID.IsZero() {
		t.Fatalf("empty id: %v %v", back.ID, err)
	}
	if err := json.Unmarshal([]byte(`{"ID":"nope"}`), &back); err == nil {
		t.Fatal("bad id accepted")
	}
	if !EqualFoldGUID(g.String(), g.BracedUpper()) || EqualFoldGUID(g.String(), NewGUID().String()) {
		t.Fatal("EqualFoldGUID")
	}
}

func FuzzParseGUID(f *testing.F) {
	for _, s := range []string{"5f0b1190-63be-4e0c-b974-bd0f55675a42", "{5F0B1190-63BE-4E0C-B974-BD0F55675A42}", "", "{}", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGUID(s)
		if err != nil {
			return
		}
		g2, err := ParseGUID(g.String())
		if err != nil || g2 != g {
			t.Fatalf("canonical form %q of %q does not re-parse: %v", g.String(), s, err)
		}
		if g3, err := ParseGUID(g.BracedUpper()); err != nil || g3 != g {
			t.Fatalf("braced form does not re-parse")
		}
	})
}
