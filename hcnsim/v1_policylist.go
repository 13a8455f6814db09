package hcnsim

import (
	"encoding/json"
	"strings"

	"github.com/hcnkit/hcn"
)

// HNS v1 policy lists are the v1 face of two v2 families: a list of ELB
// policies is a load balancer, a list of ROUTE policies an SDN route. Both
// share one id space, so /policylists/<id> finds either.

// v1ELBIn is an HNS v1 ELB policy (ELBPolicy).
type v1ELBIn struct {
	Type         string
	SourceVIP    string
	VIPs         []string
	ILB          bool
	IsDSR        bool
	Protocol     uint32
	InternalPort uint16
	ExternalPort uint16
}

// v1RouteIn is an HNS v1 ROUTE policy (RoutePolicy).
type v1RouteIn struct {
	Type              string
	DestinationPrefix string
	NextHop           string
	NeedEncap         bool
}

// policyListToV2 translates a v1 PolicyList {"ID","References":
// ["/endpoints/<id>"],"Policies":[..]} into the kind and document to create.
func policyListToV2(body string) (hcn.Kind, obj, error) {
	raw, err := parseObject(body, "policy list")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		ID         string
		References []string
		Policies   []json.RawMessage
	}
	if err := decodeInto(raw, &in, "policy list"); err != nil {
		return 0, nil, err
	}
	eps := make([]any, len(in.References))
	for i, ref := range in.References {
		eps[i] = ref
		if len(ref) > len("/endpoints/") && strings.EqualFold(ref[:len("/endpoints/")], "/endpoints/") {
			eps[i] = ref[len("/endpoints/"):]
		}
	}
	doc := obj{"SchemaVersion": v2Schema(), "ID": in.ID, "HostComputeEndpoints": eps}
	typ, err := policyListType(in.Policies)
	if err != nil {
		return 0, nil, err
	}
	if typ == "ELB" {
		err = elbToV2(in.Policies, doc)
		return hcn.KindLoadBalancer, doc, err
	}
	err = routesToV2(in.Policies, doc)
	return hcn.KindSDNRoute, doc, err
}

// policyListType is ELB or ROUTE: every policy of a list must be of one of
// them (else HCN_E_INVALID_POLICY).
func policyListType(list []json.RawMessage) (string, error) {
	typ := ""
	for i, raw := range list {
		var p struct{ Type string }
		if err := json.Unmarshal(raw, &p); err != nil {
			return "", fail(hcn.HCN_E_INVALID_JSON, "Policies[%d]: %v", i, err)
		}
		t, ok := enumValue(p.Type, []string{"ELB", "ROUTE"})
		if !ok || (typ != "" && t != typ) {
			return "", fail(hcn.HCN_E_INVALID_POLICY, "Policies[%d].Type %q: a policy list holds ELB or ROUTE policies", i, p.Type)
		}
		typ = t
	}
	if typ == "" {
		return "", fail(hcn.HCN_E_INVALID_POLICY, "a policy list needs at least one policy")
	}
	return typ, nil
}

// elbToV2 fills a load balancer document: the first policy's SourceVIP,
// VIPs (FrontendVIPs) and IsDSR (Flags 1), one PortMapping per policy
// (ILB is the mapping's Flags 1).
func elbToV2(list []json.RawMessage, doc obj) error {
	var pms []any
	for i, raw := range list {
		var p v1ELBIn
		if err := decodeInto(json.RawMessage(raw), &p, "Policies"); err != nil {
			return err
		}
		if i == 0 {
			doc["SourceVIP"], doc["FrontendVIPs"] = p.SourceVIP, toAnyList(p.VIPs)
			if p.IsDSR {
				doc["Flags"] = num(1)
			}
		}
		pm := obj{"Protocol": num(uint64(p.Protocol)), "InternalPort": num(uint64(p.InternalPort)),
			"ExternalPort": num(uint64(p.ExternalPort))}
		if p.ILB {
			pm["Flags"] = num(1)
		}
		pms = append(pms, pm)
	}
	doc["PortMappings"] = pms
	stripZero(doc)
	return nil
}

// routesToV2 fills an SDN route document (the route list under "Setting").
func routesToV2(list []json.RawMessage, doc obj) error {
	var rs []any
	for _, raw := range list {
		var p v1RouteIn
		if err := decodeInto(json.RawMessage(raw), &p, "Policies"); err != nil {
			return err
		}
		rs = append(rs, obj{"DestinationPrefix": p.DestinationPrefix, "NextHop": p.NextHop, "NeedEncap": p.NeedEncap})
	}
	doc["Setting"] = rs
	stripZero(doc)
	return nil
}

func toAnyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// v1PolicyListView renders a load balancer or SDN route as a v1 policy list.
func (st *state) v1PolicyListView(o *object) obj {
	doc := o.decode()
	refs := []any{}
	list, _ := doc["HostComputeEndpoints"].([]any)
	for _, e := range list {
		if g, ok := parseID(e); ok {
			refs = append(refs, "/endpoints/"+v1ID(g))
		}
	}
	out := obj{"ID": v1ID(o.id), "References": refs}
	if o.kind == hcn.KindLoadBalancer {
		out["Policies"] = v1ELBs(doc)
	} else {
		out["Policies"] = v1RoutePolicies(doc)
	}
	return out
}

func v1ELBs(doc obj) []any {
	out := []any{}
	lbFlags, _ := uintValue(doc["Flags"], 1<<32-1)
	pms, _ := doc["PortMappings"].([]any)
	for _, e := range pms {
		pm, _ := e.(obj)
		flags, _ := uintValue(pm["Flags"], 1<<32-1)
		p := obj{"Type": "ELB", "SourceVIP": doc["SourceVIP"], "VIPs": doc["FrontendVIPs"],
			"ILB": flags&1 != 0, "IsDSR": lbFlags&1 != 0, "Protocol": pm["Protocol"],
			"InternalPort": pm["InternalPort"], "ExternalPort": pm["ExternalPort"]}
		stripZero(p)
		out = append(out, p)
	}
	return out
}

func v1RoutePolicies(doc obj) []any {
	out := []any{}
	list, _ := doc["Setting"].([]any)
	if l, ok := doc["Routes"].([]any); ok {
		list = l
	}
	for _, e := range list {
		r, _ := e.(obj)
		p := obj{"Type": "ROUTE", "DestinationPrefix": r["DestinationPrefix"], "NextHop": r["NextHop"],
			"NeedEncap": r["NeedEncap"]}
		stripZero(p)
		out = append(out, p)
	}
	return out
}

// v1PolicyListObjects returns the load balancers and SDN routes in
// creation order.
func (st *state) v1PolicyListObjects() []*object {
	var os []*object
	for _, k := range []hcn.Kind{hcn.KindLoadBalancer, hcn.KindSDNRoute} {
		for _, o := range st.objs[k] {
			os = append(os, o)
		}
	}
	sortBySeq(os)
	return os
}

// v1PolicyListLookup finds the load balancer or SDN route a path id names.
func (st *state) v1PolicyListLookup(text string) (*object, error) {
	o, err := st.v1Lookup(hcn.KindLoadBalancer, text)
	if err != nil {
		o, err = st.v1Lookup(hcn.KindSDNRoute, text)
	}
	if err != nil {
		return nil, v1NotFound("policy list", text)
	}
	return o, nil
}

func (s *Sim) v1ListPolicyLists(*v1Request) (any, error) {
	out := []any{}
	err := s.read(func(st *state) error {
		for _, o := range st.v1PolicyListObjects() {
			out = append(out, st.v1PolicyListView(o))
		}
		return nil
	})
	return out, err
}

func (s *Sim) v1GetPolicyList(r *v1Request) (any, error) {
	var out obj
	err := s.read(func(st *state) error {
		o, err := st.v1PolicyListLookup(r.id)
		if err == nil {
			out = st.v1PolicyListView(o)
		}
		return err
	})
	return out, err
}

// v1CreatePolicyList is POST /policylists/: HcnCreateLoadBalancer or
// HcnCreateSdnRoute of the translated document, with their rules.
func (s *Sim) v1CreatePolicyList(r *v1Request) (any, error) {
	kind, doc, err := policyListToV2(r.body)
	if err != nil {
		return nil, err
	}
	var out obj
	err = s.write(func(st *state) error {
		o, err := st.create(kind, hcn.GUID{}, marshal(doc), s.versionWord())
		if err == nil {
			out = st.v1PolicyListView(o)
		}
		return err
	})
	return out, err
}

// v1DeletePolicyList is DELETE /policylists/<id>.
func (s *Sim) v1DeletePolicyList(r *v1Request) (any, error) {
	return nil, s.write(func(st *state) error {
		o, err := st.v1PolicyListLookup(r.id)
		if err == nil {
			st.remove(o)
		}
		return err
	})
}
