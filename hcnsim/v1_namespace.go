package hcnsim

import (
	"strings"

	"github.com/hcnkit/hcn"
)

// v1NamespaceRef is how a v1 endpoint names its namespace.
func (st *state) v1NamespaceRef(ns *object) obj {
	out := obj{"ID": v1ID(ns.id), "CompartmentId": num(uint64(ns.ns.compartment))}
	if ns.ns.typ == "HostDefault" {
		out["IsDefault"] = true
	}
	return out
}

// v1NamespaceView renders namespace o as HNS v1 shows it: ID, IsDefault,
// CompartmentId and ResourceList [{"Type":"Endpoint"|"Container",
// "Data":{"Id":..}}].
func (st *state) v1NamespaceView(o *object) obj {
	out := st.v1NamespaceRef(o)
	var rs []any
	for _, id := range o.ns.endpoints {
		rs = append(rs, obj{"Type": "Endpoint", "Data": obj{"Id": v1ID(id)}})
	}
	for _, c := range o.ns.containers {
		rs = append(rs, obj{"Type": "Container", "Data": obj{"Id": c}})
	}
	if len(rs) > 0 {
		out["ResourceList"] = rs
	}
	return out
}

func (s *Sim) v1ListNamespaces(*v1Request) (any, error) {
	return s.v1List(hcn.KindNamespace, (*state).v1NamespaceView)
}

func (s *Sim) v1GetNamespace(r *v1Request) (any, error) {
	return s.v1Get(hcn.KindNamespace, r.id, (*state).v1NamespaceView)
}

// v1CreateNamespace is POST /namespaces/ {"IsDefault":bool}: HcnCreateNamespace
// of a Host namespace (HostDefault when IsDefault).
func (s *Sim) v1CreateNamespace(r *v1Request) (any, error) {
	var in struct{ IsDefault bool }
	if strings.TrimSpace(r.body) != "" {
		raw, err := parseObject(r.body, "namespace")
		if err != nil {
			return nil, err
		}
		if err := decodeInto(raw, &in, "namespace"); err != nil {
			return nil, err
		}
	}
	typ := map[bool]string{true: "HostDefault", false: "Host"}[in.IsDefault]
	doc := marshal(obj{"SchemaVersion": v2Schema(), "Type": typ})
	var out obj
	err := s.write(func(st *state) error {
		o, err := st.create(hcn.KindNamespace, hcn.GUID{}, doc, s.versionWord())
		if err == nil {
			out = st.v1NamespaceView(o)
		}
		return err
	})
	return out, err
}

// v1DeleteNamespace is DELETE /namespaces/<id>: what HcnDeleteNamespace does.
func (s *Sim) v1DeleteNamespace(r *v1Request) (any, error) {
	return nil, s.write(func(st *state) error {
		o, err := st.v1Lookup(hcn.KindNamespace, r.id)
		if err != nil {
			return err
		}
		return st.deleteNamespace(o)
	})
}

// v1AddResource is POST /namespaces/<id>/addresource {"Type":"Endpoint"|
// "Container","Data":{"Id":..}}: HcnModifyNamespace Endpoint/Container Add.
func (s *Sim) v1AddResource(r *v1Request) (any, error) {
	return s.v1Resource(r, "Add")
}

// v1RemoveResource is POST /namespaces/<id>/removeresource: the Remove.
func (s *Sim) v1RemoveResource(r *v1Request) (any, error) {
	return s.v1Resource(r, "Remove")
}

func (s *Sim) v1Resource(r *v1Request, req string) (any, error) {
	raw, err := parseObject(r.body, "resource")
	if err != nil {
		return nil, err
	}
	var in struct {
		Type string
		Data struct{ Id string }
	}
	if err := decodeInto(raw, &in, "resource"); err != nil {
		return nil, err
	}
	typ, ok := enumValue(in.Type, []string{"Endpoint", "Container"})
	if !ok {
		return nil, fail(hcn.E_INVALIDARG, "Type %q", in.Type)
	}
	settings := obj{"ContainerId": in.Data.Id}
	if typ == "Endpoint" {
		// v1 takes the id in any form; the v2 modify wants it bare and
		// lower case.
		g, err := hcn.ParseGUID(in.Data.Id)
		if err != nil {
			return nil, fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "Data.Id %q", in.Data.Id)
		}
		settings = obj{"EndpointId": g.String()}
	}
	var out obj
	err = s.write(func(st *state) error {
		o, err := st.v1Lookup(hcn.KindNamespace, r.id)
		if err != nil {
			return err
		}
		env := marshal(obj{"ResourceType": typ, "RequestType": req, "Settings": settings})
		if err := s.modify(st, hcn.KindNamespace, o.id, env); err != nil {
			return err
		}
		out = st.v1NamespaceView(o)
		return nil
	})
	return out, err
}
