package hcntest

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/hcnkit/hcn"
)

var endpointScenarios = []scenario{
	{name: "endpoint/lifecycle", fn: endpointLifecycle},
	{name: "endpoint/lowest-free-ip", fn: endpointLowestFree},
	{name: "endpoint/static-ip-errors", fn: endpointStaticErrors},
	{name: "endpoint/transparent-no-gateway", fn: endpointTransparentQuirk},
	{name: "endpoint/remote", choice: true, fn: endpointRemote},
	{name: "endpoint/stats-and-addresses", fn: endpointStats},
	{name: "endpoint/concurrency", fn: endpointConcurrency},
	{name: "endpoint/port-mapping-collision", choice: true, fn: endpointPortMappingCollision},
}

// portMappingDoc is an endpoint document with one PortMapping policy.
func portMappingDoc(name string, protocol, internal, external int) string {
	return fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"Policies":[{"Type":"PortMapping",`+
		`"Settings":{"Protocol":%d,"InternalPort":%d,"ExternalPort":%d}}]}`, name, protocol, internal, external)
}

// endpointPortMappingCollision: a second endpoint mapping the same
// protocol and external port fails with HCN_E_PORT_ALREADY_EXISTS (as in
// Microsoft's TestEndpointAlreadyExistsError, there on an Overlay
// network); deleting the first frees the port. On a NAT network here, so
// marked as an emulator choice.
func endpointPortMappingCollision(e *env) {
	_, nh, _ := e.network("NAT")
	id, _ := e.createEndpoint(nh, portMappingDoc(e.name("ep"), 17, 45678, 56789))
	h, err := e.svc.CreateEndpoint(nh, hcn.NilGUID, portMappingDoc(e.name("ep"), 17, 45679, 56789))
	if err == nil {
		e.adopt(hcn.KindEndpoint, h)
	}
	e.wantHR(err, hcn.HCN_E_PORT_ALREADY_EXISTS, "second mapping of UDP 56789")
	e.wantIs(err, hcn.ErrPortInUse, "second mapping of UDP 56789")
	e.createEndpoint(nh, portMappingDoc(e.name("ep"), 6, 45678, 56789))
	e.ok(e.svc.Delete(hcn.KindEndpoint, id), "delete the first endpoint")
	e.createEndpoint(nh, portMappingDoc(e.name("ep"), 17, 45678, 56789))
}

func endpointLifecycle(e *env) {
	nid, nh, p := e.network("NAT")
	name := e.name("ep")
	id, h := e.createEndpoint(nh, endpointDoc(name, p+"10"))
	pr := e.query(hcn.KindEndpoint, h, "")
	if pr.str("HostComputeNetwork") != nid.String() {
		e.t.Errorf("HostComputeNetwork %q, want %s", pr.str("HostComputeNetwork"), nid)
	}
	if ip := firstIP(pr); ip != p+"10" {
		e.t.Errorf("IpAddress %q, want %s10", ip, p)
	}
	if pr.str("MacAddress") == "" {
		e.t.Errorf("no MacAddress: %v", pr)
	}
	if !has(e.enumerate(hcn.KindEndpoint, fmt.Sprintf(`{"VirtualNetwork":%q}`, nid)), id) {
		e.t.Errorf("Enumerate with VirtualNetwork misses %s", id)
	}
	h2 := e.open(hcn.KindEndpoint, id)
	e.ok(e.svc.Modify(hcn.KindEndpoint, h2, `{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.0.0.0/8"]}}]}}`), "policy add")
	if !hasPolicy(e.query(hcn.KindEndpoint, h, ""), "OutBoundNAT") {
		e.t.Errorf("policy not added")
	}
	e.ok(e.svc.Modify(hcn.KindEndpoint, h2, `{"ResourceType":"Policy","RequestType":"Remove","Settings":{"Policies":[{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.0.0.0/8"]}}]}}`), "policy remove")
	if hasPolicy(e.query(hcn.KindEndpoint, h, ""), "OutBoundNAT") {
		e.t.Errorf("policy not removed")
	}
	e.ok(e.svc.Delete(hcn.KindEndpoint, id), "delete")
	_, err := e.svc.Query(hcn.KindEndpoint, h, "")
	e.wantIs(err, hcn.ErrNotFound, "query a deleted endpoint through an open handle")
	// The address is free again.
	e.createEndpoint(nh, endpointDoc(e.name("ep"), p+"10"))
}

func endpointLowestFree(e *env) {
	_, nh, p := e.network("NAT")
	_, h1 := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	if ip := firstIP(e.query(hcn.KindEndpoint, h1, "")); ip != p+"2" {
		e.t.Errorf("first allocated %q, want %s2 (network and gateway reserved)", ip, p)
	}
	_, h2 := e.createEndpoint(nh, endpointDoc(e.name("ep"), p+"3"))
	_ = h2
	_, h3 := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	if ip := firstIP(e.query(hcn.KindEndpoint, h3, "")); ip != p+"4" {
		e.t.Errorf("allocated %q after a static .3, want %s4", ip, p)
	}
}

func endpointStaticErrors(e *env) {
	_, nh, p := e.network("NAT")
	e.createEndpoint(nh, endpointDoc(e.name("ep"), p+"7"))
	cases := []struct {
		ip   string
		hr   hcn.HRESULT
		what string
	}{
		{"192.0.2.10", hcn.HCN_E_INVALID_IP, "outside every subnet"},
		{"not-an-ip", hcn.HCN_E_INVALID_IP, "not an address"},
		{p + "0", hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "the network address"},
		{p + "1", hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "the gateway"},
		{p + "255", hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "the broadcast address"},
		{p + "7", hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "an address in use"},
	}
	for _, c := range cases {
		h, err := e.svc.CreateEndpoint(nh, hcn.NilGUID, endpointDoc(e.name("ep"), c.ip))
		if err == nil {
			e.adopt(hcn.KindEndpoint, h)
		}
		e.wantHR(err, c.hr, c.what+" "+c.ip)
	}
	h, err := e.svc.CreateEndpoint(nh, hcn.NilGUID, endpointDoc(e.name("ep"), p+"1"))
	if err == nil {
		e.adopt(hcn.KindEndpoint, h)
	}
	e.wantIs(err, hcn.ErrAddressReserved, "the gateway")
}

func endpointTransparentQuirk(e *env) {
	if e.opts.NoTransparent {
		e.t.Skip("Options.NoTransparent")
	}
	p := e.subnet()
	pol := ""
	if e.opts.TransparentAdapter != "" {
		pol = fmt.Sprintf(`,"Policies":[{"Type":"NetAdapterName","Settings":{"NetworkAdapterName":%q}}]`, e.opts.TransparentAdapter)
	}
	doc := fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"Type":"Transparent",`+
		`"Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"%s0/28"}]}]%s}`, e.name("net"), p, pol)
	_, nh := e.create(hcn.KindNetwork, hcn.NilGUID, doc)
	h, err := e.svc.CreateEndpoint(nh, hcn.NilGUID, endpointDoc(e.name("ep"), p+"2"))
	if err == nil {
		e.adopt(hcn.KindEndpoint, h)
	}
	e.wantHR(err, hcn.HCN_E_ADDR_INVALID_OR_RESERVED, ".2 of a Transparent /28 without a default route")
}

func endpointRemote(e *env) {
	_, nh, p := e.network("NAT")
	doc := fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"Flags":1,"IpConfigurations":[{"IpAddress":"%s20"}],"MacAddress":"00-15-5D-01-02-03"}`, e.name("rep"), p)
	_, rh := e.createEndpoint(nh, doc)
	if ip := firstIP(e.query(hcn.KindEndpoint, rh, "")); ip != p+"20" {
		e.t.Errorf("remote endpoint IpAddress %q", ip)
	}
	// A remote endpoint consumes no local address.
	e.createEndpoint(nh, endpointDoc(e.name("ep"), p+"20"))
}

func endpointStats(e *env) {
	_, nh, _ := e.network("NAT")
	id, h := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	out, err := e.svc.QueryEndpointStats(h, "")
	e.ok(err, "QueryEndpointStats")
	var st map[string]any
	e.ok(json.Unmarshal([]byte(out), &st), "stats JSON")
	if props(st).str("EndpointId") != id.String() {
		e.t.Errorf("stats EndpointId: %s", out)
	}
	for _, k := range []string{"BytesReceived", "BytesSent", "PacketsReceived", "PacketsSent"} {
		if _, ok := props(st).get(k); !ok {
			e.t.Errorf("stats miss %s: %s", k, out)
		}
	}
	v1, err := e.svc.HNSCall("GET", "/endpointstats/"+id.String(), "")
	e.ok(err, "HNSCall endpointstats")
	var env1 struct {
		Success bool
		Output  map[string]any
	}
	e.ok(json.Unmarshal([]byte(v1), &env1), "v1 envelope")
	if !env1.Success || props(env1.Output).str("EndpointId") != id.String() {
		e.t.Errorf("v1 endpointstats: %s", v1)
	}
	addr, err := e.svc.QueryEndpointAddresses(h, "")
	e.ok(err, "QueryEndpointAddresses")
	if !json.Valid([]byte(addr)) {
		e.t.Errorf("addresses are not JSON: %s", addr)
	}
}

func endpointConcurrency(e *env) {
	_, nh, _ := e.network("NAT")
	w, n := e.opts.Workers, e.opts.PerWorker
	type made struct {
		id hcn.GUID
		ip string
	}
	var mu sync.Mutex
	var all []made
	var wg sync.WaitGroup
	for i := 0; i < w; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < n; j++ {
				h, err := e.svc.CreateEndpoint(nh, hcn.NilGUID, endpointDoc(e.name("ep"), ""))
				if err != nil {
					e.t.Errorf("concurrent create: %v", err)
					return
				}
				out, err := e.svc.Query(hcn.KindEndpoint, h, "")
				e.svc.Close(hcn.KindEndpoint, h)
				var p props
				if err != nil || json.Unmarshal([]byte(out), &p) != nil {
					e.t.Errorf("concurrent query: %v", err)
					return
				}
				id, _ := hcn.ParseGUID(p.str("ID"))
				mu.Lock()
				all = append(all, made{id, firstIP(p)})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	ids, ips := map[hcn.GUID]bool{}, map[string]bool{}
	for _, m := range all {
		if ids[m.id] || ips[m.ip] {
			e.t.Errorf("duplicate id %s or IP %s", m.id, m.ip)
		}
		ids[m.id], ips[m.ip] = true, true
	}
	for _, m := range all {
		wg.Add(1)
		go func(id hcn.GUID) {
			defer wg.Done()
			if err := e.svc.Delete(hcn.KindEndpoint, id); err != nil {
				e.t.Errorf("concurrent delete: %v", err)
			}
		}(m.id)
	}
	wg.Wait()
	if len(all) != w*n {
		e.t.Errorf("%d endpoints made, want %d", len(all), w*n)
	}
}
