package hcn

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return string(b)
}

func mustDecode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
}

// TestUnknownMembersSurviveEdit reads a service document, edits it as a
// client would, and checks that every member the library does not model is
// still there, unchanged, at every depth.
func TestUnknownMembersSurviveEdit(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "v1network-netrestore-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var n Network
	mustDecode(t, string(b), &n)
	n.Name = "renamed"
	n.Policies = append(n.Policies, HostRoutePolicy())
	n.Dns.ServerList = []string{"10.0.0.10"}

	var before, after map[string]any
	mustDecode(t, string(b), &before)
	mustDecode(t, mustJSON(t, n), &after)
	for k, v := range before {
		switch k {
		case "Name", "Policies":
			continue
		}
		if diff := cmp.Diff(v, after[k]); diff != "" {
			t.Errorf("member %s changed:\n%s", k, diff)
		}
	}
	if after["Name"] != "renamed" {
		t.Errorf("Name = %v", after["Name"])
	}
	pols := after["Policies"].([]any)
	if len(pols) != 2 || pols[0].(map[string]any)["VLAN"] != float64(1) {
		t.Errorf("v1 flat policy member lost: %v", pols)
	}
	if got := mustJSON(t, after["Dns"]); got != `{"ServerList":["10.0.0.10"]}` {
		t.Errorf("Dns = %s", got)
	}
}

func TestUnknownMembersInsideSettings(t *testing.T) {
	var p Policy
	mustDecode(t, `{"Type":"outboundnat","Settings":{"Exceptions":["10.0.0.0/8"],"Future":{"a":[1]}},"Top":true}`, &p)
	s, ok := SettingsAs[*OutboundNATPolicySetting](p)
	if !ok {
		t.Fatalf("settings decoded as %T", p.Settings)
	}
	s.VirtualIP = "10.0.0.1"
	got := mustJSON(t, p)
	want := `{"Type":"outboundnat","Settings":{"VirtualIP":"10.0.0.1","Exceptions":["10.0.0.0/8"],"Future":{"a":[1]}},"Top":true}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if raw, ok := s.Unknown.Get("FUTURE"); !ok || string(raw) != `{"a":[1]}` {
		t.Errorf("Unknown.Get = %s %v", raw, ok)
	}
}

// TestEmptyMembersKeptWhileEmpty pins the rule for members that arrive
// with an empty value: written back as received while the field stays
// empty, written normally once set.
func TestEmptyMembersKeptWhileEmpty(t *testing.T) {
	var e Endpoint
	mustDecode(t, `{"Policies":[],"MacAddress":null,"Flags":0,"Dns":{}}`, &e)
	if got, want := mustJSON(t, e), `{"Policies":[],"Dns":{},"MacAddress":null,"Flags":0}`; got != want {
		t.Errorf("unchanged: got %s want %s", got, want)
	}
	e.MacAddress = "00-15-5D-00-00-01"
	e.Flags = EndpointFlagEnableDHCP
	e.Policies = []Policy{PortNamePolicy("p")}
	if got, want := mustJSON(t, e), `{"Policies":[{"Type":"PortName","Settings":{"Name":"p"}}],"Dns":{},"MacAddress":"00-15-5D-00-00-01","Flags":32}`; got != want {
		t.Errorf("edited: got %s want %s", got, want)
	}
}

func TestNoEmptyNoise(t *testing.T) {
	for _, v := range []any{Network{}, Endpoint{}, Namespace{}, LoadBalancer{}, SDNRoute{}, GuestNetworkService{}, Query{}, EndpointStats{}} {
		if got := mustJSON(t, v); got != "{}" {
			t.Errorf("%T{} encodes as %s", v, got)
		}
	}
	n := Network{Name: "x", Dns: DNS{Search: []string{}}, BaseFields: BaseFields{Health: Health{Extra: HealthExtra{}}}}
	if got := mustJSON(t, n); got != `{"Name":"x"}` {
		t.Errorf("got %s", got)
	}
}

func TestMissingNetworkTypeIsNAT(t *testing.T) {
	var n Network
	mustDecode(t, `{"Name":"nat","Flags":8}`, &n)
	if n.Type != NetworkTypeNAT {
		t.Fatalf("Type = %q, want NAT", n.Type)
	}
	if got := mustJSON(t, n); got != `{"Name":"nat","Flags":8}` {
		t.Errorf("unchanged NAT network re-encodes as %s", got)
	}
	n.Type = NetworkTypeICS
	if got := mustJSON(t, n); got != `{"Name":"nat","Type":"ICS","Flags":8}` {
		t.Errorf("edited: %s", got)
	}
	for _, in := range []string{`{"Type":null}`, `{"Type":""}`} {
		var z Network
		mustDecode(t, in, &z)
		if z.Type != NetworkTypeNAT || mustJSON(t, z) != in {
			t.Errorf("%s: Type %q, re-encoded %s", in, z.Type, mustJSON(t, z))
		}
	}
	var m Network
	mustDecode(t, `{"Type":"nat"}`, &m)
	if !m.Type.Is(NetworkTypeNAT) || m.Type == NetworkTypeNAT {
		t.Errorf("Type %q: want the received spelling, equal ignoring case", m.Type)
	}
}

func TestEnumsFromNumbersAndStrings(t *testing.T) {
	tests := []struct {
		in   string
		want NetworkType
	}{
		{`{"Type":0}`, NetworkTypeNAT},
		{`{"Type":7}`, NetworkTypeInternal},
		{`{"Type":10}`, NetworkTypeConstrainedICS},
		{`{"Type":42}`, "42"},
		{`{"Type":"mirrored"}`, "mirrored"},
		{`{"type":"Infiniband"}`, NetworkTypeInfiniband},
	}
	for _, tt := range tests {
		var n Network
		mustDecode(t, tt.in, &n)
		if n.Type != tt.want {
			t.Errorf("%s: Type = %q, want %q", tt.in, n.Type, tt.want)
		}
	}
	for _, bad := range []string{`{"Type":-1}`, `{"Type":1.5}`, `{"Type":true}`, `{"Type":{}}`} {
		var n Network
		err := json.Unmarshal([]byte(bad), &n)
		var de *DecodeError
		if !errors.As(err, &de) || de.Path != "Type" || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: want a DecodeError at Type, got %v", bad, err)
		}
	}
}

func TestDecodeErrorPath(t *testing.T) {
	var n Network
	err := json.Unmarshal([]byte(`{"Ipams":[{"Subnets":[{},{"Routes":[{"Metric":"x"}]}]}]}`), &n)
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != "Ipams[0].Subnets[1].Routes[0].Metric" {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "Ipams[0].Subnets[1].Routes[0].Metric") {
		t.Errorf("message %q lacks the path", err)
	}
}

func TestMarshalForCreate(t *testing.T) {
	n := &Network{Name: "x"}
	b, err := MarshalForCreate(n)
	if err != nil || string(b) != `{"Name":"x","SchemaVersion":{"Major":2,"Minor":0}}` {
		t.Errorf("got %s %v", b, err)
	}
	if !n.SchemaVersion.IsZero() {
		t.Error("MarshalForCreate modified its argument")
	}
	ep := &Endpoint{SchemaVersion: SchemaVersion{Major: 2, Minor: 16}}
	if b, _ := MarshalForCreate(ep); string(b) != `{"SchemaVersion":{"Major":2,"Minor":16}}` {
		t.Errorf("explicit version changed: %s", b)
	}
	if got := mustJSON(t, n); got != `{"Name":"x"}` {
		t.Errorf("json.Marshal added a version: %s", got)
	}
	if _, err := MarshalForCreate((*Namespace)(nil)); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil document: %v", err)
	}
	for _, d := range []Document{&Network{}, &Endpoint{}, &Namespace{}, &LoadBalancer{}, &SDNRoute{}, &GuestNetworkService{}} {
		if b, _ := MarshalForCreate(d); !strings.Contains(string(b), `"SchemaVersion":{"Major":2,"Minor":0}`) {
			t.Errorf("%v: %s", d.Kind(), b)
		}
	}
}

func TestExtraAPI(t *testing.T) {
	var ns Namespace
	mustDecode(t, `{"ID":"x","Zeta":1,"alpha":"a"}`, &ns)
	if got := ns.Unknown.Keys(); !cmp.Equal(got, []string{"Zeta", "alpha"}) || ns.Unknown.Len() != 2 {
		t.Errorf("Keys = %v", got)
	}
	if err := ns.Unknown.Set("ALPHA", json.RawMessage(`"b"`)); err != nil {
		t.Fatal(err)
	}
	if err := ns.Unknown.Set("bad", json.RawMessage(`{`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("Set invalid JSON: %v", err)
	}
	ns.Unknown.Delete("zeta")
	_ = ns.Unknown.Set("id", json.RawMessage(`"shadowed"`)) // a modelled key: the field wins
	if got := mustJSON(t, ns); got != `{"ID":"x","alpha":"b"}` {
		t.Errorf("got %s", got)
	}
	cp := ns
	_ = cp.Unknown.Set("alpha", json.RawMessage(`"c"`))
	if v, _ := ns.Unknown.Get("alpha"); string(v) != `"b"` {
		t.Errorf("Set on a copy changed the original: %s", v)
	}
}

func TestModifySettingsMustBeObject(t *testing.T) {
	for _, in := range []string{
		`{"ResourceType":"Endpoint","RequestType":"Add","Settings":"{\"EndpointId\":\"x\"}"}`,
		`{"ResourceType":"Policy","RequestType":"Add","Settings":[1]}`,
		`{"ResourceType":"Policy","RequestType":"Add","Settings":null}`,
	} {
		var m ModifyRequest
		err := json.Unmarshal([]byte(in), &m)
		if err == nil || !strings.Contains(err.Error(), "Settings") || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: got %v", in, err)
		}
	}
}

func TestQueryFilterDecoding(t *testing.T) {
	for _, in := range []string{`{"Filter":1}`, `{"Filter":[]}`, `{"Filter":true}`} {
		var q Query
		err := json.Unmarshal([]byte(in), &q)
		if err == nil || !strings.Contains(err.Error(), "Filter") {
			t.Errorf("%s: got %v", in, err)
		}
	}
	var q Query
	mustDecode(t, `{"Filter": { "Name" : "nat" }}`, &q)
	if q.Filter != `{"Name":"nat"}` {
		t.Errorf("object filter kept as %q", q.Filter)
	}
	mustDecode(t, `{"Filter":null}`, &q)
	if got := mustJSON(t, q); got != `{"Filter":null}` {
		t.Errorf("null filter: %s", got)
	}
}

func TestNilSettingsDoNotPanic(t *testing.T) {
	p := Policy{Type: PolicyTypeACL, Settings: (*ACLPolicySetting)(nil)}
	if got := mustJSON(t, p); got != `{"Type":"ACL","Settings":null}` {
		t.Errorf("got %s", got)
	}
	e := Endpoint{Policies: []Policy{p, NewPolicy(nil), NewPolicy((*QOSPolicySetting)(nil))}}
	if err := e.Validate(); err == nil || !strings.Contains(err.Error(), "Policies[1].Type: required") {
		t.Errorf("got %v", err)
	}
	m := NewModifyRequest(RequestAdd, (*PolicyRequest)(nil))
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "ResourceType: required") {
		t.Errorf("got %v", err)
	}
	m = ModifyRequest{ResourceType: ResourcePolicy, RequestType: RequestAdd, Settings: (*PolicyRequest)(nil)}
	if err := m.Validate(); err != nil {
		t.Errorf("nil typed settings: %v", err)
	}
}
