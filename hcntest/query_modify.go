package hcntest

import (
	"fmt"

	"github.com/hcnkit/hcn"
)

var queryModifyScenarios = []scenario{
	{name: "query/filters", fn: queryFilters},
	{name: "query/unknown-filter-key", choice: true, fn: queryUnknownKey},
	{name: "query/invalid", fn: queryInvalid},
	{name: "query/detailed", fn: queryDetailed},
	{name: "modify/envelope-errors", fn: modifyEnvelopeErrors},
	{name: "modify/unknown-resource-type", choice: true, fn: modifyUnknownResource},
	{name: "modify/network", fn: modifyNetwork},
	{name: "modify/endpoint-policy-update", choice: true, fn: modifyEndpointUpdate},
}

func queryFilters(e *env) {
	name := e.name("net")
	nid, nh := e.create(hcn.KindNetwork, hcn.NilGUID, staticNet(name, "NAT", e.subnet(), ""))
	epName := e.name("ep")
	epID, _ := e.createEndpoint(nh, endpointDoc(epName, ""))
	if ids := e.enumerate(hcn.KindNetwork, fmt.Sprintf(`{"ID":%q}`, nid.BracedUpper())); len(ids) != 1 || ids[0] != nid {
		e.t.Errorf("ID filter gave %v", ids)
	}
	if ids := e.enumerate(hcn.KindNetwork, fmt.Sprintf(`{"Name":%q}`, name)); len(ids) != 1 || ids[0] != nid {
		e.t.Errorf("Name filter gave %v", ids)
	}
	if ids := e.enumerate(hcn.KindEndpoint, fmt.Sprintf(`{"VirtualNetworkName":%q}`, name)); len(ids) != 1 || ids[0] != epID {
		e.t.Errorf("VirtualNetworkName filter gave %v", ids)
	}
	if ids := e.enumerate(hcn.KindEndpoint, fmt.Sprintf(`{"Name":%q}`, epName)); len(ids) != 1 || ids[0] != epID {
		e.t.Errorf("endpoint Name filter gave %v", ids)
	}
	if ids := e.enumerate(hcn.KindNetwork, fmt.Sprintf(`{"Name":%q}`, e.name("none"))); len(ids) != 0 {
		e.t.Errorf("a Name nobody has matched %v", ids)
	}
}

func queryUnknownKey(e *env) {
	name := e.name("net")
	e.create(hcn.KindNetwork, hcn.NilGUID, staticNet(name, "NAT", e.subnet(), ""))
	if ids := e.enumerate(hcn.KindNetwork, fmt.Sprintf(`{"Name":%q,"NoSuchKey":1}`, name)); len(ids) != 0 {
		e.t.Errorf("an unknown filter key matched %v", ids)
	}
}

func queryInvalid(e *env) {
	for _, q := range []string{`{"Filter":`, `{"Flags":1,}`, `{"Filter":"{not json"}`} {
		_, err := e.svc.Enumerate(hcn.KindNetwork, q)
		e.wantHR(err, hcn.HCN_E_INVALID_JSON, "query "+q)
	}
}

func queryDetailed(e *env) {
	_, h, _ := e.network("NAT")
	plain := e.query(hcn.KindNetwork, h, `{"SchemaVersion":{"Major":2,"Minor":0},"Flags":0}`)
	det := e.query(hcn.KindNetwork, h, `{"SchemaVersion":{"Major":2,"Minor":0},"Flags":1}`)
	if len(det) < len(plain) {
		e.t.Errorf("Detailed gave fewer fields (%d) than plain (%d)", len(det), len(plain))
	}
}

func modifyEnvelopeErrors(e *env) {
	_, h, _ := e.network("NAT")
	err := e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"Policy","RequestType":"Add","Settings":"{\"Policies\":[]}"}`)
	e.wantHR(err, hcn.HCN_E_INVALID_JSON, "Settings as a string")
	err = e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"Policy","RequestType":"Add"`)
	e.wantHR(err, hcn.HCN_E_INVALID_JSON, "truncated request")
	err = e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"NoSuchPolicy"}]}}`)
	e.wantHR(err, hcn.HCN_E_INVALID_POLICY_TYPE, "unknown policy type")
}

func modifyUnknownResource(e *env) {
	_, h, _ := e.network("NAT")
	err := e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"Bogus","RequestType":"Add","Settings":{}}`)
	e.wantHR(err, hcn.E_INVALIDARG, "unknown ResourceType")
	err = e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"Container","RequestType":"Add","Settings":{}}`)
	e.wantHR(err, hcn.HCN_E_REQUEST_UNSUPPORTED, "a namespace ResourceType on a network")
	err = e.svc.Modify(hcn.KindNamespace, h, `{"ResourceType":"Endpoint","RequestType":"Add","Settings":{}}`)
	e.wantHR(err, hcn.E_HANDLE, "a network handle used as a namespace handle")
}

func modifyNetwork(e *env) {
	_, h, p := e.network("NAT")
	e.ok(e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"DNS","RequestType":"Update","Settings":{"Domain":"example.test","ServerList":["10.0.0.53"]}}`), "DNS update")
	pr := e.query(hcn.KindNetwork, h, "")
	dns, _ := pr.get("Dns")
	if m, _ := dns.(map[string]any); props(m).str("Domain") != "example.test" {
		e.t.Errorf("Dns after update: %v", dns)
	}
	rsr := `{"Type":"RemoteSubnetRoute","Settings":{"DestinationPrefix":"192.168.2.0/24","IsolationId":5000,"ProviderAddress":"1.1.1.1","DistributedRouterMacAddress":"00-12-34-56-78-9a"}}`
	e.ok(e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[`+rsr+`]}}`), "policy add")
	if !hasPolicy(e.query(hcn.KindNetwork, h, ""), "RemoteSubnetRoute") {
		e.t.Errorf("RemoteSubnetRoute not added")
	}
	e.ok(e.svc.Modify(hcn.KindNetwork, h, `{"ResourceType":"Policy","RequestType":"Remove","Settings":{"Policies":[`+rsr+`]}}`), "policy remove")
	if hasPolicy(e.query(hcn.KindNetwork, h, ""), "RemoteSubnetRoute") {
		e.t.Errorf("RemoteSubnetRoute not removed")
	}
	_ = p
}

func modifyEndpointUpdate(e *env) {
	_, nh, _ := e.network("NAT")
	_, h := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	acl := func(prio int) string {
		return fmt.Sprintf(`{"ResourceType":"Policy","RequestType":"%%s","Settings":{"Policies":[{"Type":"ACL","Settings":{"Action":"Allow","Direction":"In","Priority":%d}}]}}`, prio)
	}
	e.ok(e.svc.Modify(hcn.KindEndpoint, h, fmt.Sprintf(acl(100), "Add")), "ACL add")
	e.ok(e.svc.Modify(hcn.KindEndpoint, h, fmt.Sprintf(acl(200), "Update")), "ACL update")
	v, _ := e.query(hcn.KindEndpoint, h, "").get("Policies")
	list, _ := v.([]any)
	if len(list) != 1 {
		e.t.Errorf("after Update, Policies %v; want the one ACL", v)
	}
}
