package hcnsim

import (
	"strings"

	"github.com/hcnkit/hcn"
)

// v1AttachIn is an HNS v1 EndpointAttachDetachRequest.
type v1AttachIn struct {
	ContainerId    string
	SystemType     string
	CompartmentId  uint32
	VirtualNicName string
}

// v1Attach is POST /endpoints/<id>/attach. SystemType Host joins the
// namespace of compartment CompartmentId (0 is the default compartment,
// 1); Container records ContainerId in the endpoint's SharedContainers;
// VirtualMachine attaches the endpoint to a switch port (HcnModifyEndpoint
// Port Add).
func (s *Sim) v1Attach(r *v1Request) (any, error) {
	return s.v1AttachDetach(r, true)
}

// v1Detach is POST /endpoints/<id>/detach: the reverse of v1Attach; Host
// leaves whatever namespace the endpoint is in.
func (s *Sim) v1Detach(r *v1Request) (any, error) {
	return s.v1AttachDetach(r, false)
}

func (s *Sim) v1AttachDetach(r *v1Request, attach bool) (any, error) {
	raw, err := parseObject(r.body, "request")
	if err != nil {
		return nil, err
	}
	var in v1AttachIn
	if err := decodeInto(raw, &in, "request"); err != nil {
		return nil, err
	}
	typ, ok := enumValue(in.SystemType, []string{"Container", "VirtualMachine", "Host"})
	if !ok {
		return nil, fail(hcn.E_INVALIDARG, "SystemType %q", in.SystemType)
	}
	return nil, s.write(func(st *state) error {
		o, err := st.v1Lookup(hcn.KindEndpoint, r.id)
		if err != nil {
			return err
		}
		switch typ {
		case "Host":
			return st.v1HostAttach(o, in.CompartmentId, attach)
		case "Container":
			return v1ContainerAttach(o, in.ContainerId, attach)
		}
		req := map[bool]string{true: "Add", false: "Remove"}[attach]
		return s.modify(st, hcn.KindEndpoint, o.id, marshal(obj{"ResourceType": "Port", "RequestType": req,
			"Settings": obj{"VirtualNicName": in.VirtualNicName}}))
	})
}

// v1HostAttach joins or leaves a host compartment.
func (st *state) v1HostAttach(o *object, compartment uint32, attach bool) error {
	if !attach {
		ns := st.get(hcn.KindNamespace, o.ep.namespace)
		if ns == nil {
			return fail(hcn.HCN_E_ENDPOINT_NOT_ATTACHED, "endpoint %s is in no compartment", o.id)
		}
		st.detach(ns, o)
		return nil
	}
	if compartment == 0 {
		compartment = 1
	}
	if ns := st.compartmentNamespace(compartment); ns != nil {
		return st.attach(ns, o)
	}
	return fail(hcn.ERROR_NOT_FOUND, "compartment %d", compartment)
}

// compartmentNamespace is the namespace of a compartment: for the default
// compartment the host's default namespace, else the oldest namespace with
// that NamespaceId.
func (st *state) compartmentNamespace(c uint32) *object {
	if ns := st.get(hcn.KindNamespace, HostDefaultNamespaceID); c == 1 && ns != nil {
		return ns
	}
	var best *object
	for _, ns := range st.objs[hcn.KindNamespace] {
		if ns.ns.compartment == c && (best == nil || ns.seq < best.seq) {
			best = ns
		}
	}
	return best
}

// v1ContainerAttach adds or removes a container of SharedContainers.
func v1ContainerAttach(o *object, container string, attach bool) error {
	if container == "" {
		return fail(hcn.E_INVALIDARG, "ContainerId is required")
	}
	cs := sharedContainers(o.decode())
	idx := -1
	for i, c := range cs {
		if strings.EqualFold(c, container) {
			idx = i
		}
	}
	switch {
	case attach && idx >= 0:
		return fail(hcn.ERROR_ALREADY_EXISTS, "container %s", container)
	case attach:
		cs = append(cs, container)
	case idx < 0:
		return fail(hcn.ERROR_NOT_FOUND, "container %s", container)
	default:
		cs = append(cs[:idx:idx], cs[idx+1:]...)
	}
	setSharedContainers(o, cs)
	return nil
}
