package overlay

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/hcnkit/hcn"
)

// ErrSliceExhausted is returned by Attach when every address of the slice
// is in use. It is found before any service call.
var ErrSliceExhausted = errors.New("no free address left in the node's slice")

// ErrAddressInUse is returned by Attach when the static address asked for
// is held by another endpoint.
var ErrAddressInUse = errors.New("address already in use")

// AttachOptions are the per-container choices of Attach. The zero value
// is a container with the next free address, no DNS and no policies.
type AttachOptions struct {
	// IP is the container's static address, inside the slice and neither
	// its network address, gateway nor (IPv4) broadcast address. Zero means
	// the lowest free address, network+2 and up.
	IP netip.Addr
	// DNS is the container's resolver configuration; zero means none.
	DNS DNS
	// OutBoundNAT NATs the container's outbound traffic to the host's
	// address, except towards Exceptions. Only on L2Bridge networks.
	OutBoundNAT *OutBoundNAT
	// SDNRoutes are extra routes programmed in the virtual switch. Only on
	// L2Bridge networks.
	SDNRoutes []SDNRoute
	// InboundACL allows inbound traffic from the given sources only (a
	// Switch ACL, priority 65500). Only on L2Bridge networks.
	InboundACL *InboundACL
}

// DNS is a container's resolver configuration.
type DNS struct {
	// Servers are the DNS servers, in order.
	Servers []netip.Addr
	// Domain is the DNS suffix of the container's interface.
	Domain string
	// Search is the suffix search list, in order.
	Search []string
}

// OutBoundNAT is the opt-in OutBoundNAT policy of an attach.
type OutBoundNAT struct {
	// Exceptions are the destinations reached without NAT (the cluster
	// CIDR, typically).
	Exceptions []netip.Prefix
}

// SDNRoute is one opt-in SDNRoute policy of an attach.
type SDNRoute struct {
	// Destination is the routed prefix.
	Destination netip.Prefix
	// NeedEncap sends the traffic encapsulated.
	NeedEncap bool
}

// InboundACL is the opt-in inbound ACL of an attach.
type InboundACL struct {
	// From are the sources allowed in; empty allows any source.
	From []netip.Prefix
}

// Attachment is a container attached to the node's network: what HCS and
// the container runtime need.
type Attachment struct {
	// ContainerID is the container's id as given to Attach.
	ContainerID string
	// EndpointID is the endpoint's id, lower case.
	EndpointID hcn.ID
	// NamespaceID is the namespace's id as a bare lower-case GUID, the form
	// HCS wants in a container's network configuration.
	NamespaceID hcn.ID
	// NetworkID is the node network's id.
	NetworkID hcn.ID
	// IP is the container's address; Prefix is it with the slice's
	// prefix length.
	IP     netip.Addr
	Prefix netip.Prefix
	// Gateway is the container's default gateway, network+1.
	Gateway netip.Addr
	// MacAddress is the endpoint's MAC address as the service reports it.
	MacAddress string
	// Adopted is true when Attach found the container already attached by
	// an earlier run (its endpoint and namespace on the service) and took
	// it over instead of creating new objects.
	Adopted bool
}

// attachment is an Attachment and the node's hold on it.
type attachment struct {
	Attachment
	ns *hcn.NamespaceHandle // open for the container's lifetime; nil once closed
	// epGone and nsGone record the detach steps already done.
	epGone, nsGone bool
	// keepNS is set when the namespace is not the node's to delete.
	keepNS bool
}

// The retry of an endpoint create refused with
// HCN_E_ADDR_INVALID_OR_RESERVED: at most maxAddrAttempts creates, with
// a backoff from firstBackoff doubling to maxBackoff while the network
// settles.
const (
	maxAddrAttempts = 8
	firstBackoff    = 100 * time.Millisecond
	maxBackoff      = 2 * time.Second
)

// Attach attaches container id to the node's network, ensuring the
// network first when EnsureNetwork has not run:
//
//  1. an endpoint named "<OwnerTag>-<id>" with the static or next free
//     address, the slice's prefix length, a default route via the
//     gateway, the DNS given, and the policies opted in (none by default);
//  2. a Host namespace with a fresh id, whose handle the node keeps open
//     until Detach (closing it early makes container start fail);
//  3. the endpoint added to the namespace.
//
// Options are checked before any call: an address outside the slice or in
// use, an exhausted slice (ErrSliceExhausted) or a policy the network type
// does not take is an error naming the option. Any failure removes what
// the attach created and returns the address. An endpoint create refused
// with HCN_E_ADDR_INVALID_OR_RESERVED right after the node created its
// network (within Config.SettleTime) is retried with backoff under ctx.
//
// When the node's network was deleted behind its back, Attach fails
// (HCN_E_NETWORK_NOT_FOUND) and the next Attach ensures the network again.
//
// A container attached already returns its Attachment. One attached by an
// earlier run (its endpoint on the network, in a namespace) is adopted; a
// half-made one is removed and made again.
func (n *Node) Attach(ctx context.Context, containerID string, opts *AttachOptions) (Attachment, error) {
	var o AttachOptions
	if opts != nil {
		o = *opts
	}
	if err := n.checkAttach(containerID, &o); err != nil {
		return Attachment{}, err
	}
	unlock, err := n.lock(ctx, containerID)
	if err != nil {
		return Attachment{}, err
	}
	defer unlock()
	n.mu.Lock()
	held, pending := n.atts[containerID], n.unfinished[containerID]
	n.mu.Unlock()
	if held != nil {
		if o.IP.IsValid() && o.IP != held.IP {
			return Attachment{}, attachErr(containerID, fmt.Errorf("already attached with %s, not %s", held.IP, o.IP))
		}
		return held.Attachment, nil
	}
	if pending != nil {
		if err := n.finish(ctx, containerID, pending); err != nil {
			return Attachment{}, attachErr(containerID, fmt.Errorf("finishing its earlier detach: %w", err))
		}
	}
	net, err := n.current(ctx)
	if err != nil {
		return Attachment{}, attachErr(containerID, err)
	}
	ip, err := n.claim(o.IP)
	if err != nil {
		return Attachment{}, attachErr(containerID, err)
	}
	a, err := n.attach(ctx, net, containerID, &ip, &o)
	if err != nil {
		n.unclaim(ip)
		if errors.Is(err, hcn.HCN_E_NETWORK_NOT_FOUND) {
			// Deleted behind the node's back: the next Attach (or
			// EnsureNetwork) finds or creates it again.
			n.dropNetwork(net.ID)
		}
		return Attachment{}, attachErr(containerID, err)
	}
	n.mu.Lock()
	n.atts[containerID] = a
	n.byID[a.EndpointID] = containerID
	n.byID[a.NamespaceID] = containerID
	n.mu.Unlock()
	return a.Attachment, nil
}

func attachErr(id string, err error) error {
	return fmt.Errorf("overlay: attach %s: %w", id, err)
}

// attach is Attach's service side; *ip is the claimed address (Attach
// releases it on failure; attach may trade it for another).
func (n *Node) attach(ctx context.Context, net *hcn.Network, id string, ip *netip.Addr, o *AttachOptions) (*attachment, error) {
	name := n.cfg.prefix + id
	old, err := n.findEndpoint(ctx, name, net.ID)
	if err != nil {
		return nil, err
	}
	if old != nil {
		if a, err := n.adopt(ctx, id, old, o); a != nil || err != nil {
			if a != nil {
				n.unclaim(*ip)
				*ip = a.IP
				n.claimHeld(a.IP)
			}
			return a, err
		}
	}
	epID := hcn.NewGUID()
	ep, err := n.createEndpoint(ctx, net, name, epID, ip, o)
	if err != nil {
		return nil, err
	}
	for _, c := range ep.IpConfigurations {
		if c.IpAddress == ip.String() && c.PrefixLength != 0 && int(c.PrefixLength) != n.cfg.Slice.Bits() {
			n.cfg.Logger.Warn("overlay: the service gave the endpoint another prefix length than the slice's",
				"endpoint", ep.ID, "ip", *ip, "slice", n.cfg.Slice, "given", c.PrefixLength)
		}
	}
	undo := context.WithoutCancel(ctx)
	nsID := namespaceFor(epID)
	h, err := n.c.CreateNamespaceHandle(ctx, &hcn.Namespace{ID: nsID.ID(), Type: hcn.NamespaceTypeHost})
	if err != nil {
		n.rollback(undo, epID.ID(), "")
		return nil, err
	}
	if err := h.AddEndpoint(ctx, epID.ID()); err != nil {
		n.closeNS(h)
		n.rollback(undo, epID.ID(), nsID.ID())
		return nil, err
	}
	return &attachment{Attachment: Attachment{
		ContainerID: id,
		EndpointID:  epID.ID(),
		NamespaceID: nsID.ID(),
		NetworkID:   net.ID.Canonical(),
		IP:          *ip,
		Prefix:      netip.PrefixFrom(*ip, n.cfg.Slice.Bits()),
		Gateway:     n.cfg.gateway,
		MacAddress:  ep.MacAddress,
	}, ns: h}, nil
}

// rollback deletes what a failed attach created, logging what it could not.
func (n *Node) rollback(ctx context.Context, ep, ns hcn.ID) {
	if err := n.c.DeleteEndpoint(ctx, ep, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
		n.cfg.Logger.Warn("overlay: rolling back an attach: deleting the endpoint failed", "endpoint", ep, "err", err)
	}
	if ns == "" {
		return
	}
	if err := n.c.DeleteNamespace(ctx, ns, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
		n.cfg.Logger.Warn("overlay: rolling back an attach: deleting the namespace failed", "namespace", ns, "err", err)
	}
}

// closeNS closes a namespace handle, logging a failure other than a
// handle a service restart already invalidated.
func (n *Node) closeNS(h *hcn.NamespaceHandle) {
	if err := h.Close(); err != nil && !errors.Is(err, hcn.ErrInvalidHandle) {
		n.cfg.Logger.Warn("overlay: closing a namespace handle failed", "namespace", h.ID(), "err", err)
	}
}

// findEndpoint returns the endpoint named name on network (any network
// when network is empty), nil when there is none.
func (n *Node) findEndpoint(ctx context.Context, name string, network hcn.ID) (*hcn.Endpoint, error) {
	eps, err := n.c.ListEndpoints(ctx, &hcn.ListOptions{Name: name})
	if err != nil {
		return nil, err
	}
	for _, e := range eps {
		if network == "" || e.HostComputeNetwork.Equal(network) {
			return e, nil
		}
	}
	return nil, nil
}

// adopt takes over an endpoint an earlier run attached: nil, nil when it
// is not a whole attachment (then it is removed, for Attach to start
// afresh) or does not have the address asked for.
func (n *Node) adopt(ctx context.Context, id string, ep *hcn.Endpoint, o *AttachOptions) (*attachment, error) {
	ip, hasIP := ep.PrimaryIP()
	ns := ep.HostComputeNamespace
	whole := hasIP && n.cfg.Slice.Contains(ip) && ns != "" && !ns.Equal(hcn.HostDefaultNamespaceID) &&
		(!o.IP.IsValid() || o.IP == ip)
	if whole {
		h, err := n.c.OpenNamespace(ctx, ns)
		if err == nil {
			g, _ := ns.GUID()
			return &attachment{Attachment: Attachment{
				ContainerID: id,
				EndpointID:  ep.ID.Canonical(),
				NamespaceID: g.ID(),
				NetworkID:   ep.HostComputeNetwork.Canonical(),
				IP:          ip,
				Prefix:      netip.PrefixFrom(ip, n.cfg.Slice.Bits()),
				Gateway:     n.cfg.gateway,
				MacAddress:  ep.MacAddress,
				Adopted:     true,
			}, ns: h}, nil
		}
		if !hcn.IsNotFound(err) {
			return nil, err
		}
	}
	stale := n.fromEndpoint(id, ep)
	if err := n.steps(ctx, stale); err != nil {
		return nil, fmt.Errorf("removing the endpoint %s an earlier run left: %w", ep.ID, err)
	}
	return nil, nil
}

// claim claims addr, or the lowest free address when addr is zero, before
// any call.
func (n *Node) claim(addr netip.Addr) (netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !addr.IsValid() {
		ip, ok := n.alloc.next()
		if !ok {
			return netip.Addr{}, fmt.Errorf("%w: %s has %s addresses for containers, all in use", ErrSliceExhausted, n.cfg.Slice, n.capacity())
		}
		n.claimed[ip] = struct{}{}
		return ip, nil
	}
	if !n.alloc.take(addr) {
		return netip.Addr{}, fmt.Errorf("AttachOptions.IP %s: %w (held by an endpoint on the network)", addr, ErrAddressInUse)
	}
	n.claimed[addr] = struct{}{}
	return addr, nil
}

// claimHeld records an address the service already has as the node's.
func (n *Node) claimHeld(ip netip.Addr) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.alloc.take(ip)
	n.claimed[ip] = struct{}{}
}

// unclaim returns ip to the allocator.
func (n *Node) unclaim(ip netip.Addr) {
	if !ip.IsValid() {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.claimed, ip)
	n.alloc.release(ip)
}

// capacity is the number of container addresses of the slice, saturated.
func (n *Node) capacity() string {
	host := n.cfg.Slice.Addr().BitLen() - n.cfg.Slice.Bits()
	if host > 62 {
		return fmt.Sprintf("2^%d", host)
	}
	c := uint64(1)<<host - 2
	if n.cfg.Slice.Addr().Is4() {
		c--
	}
	return fmt.Sprint(c)
}

// settling reports whether the node created its network less than
// SettleTime ago.
func (n *Node) settling() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return !n.createdAt.IsZero() && n.now().Sub(n.createdAt) < n.cfg.SettleTime
}

// createEndpoint creates the container's endpoint with *ip, retrying on
// HCN_E_ADDR_INVALID_OR_RESERVED: an address another process took is
// traded for the next free one (a static one is ErrAddressInUse), one the
// service refuses while nobody holds it is retried with backoff while the
// network settles and then skipped (a static one fails).
func (n *Node) createEndpoint(ctx context.Context, net *hcn.Network, name string, id hcn.GUID, ip *netip.Addr, o *AttachOptions) (*hcn.Endpoint, error) {
	static := o.IP.IsValid()
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		ep, err := n.c.CreateEndpoint(ctx, n.endpointDoc(net, name, id, *ip, o))
		if err == nil {
			return ep, nil
		}
		if !errors.Is(err, hcn.ErrAddressReserved) || attempt >= maxAddrAttempts {
			return nil, err
		}
		eps, lerr := n.c.ListEndpoints(ctx, &hcn.ListOptions{Network: net.ID})
		if lerr != nil {
			return nil, errors.Join(err, lerr)
		}
		used := endpointAddrs(eps)
		held := false
		for _, a := range used {
			held = held || a == *ip
		}
		n.mu.Lock()
		n.resetLocked(used)
		n.mu.Unlock()
		switch {
		case held && static:
			// Not the node's to give back: the other endpoint holds it.
			taken := *ip
			n.mu.Lock()
			delete(n.claimed, taken)
			n.mu.Unlock()
			*ip = netip.Addr{}
			return nil, fmt.Errorf("%w: %s is held by another endpoint: %w", ErrAddressInUse, taken, err)
		case held:
			// The reset left ip taken: it is the other endpoint's now.
			n.mu.Lock()
			delete(n.claimed, *ip)
			n.mu.Unlock()
			if *ip, err = n.claim(netip.Addr{}); err != nil {
				return nil, err
			}
		case n.settling():
			n.cfg.Logger.Debug("overlay: address refused while the new network settles; retrying", "ip", *ip, "backoff", backoff)
			if err := n.sleep(ctx, backoff); err != nil {
				return nil, err
			}
			backoff = min(2*backoff, maxBackoff)
		case static:
			return nil, err
		default:
			n.mu.Lock()
			n.reserved[*ip] = struct{}{}
			delete(n.claimed, *ip)
			n.mu.Unlock()
			n.cfg.Logger.Warn("overlay: the service refuses an address no endpoint holds; skipping it", "ip", *ip)
			if *ip, err = n.claim(netip.Addr{}); err != nil {
				return nil, err
			}
		}
	}
}

// endpointDoc returns the settings of a container's endpoint.
func (n *Node) endpointDoc(net *hcn.Network, name string, id hcn.GUID, ip netip.Addr, o *AttachOptions) *hcn.Endpoint {
	route, _ := hcn.DefaultRoute(n.cfg.Slice)
	e := &hcn.Endpoint{
		ID:                 id.ID(),
		Name:               name,
		HostComputeNetwork: net.ID,
		// PrefixLength zero is the subnet's, the slice's: EnsureNetwork
		// checked the subnet, and a length given makes the Client read
		// the network first.
		IpConfigurations: []hcn.IPConfig{{IpAddress: ip.String()}},
		Routes:           []hcn.Route{route},
		SchemaVersion:    hcn.V2(),
	}
	for _, s := range o.DNS.Servers {
		e.Dns.ServerList = append(e.Dns.ServerList, s.String())
	}
	e.Dns.Domain, e.Dns.Search = o.DNS.Domain, o.DNS.Search
	if o.OutBoundNAT != nil {
		e.Policies = append(e.Policies, hcn.OutBoundNATPolicy(o.OutBoundNAT.Exceptions...))
	}
	for _, r := range o.SDNRoutes {
		e.Policies = append(e.Policies, hcn.SDNRoutePolicy(r.Destination, netip.Addr{}, r.NeedEncap))
	}
	if o.InboundACL != nil {
		e.Policies = append(e.Policies, hcn.InboundAllowACL(o.InboundACL.From...))
	}
	return e
}

// checkAttach checks Attach's arguments before any call.
func (n *Node) checkAttach(id string, o *AttachOptions) error {
	var errs []error
	bad := func(path, value, reason string) {
		errs = append(errs, &hcn.ValidationError{Path: path, Value: value, Reason: reason})
	}
	if err := checkContainerID(id); err != nil {
		bad("containerID", id, err.Error())
	}
	if o.IP.IsValid() {
		if reason := n.badStatic(o.IP); reason != "" {
			bad("AttachOptions.IP", o.IP.String(), reason)
		}
	}
	for i, s := range o.DNS.Servers {
		if !s.IsValid() || s.IsUnspecified() || s.Zone() != "" {
			bad(fmt.Sprintf("AttachOptions.DNS.Servers[%d]", i), s.String(), "not a usable server address")
		}
	}
	for i, d := range append([]string{o.DNS.Domain}, o.DNS.Search...) {
		path := "AttachOptions.DNS.Domain"
		if i > 0 {
			path = fmt.Sprintf("AttachOptions.DNS.Search[%d]", i-1)
		}
		if (i > 0 && d == "") || strings.ContainsFunc(d, func(r rune) bool { return r <= ' ' || r == ',' || r == 0x7f }) {
			bad(path, d, "not a DNS suffix")
		}
	}
	checkPrefixes := func(path string, ps []netip.Prefix) {
		for i, p := range ps {
			if !p.IsValid() {
				bad(fmt.Sprintf("%s[%d]", path, i), p.String(), "not a valid prefix")
			}
		}
	}
	t := n.cfg.Type
	if o.OutBoundNAT != nil {
		if reason := refused(t, hcn.PolicyTypeOutBoundNAT); reason != "" {
			bad("AttachOptions.OutBoundNAT", "", reason)
		}
		checkPrefixes("AttachOptions.OutBoundNAT.Exceptions", o.OutBoundNAT.Exceptions)
	}
	if len(o.SDNRoutes) > 0 {
		if reason := refused(t, hcn.PolicyTypeSDNRoute); reason != "" {
			bad("AttachOptions.SDNRoutes", "", reason)
		}
		for i, r := range o.SDNRoutes {
			if !r.Destination.IsValid() {
				bad(fmt.Sprintf("AttachOptions.SDNRoutes[%d].Destination", i), r.Destination.String(), "not a valid prefix")
			}
		}
	}
	if o.InboundACL != nil {
		if reason := refused(t, hcn.PolicyTypeACL); reason != "" {
			bad("AttachOptions.InboundACL", "", reason)
		}
		checkPrefixes("AttachOptions.InboundACL.From", o.InboundACL.From)
	}
	return errors.Join(errs...)
}

// badStatic says why ip cannot be a container's static address, or "".
func (n *Node) badStatic(ip netip.Addr) string {
	s := n.cfg.Slice
	switch {
	case ip.Zone() != "" || ip.Is4In6():
		return "use the plain address, without zone or IPv4-mapped form"
	case !s.Contains(ip):
		return "outside the node's slice " + s.String()
	case ip == s.Addr():
		return "the slice's network address"
	case ip == n.cfg.gateway:
		return "the slice's gateway"
	case ip.Is4() && ip == lastAddr(s):
		return "the slice's broadcast address"
	}
	return ""
}

// refused says why an endpoint policy of type p is not used on a network
// of type t, or "" when it is allowed. On Internal and Transparent
// networks the service accepts OutBoundNAT, ACL and SDNRoute at endpoint
// create, but the container then fails to start with E_INVALIDARG, and
// a Transparent network refuses SDNRoute outright; containerd sends no
// policies there. A NAT network NATs by itself and is given none either.
// L2Bridge networks take all three (the Kubernetes bridge plugins use
// them).
func refused(t hcn.NetworkType, p hcn.PolicyType) string {
	switch {
	case t.Is(hcn.NetworkTypeL2Bridge):
		return ""
	case t.Is(hcn.NetworkTypeTransparent) && p.Is(hcn.PolicyTypeSDNRoute):
		return "not supported on a Transparent network (the service refuses SDNRoute there)"
	case t.Is(hcn.NetworkTypeNAT):
		return fmt.Sprintf("not used on a NAT network (the network NATs outbound traffic itself; %s there is not what its containers need); use an L2Bridge network", p)
	default:
		return fmt.Sprintf("not supported on a %s network (the service accepts %s at endpoint create, but the container then fails to start with E_INVALIDARG); use an L2Bridge network", t, p)
	}
}

// namespaceSpace is the name space of the namespace ids the node derives
// from endpoint ids.
var namespaceSpace = hcn.MustParseGUID("3d1b8f0c-6c55-4f5e-9a53-0b7e4f3c1a27")

// namespaceFor returns the id of the namespace of the container whose
// endpoint is ep: a name-based (version 5) GUID of ep. The endpoint is
// fresh for every attach, so the namespace id is too; deriving it lets
// Sweep find a namespace whose attach was cut short before the endpoint
// joined it.
func namespaceFor(ep hcn.GUID) hcn.GUID {
	h := sha1.New()
	s, e := namespaceSpace.Bytes(), ep.Bytes()
	h.Write(s[:])
	h.Write(e[:])
	var b [16]byte
	copy(b[:], h.Sum(nil))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return hcn.GUIDFromBytes(b)
}
