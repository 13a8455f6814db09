package hcnsim

import (
	"encoding/json"

	"github.com/hcnkit/hcn"
)

// checkKind rejects a kind-generic call on an invalid kind (or, for
// Create, on endpoints) with E_INVALIDARG.
func checkKind(op string, k hcn.Kind, endpointOK bool) error {
	if !k.Valid() || (!endpointOK && k == hcn.KindEndpoint) {
		return hcn.NewError(op, k, "", hcn.E_INVALIDARG, recordText(hcn.E_INVALIDARG, "no such function for "+k.String()))
	}
	return nil
}

// Enumerate is HcnEnumerate<Kind>s: a JSON array of bare lower-case GUID
// strings, in creation order.
func (s *Sim) Enumerate(kind hcn.Kind, query string) (string, error) {
	op := hcn.OpName(hcn.VerbEnumerate, kind)
	if err := checkKind(op, kind, true); err != nil {
		return "", err
	}
	if err := s.begin(op); err != nil {
		return "", toError(op, kind, "", err)
	}
	q, err := parseQuery(query)
	if err != nil {
		return "", toError(op, kind, "", err)
	}
	var ids []hcn.GUID
	err = s.read(func(st *state) error {
		ids = st.enumerate(kind, q)
		return nil
	})
	if err != nil {
		return "", toError(op, kind, "", err)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	b, _ := json.Marshal(out)
	return string(b), nil
}

// Create is HcnCreate<Kind> for every kind but endpoints.
func (s *Sim) Create(kind hcn.Kind, id hcn.GUID, settings string) (hcn.Handle, error) {
	op := hcn.OpName(hcn.VerbCreate, kind)
	if err := checkKind(op, kind, false); err != nil {
		return 0, err
	}
	if err := s.begin(op); err != nil {
		return 0, toError(op, kind, string(id.ID()), err)
	}
	var made hcn.GUID
	err := s.write(func(st *state) error {
		o, err := st.create(kind, id, settings, s.versionWord())
		if err == nil {
			made = o.id
		}
		return err
	})
	if err != nil {
		return 0, toError(op, kind, string(id.ID()), err)
	}
	return s.handles.open(&handleEntry{kind: HandleKind(kind), id: made}), nil
}

// CreateEndpoint is HcnCreateEndpoint on the open network handle network.
func (s *Sim) CreateEndpoint(network hcn.Handle, id hcn.GUID, settings string) (hcn.Handle, error) {
	const kind = hcn.KindEndpoint
	op := hcn.OpName(hcn.VerbCreate, kind)
	if err := s.begin(op); err != nil {
		return 0, toError(op, kind, string(id.ID()), err)
	}
	ne, ok := s.handles.get(network, HandleNetwork)
	if !ok {
		return 0, toError(op, kind, string(id.ID()), fail(hcn.E_HANDLE, ""))
	}
	var made hcn.GUID
	err := s.write(func(st *state) error {
		net, err := st.lookup(hcn.KindNetwork, ne.id)
		if err != nil {
			return err
		}
		o, err := st.createEndpoint(net, id, settings, s.versionWord())
		if err == nil {
			made = o.id
		}
		return err
	})
	if err != nil {
		return 0, toError(op, kind, string(id.ID()), err)
	}
	return s.handles.open(&handleEntry{kind: HandleEndpoint, id: made}), nil
}

// Open is HcnOpen<Kind>.
func (s *Sim) Open(kind hcn.Kind, id hcn.GUID) (hcn.Handle, error) {
	op := hcn.OpName(hcn.VerbOpen, kind)
	if err := checkKind(op, kind, true); err != nil {
		return 0, err
	}
	if err := s.begin(op); err != nil {
		return 0, toError(op, kind, string(id.ID()), err)
	}
	var h hcn.Handle
	err := s.read(func(st *state) error {
		if _, err := st.lookup(kind, id); err != nil {
			return err
		}
		h = s.handles.open(&handleEntry{kind: HandleKind(kind), id: id})
		return nil
	})
	return h, toError(op, kind, string(id.ID()), err)
}

// Modify is HcnModify<Kind>: a modify request, or for load balancers and
// SDN routes the whole document.
func (s *Sim) Modify(kind hcn.Kind, h hcn.Handle, settings string) error {
	op := hcn.OpName(hcn.VerbModify, kind)
	if err := checkKind(op, kind, true); err != nil {
		return err
	}
	if err := s.begin(op); err != nil {
		return toError(op, kind, "", err)
	}
	e, ok := s.handles.get(h, HandleKind(kind))
	if !ok {
		return toError(op, kind, "", fail(hcn.E_HANDLE, ""))
	}
	if kind == hcn.KindLoadBalancer && s.versionWord() < 15<<32|4 {
		return toError(op, kind, e.id.String(), fail(hcn.E_NOTIMPL, "HcnModifyLoadBalancer needs service version 15.4"))
	}
	err := s.write(func(st *state) error { return s.modify(st, kind, e.id, settings) })
	return toError(op, kind, e.id.String(), err)
}

func (s *Sim) modify(st *state, kind hcn.Kind, id hcn.GUID, settings string) error {
	o, err := st.lookup(kind, id)
	if err != nil {
		return err
	}
	o.thaw()
	if err := s.modifyThawed(st, o, settings); err != nil {
		o.discard()
		return err
	}
	o.freeze()
	return nil
}

func (s *Sim) modifyThawed(st *state, o *object, settings string) error {
	kind := o.kind
	switch kind {
	case hcn.KindLoadBalancer:
		return st.modifyLoadBalancer(o, settings, s.versionWord())
	case hcn.KindSDNRoute:
		return st.modifyRoute(o, settings)
	}
	env, err := parseEnvelope(kind, settings)
	if err != nil {
		return err
	}
	switch kind {
	case hcn.KindNetwork:
		return st.modifyNetwork(o, env)
	case hcn.KindEndpoint:
		return st.modifyEndpoint(o, env)
	case hcn.KindNamespace:
		return st.modifyNamespace(o, env)
	}
	return st.modifyGNS(o, env)
}

// Query is HcnQuery<Kind>Properties.
func (s *Sim) Query(kind hcn.Kind, h hcn.Handle, query string) (string, error) {
	op := hcn.OpName(hcn.VerbQuery, kind)
	if err := checkKind(op, kind, true); err != nil {
		return "", err
	}
	if err := s.begin(op); err != nil {
		return "", toError(op, kind, "", err)
	}
	e, ok := s.handles.get(h, HandleKind(kind))
	if !ok {
		return "", toError(op, kind, "", fail(hcn.E_HANDLE, ""))
	}
	q, err := parseQuery(query)
	if err != nil {
		return "", toError(op, kind, e.id.String(), err)
	}
	var out string
	err = s.read(func(st *state) error {
		o, err := st.lookup(kind, e.id)
		if err == nil {
			out = st.properties(o, q)
		}
		return err
	})
	return out, toError(op, kind, e.id.String(), err)
}

// Delete is HcnDelete<Kind>.
func (s *Sim) Delete(kind hcn.Kind, id hcn.GUID) error {
	op := hcn.OpName(hcn.VerbDelete, kind)
	if err := checkKind(op, kind, true); err != nil {
		return err
	}
	if err := s.begin(op); err != nil {
		return toError(op, kind, string(id.ID()), err)
	}
	err := s.write(func(st *state) error {
		o, err := st.lookup(kind, id)
		if err != nil {
			return err
		}
		switch kind {
		case hcn.KindNetwork:
			return st.deleteNetwork(o)
		case hcn.KindEndpoint:
			st.deleteEndpoint(o)
		case hcn.KindNamespace:
			return st.deleteNamespace(o)
		case hcn.KindGuestNetworkService:
			st.remove(o)
			st.emit(hcn.NotificationGuestNetworkServiceDelete, o.id, nil)
		default:
			st.remove(o)
		}
		return nil
	})
	return toError(op, kind, string(id.ID()), err)
}

// Close is HcnClose<Kind>: E_HANDLE when h is not an open handle of kind.
func (s *Sim) Close(kind hcn.Kind, h hcn.Handle) error {
	op := hcn.OpName(hcn.VerbClose, kind)
	if err := checkKind(op, kind, true); err != nil {
		return err
	}
	// A failed close still releases the handle: an RPC context handle is
	// freed on the caller's side whatever the server answers (the stand-in
	// DLL does the same), so an injected close fault leaks nothing.
	faultErr := s.begin(op)
	if _, ok := s.handles.close(h, HandleKind(kind)); !ok && faultErr == nil {
		return toError(op, kind, "", fail(hcn.E_HANDLE, ""))
	}
	if faultErr != nil {
		return toError(op, kind, "", faultErr)
	}
	return nil
}
