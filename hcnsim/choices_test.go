package hcnsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

// These tests pin the choices the package documentation lists, where the
// real service's behaviour is not documented.

func wantHR(t *testing.T, err error, hr hcn.HRESULT, what string) {
	t.Helper()
	var he *hcn.Error
	if !errors.As(err, &he) || he.HRESULT != hr {
		t.Errorf("%s: got %v, want %s", what, err, hr)
	}
}

func TestChoiceIDs(t *testing.T) {
	s := New(nil)
	docID := hcn.NewGUID()
	id, _ := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(`{"Name":"a","id":%q}`, docID.BracedUpper()))
	if id != docID {
		t.Errorf("document ID not used with GUID_NULL: %s", id)
	}
	arg := hcn.NewGUID()
	h, err := s.Create(hcn.KindNetwork, arg, fmt.Sprintf(`{"Name":"b","ID":%q}`, hcn.NewGUID()))
	if err != nil || s.handleID(h) != arg {
		t.Errorf("argument id does not win: %v", err)
	}
	_, err = s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"c","ID":"test-ns-id"}`)
	wantHR(t, err, hcn.HCN_E_GUID_CONVERSION_FAILURE, "invalid document ID")
	_, err = s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"a"}`)
	wantHR(t, err, hcn.HCN_E_NETWORK_ALREADY_EXISTS, "names are unique")
	upper, uh := mustCreate(t, s, hcn.KindNetwork, `{"Name":"A"}`) // names are case-sensitive
	s.Close(hcn.KindNetwork, uh)
	if got, _ := s.Enumerate(hcn.KindNetwork, `{"Filter":"{\"Name\":\"A\"}"}`); got != fmt.Sprintf(`[%q]`, upper) {
		t.Errorf("Name filter A = %s, want only the network named A", got)
	}
	out, _ := s.Enumerate(hcn.KindNetwork, "")
	if out != fmt.Sprintf(`[%q,%q,%q]`, docID, arg, upper) {
		t.Errorf("enumerate order %s, want creation order", out)
	}
}

func TestChoiceDocumentShape(t *testing.T) {
	s := New(nil)
	_, h := mustCreate(t, s, hcn.KindNetwork, `{"name":"shape","type":2,"flags":0,"Unknown":{"Keep":1},"Health":{"X":1},"State":7,
		"ipams":[{"type":"static","subnets":[{"ipAddressPrefix":"10.2.0.0/24","policies":[]}]}],"Dns":{"Search":[]}}`)
	m := props(t, s, hcn.KindNetwork, h)
	b, _ := json.Marshal(m)
	for _, want := range []string{`"Type":"Transparent"`, `"Unknown":{"Keep":1}`, `"Name":"shape"`, `"State":1`,
		`"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.2.0.0/24"}],"Type":"Static"}]`, `"Version":64424509444`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("properties miss %s: %s", want, b)
		}
	}
	for _, gone := range []string{"Flags", "Dns", "Health", "name"} {
		if _, ok := m[gone]; ok {
			t.Errorf("properties keep %s: %s", gone, b)
		}
	}
	_, h = mustCreate(t, s, hcn.KindNetwork, `{"Name":"nat","Type":"nat"}`)
	if _, ok := props(t, s, hcn.KindNetwork, h)["Type"]; ok {
		t.Error("NAT network has a Type")
	}
	_, err := s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"x","Type":99}`)
	wantHR(t, err, hcn.HCN_E_INVALID_NETWORK_TYPE, "numeric type out of range")
}

func TestChoiceReservedAddresses(t *testing.T) {
	cases := []struct {
		name, doc string
		bad, ok   []string
	}{
		{"nat no route", `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.3.0.0/28"}]}]}`,
			[]string{"10.3.0.0", "10.3.0.1", "10.3.0.15"}, []string{"10.3.0.2", "10.3.0.14"}},
		{"transparent no default route", `{"Type":"Transparent","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.3.0.0/28"}]}]}`,
			[]string{"10.3.0.1", "10.3.0.2"}, []string{"10.3.0.3"}},
		{"transparent with default route", `{"Type":"Transparent","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.3.0.0/28","Routes":[{"NextHop":"10.3.0.1","DestinationPrefix":"0.0.0.0/0"}]}]}]}`,
			[]string{"10.3.0.1"}, []string{"10.3.0.2"}},
		{"gateway elsewhere", `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.3.0.0/28","Routes":[{"NextHop":"10.3.0.9","DestinationPrefix":"0.0.0.0/0"}]}]}]}`,
			[]string{"10.3.0.9"}, []string{"10.3.0.1"}},
		{"DoNotReserveGatewayAddress", `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.3.0.0/28","Flags":1,"Routes":[{"NextHop":"10.3.0.1","DestinationPrefix":"0.0.0.0/0"}]}]}]}`,
			[]string{"10.3.0.0"}, []string{"10.3.0.1"}},
		{"ipv6", `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"fd00::/64","Routes":[{"NextHop":"fd00::1","DestinationPrefix":"::/0"}]}]}]}`,
			[]string{"fd00::", "fd00::1"}, []string{"fd00::2", "fd00::ffff:ffff:ffff:ffff"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := New(nil)
			_, nh := mustCreate(t, s, hcn.KindNetwork, c.doc)
			for _, ip := range c.bad {
				_, err := s.CreateEndpoint(nh, hcn.NilGUID, fmt.Sprintf(`{"IpConfigurations":[{"IpAddress":%q}]}`, ip))
				wantHR(t, err, hcn.HCN_E_ADDR_INVALID_OR_RESERVED, ip)
			}
			for _, ip := range c.ok {
				if _, err := s.CreateEndpoint(nh, hcn.NilGUID, fmt.Sprintf(`{"IpConfigurations":[{"IpAddress":%q}]}`, ip)); err != nil {
					t.Errorf("%s: %v", ip, err)
				}
			}
		})
	}
}

func TestChoiceAllocation(t *testing.T) {
	s := New(nil)
	_, nh := mustCreate(t, s, hcn.KindNetwork, `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.4.0.0/30"},{"IpAddressPrefix":"fd01::/120"}]}]}`)
	_, h := mustEndpoint(t, s, nh, `{}`)
	m := props(t, s, hcn.KindEndpoint, h)
	b, _ := json.Marshal(m["IpConfigurations"])
	if string(b) != `[{"IpAddress":"10.4.0.2","PrefixLength":30},{"IpAddress":"fd01::2","PrefixLength":120}]` {
		t.Errorf("dual-stack allocation %s", b)
	}
	if mac, _ := m["MacAddress"].(string); !strings.HasPrefix(mac, "00-15-5D-") || !strings.HasSuffix(mac, "0-00") {
		t.Errorf("first MAC of the default pool %q", mac)
	}
	_, err := s.CreateEndpoint(nh, hcn.NilGUID, `{}`)
	wantHR(t, err, hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "exhausted /30")
	_, err = s.CreateEndpoint(nh, hcn.NilGUID, fmt.Sprintf(`{"MacAddress":%q,"IpConfigurations":[{"IpAddress":"fd01::9"}]}`, m["MacAddress"]))
	wantHR(t, err, hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "MAC in use")
	_, err = s.CreateEndpoint(nh, hcn.NilGUID, `{"MacAddress":"zz","IpConfigurations":[{"IpAddress":"fd01::9"}]}`)
	wantHR(t, err, hcn.E_INVALIDARG, "malformed MAC")
	// A failed create releases what it took: fd01::9 is still free.
	if _, err := s.CreateEndpoint(nh, hcn.NilGUID, `{"IpConfigurations":[{"IpAddress":"fd01::9"}]}`); err != nil {
		t.Errorf("address leaked by a failed create: %v", err)
	}
	_, nh2 := mustCreate(t, s, hcn.KindNetwork, `{"Type":"L2Bridge"}`)
	_, err = s.CreateEndpoint(nh2, hcn.NilGUID, `{"IpConfigurations":[{"IpAddress":"1.2.3.4"}]}`)
	wantHR(t, err, hcn.HCN_E_INVALID_IP, "static IP on a network without subnets")
	if _, h := mustEndpoint(t, s, nh2, `{}`); props(t, s, hcn.KindEndpoint, h)["IpConfigurations"] != nil {
		t.Error("an endpoint of a network without Static subnets got an address")
	}
}

func TestChoiceSubnetValidation(t *testing.T) {
	s := New(nil)
	cases := []struct {
		doc string
		hr  hcn.HRESULT
	}{
		{`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"0.0.0.0/0"}]}]}`, hcn.HCN_E_INVALID_SUBNET},
		{`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.5.0.0/16"},{"IpAddressPrefix":"10.5.1.0/24"}]}]}`, hcn.HCN_E_INVALID_SUBNET},
		{`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.5.0.0/24","Routes":[{"NextHop":"10.6.0.1","DestinationPrefix":"0.0.0.0/0"}]}]}]}`, hcn.HCN_E_INVALID_SUBNET},
		{`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.5.0.0/24","Routes":[{"NextHop":"x","DestinationPrefix":"0.0.0.0/0"}]}]}]}`, hcn.HCN_E_INVALID_IP},
		{`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.5.0.0/24","Routes":[{"NextHop":"10.5.0.1","DestinationPrefix":"bad"}]}]}]}`, hcn.HCN_E_INVALID_PREFIX},
		{`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.5.0.0/24","IpSubnets":[{"IpAddressPrefix":"10.6.0.0/24"}]}]}]}`, hcn.HCN_E_INVALID_IP_SUBNET},
		{`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.5.0.0/24","Policies":[{"Type":"Nope"}]}]}]}`, hcn.HCN_E_INVALID_POLICY_TYPE},
		{`{"Ipams":[{"Type":"Magic"}]}`, hcn.HCN_E_INVALID_NETWORK},
		{`{"MacPool":{"Ranges":[{"StartMacAddress":"00-15-5D-00-00-10","EndMacAddress":"00-15-5D-00-00-01"}]}}`, hcn.HCN_E_INVALID_NETWORK},
		{`{"Policies":[{"Type":"PortMapping"}]}`, hcn.HCN_E_INVALID_POLICY_TYPE},
	}
	for _, c := range cases {
		_, err := s.Create(hcn.KindNetwork, hcn.NilGUID, c.doc)
		wantHR(t, err, c.hr, c.doc)
	}
	// Host bits are masked off.
	_, h := mustCreate(t, s, hcn.KindNetwork, `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.7.0.10/24"}]}]}`)
	_, eh := mustEndpoint(t, s, h, `{}`)
	if ip := ipOf(props(t, s, hcn.KindEndpoint, eh)); ip != "10.7.0.2" {
		t.Errorf("allocation in a prefix with host bits: %s", ip)
	}
}

func TestChoiceRemoteEndpoint(t *testing.T) {
	s := New(nil)
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "r"))
	rid, rh := mustEndpoint(t, s, nh, `{"Flags":1,"IpConfigurations":[{"IpAddress":"192.168.9.9"}]}`)
	m := props(t, s, hcn.KindEndpoint, rh)
	if _, ok := m["MacAddress"]; ok || ipOf(m) != "192.168.9.9" {
		t.Errorf("remote endpoint %v", m)
	}
	_, nsh := mustCreate(t, s, hcn.KindNamespace, `{}`)
	err := s.Modify(hcn.KindNamespace, nsh, fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, rid))
	wantHR(t, err, hcn.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION, "remote endpoint into a namespace")
	err = s.Modify(hcn.KindEndpoint, rh, `{"ResourceType":"Port","RequestType":"Add","Settings":{"PortId":"x"}}`)
	wantHR(t, err, hcn.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION, "port on a remote endpoint")
}

func TestChoiceNamespaces(t *testing.T) {
	s := New(nil)
	_, err := s.Create(hcn.KindNamespace, HostDefaultNamespaceID, `{"Type":"Host"}`)
	wantHR(t, err, hcn.ERROR_ALREADY_EXISTS, "a Host namespace with the default's id")
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "ns"))
	epID, eh := mustEndpoint(t, s, nh, `{}`)
	nsID, nsh := mustCreate(t, s, hcn.KindNamespace, fmt.Sprintf(`{"Resources":[{"Type":"Endpoint","Data":{"ID":%q}}]}`, epID))
	m := props(t, s, hcn.KindNamespace, nsh)
	if m["Type"] != "Host" || m["NamespaceId"] != float64(2) {
		t.Errorf("namespace %v", m)
	}
	if props(t, s, hcn.KindEndpoint, eh)["HostComputeNamespace"] != nsID.String() {
		t.Error("create with an endpoint resource did not attach it")
	}
	// A failing create attaches nothing.
	_, err = s.Create(hcn.KindNamespace, hcn.NilGUID, fmt.Sprintf(`{"Resources":[{"Type":"Endpoint","Data":{"ID":%q}}]}`, hcn.NewGUID()))
	wantHR(t, err, hcn.HCN_E_ENDPOINT_NOT_FOUND, "missing endpoint resource")
	err = s.Modify(hcn.KindNamespace, nsh, fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, strings.ToUpper(epID.String())))
	wantHR(t, err, hcn.HCN_E_ENDPOINT_NOT_FOUND, "upper-case EndpointId")
	if err := s.Delete(hcn.KindNamespace, nsID); err != nil {
		t.Fatal(err)
	}
	if _, ok := props(t, s, hcn.KindEndpoint, eh)["HostComputeNamespace"]; ok {
		t.Error("deleting the namespace did not detach the endpoint")
	}
}

func TestChoiceLoadBalancers(t *testing.T) {
	s := New(nil)
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "lb"))
	ep, _ := mustEndpoint(t, s, nh, `{}`)
	lb := func(vips string, in, ext int) string {
		return fmt.Sprintf(`{"HostComputeEndpoints":[%q],"FrontendVIPs":%s,"PortMappings":[{"Protocol":6,"InternalPort":%d,"ExternalPort":%d}]}`, ep, vips, in, ext)
	}
	_, h := mustCreate(t, s, hcn.KindLoadBalancer, lb(`[]`, 80, 0))
	_, err := s.Create(hcn.KindLoadBalancer, hcn.NilGUID, lb(`[]`, 90, 80))
	wantHR(t, err, hcn.HCN_E_PORT_ALREADY_EXISTS, "ExternalPort 0 means InternalPort; no VIP is one frontend")
	_, err = s.Create(hcn.KindLoadBalancer, hcn.NilGUID, lb(`["1.1.1.1","1.1.1.1"]`, 80, 81))
	wantHR(t, err, hcn.HCN_E_PORT_ALREADY_EXISTS, "the same frontend twice in one LB")
	_, err = s.Create(hcn.KindLoadBalancer, hcn.NilGUID, lb(`["1.1.1.x"]`, 80, 81))
	wantHR(t, err, hcn.HCN_E_INVALID_IP, "bad VIP")
	if err := s.Modify(hcn.KindLoadBalancer, h, lb(`[]`, 80, 80)); err != nil {
		t.Errorf("modify keeping its own frontend: %v", err)
	}
	if err := s.Delete(hcn.KindEndpoint, ep); err != nil {
		t.Errorf("deleting an endpoint a load balancer references: %v", err)
	}
	if l, _ := props(t, s, hcn.KindLoadBalancer, h)["HostComputeEndpoints"].([]any); len(l) != 1 {
		t.Error("the load balancer lost its (now dangling) reference")
	}
}

func TestChoiceRoutesAndGNS(t *testing.T) {
	s := New(nil)
	_, h := mustCreate(t, s, hcn.KindSDNRoute, `{"Routes":[{"DestinationPrefix":"10.0.0.0/8","NextHop":"10.0.0.1"}]}`)
	if _, ok := props(t, s, hcn.KindSDNRoute, h)["Routes"]; !ok {
		t.Error(`"Routes" not echoed`)
	}
	_, err := s.Create(hcn.KindSDNRoute, hcn.NilGUID, `{"Setting":[{"DestinationPrefix":"nope"}]}`)
	wantHR(t, err, hcn.HCN_E_INVALID_PREFIX, "bad route prefix")
	if err := s.Modify(hcn.KindSDNRoute, h, `{"Setting":[{"DestinationPrefix":"10.1.0.0/16"}]}`); err != nil {
		t.Errorf("route modify (whole document): %v", err)
	}
	_, g := mustCreate(t, s, hcn.KindGuestNetworkService, `{}`)
	if st := props(t, s, hcn.KindGuestNetworkService, g)["State"]; st != "Created" {
		t.Errorf("GNS state %v", st)
	}
	r1, _ := s.ReserveGuestNetworkServicePort(g, hcn.PortProtocolUDP, hcn.PortAccessShared, 53)
	r2, err := s.ReserveGuestNetworkServicePort(g, hcn.PortProtocolBoth, hcn.PortAccessShared, 53)
	if err != nil {
		t.Errorf("shared + shared: %v", err)
	}
	_, err = s.ReserveGuestNetworkServicePort(g, hcn.PortProtocolTCP, hcn.PortAccessExclusive, 53)
	wantHR(t, err, hcn.HCN_E_PORT_ALREADY_EXISTS, "exclusive over shared (Both covers TCP)")
	s.ReserveGuestNetworkServicePort(g, hcn.PortProtocolTCP, hcn.PortAccessExclusive, 49153)
	rng, _, err := s.ReserveGuestNetworkServicePortRange(g, 2)
	if err != nil || rng != (hcn.PortRange{Start: 49154, End: 49155}) {
		t.Errorf("range %v %v, want the lowest free run 49154-49155", rng, err)
	}
	e, _ := s.EnumerateGuestNetworkPortReservations()
	if len(e) != 4 || e[0].StartingPort != 53 || e[3].ReservationType != 1 || e[3].SharingFlags != 1 || e[3].Protocol != hcn.PortProtocolBoth {
		t.Errorf("reservations %+v", e)
	}
	s.ReleaseGuestNetworkServicePortReservation(r1)
	s.ReleaseGuestNetworkServicePortReservation(r2)
}

func TestChoiceQueries(t *testing.T) {
	s := New(nil)
	_, h := mustCreate(t, s, hcn.KindNetwork, `{"Name":"q","Type":"Internal","Owner":"me"}`)
	mustCreate(t, s, hcn.KindNetwork, `{"Name":"q2"}`)
	for q, want := range map[string]int{
		`{"Filter":"{\"Type\":\"internal\"}"}`: 1,
		`{"Filter":"{\"Owner\":\"me\"}"}`:      1,
		`{"Filter":"{\"Nope\":1}"}`:            0,
		`{"Filter":"{}"}`:                      2,
		`{"Filter":""}`:                        2,
	} {
		out, err := s.Enumerate(hcn.KindNetwork, q)
		var ids []string
		json.Unmarshal([]byte(out), &ids)
		if err != nil || len(ids) != want {
			t.Errorf("%s: %s %v, want %d", q, out, err, want)
		}
	}
	_, err := s.Enumerate(hcn.KindNetwork, `{"Filter":{"Name":"q"}}`)
	wantHR(t, err, hcn.HCN_E_INVALID_JSON, "Filter as an object")
	out, _ := s.Query(hcn.KindNetwork, h, `{"Flags":"Detailed"}`)
	if !strings.Contains(out, `"SwitchGuid"`) {
		t.Errorf("Detailed adds no Health.Extra: %s", out)
	}
}

func TestChoiceModify(t *testing.T) {
	s := New(nil)
	_, h := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "m"))
	pol := `{"ResourceType":"Policy","RequestType":%s,"Settings":{"Policies":[{"Type":"HostRoute"}]}}`
	if err := s.Modify(hcn.KindNetwork, h, fmt.Sprintf(pol, "0")); err != nil {
		t.Errorf("numeric RequestType: %v", err)
	}
	wantHR(t, s.Modify(hcn.KindNetwork, h, fmt.Sprintf(pol, `"Add"`)), hcn.HCN_E_POLICY_ALREADY_EXISTS, "identical policy twice")
	wantHR(t, s.Modify(hcn.KindNetwork, h, `{"ResourceType":0,"RequestType":"Add","Settings":{}}`), hcn.HCN_E_INVALID_JSON, "numeric ResourceType")
	s.Modify(hcn.KindNetwork, h, fmt.Sprintf(pol, `"Reset"`))
	wantHR(t, s.Modify(hcn.KindNetwork, h, fmt.Sprintf(pol, `"Remove"`)), hcn.HCN_E_POLICY_NOT_FOUND, "remove after Reset")
	wantHR(t, s.Modify(hcn.KindNetwork, h, `{"ResourceType":"DNS","RequestType":"Add","Settings":{}}`), hcn.HCN_E_REQUEST_UNSUPPORTED, "DNS Add")
	if err := s.Modify(hcn.KindNetwork, h, `{"ResourceType":"Extension","RequestType":"Update","Settings":{"ExtensionId":"430BDADD-BAB0-41AB-A369-94B67FA5BE0A","IsEnabled":true}}`); err != nil {
		t.Errorf("extension: %v", err)
	}
	wantHR(t, s.Modify(hcn.KindNetwork, h, fmt.Sprintf(`{"ResourceType":"Extension","RequestType":"Update","Settings":{"Id":%q}}`, hcn.NewGUID())), hcn.HCN_E_SWITCH_EXTENSION_NOT_FOUND, "unknown extension")
	if err := s.Modify(hcn.KindNetwork, h, `{"ResourceType":"Subnet","RequestType":"Add","Settings":{"IpAddressPrefix":"10.20.0.0/24"}}`); err != nil {
		t.Fatalf("subnet add: %v", err)
	}
	wantHR(t, s.Modify(hcn.KindNetwork, h, `{"ResourceType":"Subnet","RequestType":"Add","Settings":{"IpAddressPrefix":"10.20.0.128/25"}}`), hcn.HCN_E_INVALID_SUBNET, "overlapping subnet")
	if err := s.Modify(hcn.KindNetwork, h, `{"ResourceType":"IPSubnet","RequestType":"Add","Settings":{"IpAddressPrefix":"10.20.0.0/25"}}`); err != nil {
		t.Errorf("IPSubnet add: %v", err)
	}
	_, err := s.CreateEndpoint(h, hcn.NilGUID, `{"IpConfigurations":[{"IpAddress":"10.20.0.5"}]}`)
	if err != nil {
		t.Fatalf("endpoint in the added subnet: %v", err)
	}
	wantHR(t, s.Modify(hcn.KindNetwork, h, `{"ResourceType":"Subnet","RequestType":"Remove","Settings":{"IpAddressPrefix":"10.20.0.0/24"}}`), hcn.HCN_E_ENTITY_HAS_REFERENCES, "remove a used subnet")
	out, _ := s.Query(hcn.KindNetwork, h, "")
	if !strings.Contains(out, `"IpSubnets":[{"IpAddressPrefix":"10.20.0.0/25"}]`) {
		t.Errorf("IPSubnet not in properties: %s", out)
	}
	var he *hcn.Error
	err = s.Modify(hcn.KindNetwork, h, `{"ResourceType":"Policy","RequestType":"Add","Settings":"x"}`)
	if !errors.As(err, &he) || he.Record == nil || !strings.HasSuffix(he.Record.Error, " ") ||
		he.Record.ErrorCode != uint32(hcn.HCN_E_INVALID_JSON) || he.Record.Success {
		t.Errorf("error record %#v", he)
	}
}

func TestChoiceHNSv1(t *testing.T) {
	s := New(&Options{ServiceVersion: hcn.Version{Major: 13, Minor: 1}})
	out, err := s.HNSCall("get", "/globals/version/", "")
	if err != nil || out != `{"Output":{"Major":13,"Minor":1},"Success":true}` {
		t.Errorf("version %s %v", out, err)
	}
	out, err = s.HNSCall("POST", "/no/such/path", "{}")
	if err != nil || !strings.Contains(out, `"Success":false`) || !strings.Contains(out, `"ErrorCode":2147942487`) {
		t.Errorf("unknown path %s %v", out, err)
	}
	out, _ = s.HNSCall("GET", "/endpointstats/"+hcn.NewGUID().String(), "")
	if !strings.Contains(out, `"ErrorCode":2147943568`) || !strings.Contains(out, `"Error":"Element not found. `) {
		t.Errorf("stats of a missing endpoint %s", out)
	}
}
