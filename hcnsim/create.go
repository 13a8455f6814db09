package hcnsim

import (
	"github.com/hcnkit/hcn"
)

// readOnly lists the keys the service fills itself; what a caller sends
// for them is ignored.
var readOnly = map[hcn.Kind][]string{
	hcn.KindNetwork:             {"Health", "State", "Version"},
	hcn.KindEndpoint:            {"Health", "State", "Version", "HostComputeNamespace"},
	hcn.KindNamespace:           {"Health", "State", "Version", "NamespaceId"},
	hcn.KindLoadBalancer:        {"Health", "State", "Version"},
	hcn.KindSDNRoute:            {"Health", "State", "Version"},
	hcn.KindGuestNetworkService: {"Health", "State", "Version"},
}

// baseIn is the part of every document the emulator type-checks.
type baseIn struct {
	Name          string
	Owner         string
	SchemaVersion *struct{ Major, Minor uint32 }
}

// prepare parses a create document, picks its id and checks the base
// fields. The id argument wins; else the document's ID; else a fresh one.
func (st *state) prepare(k hcn.Kind, id hcn.GUID, settings string) (*object, error) {
	raw, err := parseObject(settings, "settings")
	if err != nil {
		return nil, err
	}
	doc := canonical(raw, specOf(k)).(obj)
	var base baseIn
	if err := decodeInto(doc, &base, "settings"); err != nil {
		return nil, err
	}
	if id.IsZero() {
		if v, ok := doc["ID"]; ok && v != nil && v != "" {
			g, ok := parseID(v)
			if !ok {
				return nil, fail(hcn.HCN_E_GUID_CONVERSION_FAILURE, "ID %v", v)
			}
			id = g
		}
	}
	if id.IsZero() {
		id = hcn.NewGUID()
	}
	if st.get(k, id) != nil {
		return nil, fail(hcn.ERROR_ALREADY_EXISTS, "%s %s", k, id)
	}
	for _, key := range readOnly[k] {
		delete(doc, key)
	}
	doc["ID"] = id.String()
	return &object{kind: k, id: id, doc: doc}, nil
}

// finish strips zero values and stamps the read-only fields.
func finish(o *object, version uint64) {
	stripZero(o.doc)
	if o.kind == hcn.KindNetwork || o.kind == hcn.KindEndpoint {
		o.doc["State"] = num(1)
		o.doc["Version"] = num(version)
	}
}

// create makes an object of any kind but endpoints (see createEndpoint).
func (st *state) create(k hcn.Kind, id hcn.GUID, settings string, version uint64) (*object, error) {
	o, err := st.prepare(k, id, settings)
	if err != nil {
		return nil, err
	}
	mark := len(st.events)
	switch k {
	case hcn.KindNetwork:
		err = st.buildNetwork(o, true)
	case hcn.KindNamespace:
		err = st.buildNamespace(o, true)
	case hcn.KindLoadBalancer:
		err = st.buildLoadBalancer(o, nil)
	case hcn.KindSDNRoute:
		err = st.buildRoute(o)
	case hcn.KindGuestNetworkService:
		err = buildGNS(o)
	}
	if err != nil {
		return nil, err
	}
	finish(o, version)
	st.insert(o)
	st.created(o, mark)
	return o, nil
}

// created emits the create notification of o before the notifications
// its creation caused (from index mark on: attaches of its resources).
func (st *state) created(o *object, mark int) {
	var typ hcn.NotificationType
	switch o.kind {
	case hcn.KindNetwork:
		typ = hcn.NotificationNetworkCreate
	case hcn.KindNamespace:
		typ = hcn.NotificationNamespaceCreate
	case hcn.KindGuestNetworkService:
		typ = hcn.NotificationGuestNetworkServiceCreate
	default:
		return
	}
	ev := event{typ: typ, id: o.id}
	st.events = append(st.events[:mark], append([]event{ev}, st.events[mark:]...)...)
}

// createEndpoint is HcnCreateEndpoint on network net.
func (st *state) createEndpoint(net *object, id hcn.GUID, settings string, version uint64) (*object, error) {
	o, err := st.prepare(hcn.KindEndpoint, id, settings)
	if err != nil {
		return nil, err
	}
	if err := st.buildEndpoint(o, net, true); err != nil {
		return nil, err
	}
	o.ep.instance = hcn.NewGUID()
	finish(o, version)
	st.insert(o)
	return o, nil
}

// policyIn is a policy as sent.
type policyIn struct {
	Type     any
	Settings any
}

// checkPolicies validates the policy list under key "Policies" of doc
// against the known types and rewrites each Type in its canonical spelling.
func checkPolicies(doc obj, known []string) error {
	v, ok := doc["Policies"]
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return fail(hcn.HCN_E_INVALID_JSON, "Policies: {{ExpectedArray}}")
	}
	for i, e := range list {
		p, ok := e.(obj)
		if !ok {
			return fail(hcn.HCN_E_INVALID_JSON, "Policies[%d]: {{ExpectedObject}}", i)
		}
		t, ok := enumValue(p["Type"], known)
		if !ok {
			return fail(hcn.HCN_E_INVALID_POLICY_TYPE, "Policies[%d].Type %v", i, p["Type"])
		}
		p["Type"] = t
		if s, ok := p["Settings"]; ok && s != nil {
			if _, ok := s.(obj); !ok {
				return fail(hcn.HCN_E_INVALID_JSON, "Policies[%d].Settings: {{ExpectedObject}}", i)
			}
		}
	}
	return nil
}
