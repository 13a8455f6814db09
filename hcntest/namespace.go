package hcntest

import (
	"fmt"
	"strings"

	"github.com/hcnkit/hcn"
)

var namespaceScenarios = []scenario{
	{name: "namespace/lifecycle", fn: namespaceLifecycle},
	{name: "namespace/membership", fn: namespaceMembership},
	{name: "namespace/endpoint-id-form", fn: namespaceEndpointIDForm},
	{name: "namespace/host-default", fn: namespaceHostDefault},
	{name: "namespace/host-default-create", fn: namespaceHostDefaultCreate},
	{name: "namespace/container", fn: namespaceContainer},
}

const hostNamespaceDoc = `{"SchemaVersion":{"Major":2,"Minor":0},"Type":"Host"}`

func addEndpoint(req string, ep string) string {
	return fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":%q,"Settings":{"EndpointId":%q}}`, req, ep)
}

func namespaceLifecycle(e *env) {
	id, h := e.create(hcn.KindNamespace, hcn.NilGUID, hostNamespaceDoc)
	pr := e.query(hcn.KindNamespace, h, "")
	if pr.str("Type") != "Host" {
		e.t.Errorf("Type %q, want Host", pr.str("Type"))
	}
	if !has(e.enumerate(hcn.KindNamespace, ""), id) {
		e.t.Errorf("Enumerate misses %s", id)
	}
	e.ok(e.svc.Delete(hcn.KindNamespace, id), "delete")
	_, err := e.svc.Open(hcn.KindNamespace, id)
	e.wantIs(err, hcn.ErrNotFound, "open a deleted namespace")
}

// resourceIDs returns the endpoint ids in a namespace's Resources.
func resourceIDs(p props, typ string) []string {
	v, _ := p.get("Resources")
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		m, _ := x.(map[string]any)
		if !strings.EqualFold(props(m).str("Type"), typ) {
			continue
		}
		d, _ := props(m).get("Data")
		dm, _ := d.(map[string]any)
		out = append(out, strings.ToLower(props(dm).str("ID")))
	}
	return out
}

func namespaceMembership(e *env) {
	_, nh, _ := e.network("NAT")
	epID, eh := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	nsID, nsh := e.create(hcn.KindNamespace, hcn.NilGUID, hostNamespaceDoc)
	_, ns2 := e.create(hcn.KindNamespace, hcn.NilGUID, hostNamespaceDoc)
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Add", epID.String())), "add endpoint")
	if got := resourceIDs(e.query(hcn.KindNamespace, nsh, ""), "Endpoint"); len(got) != 1 || got[0] != epID.String() {
		e.t.Errorf("namespace Resources endpoints %v, want [%s]", got, epID)
	}
	if got := e.query(hcn.KindEndpoint, eh, "").str("HostComputeNamespace"); !hcn.EqualFoldGUID(got, nsID.String()) {
		e.t.Errorf("endpoint HostComputeNamespace %q, want %s", got, nsID)
	}
	err := e.svc.Modify(hcn.KindNamespace, ns2, addEndpoint("Add", epID.String()))
	e.wantHR(err, hcn.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "add to a second namespace")
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Remove", epID.String())), "remove endpoint")
	if got := resourceIDs(e.query(hcn.KindNamespace, nsh, ""), "Endpoint"); len(got) != 0 {
		e.t.Errorf("namespace still lists %v", got)
	}
	if got := e.query(hcn.KindEndpoint, eh, "").str("HostComputeNamespace"); got != "" {
		e.t.Errorf("endpoint still in namespace %q", got)
	}
	e.wantIs(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Remove", epID.String())), hcn.ErrNotFound, "remove twice")
	// Deleting an attached endpoint detaches it.
	e.ok(e.svc.Modify(hcn.KindNamespace, ns2, addEndpoint("Add", epID.String())), "add to the second")
	e.ok(e.svc.Delete(hcn.KindEndpoint, epID), "delete attached endpoint")
	if got := resourceIDs(e.query(hcn.KindNamespace, ns2, ""), "Endpoint"); len(got) != 0 {
		e.t.Errorf("namespace lists deleted endpoint %v", got)
	}
}

func namespaceEndpointIDForm(e *env) {
	_, nh, _ := e.network("NAT")
	epID, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	_, nsh := e.create(hcn.KindNamespace, hcn.NilGUID, hostNamespaceDoc)
	err := e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Add", epID.BracedUpper()))
	if err == nil {
		e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Remove", epID.String()))
		e.t.Errorf("a braced upper-case EndpointId was accepted")
	}
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Add", epID.String())), "bare lower-case EndpointId")
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, addEndpoint("Remove", epID.String())), "remove")
}

// namespaceHostDefault: {"IsDefault":true} lists the host's default
// namespaces (Type HostDefault), which {"IsDefault":false} leaves out.
func namespaceHostDefault(e *env) {
	ids := e.enumerate(hcn.KindNamespace, `{"IsDefault":true}`)
	if len(ids) == 0 {
		e.t.Fatal("IsDefault filter gave no namespace")
	}
	others := e.enumerate(hcn.KindNamespace, `{"IsDefault":false}`)
	for _, id := range ids {
		h := e.open(hcn.KindNamespace, id)
		if typ := e.query(hcn.KindNamespace, h, "").str("Type"); typ != "HostDefault" {
			e.t.Errorf("default namespace %s Type %q", id, typ)
		}
		if has(others, id) {
			e.t.Errorf("IsDefault false lists the default namespace %s", id)
		}
	}
}

// namespaceHostDefaultCreate: a HostDefault namespace is created (with the
// requested id), used and deleted like any other, as Microsoft's
// integration tests do (HcnCreateTestNamespace).
func namespaceHostDefaultCreate(e *env) {
	want := hcn.NewGUID()
	id, h := e.create(hcn.KindNamespace, want,
		`{"SchemaVersion":{"Major":2,"Minor":0},"Type":"HostDefault","NamespaceId":5}`)
	if id != want {
		e.t.Errorf("HostDefault namespace got id %s, want the requested %s", id, want)
	}
	if typ := e.query(hcn.KindNamespace, h, "").str("Type"); typ != "HostDefault" {
		e.t.Errorf("Type %q, want HostDefault", typ)
	}
	if !has(e.enumerate(hcn.KindNamespace, `{"IsDefault":true}`), id) {
		e.t.Errorf("IsDefault filter misses the new HostDefault namespace")
	}
	_, nh, _ := e.network("NAT")
	epID, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	e.ok(e.svc.Modify(hcn.KindNamespace, h, addEndpoint("Add", epID.String())), "attach")
	e.ok(e.svc.Modify(hcn.KindNamespace, h, addEndpoint("Remove", epID.String())), "detach")
	e.ok(e.svc.Delete(hcn.KindNamespace, id), "delete the HostDefault namespace")
	_, err := e.svc.Open(hcn.KindNamespace, id)
	e.wantIs(err, hcn.ErrNotFound, "open a deleted HostDefault namespace")
}

func namespaceContainer(e *env) {
	_, nsh := e.create(hcn.KindNamespace, hcn.NilGUID, hostNamespaceDoc)
	c := hcn.NewGUID().String()
	req := func(r string) string {
		return fmt.Sprintf(`{"ResourceType":"Container","RequestType":%q,"Settings":{"ContainerId":%q}}`, r, c)
	}
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, req("Add")), "add container")
	if got := resourceIDs(e.query(hcn.KindNamespace, nsh, ""), "Container"); len(got) != 1 || got[0] != c {
		e.t.Errorf("container resources %v", got)
	}
	e.ok(e.svc.Modify(hcn.KindNamespace, nsh, req("Remove")), "remove container")
}
