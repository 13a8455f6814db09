package hcn

import (
	"encoding/json"
	"testing"
)

// TestWireFormMACs: every MAC a document or request holds is sent in the
// service's form, whichever form it was written in; the document itself
// is left as written.
func TestWireFormMACs(t *testing.T) {
	n := &Network{
		MacPool: MacPool{Ranges: []MacRange{{StartMacAddress: "00:15:5d:0a:00:00", EndMacAddress: "00-15-5d-0a-00-ff"}}},
		Policies: []Policy{
			NewPolicy(SourceMacAddressPolicySetting{SourceMacAddress: "aa:bb:cc:dd:ee:ff"}),
			NewPolicy(&DrMacAddressPolicySetting{Address: "aa:bb:cc:dd:ee:01"}),
			NewPolicy(&RemoteSubnetRoutePolicySetting{DestinationPrefix: "10.1.0.0/16", ProviderAddress: "1.1.1.1",
				DistributedRouterMacAddress: "aa:bb:cc:dd:ee:02"}),
			{Type: PolicyTypeDrMacAddress},
		},
	}
	orig := mustJSON(t, n)
	got := mustJSON(t, wireForm(n))
	want := `{"Policies":[{"Type":"SourceMacAddress","Settings":{"SourceMacAddress":"AA-BB-CC-DD-EE-FF"}},` +
		`{"Type":"DrMacAddress","Settings":{"Address":"AA-BB-CC-DD-EE-01"}},` +
		`{"Type":"RemoteSubnetRoute","Settings":{"DestinationPrefix":"10.1.0.0/16","IsolationId":0,"ProviderAddress":"1.1.1.1","DistributedRouterMacAddress":"AA-BB-CC-DD-EE-02"}},` +
		`{"Type":"DrMacAddress"}],` +
		`"MacPool":{"Ranges":[{"StartMacAddress":"00-15-5D-0A-00-00","EndMacAddress":"00-15-5D-0A-00-FF"}]}}`
	if !jsonEqual(t, got, want) {
		t.Errorf("wire form\n got %s\nwant %s", got, want)
	}
	if after := mustJSON(t, n); after != orig {
		t.Errorf("the document changed:\n%s\n%s", orig, after)
	}
	e := &Endpoint{MacAddress: "02:00:5e:10:00:01"}
	if got := wireForm(e).(*Endpoint).MacAddress; got != "02-00-5E-10-00-01" || e.MacAddress != "02:00:5e:10:00:01" {
		t.Errorf("endpoint MacAddress sent as %q, document now %q", got, e.MacAddress)
	}
	req := wireRequest(ModifyPolicies(RequestAdd, NewPolicy(&SourceMacAddressPolicySetting{SourceMacAddress: "02:00:00:00:00:0b"})))
	if s := req.Settings.(*PolicyRequest).Policies[0].Settings.(*SourceMacAddressPolicySetting); s.SourceMacAddress != "02-00-00-00-00-0B" {
		t.Errorf("modify request sent with %q", s.SourceMacAddress)
	}
	if canonicalMAC("not a mac") != "not a mac" {
		t.Error("a non-MAC was rewritten")
	}
}

func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return mustJSON(t, x) == mustJSON(t, y)
}
