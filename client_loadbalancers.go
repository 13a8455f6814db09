package hcn

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
)

// LoadBalancerSpec describes a load balancer in typed terms; Document
// builds the HCN document from it.
type LoadBalancerSpec struct {
	// Network is the load balancer's network (HostComputeNetwork, schema
	// 2.5). Empty leaves it out.
	Network ID
	// Endpoints are the backend endpoints (HostComputeEndpoints).
	Endpoints []ID
	// SourceVIP is the source VIP (SourceVIP); invalid leaves it out.
	SourceVIP netip.Addr
	// FrontendVIPs are the frontend VIPs; none means the host's addresses.
	FrontendVIPs []netip.Addr
	// Ports are the port mappings.
	Ports []LoadBalancerPort
	// DSR enables direct server return (LoadBalancerFlagEnableDirectServerReturn;
	// feature DSR).
	DSR bool
	// IPv6 sets LoadBalancerFlagIPv6 (feature IPv6DualStack). Document sets
	// it by itself when a VIP is an IPv6 address.
	IPv6 bool
}

// LoadBalancerPort is one port mapping of a LoadBalancerSpec.
type LoadBalancerPort struct {
	// Protocol is ProtocolTCP or ProtocolUDP (or another IP protocol).
	Protocol Protocol
	// InternalPort is the backend port; it must not be zero for TCP/UDP.
	InternalPort uint16
	// ExternalPort is the frontend port; zero means InternalPort.
	ExternalPort uint16
	// ILB makes an internal load balancer (PortMappingFlagEnableInternalLoadBalancer).
	ILB bool
	// LocalRoutedVIP sets PortMappingFlagLocalRoutedVIP.
	LocalRoutedVIP bool
	// PreserveDIP sets PortMappingFlagEnablePreserveDIP.
	PreserveDIP bool
	// SessionAffinity distributes by source IP (DistributionSourceIP;
	// feature SessionAffinity).
	SessionAffinity bool
}

// Document returns the HCN load balancer document for s.
func (s *LoadBalancerSpec) Document() *LoadBalancer {
	lb := &LoadBalancer{}
	lb.HostComputeNetwork = s.Network
	lb.HostComputeEndpoints = slices.Clone(s.Endpoints)
	ipv6 := s.IPv6
	if s.SourceVIP.IsValid() {
		lb.SourceVIP = s.SourceVIP.String()
		ipv6 = ipv6 || s.SourceVIP.Is6() && !s.SourceVIP.Is4In6()
	}
	for _, v := range s.FrontendVIPs {
		lb.FrontendVIPs = append(lb.FrontendVIPs, v.String())
		ipv6 = ipv6 || v.Is6() && !v.Is4In6()
	}
	for _, p := range s.Ports {
		lb.PortMappings = append(lb.PortMappings, p.mapping())
	}
	if s.DSR {
		lb.Flags |= LoadBalancerFlagEnableDirectServerReturn
	}
	if ipv6 {
		lb.Flags |= LoadBalancerFlagIPv6
	}
	return lb
}

func (p LoadBalancerPort) mapping() PortMapping {
	m := PortMapping{Protocol: p.Protocol, InternalPort: p.InternalPort, ExternalPort: p.ExternalPort}
	if m.ExternalPort == 0 {
		m.ExternalPort = m.InternalPort
	}
	for _, f := range []struct {
		on   bool
		flag PortMappingFlags
	}{{p.ILB, PortMappingFlagEnableInternalLoadBalancer}, {p.LocalRoutedVIP, PortMappingFlagLocalRoutedVIP}, {p.PreserveDIP, PortMappingFlagEnablePreserveDIP}} {
		if f.on {
			m.Flags |= f.flag
		}
	}
	if p.SessionAffinity {
		m.DistributionType = DistributionSourceIP
	}
	return m
}

// CreateLoadBalancer is HcnCreateLoadBalancer followed by
// HcnQueryLoadBalancerProperties: it validates lb, refuses features the
// service lacks (DSR; IPv6 for the IPv6 flag or any IPv6 VIP; session
// affinity) with ErrNotSupported before any call, and
// returns the load balancer as the service reports it. A frontend (VIP,
// protocol, external port) already taken fails with ErrPortInUse.
func (c *Client) CreateLoadBalancer(ctx context.Context, lb *LoadBalancer) (*LoadBalancer, error) {
	id, settings, err := c.prepareLoadBalancer(ctx, lb)
	if err != nil {
		return nil, err
	}
	return createDoc[LoadBalancer](ctx, c, KindLoadBalancer, id, settings)
}

// CreateLoadBalancerHandle is CreateLoadBalancer returning the owned
// handle instead of the document.
func (c *Client) CreateLoadBalancerHandle(ctx context.Context, lb *LoadBalancer) (*LoadBalancerHandle, error) {
	id, settings, err := c.prepareLoadBalancer(ctx, lb)
	if err != nil {
		return nil, err
	}
	h, id, err := c.createRaw(ctx, KindLoadBalancer, id, settings)
	if err != nil {
		return nil, err
	}
	return &LoadBalancerHandle{core: c.adopt(KindLoadBalancer, id, h)}, nil
}

// OpenLoadBalancer is HcnOpenLoadBalancer: an owned handle to an existing
// load balancer.
func (c *Client) OpenLoadBalancer(ctx context.Context, id ID) (*LoadBalancerHandle, error) {
	g, h, err := c.openArg(ctx, KindLoadBalancer, id)
	if err != nil {
		return nil, err
	}
	return &LoadBalancerHandle{core: c.adopt(KindLoadBalancer, g, h)}, nil
}

// prepareLoadBalancer checks lb and encodes it for HcnCreateLoadBalancer.
func (c *Client) prepareLoadBalancer(ctx context.Context, lb *LoadBalancer) (GUID, string, error) {
	const op = OpCreateLoadBalancer
	if lb == nil {
		return NilGUID, "", invalidf(op, KindLoadBalancer, "load balancer", "must not be nil")
	}
	id, settings, err := prepareCreate(op, lb, lb.ID)
	if err != nil {
		return NilGUID, "", err
	}
	if err := c.requireDocument(ctx, op, lb); err != nil {
		return NilGUID, "", err
	}
	return id, settings, nil
}

// GetLoadBalancer is HcnOpenLoadBalancer + HcnQueryLoadBalancerProperties
// + HcnCloseLoadBalancer.
func (c *Client) GetLoadBalancer(ctx context.Context, id ID) (*LoadBalancer, error) {
	return getArg[LoadBalancer](ctx, c, KindLoadBalancer, id)
}

// ListLoadBalancers is HcnEnumerateLoadBalancers followed by open, query
// and close of each (1+3N calls), skipping those deleted meanwhile, in
// enumeration order. opts filters by Network, IP (a frontend VIP or the
// source VIP) and Endpoint (a backend).
func (c *Client) ListLoadBalancers(ctx context.Context, opts *ListOptions) ([]*LoadBalancer, error) {
	if err := opts.check("ListLoadBalancers", KindLoadBalancer); err != nil {
		return nil, err
	}
	return listDocs(ctx, c, KindLoadBalancer, defaultQuery, opts.propertiesQuery(), decodeFor[LoadBalancer](KindLoadBalancer),
		func(l *LoadBalancer) bool {
			return opts == nil || (opts.Network == "" || l.HostComputeNetwork.Equal(opts.Network)) &&
				(!opts.IP.IsValid() || keepIP(append(slices.Clip(l.FrontendVIPs), l.SourceVIP), opts.IP)) &&
				opts.keepMember(l.HostComputeEndpoints)
		})
}

// DeleteLoadBalancer is HcnDeleteLoadBalancer.
func (c *Client) DeleteLoadBalancer(ctx context.Context, id ID, opts *DeleteOptions) error {
	return c.Delete(ctx, KindLoadBalancer, id, opts)
}

// lbReplacer is the whole-document update of load balancers.
var lbReplacer = wholeDoc[LoadBalancer, *LoadBalancer]{
	kind:    KindLoadBalancer,
	feature: FeatureModifyLoadBalancer,
	withID: func(lb *LoadBalancer, id GUID) *LoadBalancer {
		cp := *lb
		// The owner tag is the caller's and stays; the rest is the
		// service's to fill.
		cp.ID, cp.BaseFields = "", BaseFields{Owner: lb.Owner}
		if !id.IsZero() {
			cp.ID = id.ID()
		}
		return &cp
	},
	idOf:     func(lb *LoadBalancer) ID { return lb.ID },
	collides: lbCollides,
	members:  func(lb *LoadBalancer) *[]ID { return &lb.HostComputeEndpoints },
	check: func(ctx context.Context, c *Client, op string, id GUID, lb *LoadBalancer) error {
		if err := lb.Validate(); err != nil {
			return opError(op, KindLoadBalancer, id.String(), err)
		}
		return c.requireDocument(ctx, op, lb)
	},
}

// frontendKeys are the (VIP, protocol, external port) triples a load
// balancer claims; no frontend VIP claims the host ("").
func frontendKeys(lb *LoadBalancer) map[[3]string]bool {
	vips := lb.FrontendVIPs
	if len(vips) == 0 {
		vips = []string{""}
	}
	keys := map[[3]string]bool{}
	for _, v := range vips {
		if a, err := netip.ParseAddr(v); err == nil {
			v = a.String()
		}
		for _, m := range lb.PortMappings {
			ext := m.ExternalPort
			if ext == 0 {
				ext = m.InternalPort
			}
			keys[[3]string{v, strconv.FormatUint(uint64(m.Protocol), 10), strconv.FormatUint(uint64(ext), 10)}] = true
		}
	}
	return keys
}

// lbCollides reports whether two load balancers claim a common frontend
// (HCN_E_PORT_ALREADY_EXISTS if both existed).
func lbCollides(a, b *LoadBalancer) bool {
	ka := frontendKeys(a)
	for k := range frontendKeys(b) {
		if ka[k] {
			return true
		}
	}
	return false
}

// UpdateLoadBalancer changes load balancer id to lb and returns the
// result as the service reports it. Exactly what happens:
//
//   - When the service supports HcnModifyLoadBalancer (feature
//     ModifyLoadBalancer, HNS 15.5 and later, or a version it cannot
//     learn), the whole document is sent with HcnModifyLoadBalancer: the id
//     stays and traffic is never unserved. If the service answers
//     E_NOTIMPL (ErrNotSupported), the Client falls back as below.
//   - Otherwise the load balancer is replaced. If lb claims no frontend
//     (VIP, protocol, external port) that the old one claims, the new one is
//     created first under a new id and the old one deleted after: no gap,
//     and the returned document carries the new id. If they collide (the
//     usual case: same VIP and port, new backends), the service cannot hold
//     both, so the old one is deleted and the new one created under the
//     same id: for the time between those two calls the VIP is unserved.
//     If the create fails, the old document is created again under its id
//     and the create's error returned.
//
// Feature checks (DSR, IPv6, session affinity) run first. Updates and
// edits of one load balancer from Clients over the same Service value run
// one at a time (see AddLoadBalancerEndpoints).
func (c *Client) UpdateLoadBalancer(ctx context.Context, arg ID, lb *LoadBalancer) (*LoadBalancer, error) {
	const op = "UpdateLoadBalancer"
	id, err := argID(op, KindLoadBalancer, "id", arg)
	if err != nil {
		return nil, err
	}
	if lb == nil {
		return nil, invalidf(op, KindLoadBalancer, "load balancer", "must not be nil")
	}
	if err := lbReplacer.check(ctx, c, op, id, lb); err != nil {
		return nil, err
	}
	return lbReplacer.updateLocked(ctx, c, id, lb)
}

// AddLoadBalancerEndpoints adds backend endpoints to a load balancer:
// HcnOpenLoadBalancer, HcnQueryLoadBalancerProperties,
// HcnEnumerateEndpoints, HcnModifyLoadBalancer with the whole document,
// HcnQueryLoadBalancerProperties and HcnCloseLoadBalancer (on hosts
// without HcnModifyLoadBalancer the load balancer is replaced as
// UpdateLoadBalancer describes, so the id may change; the result carries
// it). Endpoints already there are skipped; adding none changes nothing.
// An endpoint to add that does not exist is ErrNotFound naming it, before
// any write. Backends the service no longer has (deleted elsewhere) are
// dropped from the document and logged at Warn.
//
// Concurrent edits are safe: edits of one load balancer through Clients
// over the same Service value run one at a time, and an edit whose
// read-back lacks it (another process overwrote it) is made again, up to
// five times, then ErrConflict. Concurrent edits in the package
// documentation states exactly what is and is not guaranteed against
// writers in other processes.
func (c *Client) AddLoadBalancerEndpoints(ctx context.Context, id ID, endpoints ...ID) (*LoadBalancer, error) {
	return lbReplacer.editArgs(ctx, c, id, "AddLoadBalancerEndpoints", true, endpoints)
}

// RemoveLoadBalancerEndpoints removes backend endpoints from a load
// balancer, with the calls, pruning and concurrency rules of
// AddLoadBalancerEndpoints. Removing an endpoint that is not a backend is
// a no-op; it never removes another.
func (c *Client) RemoveLoadBalancerEndpoints(ctx context.Context, id ID, endpoints ...ID) (*LoadBalancer, error) {
	return lbReplacer.editArgs(ctx, c, id, "RemoveLoadBalancerEndpoints", false, endpoints)
}

// addIDs appends the ids not yet in cur.
func addIDs(cur []ID, ids []GUID) ([]ID, bool) {
	out := slices.Clone(cur)
	for _, id := range ids {
		if !hasID(out, id) {
			out = append(out, id.ID())
		}
	}
	return out, len(out) != len(cur)
}

// removeIDs drops every entry naming one of ids; absent ids change
// nothing.
func removeIDs(cur []ID, ids []GUID) ([]ID, bool) {
	out := make([]ID, 0, len(cur))
	for _, s := range cur {
		drop := false
		for _, id := range ids {
			drop = drop || sameID(s, id)
		}
		if !drop {
			out = append(out, s)
		}
	}
	return out, len(out) != len(cur)
}

// Query is HcnQueryLoadBalancerProperties on the handle, decoded.
func (l *LoadBalancerHandle) Query(ctx context.Context) (*LoadBalancer, error) {
	return queryDoc[LoadBalancer](ctx, &l.core)
}

// Modify is HcnModifyLoadBalancer on the handle with the whole document.
// It is refused with ErrNotSupported (naming ModifyLoadBalancer) on
// services without it (before 15.5; see FeatureModifyLoadBalancer); use
// Client.UpdateLoadBalancer to fall back to a replacement there. It waits for edits of the same load balancer in
// this process (see AddLoadBalancerEndpoints) and they for it.
func (l *LoadBalancerHandle) Modify(ctx context.Context, lb *LoadBalancer) error {
	const op = OpModifyLoadBalancer
	c := l.core.c
	if lb == nil {
		return invalidf(op, KindLoadBalancer, "load balancer", "must not be nil")
	}
	if err := lb.Validate(); err != nil {
		return opError(op, KindLoadBalancer, l.core.id.String(), err)
	}
	if err := c.require(ctx, op, FeatureModifyLoadBalancer); err != nil {
		return err
	}
	if err := c.requireDocument(ctx, op, lb); err != nil {
		return err
	}
	b, err := MarshalForCreate(lbReplacer.withID(lb, l.core.id))
	if err != nil {
		return opError(op, KindLoadBalancer, l.core.id.String(), err)
	}
	ctx, unlock, err := c.lockEdit(ctx, KindLoadBalancer, l.core.id)
	if err != nil {
		return err
	}
	defer unlock()
	return l.core.modifyJSON(ctx, string(b))
}
