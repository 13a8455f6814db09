package hcnsim

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

// v1Env is a decoded HNS v1 envelope.
type v1Env struct {
	Success   bool
	Error     string
	ErrorCode uint32
	Output    json.RawMessage
}

func callV1(t *testing.T, s *Sim, method, path, body string) v1Env {
	t.Helper()
	out, err := s.HNSCall(method, path, body)
	if err != nil {
		t.Fatalf("%s %s: error %v", method, path, err)
	}
	var env v1Env
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatalf("%s %s: not an envelope: %s", method, path, out)
	}
	if !env.Success && (!strings.HasSuffix(env.Error, " ") || !hcn.HRESULT(env.ErrorCode).Failed()) {
		t.Fatalf("%s %s: malformed failure %s", method, path, out)
	}
	return env
}

// okV1 calls and decodes the Output into a generic object (or list).
func okV1(t *testing.T, s *Sim, method, path, body string) any {
	t.Helper()
	env := callV1(t, s, method, path, body)
	if !env.Success {
		t.Fatalf("%s %s %s: %s", method, path, body, env.Error)
	}
	var v any
	if len(env.Output) > 0 {
		v, _ = parseJSON(string(env.Output))
	}
	return v
}

// failV1 checks the call fails with hr.
func failV1(t *testing.T, s *Sim, hr hcn.HRESULT, method, path, body string) v1Env {
	t.Helper()
	env := callV1(t, s, method, path, body)
	if env.Success || env.ErrorCode != uint32(hr) {
		t.Errorf("%s %s %s: got success=%v %s (0x%08X), want %s", method, path, body, env.Success, env.Error, env.ErrorCode, hr)
	}
	return env
}

const v1NatNet = `{"Type":"NAT","Name":%q,"MacPools":[{"StartMacAddress":"00-15-5D-52-C0-00","EndMacAddress":"00-15-5D-52-CF-FF"}],` +
	`"Subnets":[{"AddressPrefix":"192.168.100.0/24","GatewayAddress":"192.168.100.1"}],"DNSSuffix":"corp","DNSServerList":"1.1.1.1,8.8.8.8"}`

func v1Network(t *testing.T, s *Sim, name string) obj {
	t.Helper()
	return okV1(t, s, "POST", "/networks/", fmt.Sprintf(v1NatNet, name)).(obj)
}

func v2Props(t *testing.T, s *Sim, k hcn.Kind, id string) obj {
	t.Helper()
	g := hcn.MustParseGUID(id)
	h, err := s.Open(k, g)
	if err != nil {
		t.Fatalf("v2 Open %s %s: %v", k, id, err)
	}
	defer s.Close(k, h)
	out, err := s.Query(k, h, "")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := parseObject(out, "props")
	return m
}

func TestHNSv1NetworkTranslation(t *testing.T) {
	s := New(nil)
	n := v1Network(t, s, "v1net")
	id := n["ID"].(string)
	if id != strings.ToUpper(id) || n["Type"] != "nat" || n["Name"] != "v1net" || n["DNSServerList"] != "1.1.1.1,8.8.8.8" {
		t.Errorf("v1 view %v", n)
	}
	sub := n["Subnets"].([]any)[0].(obj)
	if sub["AddressPrefix"] != "192.168.100.0/24" || sub["GatewayAddress"] != "192.168.100.1" {
		t.Errorf("subnet %v", sub)
	}
	v2 := v2Props(t, s, hcn.KindNetwork, id)
	want := `[{"Subnets":[{"IpAddressPrefix":"192.168.100.0/24","Routes":[{"DestinationPrefix":"0.0.0.0/0","NextHop":"192.168.100.1"}]}],"Type":"Static"}]`
	if marshal(v2["Ipams"]) != want || marshal(v2["MacPool"]) != `{"Ranges":[{"EndMacAddress":"00-15-5D-52-CF-FF","StartMacAddress":"00-15-5D-52-C0-00"}]}` {
		t.Errorf("v2 view %s", marshal(v2))
	}
	if marshal(v2["Dns"]) != `{"Domain":"corp","ServerList":["1.1.1.1","8.8.8.8"]}` {
		t.Errorf("v2 Dns %s", marshal(v2["Dns"]))
	}
	got := okV1(t, s, "GET", "/networks/"+strings.ToLower(id), "").(obj)
	if marshal(got) != marshal(n) {
		t.Errorf("GET %s\nPOST %s", marshal(got), marshal(n))
	}
}

func TestHNSv1NetworkPolicies(t *testing.T) {
	s := New(nil)
	n := okV1(t, s, "POST", "/networks", `{"Name":"ov","Type":"Overlay","NetworkAdapterName":"Ethernet",`+
		`"Policies":[{"Type":"VSID","VSID":4096}],"Subnets":[{"AddressPrefix":"10.5.0.0/24","GatewayAddress":"10.5.0.1",`+
		`"Policies":[{"Type":"VLAN","VLAN":7}]}]}`).(obj)
	v2 := v2Props(t, s, hcn.KindNetwork, n["ID"].(string))
	if !strings.Contains(marshal(v2["Policies"]), `{"Settings":{"NetworkAdapterName":"Ethernet"},"Type":"NetAdapterName"}`) {
		t.Errorf("v2 policies %s", marshal(v2["Policies"]))
	}
	if !strings.Contains(marshal(v2["Ipams"]), `"Policies":[{"Settings":{"IsolationId":7},"Type":"VLAN"},{"Settings":{"IsolationId":4096},"Type":"VSID"}]`) {
		t.Errorf("v2 subnet policies %s", marshal(v2["Ipams"]))
	}
	if n["NetworkAdapterName"] != "Ethernet" || n["Type"] != "overlay" ||
		marshal(n["Subnets"].([]any)[0].(obj)["Policies"]) != `[{"Type":"VLAN","VLAN":7},{"Type":"VSID","VSID":4096}]` {
		t.Errorf("v1 view %s", marshal(n))
	}
}

func TestHNSv1CrossAPI(t *testing.T) {
	s := New(nil)
	nid, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "v2net"))
	defer s.Close(hcn.KindNetwork, nh)
	n := okV1(t, s, "GET", "/networks/"+nid.String(), "").(obj)
	if n["ID"] != v1ID(nid) || n["Name"] != "v2net" || n["Subnets"].([]any)[0].(obj)["GatewayAddress"] != "10.1.0.1" {
		t.Errorf("v2 network in v1: %s", marshal(n))
	}
	eid, eh := mustEndpoint(t, s, nh, `{"Name":"v2ep"}`)
	defer s.Close(hcn.KindEndpoint, eh)
	ep := okV1(t, s, "POST", "/endpoints/", `{"Name":"v1ep","VirtualNetworkName":"v2net","IPAddress":"10.1.0.9"}`).(obj)
	ids, _ := s.Enumerate(hcn.KindEndpoint, `{"Filter":"{\"VirtualNetwork\":\"`+nid.String()+`\"}"}`)
	v1ep := hcn.MustParseGUID(ep["ID"].(string))
	if ids != fmt.Sprintf(`[%q,%q]`, eid, v1ep) {
		t.Errorf("v2 enumerate %s", ids)
	}
	list := okV1(t, s, "GET", "/endpoints/", "").([]any)
	if len(list) != 2 || list[0].(obj)["ID"] != v1ID(eid) || list[1].(obj)["IPAddress"] != "10.1.0.9" {
		t.Errorf("v1 list %s", marshal(list))
	}
	if p := v2Props(t, s, hcn.KindEndpoint, v1ep.String()); firstIPOf(p) != "10.1.0.9" {
		t.Errorf("v2 view of v1 endpoint %s", marshal(p))
	}
	if n := okV1(t, s, "GET", "/networks/"+nid.String(), "").(obj); marshal(n["CurrentEndpointCount"]) != "2" {
		t.Errorf("endpoint count %v", n["CurrentEndpointCount"])
	}
	okV1(t, s, "DELETE", "/networks/"+v1ID(nid), "")
	if _, err := s.Open(hcn.KindEndpoint, eid); err == nil {
		t.Errorf("endpoint survives its network's v1 delete")
	}
	failV1(t, s, hcn.ERROR_NOT_FOUND, "GET", "/networks/"+nid.String(), "")
}

func firstIPOf(p obj) string {
	list, _ := p["IpConfigurations"].([]any)
	if len(list) == 0 {
		return ""
	}
	return str(list[0].(obj), "IpAddress")
}

func TestHNSv1Endpoint(t *testing.T) {
	s := New(nil)
	n := v1Network(t, s, "net")
	ep := okV1(t, s, "POST", "/endpoints/", `{"Name":"e","VirtualNetwork":"`+n["ID"].(string)+`"}`).(obj)
	id := ep["ID"].(string)
	delete(ep, "Version")
	if ep["IPAddress"] != "192.168.100.2" || ep["GatewayAddress"] != "192.168.100.1" || marshal(ep["PrefixLength"]) != "24" ||
		ep["MacAddress"] != "00-15-5D-52-C0-00" || ep["VirtualNetworkName"] != "net" || marshal(ep["State"]) != "1" {
		t.Errorf("endpoint %s", marshal(ep))
	}
	okV1(t, s, "POST", "/endpoints/"+id, `{"Policies":[{"Type":"ACL","Action":"Allow","Direction":"In","Priority":100},`+
		`{"Type":"NAT","Protocol":"TCP","InternalPort":80,"ExternalPort":8080}]}`)
	v2 := v2Props(t, s, hcn.KindEndpoint, id)
	if !strings.Contains(marshal(v2["Policies"]), `{"Settings":{"ExternalPort":8080,"InternalPort":80,"Protocol":6},"Type":"PortMapping"}`) {
		t.Errorf("v2 policies %s", marshal(v2["Policies"]))
	}
	got := okV1(t, s, "GET", "/endpoints/"+id, "").(obj)
	if marshal(got["Policies"]) != `[{"Action":"Allow","Direction":"In","Priority":100,"Type":"ACL"},{"ExternalPort":8080,"InternalPort":80,"Protocol":"TCP","Type":"NAT"}]` {
		t.Errorf("v1 policies %s", marshal(got["Policies"]))
	}
	failV1(t, s, hcn.HCN_E_INVALID_POLICY_TYPE, "POST", "/endpoints/"+id, `{"Policies":[{"Type":"Bogus"}]}`)
	st := okV1(t, s, "GET", "/endpointstats/"+id, "").(obj)
	if st["EndpointId"] != strings.ToLower(id) {
		t.Errorf("stats %v", st)
	}
	okV1(t, s, "DELETE", "/endpoints/"+id, "")
	failV1(t, s, hcn.ERROR_NOT_FOUND, "GET", "/endpoints/"+id, "")
	failV1(t, s, hcn.ERROR_NOT_FOUND, "GET", "/endpointstats/"+id, "")
	failV1(t, s, hcn.ERROR_NOT_FOUND, "DELETE", "/endpoints/"+id, "")
}

func TestHNSv1EndpointRules(t *testing.T) {
	s := New(nil)
	n := v1Network(t, s, "net")
	nid := n["ID"].(string)
	okV1(t, s, "POST", "/endpoints/", `{"VirtualNetwork":"`+nid+`","IPAddress":"192.168.100.10"}`)
	for _, c := range []struct {
		hr   hcn.HRESULT
		body string
	}{
		{hcn.HCN_E_ADDR_INVALID_OR_RESERVED, `{"VirtualNetwork":"` + nid + `","IPAddress":"192.168.100.10"}`},
		{hcn.HCN_E_ADDR_INVALID_OR_RESERVED, `{"VirtualNetwork":"` + nid + `","IPAddress":"192.168.100.1"}`},
		{hcn.HCN_E_INVALID_IP, `{"VirtualNetwork":"` + nid + `","IPAddress":"10.0.0.1"}`},
		{hcn.HCN_E_NETWORK_NOT_FOUND, `{"VirtualNetwork":"` + hcn.NewGUID().String() + `"}`},
		{hcn.HCN_E_NETWORK_NOT_FOUND, `{"VirtualNetworkName":"nope"}`},
		{hcn.HCN_E_GUID_CONVERSION_FAILURE, `{"VirtualNetwork":"x"}`},
		{hcn.HCN_E_INVALID_ENDPOINT, `{"Name":"orphan"}`},
		{hcn.HCN_E_INVALID_JSON, `{"VirtualNetwork":5}`},
		{hcn.HCN_E_INVALID_JSON, `{"VirtualNetwork":`},
		{hcn.HCN_E_INVALID_JSON, `{"VirtualNetwork":"` + nid + `","Policies":[1]}`},
	} {
		failV1(t, s, c.hr, "POST", "/endpoints/", c.body)
	}
	for _, c := range []struct {
		hr   hcn.HRESULT
		body string
	}{
		{hcn.HCN_E_NETWORK_ALREADY_EXISTS, fmt.Sprintf(v1NatNet, "net")},
		{hcn.HCN_E_INVALID_NETWORK_TYPE, `{"Type":"warp"}`},
		{hcn.HCN_E_INVALID_PREFIX, `{"Subnets":[{"AddressPrefix":"bad","GatewayAddress":"10.0.0.1"}]}`},
		{hcn.HCN_E_INVALID_SUBNET, `{"Subnets":[{"AddressPrefix":"10.0.0.0/24","GatewayAddress":"10.9.0.1"}]}`},
		{hcn.HCN_E_INVALID_NETWORK, `{"MacPools":[{"StartMacAddress":"zz","EndMacAddress":"00-15-5D-52-CF-FF"}]}`},
		{hcn.HCN_E_INVALID_JSON, `[]`},
		{hcn.HCN_E_INVALID_JSON, `{"Subnets":"x"}`},
	} {
		failV1(t, s, c.hr, "POST", "/networks/", c.body)
	}
}

func TestHNSv1Attach(t *testing.T) {
	s := New(nil)
	n := v1Network(t, s, "net")
	id := okV1(t, s, "POST", "/endpoints/", `{"VirtualNetwork":"`+n["ID"].(string)+`"}`).(obj)["ID"].(string)
	at, dt := "/endpoints/"+id+"/attach", "/endpoints/"+id+"/detach"
	host := `{"SystemType":"Host","CompartmentId":1}`
	okV1(t, s, "POST", at, host)
	if ns := v2Props(t, s, hcn.KindEndpoint, id)["HostComputeNamespace"]; ns != HostDefaultNamespaceID.String() {
		t.Errorf("v2 HostComputeNamespace %v", ns)
	}
	ep := okV1(t, s, "GET", "/endpoints/"+id, "").(obj)
	if marshal(ep["State"]) != "2" || ep["Namespace"].(obj)["ID"] != v1ID(HostDefaultNamespaceID) {
		t.Errorf("attached %s", marshal(ep))
	}
	failV1(t, s, hcn.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "POST", at, host)
	okV1(t, s, "POST", dt, `{"SystemType":"Host"}`)
	failV1(t, s, hcn.HCN_E_ENDPOINT_NOT_ATTACHED, "POST", dt, `{"SystemType":"Host"}`)
	failV1(t, s, hcn.ERROR_NOT_FOUND, "POST", at, `{"SystemType":"Host","CompartmentId":77}`)

	okV1(t, s, "POST", at, `{"SystemType":"Container","ContainerId":"c1"}`)
	okV1(t, s, "POST", at, `{"SystemType":"Container","ContainerId":"c2"}`)
	failV1(t, s, hcn.ERROR_ALREADY_EXISTS, "POST", at, `{"SystemType":"Container","ContainerId":"C1"}`)
	ep = okV1(t, s, "GET", "/endpoints/"+id, "").(obj)
	if marshal(ep["SharedContainers"]) != `["c1","c2"]` || marshal(ep["State"]) != "3" {
		t.Errorf("shared %s", marshal(ep))
	}
	// A Detailed v2 query adds to Health.Extra and keeps what it holds.
	dh, _ := s.Open(hcn.KindEndpoint, hcn.MustParseGUID(id))
	detailed, err := s.Query(hcn.KindEndpoint, dh, `{"Flags":1}`)
	s.Close(hcn.KindEndpoint, dh)
	d, _ := parseObject(detailed, "props")
	extra, _ := d["Health"].(obj)["Extra"].(obj)
	if err != nil || marshal(extra["SharedContainers"]) != `["c1","c2"]` || extra["SwitchGuid"] == nil {
		t.Errorf("Detailed query Health.Extra %s, %v; want SharedContainers and SwitchGuid", marshal(extra), err)
	}
	okV1(t, s, "POST", dt, `{"SystemType":"Container","ContainerId":"c1"}`)
	failV1(t, s, hcn.ERROR_NOT_FOUND, "POST", dt, `{"SystemType":"Container","ContainerId":"c1"}`)
	failV1(t, s, hcn.E_INVALIDARG, "POST", at, `{"SystemType":"Container"}`)

	okV1(t, s, "POST", at, `{"SystemType":"VirtualMachine","VirtualNicName":"nic"}`)
	h, _ := s.Open(hcn.KindEndpoint, hcn.MustParseGUID(id))
	defer s.Close(hcn.KindEndpoint, h)
	err = s.Modify(hcn.KindEndpoint, h, `{"ResourceType":"Port","RequestType":"Add","Settings":{}}`)
	if !isHR(err, hcn.HCN_E_ENDPOINT_ALREADY_ATTACHED) {
		t.Errorf("v2 port add after v1 VM attach: %v", err)
	}
	okV1(t, s, "POST", dt, `{"SystemType":"VirtualMachine"}`)
	failV1(t, s, hcn.E_INVALIDARG, "POST", at, `{"SystemType":"Toaster"}`)
	failV1(t, s, hcn.HCN_E_INVALID_JSON, "POST", at, `{"SystemType":1}`)
	failV1(t, s, hcn.ERROR_NOT_FOUND, "POST", "/endpoints/"+hcn.NewGUID().String()+"/attach", host)
}

func isHR(err error, hr hcn.HRESULT) bool {
	he, ok := err.(*hcn.Error)
	return ok && he.HRESULT == hr
}

func TestHNSv1PolicyLists(t *testing.T) {
	s := New(nil)
	n := v1Network(t, s, "net")
	e1 := okV1(t, s, "POST", "/endpoints/", `{"VirtualNetwork":"`+n["ID"].(string)+`"}`).(obj)["ID"].(string)
	elb := `{"References":["/endpoints/` + e1 + `"],"Policies":[{"Type":"ELB","SourceVIP":"10.0.0.5","VIPs":["10.96.0.10"],` +
		`"ILB":true,"Protocol":6,"InternalPort":8080,"ExternalPort":80}]}`
	pl := okV1(t, s, "POST", "/policylists/", elb).(obj)
	lb := v2Props(t, s, hcn.KindLoadBalancer, pl["ID"].(string))
	if marshal(lb["HostComputeEndpoints"]) != `["`+strings.ToLower(e1)+`"]` || marshal(lb["FrontendVIPs"]) != `["10.96.0.10"]` ||
		marshal(lb["PortMappings"]) != `[{"ExternalPort":80,"Flags":1,"InternalPort":8080,"Protocol":6}]` {
		t.Errorf("v2 load balancer %s", marshal(lb))
	}
	if marshal(pl["References"]) != `["/endpoints/`+e1+`"]` ||
		marshal(pl["Policies"]) != `[{"ExternalPort":80,"ILB":true,"InternalPort":8080,"Protocol":6,"SourceVIP":"10.0.0.5","Type":"ELB","VIPs":["10.96.0.10"]}]` {
		t.Errorf("v1 policy list %s", marshal(pl))
	}
	failV1(t, s, hcn.HCN_E_PORT_ALREADY_EXISTS, "POST", "/policylists/", elb)
	rt := okV1(t, s, "POST", "/policylists", `{"References":["/endpoints/`+e1+`"],"Policies":[{"Type":"ROUTE","DestinationPrefix":"10.2.0.0/16","NeedEncap":true}]}`).(obj)
	if r := v2Props(t, s, hcn.KindSDNRoute, rt["ID"].(string)); marshal(r["Setting"]) != `[{"DestinationPrefix":"10.2.0.0/16","NeedEncap":true}]` {
		t.Errorf("v2 route %s", marshal(r))
	}
	if list := okV1(t, s, "GET", "/policylists/", "").([]any); len(list) != 2 || list[1].(obj)["ID"] != rt["ID"] {
		t.Errorf("list %s", marshal(list))
	}
	for _, body := range []string{`{"Policies":[]}`, `{"Policies":[{"Type":"ELB"},{"Type":"ROUTE"}]}`, `{"Policies":[{"Type":"ACL"}]}`} {
		failV1(t, s, hcn.HCN_E_INVALID_POLICY, "POST", "/policylists/", body)
	}
	failV1(t, s, hcn.HCN_E_ENDPOINT_NOT_FOUND, "POST", "/policylists/", `{"References":["/endpoints/`+hcn.NewGUID().String()+`"],"Policies":[{"Type":"ELB","InternalPort":1}]}`)
	okV1(t, s, "DELETE", "/policylists/"+pl["ID"].(string), "")
	okV1(t, s, "DELETE", "/policylists/"+rt["ID"].(string), "")
	failV1(t, s, hcn.ERROR_NOT_FOUND, "GET", "/policylists/"+rt["ID"].(string), "")
	if list := okV1(t, s, "GET", "/policylists/", "").([]any); len(list) != 0 {
		t.Errorf("list after delete %s", marshal(list))
	}
}

func TestHNSv1Namespaces(t *testing.T) {
	s := New(nil)
	n := v1Network(t, s, "net")
	e := okV1(t, s, "POST", "/endpoints/", `{"VirtualNetwork":"`+n["ID"].(string)+`"}`).(obj)["ID"].(string)
	ns := okV1(t, s, "POST", "/namespaces/", `{}`).(obj)
	id := ns["ID"].(string)
	okV1(t, s, "POST", "/namespaces/"+id+"/addresource", `{"Type":"Endpoint","Data":{"Id":"`+e+`"}}`)
	if v := v2Props(t, s, hcn.KindEndpoint, e)["HostComputeNamespace"]; v != strings.ToLower(id) {
		t.Errorf("v2 HostComputeNamespace %v", v)
	}
	got := okV1(t, s, "GET", "/namespaces/"+id, "").(obj)
	if marshal(got["ResourceList"]) != `[{"Data":{"Id":"`+e+`"},"Type":"Endpoint"}]` {
		t.Errorf("namespace %s", marshal(got))
	}
	failV1(t, s, hcn.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "POST", "/namespaces/"+id+"/addresource", `{"Type":"Endpoint","Data":{"Id":"`+e+`"}}`)
	okV1(t, s, "POST", "/namespaces/"+id+"/removeresource", `{"Type":"Endpoint","Data":{"Id":"`+e+`"}}`)
	failV1(t, s, hcn.E_INVALIDARG, "POST", "/namespaces/"+id+"/addresource", `{"Type":"Disk","Data":{"Id":"x"}}`)
	if list := okV1(t, s, "GET", "/namespaces", "").([]any); len(list) != 2 || list[0].(obj)["IsDefault"] != true {
		t.Errorf("namespaces %s", marshal(list))
	}
	okV1(t, s, "DELETE", "/namespaces/"+id, "")
	env := failV1(t, s, hcn.ERROR_NOT_FOUND, "GET", "/namespaces/"+id, "")
	if !strings.Contains(env.Error, "Element not found.") {
		t.Errorf("namespace not-found text %q: clients match \"Element not found.\"", env.Error)
	}
	failV1(t, s, hcn.HCN_E_REQUEST_UNSUPPORTED, "DELETE", "/namespaces/"+HostDefaultNamespaceID.String(), "")
}

func TestHNSv1Accelnet(t *testing.T) {
	s := New(nil)
	empty := `{"MacAddressList":[]}`
	if got := marshal(okV1(t, s, "GET", "/accelnet/", "")); got != empty {
		t.Errorf("initial %s", got)
	}
	set := okV1(t, s, "POST", "/accelnet/", `{"MacAddressList":[{"MacAddress":"00-15-5d-0a-b7-c6"},{"MacAddress":"00:15:5D:38:01:00"}]}`)
	want := `{"MacAddressList":[{"MacAddress":"00-15-5D-0A-B7-C6"},{"MacAddress":"00-15-5D-38-01-00"}]}`
	if marshal(set) != want || marshal(okV1(t, s, "GET", "/accelnet", "")) != want {
		t.Errorf("after set %s", marshal(set))
	}
	failV1(t, s, hcn.E_INVALIDARG, "POST", "/accelnet/", `{"MacAddressList":[{"MacAddress":"nope"}]}`)
	if marshal(okV1(t, s, "GET", "/accelnet", "")) != want {
		t.Errorf("a refused set changed the list")
	}
	if got := marshal(okV1(t, s, "DELETE", "/accelnet/", "")); got != empty {
		t.Errorf("delete %s", got)
	}
	okV1(t, s, "POST", "/accelnet/", want)
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if got := marshal(okV1(t, s, "GET", "/accelnet/", "")); got != empty {
		t.Errorf("after Reset %s", got)
	}
}

// TestHNSv1Dispatch pins the answers to paths and methods no route takes.
func TestHNSv1Dispatch(t *testing.T) {
	s := New(nil)
	for _, c := range []struct {
		method, path string
		hr           hcn.HRESULT
	}{
		{"GET", "/no/such/path", hcn.E_INVALIDARG},
		{"GET", "/networks/x/y/z", hcn.E_INVALIDARG},
		{"GET", "networks", hcn.E_INVALIDARG},
		{"GET", "", hcn.E_INVALIDARG},
		{"GET", "/", hcn.E_INVALIDARG},
		{"GET", "//networks", hcn.E_INVALIDARG},
		{"GET", "/globals/other", hcn.E_INVALIDARG},
		{"POST", "/networks/" + hcn.NewGUID().String() + "/attach", hcn.E_INVALIDARG},
		{"PUT", "/networks/", hcn.HCN_E_REQUEST_UNSUPPORTED},
		{"DELETE", "/networks/", hcn.HCN_E_REQUEST_UNSUPPORTED},
		{"POST", "/networks/" + hcn.NewGUID().String(), hcn.HCN_E_REQUEST_UNSUPPORTED},
		{"GET", "/endpoints/x/attach", hcn.HCN_E_REQUEST_UNSUPPORTED},
		{"POST", "/globals/version", hcn.HCN_E_REQUEST_UNSUPPORTED},
		{"GET", "/networks/not-a-guid", hcn.ERROR_NOT_FOUND},
		{"DELETE", "/policylists/" + hcn.NewGUID().String(), hcn.ERROR_NOT_FOUND},
		{"POST", "/networks/", hcn.HCN_E_INVALID_JSON},
	} {
		failV1(t, s, c.hr, c.method, c.path, "")
	}
	if v := okV1(t, s, "get", "/GLOBALS/Version/", "").(obj); marshal(v) != `{"Major":15,"Minor":4}` {
		t.Errorf("version %v", v)
	}
	for _, p := range []string{"/networks", "/endpoints/", "/policylists/", "/namespaces/"} {
		if _, ok := okV1(t, s, "GET", p, "").([]any); !ok {
			t.Errorf("GET %s is not a list", p)
		}
	}
	out, _ := s.HNSCall("GET", "/networks/", "")
	if out != `{"Output":[],"Success":true}` {
		t.Errorf("empty list %s", out)
	}
}

func TestHNSv1PolicyTranslation(t *testing.T) {
	for _, c := range []struct{ v1, v2 string }{
		{`{"Type":"NAT","Protocol":"UDP","InternalPort":53,"ExternalPort":5353}`, `{"Settings":{"ExternalPort":5353,"InternalPort":53,"Protocol":17},"Type":"PortMapping"}`},
		{`{"Type":"PA","PA":"10.0.0.4"}`, `{"Settings":{"ProviderAddress":"10.0.0.4"},"Type":"ProviderAddress"}`},
		{`{"Type":"OutBoundNAT","ExceptionList":["10.0.0.0/8"]}`, `{"Settings":{"Exceptions":["10.0.0.0/8"]},"Type":"OutBoundNAT"}`},
		{`{"Type":"PROXY","IP":"1.2.3.4","Port":"80","OutboundNat":true}`, `{"Settings":{"IP":"1.2.3.4","OutboundNAT":true,"Port":"80"},"Type":"L4Proxy"}`},
		{`{"Type":"ROUTE","DestinationPrefix":"10.0.0.0/8","NeedEncap":true}`, `{"Settings":{"DestinationPrefix":"10.0.0.0/8","NeedEncap":true},"Type":"SDNRoute"}`},
		{`{"Type":"QOS","MaximumOutgoingBandwidthInBytes":1000}`, `{"Settings":{"MaximumOutgoingBandwidthInBytes":1000},"Type":"QOS"}`},
		{`{"Type":"L2Driver"}`, `{"Type":"L2Driver"}`},
	} {
		in, _ := parseObject(c.v1, "p")
		v2 := policyToV2(in)
		if got := marshal(v2); got != c.v2 {
			t.Errorf("%s → %s, want %s", c.v1, got, c.v2)
		}
		if back := marshal(policyToV1(v2)); back != marshal(in) {
			t.Errorf("%s → %s → %s", c.v1, c.v2, back)
		}
	}
}
