//go:build windows

package hcn

import (
	"fmt"

	cn "github.com/hcnkit/hcn/internal/computenetwork"
)

// hostFamily is the seven-call family of one object kind.
type hostFamily struct {
	enumerate func(query *uint16, ids **uint16, record **uint16) error
	create    func(id *cn.GUID, settings *uint16, h *cn.Handle, record **uint16) error // nil for endpoints
	open      func(id *cn.GUID, h *cn.Handle, record **uint16) error
	modify    func(h cn.Handle, settings *uint16, record **uint16) error
	query     func(h cn.Handle, query *uint16, props **uint16, record **uint16) error
	delete    func(id *cn.GUID, record **uint16) error
	close     func(h cn.Handle) error
}

var hostFamilies = [...]hostFamily{
	KindNetwork: {cn.HcnEnumerateNetworks, cn.HcnCreateNetwork, cn.HcnOpenNetwork, cn.HcnModifyNetwork,
		cn.HcnQueryNetworkProperties, cn.HcnDeleteNetwork, cn.HcnCloseNetwork},
	KindEndpoint: {cn.HcnEnumerateEndpoints, nil, cn.HcnOpenEndpoint, cn.HcnModifyEndpoint,
		cn.HcnQueryEndpointProperties, cn.HcnDeleteEndpoint, cn.HcnCloseEndpoint},
	KindNamespace: {cn.HcnEnumerateNamespaces, cn.HcnCreateNamespace, cn.HcnOpenNamespace, cn.HcnModifyNamespace,
		cn.HcnQueryNamespaceProperties, cn.HcnDeleteNamespace, cn.HcnCloseNamespace},
	KindLoadBalancer: {cn.HcnEnumerateLoadBalancers, cn.HcnCreateLoadBalancer, cn.HcnOpenLoadBalancer, cn.HcnModifyLoadBalancer,
		cn.HcnQueryLoadBalancerProperties, cn.HcnDeleteLoadBalancer, cn.HcnCloseLoadBalancer},
	KindSDNRoute: {cn.HcnEnumerateSdnRoutes, cn.HcnCreateSdnRoute, cn.HcnOpenSdnRoute, cn.HcnModifySdnRoute,
		cn.HcnQuerySdnRouteProperties, cn.HcnDeleteSdnRoute, cn.HcnCloseSdnRoute},
	KindGuestNetworkService: {cn.HcnEnumerateGuestNetworkServices, cn.HcnCreateGuestNetworkService,
		cn.HcnOpenGuestNetworkService, cn.HcnModifyGuestNetworkService, cn.HcnQueryGuestNetworkServiceProperties,
		cn.HcnDeleteGuestNetworkService, cn.HcnCloseGuestNetworkService},
}

// hostFamilyOf returns kind's family, or ErrInvalid for an unknown kind.
func hostFamilyOf(op string, kind Kind) (*hostFamily, error) {
	if !kind.Valid() {
		return nil, &Error{Op: op, Kind: kind, Err: fmt.Errorf("%w: unknown object kind", ErrInvalid)}
	}
	return &hostFamilies[kind], nil
}

// Enumerate is HcnEnumerate<Kind>s.
func (s *hostService) Enumerate(kind Kind, query string) (string, error) {
	op := OpName(VerbEnumerate, kind)
	f, err := hostFamilyOf(op, kind)
	if err != nil {
		return "", err
	}
	q, err := hostUTF16(op, kind, "", "query", query)
	if err != nil {
		return "", err
	}
	var out hostOut
	r := f.enumerate(q, &out.result, &out.record)
	ids, rec := out.take()
	if err := s.hostResult(op, kind, "", r, rec); err != nil {
		return "", err
	}
	return ids, nil
}

// Create is HcnCreate<Kind> (not endpoints: see CreateEndpoint).
func (s *hostService) Create(kind Kind, id GUID, settings string) (Handle, error) {
	op := OpName(VerbCreate, kind)
	f, err := hostFamilyOf(op, kind)
	if err != nil {
		return 0, err
	}
	if f.create == nil {
		return 0, &Error{Op: op, Kind: kind, ID: string(id.ID()), Err: fmt.Errorf("%w: endpoints are created with CreateEndpoint", ErrInvalid)}
	}
	p, err := hostUTF16(op, kind, string(id.ID()), "settings", settings)
	if err != nil {
		return 0, err
	}
	g := cn.GUID(id)
	var raw cn.Handle
	var out hostOut
	r := f.create(&g, p, &raw, &out.record)
	_, rec := out.take()
	return s.hostAdopt(op, kind, hostKind(kind), string(id.ID()), raw, 0, s.hostResult(op, kind, string(id.ID()), r, rec))
}

// CreateEndpoint is HcnCreateEndpoint on an open network.
func (s *hostService) CreateEndpoint(network Handle, id GUID, settings string) (Handle, error) {
	op := OpName(VerbCreate, KindEndpoint)
	p, err := hostUTF16(op, KindEndpoint, string(id.ID()), "settings", settings)
	if err != nil {
		return 0, err
	}
	e, ok := s.handles.use(hostKind(KindNetwork), network)
	if !ok {
		return 0, hostBadHandle(op, KindNetwork)
	}
	defer e.done()
	g := cn.GUID(id)
	var raw cn.Handle
	var out hostOut
	r := cn.HcnCreateEndpoint(e.raw, &g, p, &raw, &out.record)
	_, rec := out.take()
	return s.hostAdopt(op, KindEndpoint, hostKind(KindEndpoint), string(id.ID()), raw, 0, s.hostResult(op, KindEndpoint, string(id.ID()), r, rec))
}

// hostAdopt turns the DLL handle of a successful call into a service
// handle. A success without a handle is E_POINTER.
func (s *hostService) hostAdopt(op string, kind Kind, hk hostKind, id string, raw cn.Handle, aux uintptr, err error) (Handle, error) {
	if err != nil {
		return 0, err
	}
	if raw == 0 {
		return 0, &Error{Op: op, Kind: kind, ID: id, Err: fmt.Errorf("service returned no handle: %w", E_POINTER)}
	}
	return s.handles.add(hk, raw, aux), nil
}

// Open is HcnOpen<Kind>.
func (s *hostService) Open(kind Kind, id GUID) (Handle, error) {
	op := OpName(VerbOpen, kind)
	f, err := hostFamilyOf(op, kind)
	if err != nil {
		return 0, err
	}
	g := cn.GUID(id)
	var raw cn.Handle
	var out hostOut
	r := f.open(&g, &raw, &out.record)
	_, rec := out.take()
	return s.hostAdopt(op, kind, hostKind(kind), string(id.ID()), raw, 0, s.hostResult(op, kind, string(id.ID()), r, rec))
}

// Modify is HcnModify<Kind>.
func (s *hostService) Modify(kind Kind, h Handle, settings string) error {
	op := OpName(VerbModify, kind)
	f, err := hostFamilyOf(op, kind)
	if err != nil {
		return err
	}
	p, err := hostUTF16(op, kind, "", "settings", settings)
	if err != nil {
		return err
	}
	e, ok := s.handles.use(hostKind(kind), h)
	if !ok {
		return hostBadHandle(op, kind)
	}
	defer e.done()
	var out hostOut
	r := f.modify(e.raw, p, &out.record)
	_, rec := out.take()
	return s.hostResult(op, kind, "", r, rec)
}

// Query is HcnQuery<Kind>Properties.
func (s *hostService) Query(kind Kind, h Handle, query string) (string, error) {
	op := OpName(VerbQuery, kind)
	f, err := hostFamilyOf(op, kind)
	if err != nil {
		return "", err
	}
	return s.hostQuery(op, kind, hostKind(kind), h, query, f.query)
}

// hostQuery runs a query-shaped call (handle, query) → (result, record).
func (s *hostService) hostQuery(op string, kind Kind, hk hostKind, h Handle, query string,
	fn func(cn.Handle, *uint16, **uint16, **uint16) error) (string, error) {
	q, err := hostUTF16(op, kind, "", "query", query)
	if err != nil {
		return "", err
	}
	e, ok := s.handles.use(hk, h)
	if !ok {
		return "", hostBadHandle(op, kind)
	}
	defer e.done()
	var out hostOut
	r := fn(e.raw, q, &out.result, &out.record)
	res, rec := out.take()
	if err := s.hostResult(op, kind, "", r, rec); err != nil {
		return "", err
	}
	return res, nil
}

// Delete is HcnDelete<Kind>.
func (s *hostService) Delete(kind Kind, id GUID) error {
	op := OpName(VerbDelete, kind)
	f, err := hostFamilyOf(op, kind)
	if err != nil {
		return err
	}
	g := cn.GUID(id)
	var out hostOut
	r := f.delete(&g, &out.record)
	_, rec := out.take()
	return s.hostResult(op, kind, string(id.ID()), r, rec)
}

// Close is HcnClose<Kind>. The DLL handle is closed exactly once, after
// the calls using it from other goroutines have returned; closing it again
// has no effect and reports E_HANDLE, as the service does. The handle is
// gone even when the DLL reports a failure (like an RPC context handle).
func (s *hostService) Close(kind Kind, h Handle) error {
	op := OpName(VerbClose, kind)
	f, err := hostFamilyOf(op, kind)
	if err != nil {
		return err
	}
	e, ok := s.handles.remove(hostKind(kind), h)
	if !ok {
		return hostBadHandle(op, kind)
	}
	return s.hostResult(op, kind, "", f.close(e.raw), "")
}

// QueryEndpointStats is HcnQueryEndpointStats.
func (s *hostService) QueryEndpointStats(endpoint Handle, query string) (string, error) {
	return s.hostQuery(OpQueryEndpointStats, KindEndpoint, hostKind(KindEndpoint), endpoint, query, cn.HcnQueryEndpointStats)
}

// QueryEndpointAddresses is HcnQueryEndpointAddresses.
func (s *hostService) QueryEndpointAddresses(endpoint Handle, query string) (string, error) {
	return s.hostQuery(OpQueryEndpointAddresses, KindEndpoint, hostKind(KindEndpoint), endpoint, query, cn.HcnQueryEndpointAddresses)
}
