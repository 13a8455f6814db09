package hcntest

import (
	"fmt"

	"github.com/hcnkit/hcn"
)

// lifecycleCase is what the generic lifecycle scenario needs per kind: a
// create document (given a network handle and prefix for the references)
// and a modify request that must succeed.
type lifecycleCase struct {
	kind   hcn.Kind
	doc    func(e *env, nh hcn.Handle, prefix string) string
	modify func(e *env, nh hcn.Handle, prefix string) string
}

var lifecycleCases = []lifecycleCase{
	{hcn.KindNetwork,
		func(e *env, _ hcn.Handle, _ string) string {
			return staticNet(e.name("net"), "NAT", e.subnet(), "")
		},
		func(*env, hcn.Handle, string) string {
			return `{"ResourceType":"DNS","RequestType":"Update","Settings":{"Domain":"lifecycle.test"}}`
		}},
	{hcn.KindEndpoint, nil,
		func(*env, hcn.Handle, string) string {
			return `{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.0.0.0/8"]}}]}}`
		}},
	{hcn.KindNamespace,
		func(*env, hcn.Handle, string) string { return hostNamespaceDoc },
		func(*env, hcn.Handle, string) string {
			return fmt.Sprintf(`{"ResourceType":"Container","RequestType":"Add","Settings":{"ContainerId":%q}}`, hcn.NewGUID())
		}},
	{hcn.KindLoadBalancer,
		func(e *env, nh hcn.Handle, p string) string {
			ep, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
			return lbDoc(p+"210", 8080, ep)
		},
		nil},
	{hcn.KindSDNRoute,
		func(e *env, nh hcn.Handle, p string) string {
			return `{"SchemaVersion":{"Major":2,"Minor":0},"Setting":[{"DestinationPrefix":"192.168.60.0/24","NeedEncap":true}]}`
		},
		nil},
	{hcn.KindGuestNetworkService,
		func(*env, hcn.Handle, string) string { return gnsDoc },
		func(*env, hcn.Handle, string) string {
			return `{"ResourceType":"State","RequestType":"Update","Settings":{"State":"Bootstrapping"}}`
		}},
}

// lifecycleScenarios is one lifecycle scenario per kind.
func lifecycleScenarios() []scenario {
	var out []scenario
	for _, c := range lifecycleCases {
		c := c
		out = append(out, scenario{
			name: "lifecycle/" + c.kind.String(),
			fn:   func(e *env) { lifecycle(e, c) },
		})
	}
	return out
}

// lifecycle runs create, open (braced upper-case id), query through both
// handles, modify, enumerate, close, delete, and checks the object is gone.
func lifecycle(e *env, c lifecycleCase) {
	_, nh, p := e.network("NAT")
	var h hcn.Handle
	var err error
	if c.kind == hcn.KindEndpoint {
		h, err = e.svc.CreateEndpoint(nh, hcn.NilGUID, endpointDoc(e.name("ep"), ""))
	} else {
		h, err = e.svc.Create(c.kind, hcn.NilGUID, c.doc(e, nh, p))
	}
	e.ok(err, "create "+c.kind.String())
	id := e.adoptID(c.kind, h)
	deleted := false
	defer func() {
		if !deleted {
			e.svc.Delete(c.kind, id)
		}
	}()
	h2, err := e.svc.Open(c.kind, hcn.MustParseGUID(id.BracedUpper()))
	e.ok(err, "open by braced upper-case id")
	if a, b := e.query(c.kind, h, "").str("ID"), e.query(c.kind, h2, "").str("ID"); a != b || a != id.String() {
		e.t.Errorf("IDs through the two handles: %q %q, want %s", a, b, id)
	}
	if c.modify != nil {
		e.ok(e.svc.Modify(c.kind, h2, c.modify(e, nh, p)), "modify "+c.kind.String())
	}
	if !has(e.enumerate(c.kind, ""), id) {
		e.t.Errorf("Enumerate misses %s", id)
	}
	e.ok(e.svc.Close(c.kind, h2), "close")
	e.ok(e.svc.Close(c.kind, h), "close")
	e.ok(e.svc.Delete(c.kind, id), "delete")
	deleted = true
	if has(e.enumerate(c.kind, ""), id) {
		e.t.Errorf("Enumerate lists deleted %s", id)
	}
	_, err = e.svc.Open(c.kind, id)
	e.wantIs(err, hcn.ErrNotFound, "open deleted "+c.kind.String())
	e.wantIs(e.svc.Delete(c.kind, id), hcn.ErrNotFound, "delete twice")
}
