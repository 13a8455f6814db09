package hcn

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestFeatureTable(t *testing.T) {
	cases := []struct {
		v    string
		f    Feature
		want bool
	}{
		{"7.1", FeatureACLAddressLists, false},
		{"7.2", FeatureACLRuleID, true},
		{"9.1", FeatureV2API, false},
		{"9.2", FeatureRemoteSubnet, true},
		{"9.2", FeatureDSR, false},
		{"9.3", FeatureDSR, true},
		{"9.99", FeatureDSR, true},
		{"10.0", FeatureDSR, false},
		{"10.1", FeatureDSR, false},
		{"10.2", FeatureDSR, true},
		{"10.3", FeatureSlash32EndpointPrefixes, false},
		{"10.4", FeatureSlash32EndpointPrefixes, true},
		{"9.4", FeatureSlash32EndpointPrefixes, true},
		{"10.3", FeatureVxlanPort, true},
		{"11.9", FeatureIPv6DualStack, false},
		{"11.10", FeatureIPv6DualStack, true},
		{"11.99", FeatureSessionAffinity, false},
		{"12.0", FeatureSessionAffinity, true},
		{"9.4", FeatureL4Proxy, false},
		{"9.5", FeatureL4Proxy, true},
		{"10.4", FeatureL4Proxy, false},
		{"10.5", FeatureL4Proxy, true},
		{"11.10", FeatureL4Proxy, false},
		{"11.11", FeatureL4Proxy, true},
		{"12.0", FeatureL4Proxy, false},
		{"12.1", FeatureL4Proxy, true},
		{"13.0", FeatureL4Proxy, false},
		{"13.1", FeatureL4Proxy, true},
		{"12.9", FeatureSetPolicy, false},
		{"13.0", FeatureSetPolicy, true},
		{"13.1", FeatureL4WfpProxy, false},
		{"13.2", FeatureL4WfpProxy, true},
		{"14.0", FeatureTierACL, true},
		{"14.9", FeatureNetworkACL, false},
		{"15.0", FeatureNestedIPSet, true},
		{"15.1", FeatureDisableHostPort, true},
		{"15.3", FeatureModifyLoadBalancer, false},
		{"15.4", FeatureModifyLoadBalancer, false}, // kubernetes/kubernetes#131466
		{"15.5", FeatureModifyLoadBalancer, true},
		{"15.99", FeatureModifyLoadBalancer, true},
		{"15.4", FeatureAccelnet, true},
		{"16.0", FeatureModifyLoadBalancer, true},
	}
	for _, c := range cases {
		v := MustParseVersion(c.v)
		if got := c.f.SupportedBy(v); got != c.want {
			t.Errorf("%s on %s: got %v, want %v", c.f, c.v, got, c.want)
		}
		if got := FeaturesOf(v).Has(c.f); got != c.want {
			t.Errorf("FeaturesOf(%s).Has(%s): got %v", c.v, c.f, got)
		}
	}
	for _, f := range AllFeatures() {
		g, err := ParseFeature(strings.ToLower(f.String()))
		if err != nil || g != f {
			t.Errorf("ParseFeature(%s) = %v, %v", f, g, err)
		}
	}
	if FeatureL4Proxy.requirement() != "9.5–9.x, 10.5–10.x, 11.11–11.x, 12.1–12.x, >= 13.1" {
		t.Errorf("requirement: %s", FeatureL4Proxy.requirement())
	}
}

func TestVersionParseCompare(t *testing.T) {
	if v := MustParseVersion("15.4"); v != (Version{15, 4}) || v.String() != "15.4" {
		t.Errorf("got %v", v)
	}
	if !MustParseVersion("11.10").AtLeast(MustParseVersion("11.9")) {
		t.Error("11.10 < 11.9: compared as text")
	}
	for _, s := range []string{"", "x", "1.y", "1.2.3", "-1.0"} {
		if _, err := ParseVersion(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: got %v", s, err)
		}
	}
	for s, want := range map[string]Version{
		`{"Success":true,"Error":"","Output":{"Major":9,"Minor":5}}`: {9, 5},
		`{"Major":13,"Minor":2}`:                                     {13, 2},
	} {
		if v, err := ParseGlobalsVersion(s); err != nil || v != want {
			t.Errorf("%s: got %v, %v", s, v, err)
		}
	}
	for _, s := range []string{`{"Success":false,"Error":"boom"}`, `{"Success":true}`, `[]`, `{"Output":{"Minor":1}}`} {
		if _, err := ParseGlobalsVersion(s); err == nil {
			t.Errorf("%s: no error", s)
		}
	}
}

func FuzzParseVersion(f *testing.F) {
	f.Add("15.4")
	f.Add(`{"Success":true,"Output":{"Major":9,"Minor":5}}`)
	f.Add(`{"Major":1}`)
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := ParseVersion(s); err == nil {
			if w, err := ParseVersion(v.String()); err != nil || w != v {
				t.Fatalf("%q: round trip %v -> %v, %v", s, v, w, err)
			}
		}
		ParseGlobalsVersion(s)
	})
}

func TestServiceVersionCacheAndFailures(t *testing.T) {
	f := newFake()
	fail := true
	f.before = func(op string) error {
		if fail {
			return &Error{Op: op, HRESULT: E_FAIL}
		}
		return nil
	}
	c := newTestClient(t, f)
	ctx := context.Background()
	if _, err := c.ServiceVersion(ctx); err == nil {
		t.Fatal("no error")
	}
	fail = false
	v, err := c.ServiceVersion(ctx)
	if err != nil || v != (Version{15, 4}) {
		t.Fatalf("after a failure the query was not retried: %v, %v", v, err)
	}
	calls := f.count("HNSCall GET /globals/version")
	c.ServiceVersion(ctx)
	c.Features(ctx)
	if f.count("HNSCall GET /globals/version") != calls {
		t.Error("the version was not cached")
	}
	// A transient failure of any call drops the cache.
	f.version = `{"Success":true,"Output":{"Major":15,"Minor":3}}`
	c.seen(&Error{Op: "x", HRESULT: RPC_S_CALL_FAILED})
	if ok, _ := c.Supports(ctx, FeatureModifyLoadBalancer); ok {
		t.Error("the cache survived a transient failure")
	}
	err = c.RequireFeature(ctx, FeatureModifyLoadBalancer)
	if !errors.Is(err, ErrNotSupported) || !strings.Contains(err.Error(), "ModifyLoadBalancer") || !strings.Contains(err.Error(), "15.3") {
		t.Errorf("RequireFeature: %v", err)
	}
	if err := c.RequireFeature(ctx, FeatureTierACL); err != nil {
		t.Errorf("RequireFeature(TierACL) on 15.3: %v", err)
	}
}

func TestRequireFeatureUnknownVersion(t *testing.T) {
	f := newFake()
	f.before = func(op string) error { return &Error{Op: op, HRESULT: ERROR_PROC_NOT_FOUND} }
	c := newTestClient(t, f)
	if err := c.RequireFeature(context.Background(), FeatureDSR); err != nil {
		t.Errorf("got %v; a service without the v1 API must not be refused", err)
	}
}
