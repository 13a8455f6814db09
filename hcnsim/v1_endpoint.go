package hcnsim

import (
	"encoding/json"
	"net/netip"

	"github.com/hcnkit/hcn"
)

// v1EndpointIn is an HNS v1 endpoint (HNSEndpoint) as sent.
type v1EndpointIn struct {
	ID                 string
	Name               string
	VirtualNetwork     string
	VirtualNetworkName string
	Policies           []json.RawMessage
	MacAddress         string
	IPAddress          string
	IPv6Address        string
	DNSSuffix          string
	DNSServerList      string
	DisableICC         bool
	IsRemoteEndpoint   bool
	EnableLowMetric    bool
}

// v1 endpoint states (HNS v1 EndpointState).
const (
	v1Created         = 1
	v1Attached        = 2
	v1AttachedSharing = 3
)

// endpointToV2 translates a v1 endpoint into a v2 HostComputeEndpoint:
// IPAddress and IPv6Address become IpConfigurations (their prefix length
// is the subnet's, as for any v2 endpoint), IsRemoteEndpoint, DisableICC
// and EnableLowMetric the Flags 1, 2 and 8.
func endpointToV2(in *v1EndpointIn) (obj, error) {
	pols, err := policiesToV2(in.Policies, "Policies")
	if err != nil {
		return nil, err
	}
	var ips []any
	for _, a := range []string{in.IPAddress, in.IPv6Address} {
		if a != "" {
			ips = append(ips, obj{"IpAddress": a})
		}
	}
	var flags uint64
	for bit, on := range map[uint64]bool{1: in.IsRemoteEndpoint, 2: in.DisableICC, 8: in.EnableLowMetric} {
		if on {
			flags |= bit
		}
	}
	doc := obj{"SchemaVersion": v2Schema(), "ID": in.ID, "Name": in.Name, "Policies": pols,
		"MacAddress": in.MacAddress, "IpConfigurations": ips, "Flags": num(flags),
		"Dns": v1DNS(in.DNSSuffix, in.DNSServerList)}
	stripZero(doc)
	return doc, nil
}

// v1EndpointNetwork finds the network of a v1 endpoint: VirtualNetwork
// (an id), else VirtualNetworkName.
func (st *state) v1EndpointNetwork(in *v1EndpointIn) (*object, error) {
	if in.VirtualNetwork != "" {
		g, err := hcn.ParseGUID(in.VirtualNetwork)
		if err != nil {
			return nil, fail(hcn.HCN_E_GUID_CONVERSION_FAILURE, "VirtualNetwork %q", in.VirtualNetwork)
		}
		return st.lookup(hcn.KindNetwork, g)
	}
	if in.VirtualNetworkName != "" {
		for _, n := range st.byName(hcn.KindNetwork, in.VirtualNetworkName) {
			return n, nil
		}
		return nil, fail(hcn.HCN_E_NETWORK_NOT_FOUND, "VirtualNetworkName %q", in.VirtualNetworkName)
	}
	return nil, fail(hcn.HCN_E_INVALID_ENDPOINT, "VirtualNetwork or VirtualNetworkName is required")
}

// v1EndpointView renders endpoint o as HNS v1 shows it.
func (st *state) v1EndpointView(o *object) obj {
	doc := o.decode()
	out := obj{"ID": v1ID(o.id), "VirtualNetwork": v1ID(o.ep.network), "State": num(v1EndpointState(o, doc)),
		"Version": doc["Version"], "Policies": policiesToV1(doc)}
	for _, k := range []string{"Name", "MacAddress"} {
		if v := str(doc, k); v != "" {
			out[k] = v
		}
	}
	net := st.get(hcn.KindNetwork, o.ep.network)
	if net != nil && net.name != "" {
		out["VirtualNetworkName"] = net.name
	}
	st.v1Addresses(o, net, out)
	flags, _ := uintValue(doc["Flags"], 1<<32-1)
	for bit, key := range map[uint64]string{1: "IsRemoteEndpoint", 2: "DisableICC", 8: "EnableLowMetric"} {
		if flags&bit != 0 {
			out[key] = true
		}
	}
	v1DNSOut(doc, out)
	if ns := st.get(hcn.KindNamespace, o.ep.namespace); ns != nil {
		out["Namespace"] = st.v1NamespaceRef(ns)
	}
	if cs := sharedContainers(doc); len(cs) > 0 {
		out["SharedContainers"] = cs
	}
	return out
}

// v1Addresses adds IPAddress/PrefixLength/GatewayAddress (the first IPv4
// address) and their IPv6 counterparts.
func (st *state) v1Addresses(o *object, net *object, out obj) {
	var subnets []obj
	if net != nil {
		subnets = v1StaticSubnets(net.decode())
	}
	keys := map[bool][3]string{true: {"IPAddress", "PrefixLength", "GatewayAddress"},
		false: {"IPv6Address", "IPv6PrefixLength", "GatewayAddressV6"}}
	for _, a := range o.ep.ips {
		k := keys[a.addr.Is4()]
		if _, done := out[k[0]]; done {
			continue
		}
		out[k[0]], out[k[1]] = a.addr.String(), num(uint64(a.bits))
		if gw := gatewayFor(subnets, a.addr); gw != "" {
			out[k[2]] = gw
		}
	}
}

// gatewayFor is the gateway of the subnet containing a.
func gatewayFor(subnets []obj, a netip.Addr) string {
	for _, sn := range subnets {
		p, err := netip.ParsePrefix(str(sn, "IpAddressPrefix"))
		if err == nil && p.Masked().Contains(a) {
			return subnetGateway(sn)
		}
	}
	return ""
}

// v1EndpointState is Attached when the endpoint is in a namespace, on a
// switch port or shared with one container, AttachedSharing with more
// containers, else Created.
func v1EndpointState(o *object, doc obj) uint64 {
	n := len(sharedContainers(doc))
	switch {
	case n > 1:
		return v1AttachedSharing
	case n == 1 || !o.ep.namespace.IsZero() || o.ep.port:
		return v1Attached
	}
	return v1Created
}

// sharedContainers reads the containers a v1 container attach recorded:
// Health.Extra.SharedContainers, where v2 documents report them.
func sharedContainers(doc obj) []string {
	h, _ := doc["Health"].(obj)
	x, _ := h["Extra"].(obj)
	list, _ := x["SharedContainers"].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// setSharedContainers records the containers in o's document.
func setSharedContainers(o *object, cs []string) {
	o.edit(func(d obj) {
		h, _ := d["Health"].(obj)
		if h == nil {
			h = obj{}
		}
		x, _ := h["Extra"].(obj)
		if x == nil {
			x = obj{}
		}
		list := make([]any, len(cs))
		for i, c := range cs {
			list[i] = c
		}
		x["SharedContainers"] = list
		h["Extra"] = x
		d["Health"] = h
		stripZero(d)
	})
}

func (s *Sim) v1ListEndpoints(*v1Request) (any, error) {
	return s.v1List(hcn.KindEndpoint, (*state).v1EndpointView)
}

func (s *Sim) v1GetEndpoint(r *v1Request) (any, error) {
	return s.v1Get(hcn.KindEndpoint, r.id, (*state).v1EndpointView)
}

func decodeV1Endpoint(body string) (*v1EndpointIn, error) {
	raw, err := parseObject(body, "endpoint")
	if err != nil {
		return nil, err
	}
	var in v1EndpointIn
	if err := decodeInto(raw, &in, "endpoint"); err != nil {
		return nil, err
	}
	return &in, nil
}

// v1CreateEndpoint is POST /endpoints/: HcnCreateEndpoint of the
// translated document on its VirtualNetwork.
func (s *Sim) v1CreateEndpoint(r *v1Request) (any, error) {
	in, err := decodeV1Endpoint(r.body)
	if err != nil {
		return nil, err
	}
	doc, err := endpointToV2(in)
	if err != nil {
		return nil, err
	}
	var out obj
	err = s.write(func(st *state) error {
		net, err := st.v1EndpointNetwork(in)
		if err != nil {
			return err
		}
		o, err := st.createEndpoint(net, hcn.GUID{}, marshal(doc), s.versionWord())
		if err == nil {
			out = st.v1EndpointView(o)
		}
		return err
	})
	return out, err
}

// v1UpdateEndpoint is POST /endpoints/<id>: the endpoint's Policies are
// replaced by the document's (what HNSEndpoint.Update and ApplyACLPolicy
// change); other fields are ignored.
func (s *Sim) v1UpdateEndpoint(r *v1Request) (any, error) {
	in, err := decodeV1Endpoint(r.body)
	if err != nil {
		return nil, err
	}
	pols, err := policiesToV2(in.Policies, "Policies")
	if err != nil {
		return nil, err
	}
	var out obj
	err = s.write(func(st *state) error {
		o, err := st.v1Lookup(hcn.KindEndpoint, r.id)
		if err != nil {
			return err
		}
		next := obj{"Policies": pols}
		if err := checkPolicies(next, endpointPolicyTypes); err != nil {
			return err
		}
		if err := st.updateEndpointPorts(o, next); err != nil {
			return err
		}
		o.edit(func(d obj) {
			d["Policies"] = next["Policies"]
			stripZero(d)
		})
		out = st.v1EndpointView(o)
		return nil
	})
	return out, err
}

// v1DeleteEndpoint is DELETE /endpoints/<id>: what HcnDeleteEndpoint does.
func (s *Sim) v1DeleteEndpoint(r *v1Request) (any, error) {
	return nil, s.write(func(st *state) error {
		o, err := st.v1Lookup(hcn.KindEndpoint, r.id)
		if err == nil {
			st.deleteEndpoint(o)
		}
		return err
	})
}
