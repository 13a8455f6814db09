package hcntest

import (
	"encoding/json"
	"fmt"

	"github.com/hcnkit/hcn"
)

var loadBalancerScenarios = []scenario{
	{name: "loadbalancer/lifecycle", fn: lbLifecycle},
	{name: "loadbalancer/port-collision", fn: lbCollision},
	{name: "loadbalancer/missing-endpoint", fn: lbMissingEndpoint},
	{name: "loadbalancer/internal-port-zero", fn: lbInternalPortZero},
	{name: "loadbalancer/modify-old-version", fn: lbModifyOldVersion},
}

func lbDoc(vip string, ext int, eps ...hcn.GUID) string {
	b, _ := json.Marshal(eps)
	return fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"HostComputeEndpoints":%s,"FrontendVIPs":[%q],`+
		`"PortMappings":[{"Protocol":6,"InternalPort":8080,"ExternalPort":%d}]}`, b, vip, ext)
}

// serviceVersion reads GET /globals/version.
func (e *env) serviceVersion() (uint32, uint32) {
	e.t.Helper()
	out, err := e.svc.HNSCall("GET", "/globals/version", "")
	e.ok(err, "HNSCall version")
	var v struct {
		Success bool
		Output  struct{ Major, Minor uint32 }
	}
	e.ok(json.Unmarshal([]byte(out), &v), "version envelope")
	if !v.Success {
		e.t.Fatalf("GET /globals/version: %s", out)
	}
	return v.Output.Major, v.Output.Minor
}

func lbLifecycle(e *env) {
	_, nh, p := e.network("NAT")
	ep1, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	ep2, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	vip := p + "200"
	id, h := e.create(hcn.KindLoadBalancer, hcn.NilGUID, lbDoc(vip, 80, ep1))
	pr := e.query(hcn.KindLoadBalancer, h, "")
	v, _ := pr.get("HostComputeEndpoints")
	if fmt.Sprint(v) != fmt.Sprint([]any{ep1.String()}) {
		e.t.Errorf("HostComputeEndpoints %v, want [%s]", v, ep1)
	}
	if !has(e.enumerate(hcn.KindLoadBalancer, ""), id) {
		e.t.Errorf("Enumerate misses %s", id)
	}
	if major, minor := e.serviceVersion(); major > 15 || major == 15 && minor >= 4 {
		e.ok(e.svc.Modify(hcn.KindLoadBalancer, h, lbDoc(vip, 80, ep1, ep2)), "modify (whole document)")
		v, _ = e.query(hcn.KindLoadBalancer, h, "").get("HostComputeEndpoints")
		if list, _ := v.([]any); len(list) != 2 {
			e.t.Errorf("after modify HostComputeEndpoints %v", v)
		}
	}
	e.ok(e.svc.Delete(hcn.KindLoadBalancer, id), "delete")
	// The frontend is free again.
	e.create(hcn.KindLoadBalancer, hcn.NilGUID, lbDoc(vip, 80, ep1))
}

func lbCollision(e *env) {
	_, nh, p := e.network("NAT")
	ep, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	vip := p + "201"
	e.create(hcn.KindLoadBalancer, hcn.NilGUID, lbDoc(vip, 443, ep))
	h, err := e.svc.Create(hcn.KindLoadBalancer, hcn.NilGUID, lbDoc(vip, 443, ep))
	if err == nil {
		e.adopt(hcn.KindLoadBalancer, h)
	}
	e.wantHR(err, hcn.HCN_E_PORT_ALREADY_EXISTS, "same VIP, protocol and port")
	e.wantIs(err, hcn.ErrPortInUse, "same VIP, protocol and port")
	e.create(hcn.KindLoadBalancer, hcn.NilGUID, lbDoc(vip, 444, ep))
}

func lbMissingEndpoint(e *env) {
	h, err := e.svc.Create(hcn.KindLoadBalancer, hcn.NilGUID, lbDoc("10.250.0.1", 80, hcn.NewGUID()))
	if err == nil {
		e.adopt(hcn.KindLoadBalancer, h)
	}
	e.wantHR(err, hcn.HCN_E_ENDPOINT_NOT_FOUND, "a missing backend endpoint")
}

func lbInternalPortZero(e *env) {
	_, nh, p := e.network("NAT")
	ep, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	doc := fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"HostComputeEndpoints":[%q],"FrontendVIPs":["%s202"],`+
		`"PortMappings":[{"Protocol":6,"InternalPort":0,"ExternalPort":80}]}`, ep, p)
	h, err := e.svc.Create(hcn.KindLoadBalancer, hcn.NilGUID, doc)
	if err == nil {
		e.adopt(hcn.KindLoadBalancer, h)
	}
	e.wantHR(err, hcn.HCN_E_INVALID_INTERNAL_PORT, "internal port 0")
}

func lbModifyOldVersion(e *env) {
	vs, ok := e.svc.(VersionSetter)
	if !ok {
		e.t.Skip("the service's version cannot be set")
	}
	_, nh, p := e.network("NAT")
	ep, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	_, h := e.create(hcn.KindLoadBalancer, hcn.NilGUID, lbDoc(p+"203", 80, ep))
	vs.SetServiceVersion(15, 3)
	defer vs.SetServiceVersion(15, 4)
	if major, minor := e.serviceVersion(); major != 15 || minor != 3 {
		e.t.Errorf("version %d.%d after setting 15.3", major, minor)
	}
	err := e.svc.Modify(hcn.KindLoadBalancer, h, lbDoc(p+"203", 81, ep))
	e.wantHR(err, hcn.E_NOTIMPL, "LB modify below 15.4")
	e.wantIs(err, hcn.ErrNotSupported, "LB modify below 15.4")
}
