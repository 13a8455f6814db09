package hcnsim

import (
	"fmt"

	"github.com/hcnkit/hcn"
)

type namespaceIn struct {
	Resources []struct {
		Type any
		Data struct{ ID string }
	}
}

// defaultCompartment is the host's default compartment, the NamespaceId
// of every HostDefault namespace.
const defaultCompartment = 1

// buildNamespace validates a namespace document. A HostDefault namespace
// is a new object like any other but gets no compartment of its own: it
// shares the host's default one (NamespaceId 1). fresh is false when
// restoring from the state file.
func (st *state) buildNamespace(o *object, fresh bool) error {
	var in namespaceIn
	if err := decodeInto(o.doc, &in, "settings"); err != nil {
		return err
	}
	typ := "Host"
	if v, ok := o.doc["Type"]; ok && v != nil {
		t, ok := enumValue(v, namespaceTypes)
		if !ok {
			return fail(hcn.E_INVALIDARG, "Type %v", v)
		}
		typ = t
	}
	o.doc["Type"] = typ
	ns := &nsInfo{typ: typ, compartment: defaultCompartment}
	if typ != "HostDefault" {
		ns.compartment = st.compartment(o.doc, fresh)
	}
	o.doc["NamespaceId"] = num(uint64(ns.compartment))
	o.ns = ns
	delete(o.doc, "Resources")
	return st.buildResources(o, in, fresh)
}

// buildResources checks every resource of a namespace being built, then
// attaches its endpoints (all or none).
func (st *state) buildResources(o *object, in namespaceIn, fresh bool) error {
	var eps []*object
	for i, r := range in.Resources {
		t, ok := enumValue(r.Type, resourceTypes)
		if !ok {
			return fail(hcn.E_INVALIDARG, "Resources[%d].Type %v", i, r.Type)
		}
		if t == "Container" {
			o.ns.containers = append(o.ns.containers, r.Data.ID)
			continue
		}
		ep, err := st.resourceEndpoint(r.Data.ID, o.id, fresh, eps)
		if err != nil {
			return err
		}
		eps = append(eps, ep)
	}
	for _, ep := range eps {
		if fresh {
			st.attach(o, ep)
		} else {
			o.ns.endpoints = append(o.ns.endpoints, ep.id)
		}
	}
	st.syncResources(o)
	return nil
}

// resourceEndpoint checks an endpoint resource of a namespace being built
// before anything is attached, so a failure leaves nothing changed.
func (st *state) resourceEndpoint(id string, ns hcn.GUID, fresh bool, seen []*object) (*object, error) {
	g, err := hcn.ParseGUID(id)
	if err != nil {
		return nil, fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "%q", id)
	}
	ep := st.get(hcn.KindEndpoint, g)
	if ep == nil {
		if !fresh {
			return nil, fmt.Errorf("namespace %s lists missing endpoint %s", ns, g)
		}
		return nil, fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "%s", g)
	}
	if !fresh {
		return ep, nil
	}
	if ep.ep.remote {
		return nil, fail(hcn.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION, "endpoint %s is remote", g)
	}
	for _, x := range seen {
		if x == ep {
			return nil, fail(hcn.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "endpoint %s listed twice", g)
		}
	}
	if !ep.ep.namespace.IsZero() {
		return nil, fail(hcn.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "endpoint %s is in namespace %s", g, ep.ep.namespace)
	}
	return ep, nil
}

// attach adds endpoint ep to namespace ns.
func (st *state) attach(ns, ep *object) error {
	if ep.ep.remote {
		return fail(hcn.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION, "endpoint %s is remote", ep.id)
	}
	if !ep.ep.namespace.IsZero() {
		return fail(hcn.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "endpoint %s is in namespace %s", ep.id, ep.ep.namespace)
	}
	ep.ep.namespace = ns.id
	ep.edit(func(d obj) { d["HostComputeNamespace"] = ns.id.String() })
	ns.ns.endpoints = append(ns.ns.endpoints, ep.id)
	st.syncResources(ns)
	st.emit(hcn.NotificationNetworkEndpointAttached, ep.id, obj{
		"HostComputeNetwork": ep.ep.network.String(), "HostComputeNamespace": ns.id.String()})
	return nil
}

// detach removes endpoint ep from namespace ns.
func (st *state) detach(ns, ep *object) {
	list := ns.ns.endpoints
	for i, id := range list {
		if id == ep.id {
			ns.ns.endpoints = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	ep.ep.namespace = hcn.GUID{}
	ep.edit(func(d obj) { delete(d, "HostComputeNamespace") })
	st.syncResources(ns)
	st.emit(hcn.NotificationNetworkEndpointDetached, ep.id, obj{
		"HostComputeNetwork": ep.ep.network.String(), "HostComputeNamespace": ns.id.String()})
}

// syncResources rewrites the namespace's Resources from its lists.
func (st *state) syncResources(o *object) {
	var rs []any
	for _, id := range o.ns.endpoints {
		rs = append(rs, obj{"Type": "Endpoint", "Data": obj{"ID": id.String()}})
	}
	for _, c := range o.ns.containers {
		rs = append(rs, obj{"Type": "Container", "Data": obj{"ID": c}})
	}
	o.edit(func(d obj) {
		if len(rs) == 0 {
			delete(d, "Resources")
			return
		}
		d["Resources"] = rs
	})
}

// deleteNamespace is HcnDeleteNamespace: detaches its endpoints. The
// namespace the host starts with (HostDefaultNamespaceID) cannot be
// deleted; other HostDefault namespaces can.
func (st *state) deleteNamespace(o *object) error {
	if o.id == HostDefaultNamespaceID {
		return fail(hcn.HCN_E_REQUEST_UNSUPPORTED, "the host's own default namespace cannot be deleted")
	}
	for len(o.ns.endpoints) > 0 {
		ep := st.get(hcn.KindEndpoint, o.ns.endpoints[0])
		if ep == nil {
			o.ns.endpoints = o.ns.endpoints[1:]
			continue
		}
		st.detach(o, ep)
	}
	st.remove(o)
	st.emit(hcn.NotificationNamespaceDelete, o.id, nil)
	return nil
}

// modifyNamespace applies an Endpoint or Container request.
func (st *state) modifyNamespace(o *object, env *envelope) error {
	switch env.res {
	case "Endpoint":
		return st.modifyNamespaceEndpoint(o, env)
	case "Container":
		return st.modifyNamespaceContainer(o, env)
	}
	return unsupported(env)
}

// modifyNamespaceEndpoint adds or removes an endpoint. EndpointId must be
// the bare lower-case form: the service looks the text up as is.
func (st *state) modifyNamespaceEndpoint(o *object, env *envelope) error {
	text := str(env.settings, "EndpointId")
	g, err := hcn.ParseGUID(text)
	if err != nil || g.String() != text {
		return fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "EndpointId %q", text)
	}
	ep := st.get(hcn.KindEndpoint, g)
	switch env.req {
	case "Add":
		if ep == nil {
			return fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "%s", g)
		}
		return st.attach(o, ep)
	case "Remove":
		if ep == nil || ep.ep.namespace != o.id {
			return fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "%s is not in namespace %s", g, o.id)
		}
		st.detach(o, ep)
		return nil
	}
	return unsupported(env)
}

func (st *state) modifyNamespaceContainer(o *object, env *envelope) error {
	id := str(env.settings, "ContainerId")
	if id == "" {
		return fail(hcn.E_INVALIDARG, "Settings.ContainerId is required")
	}
	idx := -1
	for i, c := range o.ns.containers {
		if hcn.EqualFoldGUID(c, id) {
			idx = i
		}
	}
	switch env.req {
	case "Add":
		if idx >= 0 {
			return fail(hcn.ERROR_ALREADY_EXISTS, "container %s", id)
		}
		o.ns.containers = append(o.ns.containers, id)
	case "Remove":
		if idx < 0 {
			return fail(hcn.ERROR_NOT_FOUND, "container %s", id)
		}
		o.ns.containers = append(o.ns.containers[:idx:idx], o.ns.containers[idx+1:]...)
	default:
		return unsupported(env)
	}
	st.syncResources(o)
	return nil
}

// compartment assigns the next compartment id to a new namespace, or
// reads a restored one's.
func (st *state) compartment(doc obj, fresh bool) uint32 {
	if fresh {
		st.nextCompartment++
		return st.nextCompartment - 1
	}
	n, _ := uintValue(doc["NamespaceId"], 1<<32-1)
	if uint32(n) >= st.nextCompartment {
		st.nextCompartment = uint32(n) + 1
	}
	return uint32(n)
}
