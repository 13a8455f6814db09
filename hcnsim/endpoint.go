package hcnsim

import (
	"net/netip"

	"github.com/hcnkit/hcn"
)

// endpointFlagRemote is EndpointFlags RemoteEndpoint.
const endpointFlagRemote = 1

type endpointIn struct {
	Flags            uint32
	MacAddress       string
	IpConfigurations []struct {
		IpAddress    string
		PrefixLength uint8
	}
}

// buildEndpoint validates an endpoint document on network net, checks the
// host ports of its PortMapping policies (indexed by insert), takes its
// static addresses and, when allocate is set, allocates the missing ones.
// On failure nothing stays taken.
func (st *state) buildEndpoint(o *object, net *object, allocate bool) (err error) {
	var in endpointIn
	if err := decodeInto(o.doc, &in, "settings"); err != nil {
		return err
	}
	if err := checkPolicies(o.doc, endpointPolicyTypes); err != nil {
		return err
	}
	ep := &epInfo{network: net.id, remote: in.Flags&endpointFlagRemote != 0}
	if ep.ports, err = st.endpointPorts(o.doc, o.id, ep.remote); err != nil {
		return err
	}
	o.doc["HostComputeNetwork"] = net.id.String()
	defer func() {
		if err != nil {
			st.releaseEndpoint(ep, net)
		}
	}()
	for _, c := range in.IpConfigurations {
		if err := takeIP(ep, net.net, c.IpAddress, int(c.PrefixLength)); err != nil {
			return err
		}
	}
	if len(in.IpConfigurations) == 0 && allocate && !ep.remote {
		if err := allocIPs(ep, net.net); err != nil {
			return err
		}
	}
	if err := takeMAC(ep, net.net, in.MacAddress, allocate); err != nil {
		return err
	}
	o.doc["IpConfigurations"] = ipConfigDoc(ep)
	if ep.hasMAC {
		o.doc["MacAddress"] = formatMAC(ep.mac)
	}
	o.ep = ep
	return nil
}

// takeIP records one requested address: an empty one is allocated from
// the first subnet; a remote endpoint's is recorded without IPAM.
func takeIP(ep *epInfo, n *netInfo, text string, bits int) error {
	if text == "" {
		if ep.remote {
			return nil
		}
		return allocFrom(ep, n, func(*subnet) bool { return true })
	}
	a, err := netip.ParseAddr(text)
	if err != nil {
		return fail(hcn.HCN_E_INVALID_IP, "IpAddress %q: %v", text, err)
	}
	a = a.Unmap()
	if ep.remote {
		if bits == 0 {
			bits = a.BitLen()
		}
		ep.ips = append(ep.ips, epAddr{addr: a, bits: bits})
		return nil
	}
	for _, sn := range n.subnets {
		if !sn.prefix.Contains(a) {
			continue
		}
		if !sn.take(a) {
			return fail(hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "%s", a)
		}
		sn.refs++
		ep.ips = append(ep.ips, epAddr{addr: a, bits: sn.prefix.Bits(), sub: sn})
		return nil
	}
	return fail(hcn.HCN_E_INVALID_IP, "%s is not in any subnet of the network", a)
}

// allocIPs allocates one address per address family the network's Static
// subnets cover, lowest free first, from the first subnet with room.
func allocIPs(ep *epInfo, n *netInfo) error {
	has4, has6 := false, false
	for _, sn := range n.subnets {
		has4 = has4 || sn.prefix.Addr().Is4()
		has6 = has6 || !sn.prefix.Addr().Is4()
	}
	if has4 {
		if err := allocFrom(ep, n, func(sn *subnet) bool { return sn.prefix.Addr().Is4() }); err != nil {
			return err
		}
	}
	if has6 {
		return allocFrom(ep, n, func(sn *subnet) bool { return !sn.prefix.Addr().Is4() })
	}
	return nil
}

func allocFrom(ep *epInfo, n *netInfo, want func(*subnet) bool) error {
	for _, sn := range n.subnets {
		if !want(sn) {
			continue
		}
		if a, ok := sn.alloc(); ok {
			sn.refs++
			ep.ips = append(ep.ips, epAddr{addr: a, bits: sn.prefix.Bits(), sub: sn})
			return nil
		}
	}
	if len(n.subnets) == 0 {
		return fail(hcn.HCN_E_SUBNET_NOT_FOUND, "the network has no Static subnet")
	}
	return fail(hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "no free address in the network's subnets")
}

// takeMAC records the requested MAC or allocates one from the pool.
func takeMAC(ep *epInfo, n *netInfo, text string, allocate bool) error {
	if text != "" {
		v, ok := parseMAC(text)
		if !ok {
			return fail(hcn.E_INVALIDARG, "MacAddress %q", text)
		}
		if !ep.remote && !n.macs.take(v) {
			return fail(hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "MacAddress %s is in use", formatMAC(v))
		}
		ep.mac, ep.hasMAC = v, true
		return nil
	}
	if !allocate || ep.remote {
		return nil
	}
	v, ok := n.macs.alloc()
	if !ok {
		return fail(hcn.HCN_E_ADDR_INVALID_OR_RESERVED, "the network's MAC pool is exhausted")
	}
	ep.mac, ep.hasMAC = v, true
	return nil
}

// releaseEndpoint gives back an endpoint's addresses and MAC.
func (st *state) releaseEndpoint(ep *epInfo, net *object) {
	for _, a := range ep.ips {
		if a.sub != nil {
			a.sub.release(a.addr)
			a.sub.refs--
		}
	}
	ep.ips = nil
	if ep.hasMAC && !ep.remote && net != nil {
		net.net.macs.release(ep.mac)
	}
	ep.hasMAC = false
}

func ipConfigDoc(ep *epInfo) []any {
	out := make([]any, 0, len(ep.ips))
	for _, a := range ep.ips {
		out = append(out, obj{"IpAddress": a.addr.String(), "PrefixLength": num(uint64(a.bits))})
	}
	return out
}

// deleteEndpoint is HcnDeleteEndpoint: detaches it from its namespace and
// releases its addresses and host ports. Load balancers and routes keep
// their references.
func (st *state) deleteEndpoint(o *object) {
	if !o.ep.namespace.IsZero() {
		if ns := st.get(hcn.KindNamespace, o.ep.namespace); ns != nil {
			st.detach(ns, o)
		}
	}
	st.releaseEndpoint(o.ep, st.get(hcn.KindNetwork, o.ep.network))
	st.remove(o)
}

// modifyEndpointPolicies applies a Policy request to a thawed endpoint and
// moves its host ports to what its PortMapping policies now say: a request
// whose result collides fails (the caller discards the document).
func (st *state) modifyEndpointPolicies(o *object, env *envelope) error {
	if err := modifyPolicies(o.doc, env, endpointPolicyTypes); err != nil {
		return err
	}
	return st.updateEndpointPorts(o, o.doc)
}

// updateEndpointPorts makes endpoint o hold exactly the host ports of the
// PortMapping policies in doc, its next document (call it before storing
// new Policies, whichever API changes them). On a collision it fails and
// changes nothing.
func (st *state) updateEndpointPorts(o *object, doc obj) error {
	keys, err := st.endpointPorts(doc, o.id, o.ep.remote)
	if err != nil {
		return err
	}
	st.releasePorts(o.id, o.ep.ports)
	o.ep.ports = keys
	st.takePorts(o.id, keys)
	return nil
}
