package hcnsim

import (
	"encoding/json"
	"strings"

	"github.com/hcnkit/hcn"
)

// queryFlagDetailed is HostComputeQueryFlags Detailed.
const queryFlagDetailed = 1

// query is a parsed HostComputeQuery.
type query struct {
	detailed bool
	filter   obj // nil: no filter
}

// parseQuery parses {"SchemaVersion":..,"Flags":0|1|"None"|"Detailed",
// "Filter":"<JSON text>"}. An empty text is the default query. Filter must
// be a string holding a JSON object.
func parseQuery(text string) (*query, error) {
	q := &query{}
	if strings.TrimSpace(text) == "" {
		return q, nil
	}
	raw, err := parseObject(text, "query")
	if err != nil {
		return nil, err
	}
	m := canonical(raw, querySpec).(obj)
	if err := decodeInto(m, &struct {
		SchemaVersion *struct{ Major, Minor uint32 }
	}{}, "query"); err != nil {
		return nil, err
	}
	if q.detailed, err = queryFlags(m["Flags"]); err != nil {
		return nil, err
	}
	if q.filter, err = queryFilter(m["Filter"]); err != nil {
		return nil, err
	}
	return q, nil
}

// queryFlags reads Flags: a number, or "None" / "Detailed".
func queryFlags(v any) (bool, error) {
	if s, ok := v.(string); ok {
		name, ok := enumValue(s, []string{"None", "Detailed"})
		if !ok {
			return false, fail(hcn.HCN_E_INVALID_JSON, "query Flags %q", s)
		}
		return name == "Detailed", nil
	}
	n, ok := uintValue(v, 1<<32-1)
	if !ok {
		return false, fail(hcn.HCN_E_INVALID_JSON, "query Flags %v", v)
	}
	return n&queryFlagDetailed != 0, nil
}

// queryFilter reads Filter: absent, or a string holding a JSON object.
func queryFilter(v any) (obj, error) {
	switch ft := v.(type) {
	case nil:
		return nil, nil
	case string:
		if strings.TrimSpace(ft) == "" {
			return nil, nil
		}
		return parseObject(ft, "query Filter")
	}
	return nil, fail(hcn.HCN_E_INVALID_JSON, "query Filter: {{ExpectedString}}")
}

// enumerate returns the ids of kind k matching q, in creation order.
func (st *state) enumerate(k hcn.Kind, q *query) []hcn.GUID {
	cands := st.candidates(k, q.filter)
	out := cands[:0]
	for _, o := range cands {
		if st.matches(o, q.filter) {
			out = append(out, o)
		}
	}
	sortBySeq(out)
	ids := make([]hcn.GUID, len(out))
	for i, o := range out {
		ids[i] = o.id
	}
	return ids
}

// candidates narrows with the indexes (ID, Name, the network of an
// endpoint, IsDefault); the filter is then checked on each.
func (st *state) candidates(k hcn.Kind, f obj) []*object {
	if v, ok := getKey(f, "ID"); ok {
		g, ok := parseID(v)
		if o := st.get(k, g); ok && o != nil {
			return []*object{o}
		}
		return nil
	}
	if v, ok := getKey(f, "Name"); ok {
		s, _ := v.(string)
		return st.byName(k, s)
	}
	if v, ok := getKey(f, "IsDefault"); ok && k == hcn.KindNamespace && v == true {
		out := make([]*object, 0, len(st.defaults))
		for id := range st.defaults {
			out = append(out, st.objs[k][id])
		}
		return out
	}
	if k == hcn.KindEndpoint {
		if net, ok := st.filterNetwork(f); ok {
			if net == nil {
				return nil
			}
			out := make([]*object, 0, len(net.net.endpoints))
			for id := range net.net.endpoints {
				out = append(out, st.objs[k][id])
			}
			return out
		}
	}
	out := make([]*object, 0, len(st.objs[k]))
	for _, o := range st.objs[k] {
		out = append(out, o)
	}
	return out
}

// filterNetwork resolves VirtualNetwork / HostComputeNetwork /
// VirtualNetworkName of an endpoint filter; ok is false when none is given.
func (st *state) filterNetwork(f obj) (*object, bool) {
	for _, key := range []string{"VirtualNetwork", "HostComputeNetwork"} {
		if v, ok := getKey(f, key); ok {
			g, ok := parseID(v)
			if !ok {
				return nil, true
			}
			return st.get(hcn.KindNetwork, g), true
		}
	}
	if v, ok := getKey(f, "VirtualNetworkName"); ok {
		s, _ := v.(string)
		for _, n := range st.byName(hcn.KindNetwork, s) {
			return n, true
		}
		return nil, true
	}
	return nil, false
}

// matches checks every filter key against o.
func (st *state) matches(o *object, f obj) bool {
	for k, v := range f {
		if !st.matchKey(o, strings.ToLower(k), v) {
			return false
		}
	}
	return true
}

func (st *state) matchKey(o *object, key string, v any) bool {
	switch key {
	case "id":
		g, ok := parseID(v)
		return ok && g == o.id
	case "name":
		s, ok := v.(string)
		return ok && s == o.name
	case "isdefault":
		if o.kind == hcn.KindNamespace {
			b, ok := v.(bool)
			return ok && b == (o.ns.typ == "HostDefault")
		}
	case "virtualnetwork", "hostcomputenetwork":
		g, ok := parseID(v)
		if o.kind == hcn.KindEndpoint {
			return ok && g == o.ep.network
		}
		nid, _ := parseID(o.decode()["HostComputeNetwork"])
		return ok && g == nid
	case "virtualnetworkname":
		s, ok := v.(string)
		if o.kind == hcn.KindEndpoint {
			n := st.get(hcn.KindNetwork, o.ep.network)
			return ok && n != nil && n.name == s
		}
	}
	got, ok := getKey(o.decode(), key)
	return ok && valueMatch(got, v)
}

// valueMatch compares a document value with a filter value: strings
// case-insensitively (GUIDs in any form), numbers and booleans exactly,
// objects and arrays as JSON.
func valueMatch(got, want any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		return ok && (strings.EqualFold(g, w) || hcn.EqualFoldGUID(g, w) && looksGUID(w))
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return false
		}
		a, err1 := g.Float64()
		b, err2 := w.Float64()
		return err1 == nil && err2 == nil && a == b
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case nil:
		return got == nil
	}
	return jsonEqual(got, want)
}

func looksGUID(s string) bool {
	_, err := hcn.ParseGUID(s)
	return err == nil
}

// properties renders o as Query returns it; Detailed adds Health.Extra.
func (st *state) properties(o *object, q *query) string {
	if !q.detailed && o.doc == nil {
		return string(o.raw)
	}
	out := make(obj)
	for k, v := range o.decode() {
		out[k] = v
	}
	if !q.detailed {
		return marshal(out)
	}
	if extra := st.detail(o); len(extra) > 0 {
		out["Health"] = withExtra(out["Health"], extra)
	}
	return marshal(out)
}

// withExtra returns a copy of the stored Health object with the Detailed
// members merged into its Extra: what the document already carries there
// (an endpoint's SharedContainers, say) stays.
func withExtra(health any, extra obj) obj {
	h := obj{}
	if stored, ok := health.(obj); ok {
		for k, v := range stored {
			h[k] = v
		}
	}
	merged := obj{}
	if stored, ok := h["Extra"].(obj); ok {
		for k, v := range stored {
			merged[k] = v
		}
	}
	for k, v := range extra {
		merged[k] = v
	}
	h["Extra"] = merged
	return h
}

// detail is what the Detailed flag adds under Health.Extra.
func (st *state) detail(o *object) obj {
	switch o.kind {
	case hcn.KindNetwork:
		return obj{"SwitchGuid": switchID(o.id).String(),
			"Resources": obj{"EndpointCount": num(uint64(len(o.net.endpoints)))}}
	case hcn.KindEndpoint:
		return obj{"SwitchGuid": switchID(o.ep.network).String(),
			"Resources": obj{"InstanceId": o.ep.instance.String()}}
	case hcn.KindNamespace:
		return obj{"Resources": obj{"CompartmentId": num(uint64(o.ns.compartment))}}
	}
	return nil
}

// switchID derives the id of a network's virtual switch from its id.
func switchID(network hcn.GUID) hcn.GUID {
	b := network.Bytes()
	for i := range b {
		b[i] ^= 0x5a
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hcn.GUIDFromBytes(b)
}
