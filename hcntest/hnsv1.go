package hcntest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hcnkit/hcn"
)

// hnsV1Scenarios prove HNS v1 (HNSCall) and the v2 calls share one state:
// an object created through either API is seen by the other under the
// same id.
var hnsV1Scenarios = []scenario{
	{name: "hnsv1/network-endpoint", fn: hnsV1NetworkEndpoint},
	{name: "hnsv1/v2-network-visible", fn: hnsV1SeesV2},
	{name: "hnsv1/policylists", fn: hnsV1PolicyLists},
	{name: "hnsv1/bad-requests", fn: hnsV1BadRequests},
	{name: "hnsv1/not-found-text", choice: true, fn: hnsV1NotFoundText},
	{name: "hnsv1/accelnet", choice: true, fn: hnsV1Accelnet},
}

// v1Answer is a decoded HNS v1 envelope.
type v1Answer struct {
	Success bool
	Error   string
	Output  json.RawMessage
}

// v1 makes an HNSCall and decodes the envelope; a transport error fails
// the scenario.
func (e *env) v1(method, path, body string) v1Answer {
	e.t.Helper()
	out, err := e.svc.HNSCall(method, path, body)
	e.ok(err, "HNSCall "+method+" "+path)
	var a v1Answer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		e.t.Fatalf("HNSCall %s %s: not a v1 envelope: %s", method, path, out)
	}
	return a
}

// v1OK makes a call that must succeed and decodes its Output into out
// (when out is not nil).
func (e *env) v1OK(method, path, body string, out any) {
	e.t.Helper()
	a := e.v1(method, path, body)
	if !a.Success {
		e.t.Fatalf("HNSCall %s %s %s: %s", method, path, body, a.Error)
	}
	if out != nil {
		if err := json.Unmarshal(a.Output, out); err != nil {
			e.t.Fatalf("HNSCall %s %s: Output %s: %v", method, path, a.Output, err)
		}
	}
}

// v1Obj is the part of a v1 document the scenarios read.
type v1Obj struct {
	ID                   string
	Name                 string
	VirtualNetwork       string
	IPAddress            string
	SharedContainers     []string
	Subnets              []struct{ AddressPrefix, GatewayAddress string }
	MacAddressList       []struct{ MacAddress string }
	References           []string
	CurrentEndpointCount int
}

// v1Create POSTs a v1 document to coll, registers the v2 delete of what
// it made (kind k) and returns it.
func (e *env) v1Create(k hcn.Kind, coll, body string) (v1Obj, hcn.GUID) {
	e.t.Helper()
	var o v1Obj
	e.v1OK("POST", "/"+coll+"/", body, &o)
	id, err := hcn.ParseGUID(o.ID)
	if err != nil {
		e.t.Fatalf("POST /%s/: no ID in the answer: %v", coll, err)
	}
	e.t.Cleanup(func() { hcn.IgnoreNotFound(e.svc.Delete(k, id)) })
	return o, id
}

func hnsV1NetworkEndpoint(e *env) {
	p := e.subnet()
	net, nid := e.v1Create(hcn.KindNetwork, "networks", fmt.Sprintf(`{"Type":"NAT","Name":%q,`+
		`"Subnets":[{"AddressPrefix":"%s0/24","GatewayAddress":"%s1"}]}`, e.name("v1net"), p, p))
	if len(net.Subnets) != 1 || net.Subnets[0].GatewayAddress != p+"1" {
		e.t.Errorf("v1 network subnets: %+v", net.Subnets)
	}
	nh := e.open(hcn.KindNetwork, nid)
	if ps := e.query(hcn.KindNetwork, nh, ""); !hcn.EqualFoldGUID(ps.str("ID"), net.ID) {
		e.t.Errorf("v2 network ID %s, v1 %s", ps.str("ID"), net.ID)
	}
	ep, eid := e.v1Create(hcn.KindEndpoint, "endpoints", fmt.Sprintf(`{"Name":%q,"VirtualNetwork":%q,"IPAddress":"%s7"}`,
		e.name("v1ep"), net.ID, p))
	eh := e.open(hcn.KindEndpoint, eid)
	if ps := e.query(hcn.KindEndpoint, eh, ""); firstIP(ps) != p+"7" || !hcn.EqualFoldGUID(ps.str("HostComputeNetwork"), net.ID) {
		e.t.Errorf("v2 view of the v1 endpoint: %v", ps)
	}
	if !has(e.enumerate(hcn.KindEndpoint, `{"VirtualNetwork":"`+nid.String()+`"}`), eid) {
		e.t.Errorf("v2 Enumerate misses the v1 endpoint")
	}
	var got v1Obj
	e.v1OK("GET", "/endpoints/"+ep.ID, "", &got)
	if got.IPAddress != p+"7" || !hcn.EqualFoldGUID(got.VirtualNetwork, net.ID) {
		e.t.Errorf("v1 GET endpoint: %+v", got)
	}
	e.v1OK("POST", "/endpoints/"+ep.ID+"/attach", `{"SystemType":"Host","CompartmentId":1}`, nil)
	e.v1OK("POST", "/endpoints/"+ep.ID+"/detach", `{"SystemType":"Host"}`, nil)
	e.v1OK("GET", "/endpointstats/"+ep.ID, "", nil)
	e.v1OK("DELETE", "/endpoints/"+ep.ID, "", nil)
	if _, err := e.svc.Open(hcn.KindEndpoint, eid); !hcn.IsNotFound(err) {
		e.t.Errorf("v2 Open after v1 DELETE: %v", err)
	}
	e.v1OK("DELETE", "/networks/"+net.ID, "", nil)
	if a := e.v1("GET", "/networks/"+net.ID, ""); a.Success {
		e.t.Errorf("v1 GET of a deleted network succeeded: %s", a.Output)
	}
}

func hnsV1SeesV2(e *env) {
	nid, nh, p := e.network("NAT")
	e.createEndpoint(nh, endpointDoc(e.name("ep"), p+"9"))
	var list []v1Obj
	e.v1OK("GET", "/networks/", "", &list)
	found := false
	for _, n := range list {
		if hcn.EqualFoldGUID(n.ID, nid.String()) {
			found = true
			if len(n.Subnets) != 1 || n.Subnets[0].GatewayAddress != p+"1" || n.CurrentEndpointCount != 1 {
				e.t.Errorf("v1 view of the v2 network: %+v", n)
			}
		}
	}
	if !found {
		e.t.Errorf("GET /networks/ misses the v2 network %s", nid)
	}
	var eps []v1Obj
	e.v1OK("GET", "/endpoints/", "", &eps)
	n := 0
	for _, ep := range eps {
		if hcn.EqualFoldGUID(ep.VirtualNetwork, nid.String()) && ep.IPAddress == p+"9" {
			n++
		}
	}
	if n != 1 {
		e.t.Errorf("GET /endpoints/ shows %d v2 endpoints with %s9 on the network", n, p)
	}
}

func hnsV1PolicyLists(e *env) {
	e.v1OK("GET", "/policylists/", "", nil) // what kube-proxy checks before it starts
	_, nh, p := e.network("NAT")
	eid, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	pl, lid := e.v1Create(hcn.KindLoadBalancer, "policylists", fmt.Sprintf(`{"References":["/endpoints/%s"],`+
		`"Policies":[{"Type":"ELB","SourceVIP":"%s5","VIPs":["%s200"],"Protocol":6,"InternalPort":8080,"ExternalPort":80}]}`,
		eid, p, p))
	lh := e.open(hcn.KindLoadBalancer, lid)
	ps := e.query(hcn.KindLoadBalancer, lh, "")
	if eps, _ := ps.get("HostComputeEndpoints"); !strings.Contains(strings.ToLower(fmt.Sprint(eps)), eid.String()) {
		e.t.Errorf("v2 view of the policy list: %v", ps)
	}
	if len(pl.References) != 1 || !strings.EqualFold(pl.References[0], "/endpoints/"+eid.String()) {
		e.t.Errorf("v1 References %v", pl.References)
	}
	e.v1OK("DELETE", "/policylists/"+pl.ID, "", nil)
	if _, err := e.svc.Open(hcn.KindLoadBalancer, lid); !hcn.IsNotFound(err) {
		e.t.Errorf("v2 Open after the v1 DELETE: %v", err)
	}
}

func hnsV1BadRequests(e *env) {
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/networks/", `{"Name":`},
		{"POST", "/endpoints/", `{"Name":"x"}`},
		{"GET", "/networks/" + hcn.NewGUID().String(), ""},
		{"DELETE", "/endpoints/" + hcn.NewGUID().String(), ""},
		{"POST", "/policylists/", `{"Policies":[{"Type":"ELB"},{"Type":"ROUTE"}]}`},
	} {
		if a := e.v1(c.method, c.path, c.body); a.Success || a.Error == "" {
			e.t.Errorf("%s %s %s: answered %+v", c.method, c.path, c.body, a)
		}
	}
}

// hnsV1NotFoundText pins the not-found text clients match (hcsshim's
// namespace calls look for "Element not found.").
func hnsV1NotFoundText(e *env) {
	for _, coll := range []string{"networks", "endpoints", "namespaces", "policylists", "endpointstats"} {
		a := e.v1("GET", "/"+coll+"/"+hcn.NewGUID().String(), "")
		if a.Success || !strings.Contains(a.Error, "Element not found.") {
			e.t.Errorf("GET /%s/<missing>: %+v", coll, a)
		}
	}
}

func hnsV1Accelnet(e *env) {
	macs := `{"MacAddressList":[{"MacAddress":"00-15-5D-0A-B7-C6"},{"MacAddress":"00-15-5D-38-01-00"}]}`
	var got v1Obj
	e.v1OK("POST", "/accelnet/", macs, &got)
	e.t.Cleanup(func() { e.svc.HNSCall("DELETE", "/accelnet/", "") })
	if len(got.MacAddressList) != 2 {
		e.t.Errorf("after set: %+v", got)
	}
	got = v1Obj{}
	e.v1OK("GET", "/accelnet/", "", &got)
	if len(got.MacAddressList) != 2 || got.MacAddressList[1].MacAddress != "00-15-5D-38-01-00" {
		e.t.Errorf("get: %+v", got)
	}
	got = v1Obj{}
	e.v1OK("DELETE", "/accelnet/", "", &got)
	if len(got.MacAddressList) != 0 {
		e.t.Errorf("after delete: %+v", got)
	}
}
