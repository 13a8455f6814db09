package hcntest

import (
	"fmt"

	"github.com/hcnkit/hcn"
)

var networkScenarios = []scenario{
	{name: "network/lifecycle", fn: networkLifecycle},
	{name: "network/explicit-id", fn: networkExplicitID},
	{name: "network/duplicate-id", choice: true, fn: networkDuplicateID},
	{name: "network/duplicate-name", fn: networkDuplicateName},
	{name: "network/invalid-type", fn: networkInvalidType},
	{name: "network/invalid-prefix", fn: networkInvalidPrefix},
	{name: "network/invalid-json", fn: networkInvalidJSON},
	{name: "network/delete-with-endpoints", choice: true, fn: networkDeleteWithEndpoints},
	{name: "network/not-found", fn: networkNotFound},
	{name: "network/mac-pool", fn: networkMacPool},
	{name: "handles/closed-and-wrong-kind", fn: handlesClosed},
	{name: "handles/invalid-kind", fn: handlesInvalidKind},
}

func networkLifecycle(e *env) {
	name := e.name("net")
	p := e.subnet()
	id, h := e.create(hcn.KindNetwork, hcn.NilGUID, staticNet(name, "NAT", p, `,"Flags":0`))
	if id.IsZero() {
		e.t.Fatal("create with GUID_NULL gave GUID_NULL")
	}
	pr := e.query(hcn.KindNetwork, h, "")
	if pr.str("ID") != id.String() {
		e.t.Errorf("ID %q, want canonical %q", pr.str("ID"), id)
	}
	if pr.str("Name") != name {
		e.t.Errorf("Name %q, want %q", pr.str("Name"), name)
	}
	if _, ok := pr.get("Type"); ok {
		e.t.Errorf("a NAT network's properties carry Type: %v", pr)
	}
	if _, ok := pr.get("Flags"); ok {
		e.t.Errorf("zero Flags not omitted: %v", pr)
	}
	if !has(e.enumerate(hcn.KindNetwork, ""), id) {
		e.t.Errorf("Enumerate misses %s", id)
	}
	h2 := e.open(hcn.KindNetwork, hcn.MustParseGUID(id.BracedUpper()))
	e.ok(e.svc.Modify(hcn.KindNetwork, h2, `{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"HostRoute","Settings":{}}]}}`), "modify")
	pr = e.query(hcn.KindNetwork, h, "")
	if !hasPolicy(pr, "HostRoute") {
		e.t.Errorf("Policies after Add: %v", pr)
	}
	e.ok(e.svc.Close(hcn.KindNetwork, h2), "close")
	e.ok(e.svc.Delete(hcn.KindNetwork, id), "delete")
	if has(e.enumerate(hcn.KindNetwork, ""), id) {
		e.t.Errorf("Enumerate still lists deleted %s", id)
	}
	_, err := e.svc.Open(hcn.KindNetwork, id)
	e.wantIs(err, hcn.ErrNotFound, "open deleted network")
}

func networkExplicitID(e *env) {
	want := hcn.NewGUID()
	id, h := e.create(hcn.KindNetwork, want, staticNet(e.name("net"), "Internal", e.subnet(), ""))
	if id != want {
		e.t.Errorf("id %s, want the explicit %s", id, want)
	}
	if t := e.query(hcn.KindNetwork, h, "").str("Type"); t != "Internal" {
		e.t.Errorf("Type %q, want Internal", t)
	}
}

func networkDuplicateID(e *env) {
	id, _ := e.create(hcn.KindNetwork, hcn.NilGUID, staticNet(e.name("net"), "NAT", e.subnet(), ""))
	h, err := e.svc.Create(hcn.KindNetwork, id, staticNet(e.name("net"), "NAT", e.subnet(), ""))
	if err == nil {
		e.svc.Close(hcn.KindNetwork, h)
	}
	e.wantHR(err, hcn.ERROR_ALREADY_EXISTS, "create with an existing id")
	e.wantIs(err, hcn.ErrAlreadyExists, "create with an existing id")
}

func networkDuplicateName(e *env) {
	name := e.name("net")
	e.create(hcn.KindNetwork, hcn.NilGUID, staticNet(name, "NAT", e.subnet(), ""))
	h, err := e.svc.Create(hcn.KindNetwork, hcn.NilGUID, staticNet(name, "NAT", e.subnet(), ""))
	if err == nil {
		e.svc.Close(hcn.KindNetwork, h)
	}
	e.wantHR(err, hcn.HCN_E_NETWORK_ALREADY_EXISTS, "duplicate name")
	e.wantIs(err, hcn.ErrAlreadyExists, "duplicate name")
}

func networkInvalidType(e *env) {
	h, err := e.svc.Create(hcn.KindNetwork, hcn.NilGUID, staticNet(e.name("net"), "Bogus", e.subnet(), ""))
	if err == nil {
		e.svc.Close(hcn.KindNetwork, h)
	}
	e.wantHR(err, hcn.HCN_E_INVALID_NETWORK_TYPE, "unknown network type")
}

func networkInvalidPrefix(e *env) {
	doc := fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"10.300.0.0/24"}]}]}`, e.name("net"))
	h, err := e.svc.Create(hcn.KindNetwork, hcn.NilGUID, doc)
	if err == nil {
		e.svc.Close(hcn.KindNetwork, h)
	}
	e.wantHR(err, hcn.HCN_E_INVALID_PREFIX, "bad IpAddressPrefix")
	e.wantIs(err, hcn.ErrInvalid, "bad IpAddressPrefix")
}

func networkInvalidJSON(e *env) {
	for _, doc := range []string{`{"Name":"x",}`, `not json`, `[1,2]`, `{"Name":5}`} {
		h, err := e.svc.Create(hcn.KindNetwork, hcn.NilGUID, doc)
		if err == nil {
			e.svc.Close(hcn.KindNetwork, h)
		}
		e.wantHR(err, hcn.HCN_E_INVALID_JSON, "settings "+doc)
	}
}

// networkDeleteWithEndpoints: deleting a network that still has endpoints
// succeeds (Microsoft's integration tests do it); the emulator deletes the
// endpoints with it, detaching them from their namespaces.
func networkDeleteWithEndpoints(e *env) {
	nid, nh, _ := e.network("NAT")
	epID, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	_, nsh := e.create(hcn.KindNamespace, hcn.NilGUID, hostNamespaceDoc)
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Add", epID.String())), "attach")
	e.ok(e.svc.Delete(hcn.KindNetwork, nid), "delete a network with endpoints")
	_, err := e.svc.Open(hcn.KindEndpoint, epID)
	e.wantIs(err, hcn.ErrNotFound, "open an endpoint of the deleted network")
	if got := resourceIDs(e.query(hcn.KindNamespace, nsh, ""), "Endpoint"); len(got) != 0 {
		e.t.Errorf("namespace still lists %v", got)
	}
}

func networkNotFound(e *env) {
	id := hcn.NewGUID()
	_, err := e.svc.Open(hcn.KindNetwork, id)
	e.wantIs(err, hcn.ErrNotFound, "open a missing network")
	e.wantIs(e.svc.Delete(hcn.KindNetwork, id), hcn.ErrNotFound, "delete a missing network")
	for _, k := range []hcn.Kind{hcn.KindEndpoint, hcn.KindNamespace, hcn.KindLoadBalancer} {
		_, err := e.svc.Open(k, id)
		e.wantIs(err, hcn.ErrNotFound, "open a missing "+k.String())
	}
}

func networkMacPool(e *env) {
	p := e.subnet()
	doc := staticNet(e.name("net"), "NAT", p, `,"MacPool":{"Ranges":[{"StartMacAddress":"00-15-5D-AA-00-00","EndMacAddress":"00-15-5D-AA-00-01"}]}`)
	_, nh := e.create(hcn.KindNetwork, hcn.NilGUID, doc)
	seen := map[string]bool{}
	for i := 0; i < 2; i++ {
		_, h := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
		mac := e.query(hcn.KindEndpoint, h, "").str("MacAddress")
		if mac != "00-15-5D-AA-00-00" && mac != "00-15-5D-AA-00-01" {
			e.t.Errorf("MacAddress %q is not from the pool", mac)
		}
		if seen[mac] {
			e.t.Errorf("MacAddress %q given twice", mac)
		}
		seen[mac] = true
	}
}

func handlesClosed(e *env) {
	_, h, _ := e.network("NAT")
	h2, err := e.svc.Create(hcn.KindNetwork, hcn.NilGUID, staticNet(e.name("net"), "NAT", e.subnet(), ""))
	e.ok(err, "create")
	id2 := e.adoptID(hcn.KindNetwork, h2)
	e.ok(e.svc.Close(hcn.KindNetwork, h2), "close")
	e.wantHR(e.svc.Close(hcn.KindNetwork, h2), hcn.E_HANDLE, "close twice")
	_, err = e.svc.Query(hcn.KindNetwork, h2, "")
	e.wantHR(err, hcn.E_HANDLE, "query a closed handle")
	e.wantIs(err, hcn.ErrInvalidHandle, "query a closed handle")
	_, err = e.svc.CreateEndpoint(h2, hcn.NilGUID, endpointDoc(e.name("ep"), ""))
	e.wantHR(err, hcn.E_HANDLE, "create an endpoint on a closed network handle")
	_, err = e.svc.Query(hcn.KindEndpoint, h, "")
	e.wantHR(err, hcn.E_HANDLE, "a network handle used as an endpoint handle")
	e.ok(e.svc.Delete(hcn.KindNetwork, id2), "delete")
}

// adoptID reads an object's id without registering cleanups.
func (e *env) adoptID(k hcn.Kind, h hcn.Handle) hcn.GUID {
	e.t.Helper()
	id, err := hcn.ParseGUID(e.query(k, h, "").str("ID"))
	e.ok(err, "ID")
	return id
}

func handlesInvalidKind(e *env) {
	_, err := e.svc.Create(hcn.KindEndpoint, hcn.NilGUID, "{}")
	e.wantIs(err, hcn.ErrInvalid, "Create on KindEndpoint")
	_, err = e.svc.Enumerate(hcn.Kind(99), "")
	e.wantIs(err, hcn.ErrInvalid, "Enumerate on an invalid kind")
}

// hasPolicy reports whether the Policies of p hold one of type typ.
func hasPolicy(p props, typ string) bool {
	v, _ := p.get("Policies")
	list, _ := v.([]any)
	for _, x := range list {
		if m, ok := x.(map[string]any); ok && props(m).str("Type") == typ {
			return true
		}
	}
	return false
}
