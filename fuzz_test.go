package hcn

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets for every decoder and the prefix helpers. Each decoder
// target checks that nothing panics, that Validate runs on whatever
// decodes, and that a decoded document is a fixed point after one encode:
// encode → decode → encode gives the same bytes (the lossless property).
// Seeds: the golden and invalid documents of the matching kind, plus the
// corpus under testdata/fuzz/<Target>.

// addSeeds adds the testdata documents whose names start with one of the
// prefixes.
func addSeeds(f *testing.F, prefixes ...string) {
	f.Helper()
	for _, dir := range []string{"golden", "invalid"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		for _, p := range paths {
			name := strings.TrimPrefix(filepath.Base(p), "invalid-")
			for _, pre := range prefixes {
				if strings.HasPrefix(name, pre) {
					b, err := os.ReadFile(p)
					if err != nil {
						f.Fatal(err)
					}
					f.Add(b)
				}
			}
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"ID":"a","Id":"b","Type":null,"Policies":[{"Type":"ACL","Settings":"x"}],"Flags":0,"x":[]}`))
}

// fuzzDecode is the shared body of the document targets.
func fuzzDecode[T any, P interface {
	*T
	json.Marshaler
	json.Unmarshaler
}](t *testing.T, data []byte, validate func(P)) {
	var v T
	if err := json.Unmarshal(data, P(&v)); err != nil {
		return
	}
	if validate != nil {
		validate(P(&v))
	}
	first, err := json.Marshal(P(&v))
	if err != nil {
		t.Fatalf("encode of a decoded document failed: %v\ninput %q", err, data)
	}
	var back T
	if err := json.Unmarshal(first, P(&back)); err != nil {
		t.Fatalf("own output does not decode: %v\n%s", err, first)
	}
	second, err := json.Marshal(P(&back))
	if err != nil || !bytes.Equal(first, second) {
		t.Fatalf("not a fixed point:\ninput  %q\nfirst  %s\nsecond %s (%v)", data, first, second, err)
	}
}

func validateDoc[D Document](d D) { _ = d.Validate() }

func FuzzNetwork(f *testing.F) {
	addSeeds(f, "network-", "v1network-")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data, func(n *Network) {
			_ = n.Validate()
			e := Endpoint{IpConfigurations: []IPConfig{{IpAddress: "10.0.0.5"}, {IpAddress: "fd00::5"}}}
			_ = e.ValidateIn(n)
		})
	})
}

func FuzzEndpoint(f *testing.F) {
	addSeeds(f, "endpoint-", "v1endpoint-")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data, func(e *Endpoint) {
			_ = e.Validate()
			_, _ = e.PrimaryIP()
		})
	})
}

func FuzzNamespace(f *testing.F) {
	addSeeds(f, "namespace-")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data, func(ns *Namespace) { _ = ns.Validate(); _ = ns.EndpointIDs() })
	})
}

func FuzzLoadBalancer(f *testing.F) {
	addSeeds(f, "loadbalancer-")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, validateDoc[*LoadBalancer]) })
}

func FuzzSDNRoute(f *testing.F) {
	addSeeds(f, "sdnroute-", "policy-type-sdnroute")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, validateDoc[*SDNRoute]) })
}

func FuzzGuestNetworkService(f *testing.F) {
	addSeeds(f, "gns-")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, validateDoc[*GuestNetworkService]) })
}

func FuzzPolicy(f *testing.F) {
	addSeeds(f, "policy-")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data, func(p *Policy) {
			for _, on := range []PolicyScope{PolicyScopeNetwork, PolicyScopeEndpoint, PolicyScopeSubnet, allScopes} {
				var v validator
				v.policy("", p, on)
			}
		})
	})
}

func FuzzQuery(f *testing.F) {
	addSeeds(f, "query-")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data, func(q *Query) { _ = q.Validate() })
		_, _ = NewQuery().WithFilterText(string(data))
	})
}

func FuzzModifyRequest(f *testing.F) {
	addSeeds(f, "modify-")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data, func(m *ModifyRequest) {
			_ = m.Validate()
			for _, k := range Kinds {
				c := *m
				_ = c.ResolveResourceType(k)
				_ = c.ValidateFor(k)
			}
		})
	})
}

func FuzzEndpointStats(f *testing.F) {
	addSeeds(f, "stats-")
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseEndpointStats(string(data))
		fuzzDecode[EndpointStats](t, data, nil)
	})
}

func FuzzNotification(f *testing.F) {
	addSeeds(f, "notification-")
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseEvent(NotificationNetworkCreate, S_OK, string(data))
		if err == nil && n.Type != NotificationNetworkCreate {
			t.Fatalf("type lost: %v", n.Type)
		}
		fuzzDecode[NotificationPayload](t, data, nil)
	})
}

// FuzzPrefixHelpers checks ParseSlice, GatewayFor, DefaultRoute, the
// builders and the validator's prefix check against each other.
func FuzzPrefixHelpers(f *testing.F) {
	for _, s := range []string{"10.200.0.16/28", "10.0.0.0/31", "10.0.0.5/28", "fd00::/64", "fd00::/127",
		"::ffff:10.0.0.0/120", "0.0.0.0/0", "::/0", "10.0.0.0/33", "1.2.3.4", "", "fe80::%eth0/64", "10.0.0.0/024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v validator
		v.prefix("p", s, true)
		v.addrOrPrefix("q", s)
		if cp, reason := checkPrefix(s); reason == "" {
			if q, err := netip.ParsePrefix(s); err != nil || q != cp {
				t.Fatalf("validator accepts %q but netip says %v, %v", s, q, err)
			}
		}
		p, err := ParseSlice(s)
		if err != nil {
			if !strings.Contains(err.Error(), "prefix") {
				t.Fatalf("error %q does not name the prefix", err)
			}
			return
		}
		gw, err := GatewayFor(p)
		if err != nil || !p.Contains(gw) || gw != p.Addr().Next() {
			t.Fatalf("GatewayFor(%s) = %v, %v", p, gw, err)
		}
		if r, err := DefaultRoute(p); err != nil || r.NextHop != gw.String() {
			t.Fatalf("DefaultRoute(%s) = %v, %v", p, r, err)
		}
		n, err := InternalNetwork("n", p)
		if err != nil {
			t.Fatalf("InternalNetwork(%s): %v", p, err)
		}
		if err := n.Validate(); err != nil {
			t.Fatalf("built network for %s does not validate: %v", p, err)
		}
		if _, reason := checkPrefix(p.String()); reason != "" {
			t.Fatalf("validator rejects slice %s: %s", p, reason)
		}
		if q, err := netip.ParsePrefix(p.String()); err != nil || q != p {
			t.Fatalf("slice %s does not round-trip as text", p)
		}
	})
}

// FuzzScanner checks the member scanner against encoding/json: on valid
// JSON it finds the same members; on anything else it fails cleanly.
func FuzzScanner(f *testing.F) {
	addSeeds(f, "network-", "policy-")
	f.Add([]byte(`{"a\"b":"}","c":[{"]":"["}],"d":-1.5e3,"e":"\u00e9\\"}`))
	f.Add([]byte(`[1,"x",{"y":[]},null]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, errObj := scanObject(data)
		_, _ = scanArray(data)
		if !json.Valid(data) || errObj != nil {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("scanObject accepted a non-object: %q", data)
		}
		for _, mem := range ms {
			if !json.Valid(mem.raw) {
				t.Fatalf("member %q has invalid value %q", mem.key, mem.raw)
			}
			if _, ok := m[mem.key]; !ok {
				t.Fatalf("member %q not found by encoding/json in %q", mem.key, data)
			}
		}
		if len(ms) < len(m) {
			t.Fatalf("scanObject found %d members, encoding/json %d", len(ms), len(m))
		}
	})
}
