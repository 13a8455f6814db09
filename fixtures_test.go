package hcn

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fieldFixtures is the shared directory of real documents from the field.
var fieldFixtures = filepath.Join("..", "shared", "fixtures", "field")

// TestFieldFixtures round-trips every valid field fixture through its type
// (same rules as the golden documents, whose copies must be identical) and
// checks that every invalid one is rejected.
func TestFieldFixtures(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(fieldFixtures, "*.json"))
	if err != nil || len(names) == 0 {
		t.Skipf("field fixtures not present in %s; their copies under testdata/ are tested by TestGoldenRoundTrip and TestInvalidDocuments", fieldFixtures)
	}
	golden := filepath.Join("testdata", "golden")
	for _, path := range names {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(name, "invalid-") {
				checkInvalid(t, name, in)
				return
			}
			if cp, err := os.ReadFile(filepath.Join(golden, name)); err != nil || !bytes.Equal(cp, in) {
				t.Errorf("testdata/golden/%s is missing or differs from the field fixture", name)
			}
			roundTrip(t, name, in, goldenWant(t, golden, name, in))
		})
	}
}

// TestInvalidDocuments checks that the invalid documentation samples
// (trailing commas, missing commas, a comment, an extra closing brace) are
// rejected by every decoder that could be handed them, with a syntax error.
func TestInvalidDocuments(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join("testdata", "invalid", "*.json"))
	if len(names) < 8 {
		t.Fatalf("only %d invalid documents", len(names))
	}
	for _, path := range names {
		in, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkInvalid(t, filepath.Base(path), in)
	}
}

func checkInvalid(t *testing.T, name string, in []byte) {
	t.Helper()
	kind := strings.SplitN(strings.TrimPrefix(name, "invalid-"), "-", 2)[0]
	targets := []any{new(Network), new(Endpoint), new(Namespace), new(LoadBalancer), new(ModifyRequest), new(Query), new(Policy)}
	for _, v := range targets {
		err := json.Unmarshal(in, v)
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: decoding as %T: want a syntax error, got %v", name, v, err)
		}
	}
	if err := decodeInto(in, new(Network)); !errors.Is(err, ErrInvalid) {
		t.Errorf("%s: decodeInto: want ErrInvalid, got %v", name, err)
	}
	if kind == "query" {
		// These are filters: the filter builder rejects them too.
		if _, err := NewQuery().WithFilterText(string(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: WithFilterText: want ErrInvalid, got %v", name, err)
		}
	}
}
