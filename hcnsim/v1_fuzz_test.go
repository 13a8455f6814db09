package hcnsim

import (
	"encoding/json"
	"testing"

	"github.com/hcnkit/hcn"
)

// Fixed ids so fuzzed paths can name existing objects.
var (
	fuzzNetID = hcn.MustParseGUID("b70c479d-f808-4053-aafa-705bc15b6d68")
	fuzzEpID  = hcn.MustParseGUID("028abaed-7ff6-4fdc-992c-d3b004936be0")
)

// FuzzHNSCall feeds arbitrary methods, paths and bodies to the HNS v1
// dispatcher on a Sim holding a network and an endpoint: it must never
// panic or return an error (no fault is injected), and every answer must
// be a v1 envelope — success, or a failure with a service message ending
// in a space and a failure HRESULT.
func FuzzHNSCall(f *testing.F) {
	ep := "/endpoints/" + fuzzEpID.String()
	seeds := [][3]string{
		{"GET", "/globals/version", ""},
		{"GET", "/networks/", ""},
		{"GET", "/networks/" + fuzzNetID.String(), ""},
		{"POST", "/networks/", `{"Type":"NAT","Name":"n2","Subnets":[{"AddressPrefix":"192.168.100.0/24","GatewayAddress":"192.168.100.1","Policies":[{"Type":"VLAN","VLAN":1}]}],"MacPools":[{"StartMacAddress":"00-15-5D-52-C0-00","EndMacAddress":"00-15-5D-52-CF-FF"}]}`},
		{"DELETE", "/networks/" + fuzzNetID.String(), ""},
		{"POST", "/endpoints/", `{"Name":"e","VirtualNetwork":"` + fuzzNetID.String() + `","IPAddress":"10.0.0.9","Policies":[{"Type":"NAT","Protocol":"TCP","InternalPort":80}]}`},
		{"POST", ep, `{"Policies":[{"Type":"ACL","Action":"Allow"}]}`},
		{"POST", ep + "/attach", `{"SystemType":"Host","CompartmentId":1}`},
		{"POST", ep + "/detach", `{"SystemType":"Container","ContainerId":"c"}`},
		{"GET", "/endpointstats/" + fuzzEpID.String(), ""},
		{"POST", "/policylists/", `{"References":["/endpoints/` + fuzzEpID.String() + `"],"Policies":[{"Type":"ELB","VIPs":["10.96.0.1"],"Protocol":6,"InternalPort":80,"ExternalPort":80}]}`},
		{"POST", "/policylists/", `{"Policies":[{"Type":"ROUTE","DestinationPrefix":"10.0.0.0/8"}]}`},
		{"POST", "/namespaces/", `{"IsDefault":false}`},
		{"POST", "/namespaces/" + HostDefaultNamespaceID.String() + "/addresource", `{"Type":"Endpoint","Data":{"Id":"` + fuzzEpID.String() + `"}}`},
		{"POST", "/accelnet/", `{"MacAddressList":[{"MacAddress":"00-15-5D-0A-B7-C6"}]}`},
		{"DELETE", "/accelnet", ""},
		{"PATCH", "//x///", `{"a":`},
	}
	for _, sd := range seeds {
		f.Add(sd[0], sd[1], sd[2])
	}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		s := New(nil)
		nh, err := s.Create(hcn.KindNetwork, fuzzNetID, `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.0.0.0/24"}]}]}`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateEndpoint(nh, fuzzEpID, `{}`); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ { // twice: the second call sees what the first changed
			out, err := s.HNSCall(method, path, body)
			if err != nil {
				t.Fatalf("HNSCall %q %q: error %v", method, path, err)
			}
			checkEnvelope(t, out)
		}
		out, _ := s.HNSCall("GET", "/endpoints/", "")
		checkEnvelope(t, out)
	})
}

func checkEnvelope(t *testing.T, out string) {
	t.Helper()
	var env struct {
		Success   *bool
		Error     string
		ErrorCode uint32
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil || env.Success == nil {
		t.Fatalf("not a v1 envelope: %s", out)
	}
	if !*env.Success && (len(env.Error) < 2 || env.Error[len(env.Error)-1] != ' ' || !hcn.HRESULT(env.ErrorCode).Failed()) {
		t.Fatalf("malformed failure envelope: %s", out)
	}
}
