package hcnsim

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "field", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares Query output with testdata/golden/<name>.
func golden(t *testing.T, s *Sim, k hcn.Kind, h hcn.Handle, name string) {
	t.Helper()
	out, err := s.Query(k, h, "")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(out+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(want)) != out {
		t.Errorf("%s:\n got %s\nwant %s", name, out, want)
	}
}

// TestGoldenFieldDocuments creates objects from real documents and pins
// the properties the emulator returns for them.
func TestGoldenFieldDocuments(t *testing.T) {
	s := New(nil)
	netID := hcn.MustParseGUID("b70c479d-f808-4053-aafa-705bc15b6d68")
	nh, err := s.Create(hcn.KindNetwork, netID, fixture(t, "network-multipass-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, s, hcn.KindNetwork, nh, "network-multipass-1.json")
	for i, f := range []string{"endpoint-multipass-2.json", "endpoint-multipass-3.json", "endpoint-multipass-4.json"} {
		id := hcn.MustParseGUID("00000000-0000-4000-8000-00000000000" + string(rune('1'+i)))
		h, err := s.CreateEndpoint(nh, id, fixture(t, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		golden(t, s, hcn.KindEndpoint, h, f)
		s.Close(hcn.KindEndpoint, h)
		if f != "endpoint-multipass-4.json" {
			s.Delete(hcn.KindEndpoint, id)
		}
	}
	nsID := hcn.MustParseGUID("00000000-0000-4000-8000-0000000000a1")
	nsh, err := s.Create(hcn.KindNamespace, nsID, `{"SchemaVersion":{"Major":2,"Minor":0},"Type":"Host"}`)
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(fixture(t, "modify-hcnscenarios-1.json"), "87fdcf16-d210-426e-959d-2a1d4f41d6d1", "00000000-0000-4000-8000-000000000003", 1)
	mod = strings.Replace(strings.Replace(mod, `"ResourceType" : 1`, `"ResourceType" : "Endpoint"`, 1), `"RequestType" : 0`, `"RequestType" : "Add"`, 1)
	if err := s.Modify(hcn.KindNamespace, nsh, mod); err != nil {
		t.Fatal(err)
	}
	golden(t, s, hcn.KindNamespace, nsh, "namespace-with-endpoint.json")
	for _, id := range []string{"028abaed-7ff6-4fdc-992c-d3b004936be0", "e84bad42-a6ee-40a8-8145-c9f084654774", "77c53bac-a359-45cc-a663-541344ee505a"} {
		h, err := s.CreateEndpoint(nh, hcn.MustParseGUID(id), `{}`)
		if err != nil {
			t.Fatal(err)
		}
		s.Close(hcn.KindEndpoint, h)
	}
	lh, err := s.Create(hcn.KindLoadBalancer, hcn.NilGUID, fixture(t, "loadbalancer-knabbenblog-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, s, hcn.KindLoadBalancer, lh, "loadbalancer-knabbenblog-1.json")
	doc3 := strings.Replace(fixture(t, "network-multipass-3.json"), "hcn-create-test", "hcn-create-test-3", 1)
	th, err := s.Create(hcn.KindNetwork, hcn.MustParseGUID("00000000-0000-4000-8000-0000000000b1"), doc3)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, s, hcn.KindNetwork, th, "network-multipass-3.json")
	_, err = s.Create(hcn.KindNetwork, hcn.NilGUID, fixture(t, "network-multipass-2.json"))
	wantHR(t, err, hcn.HCN_E_NETWORK_ALREADY_EXISTS, "the same multipass name again")
	_, err = s.Create(hcn.KindNamespace, hcn.NilGUID, fixture(t, "namespace-hcsshim-1.json"))
	wantHR(t, err, hcn.HCN_E_GUID_CONVERSION_FAILURE, `namespace with ID "test-ns-id"`)
}

// TestFieldPolicies accepts every field policy on an endpoint.
func TestFieldPolicies(t *testing.T) {
	s := New(nil)
	_, nh := mustCreate(t, s, hcn.KindNetwork, `{"Type":"L2Bridge","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.9.0.0/24"}]}]}`)
	for _, f := range []string{"policy-cniplugins-1.json", "policy-cniplugins-2.json", "policy-wcn-1.json", "policy-wcn-4.json"} {
		if _, err := s.CreateEndpoint(nh, hcn.NilGUID, `{"Policies":[`+fixture(t, f)+`]}`); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestInvalidFieldDocuments rejects the invalid documentation samples with
// HCN_E_INVALID_JSON.
func TestInvalidFieldDocuments(t *testing.T) {
	s := New(nil)
	files, _ := filepath.Glob(filepath.Join("testdata", "field", "invalid-*.json"))
	if len(files) == 0 {
		t.Fatal("no invalid fixtures")
	}
	_, nh := mustCreate(t, s, hcn.KindNetwork, `{}`)
	for _, path := range files {
		name := filepath.Base(path)
		doc := fixture(t, name)
		var err error
		switch {
		case strings.Contains(name, "query"):
			_, err = s.Enumerate(hcn.KindNetwork, `{"Filter":`+quote(doc)+`}`)
		case strings.Contains(name, "modify"):
			err = s.Modify(hcn.KindNetwork, nh, doc)
		case strings.Contains(name, "endpoint"):
			_, err = s.CreateEndpoint(nh, hcn.NilGUID, doc)
		case strings.Contains(name, "loadbalancer"):
			_, err = s.Create(hcn.KindLoadBalancer, hcn.NilGUID, doc)
		case strings.Contains(name, "namespace"):
			_, err = s.Create(hcn.KindNamespace, hcn.NilGUID, doc)
		default:
			_, err = s.Create(hcn.KindNetwork, hcn.NilGUID, doc)
		}
		if !errors.Is(err, hcn.HCN_E_INVALID_JSON) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}
