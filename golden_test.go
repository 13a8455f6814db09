package hcn

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Golden documents: testdata/golden/<kind>-<name>.json decodes into the
// type its prefix names, re-encodes, and compares equal as a JSON value to
// itself, or to <kind>-<name>.out.json when the encoding is normalised.
// The normalisations the .out.json files pin are:
//   - keys are written with the canonical spelling ("Id" → "ID",
//     "IPConfigurations" → "IpConfigurations", the SDN route list
//     "Routes" → "Setting");
//   - a number given for a string enum comes back as its name
//     (network Type 3 → "L2Bridge", modify ResourceType 1 with an
//     EndpointId → "Endpoint"); an unknown number stays a number;
//   - a Query Filter given as an object comes back as the string the
//     service requires; Flags "Detailed" comes back as 1.
// Everything else — unknown members, enum spelling ("static"), members that
// arrived empty (null, [], 0) and non-canonical text ("10.0.0.10/10",
// upper-case GUIDs) — comes back exactly.

// goldenKinds maps file name prefixes to the type that decodes them.
var goldenKinds = []struct {
	prefix string
	new    func() any
}{
	{"v1network-", func() any { return new(Network) }},
	{"network-", func() any { return new(Network) }},
	{"v1endpoint-", func() any { return new(Endpoint) }},
	{"endpoint-", func() any { return new(Endpoint) }},
	{"namespace-", func() any { return new(Namespace) }},
	{"loadbalancer-", func() any { return new(LoadBalancer) }},
	{"sdnroute-", func() any { return new(SDNRoute) }},
	{"gns-", func() any { return new(GuestNetworkService) }},
	{"policy-", func() any { return new(Policy) }},
	{"query-", func() any { return new(Query) }},
	{"modify-", func() any { return new(ModifyRequest) }},
	{"stats-", func() any { return new(EndpointStats) }},
	{"notification-", func() any { return new(NotificationPayload) }},
	{"other-netrestore-", func() any { return new(v1Envelope) }},
}

// v1Envelope is the HNS v1 response envelope with a network as Output,
// decoded losslessly for the netrestore capture.
type v1Envelope struct {
	Success bool    `json:"Success"`
	Output  Network `json:"Output"`

	Unknown Extra `json:"-"`
}

func (e v1Envelope) MarshalJSON() ([]byte, error)  { return encodeFrom(&e) }
func (e *v1Envelope) UnmarshalJSON(b []byte) error { return decodeInto(b, e) }

// newFor returns a new value of the type that decodes file name, or nil.
func newFor(name string) any {
	for _, k := range goldenKinds {
		if strings.HasPrefix(name, k.prefix) {
			return k.new()
		}
	}
	return nil
}

// jsonValue decodes JSON text into a generic value, numbers kept exact.
func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	return v
}

// roundTrip decodes in into a new value for name, re-encodes it, checks
// the result equals want as a JSON value, and checks that a second round
// trip gives the same bytes.
func roundTrip(t *testing.T, name string, in, want []byte) {
	t.Helper()
	v := newFor(name)
	if v == nil {
		t.Fatalf("%s: no type for this file name", name)
	}
	if err := json.Unmarshal(in, v); err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: encode: %v", name, err)
	}
	if diff := cmp.Diff(jsonValue(t, want), jsonValue(t, out)); diff != "" {
		t.Errorf("%s: re-encoded document differs (-want +got):\n%s\ngot %s", name, diff, out)
	}
	v2 := newFor(name)
	if err := json.Unmarshal(out, v2); err != nil {
		t.Fatalf("%s: decode of own output: %v", name, err)
	}
	out2, err := json.Marshal(v2)
	if err != nil || !bytes.Equal(out, out2) {
		t.Errorf("%s: second round trip not stable:\n%s\n%s (%v)", name, out, out2, err)
	}
}

// goldenWant returns the expected encoding for a golden input.
func goldenWant(t *testing.T, dir, name string, in []byte) []byte {
	t.Helper()
	out := filepath.Join(dir, strings.TrimSuffix(name, ".json")+".out.json")
	if b, err := os.ReadFile(out); err == nil {
		return b
	}
	return in
}

func goldenInputs(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in []string
	for _, n := range names {
		if !strings.HasSuffix(n, ".out.json") {
			in = append(in, filepath.Base(n))
		}
	}
	return in
}

func TestGoldenRoundTrip(t *testing.T) {
	dir := filepath.Join("testdata", "golden")
	names := goldenInputs(t, dir)
	if len(names) < 50 {
		t.Fatalf("only %d golden documents", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, name, in, goldenWant(t, dir, name, in))
		})
	}
}

// TestGoldenCoversEveryPolicyType checks that each typed policy has a
// golden document and decodes into its typed settings.
func TestGoldenCoversEveryPolicyType(t *testing.T) {
	for _, pt := range KnownPolicyTypes() {
		name := "policy-type-" + strings.ToLower(string(pt)) + ".json"
		if pt == PolicyTypeOutBoundNAT {
			name = "policy-type-outboundnat-empty.json"
		}
		b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
		if err != nil {
			t.Errorf("policy type %s has no golden document: %v", pt, err)
			continue
		}
		var p Policy
		if err := json.Unmarshal(b, &p); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, raw := p.Settings.(RawSettings); raw || p.Settings == nil || !p.Settings.PolicyType().Is(pt) {
			t.Errorf("%s: settings decoded as %T", name, p.Settings)
		}
	}
}

// TestGoldenCoversEveryDocument checks that each document type has a golden
// document in the shape the service emits.
func TestGoldenCoversEveryDocument(t *testing.T) {
	for _, prefix := range []string{"network-service", "endpoint-service", "namespace-service",
		"loadbalancer-service", "sdnroute-service", "gns-service", "query-", "modify-", "stats-", "notification-"} {
		m, _ := filepath.Glob(filepath.Join("testdata", "golden", prefix+"*.json"))
		if len(m) == 0 {
			t.Errorf("no golden document %s*", prefix)
		}
	}
}

// TestGoldenEditKeepsEverythingElse edits the ID of every golden object
// document and checks that the encoding differs from the expected one in
// that member only: nothing the document carried is lost by an edit.
func TestGoldenEditKeepsEverythingElse(t *testing.T) {
	dir := filepath.Join("testdata", "golden")
	edited := 0
	defer func() {
		if edited < 20 {
			t.Errorf("only %d documents edited", edited)
		}
	}()
	for _, name := range goldenInputs(t, dir) {
		v := newFor(name)
		d, ok := v.(Document)
		if !ok {
			continue
		}
		edited++
		in, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(in, d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		reflect.ValueOf(d).Elem().FieldByName("ID").SetString("edited")
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := jsonValue(t, goldenWant(t, dir, name, in)).(map[string]any)
		want["ID"] = "edited"
		if diff := cmp.Diff(want, jsonValue(t, out)); diff != "" {
			t.Errorf("%s: edit changed more than ID (-want +got):\n%s", name, diff)
		}
	}
}
