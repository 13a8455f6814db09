package hcnsim

import (
	"net/netip"

	"github.com/hcnkit/hcn"
)

type loadBalancerIn struct {
	HostComputeNetwork   string
	HostComputeEndpoints []string
	SourceVIP            string
	FrontendVIPs         []string
	PortMappings         []struct {
		Protocol     uint32
		InternalPort uint16
		ExternalPort uint16
	}
}

// buildLoadBalancer validates a load balancer document: its endpoints
// must exist, internal ports be non-zero, addresses parse, and no frontend
// (VIP, protocol, external port) be taken by another load balancer or an
// endpoint port mapping (self, when modifying, is ignored).
func (st *state) buildLoadBalancer(o *object, self *object) error {
	var in loadBalancerIn
	if err := decodeInto(o.doc, &in, "settings"); err != nil {
		return err
	}
	if err := st.checkRefs(o.doc, in.HostComputeNetwork, in.HostComputeEndpoints); err != nil {
		return err
	}
	if in.SourceVIP != "" {
		a, err := netip.ParseAddr(in.SourceVIP)
		if err != nil {
			return fail(hcn.HCN_E_INVALID_IP, "SourceVIP %q", in.SourceVIP)
		}
		o.doc["SourceVIP"] = a.String()
	}
	vips, err := frontendVIPs(o.doc, in.FrontendVIPs)
	if err != nil {
		return err
	}
	keys, err := st.frontendKeys(in, vips, self)
	if err != nil {
		return err
	}
	o.lb = &lbInfo{keys: keys}
	return nil
}

// frontendVIPs parses the VIPs, rewrites them canonical and returns them;
// none is one frontend of its own, "".
func frontendVIPs(doc obj, in []string) ([]string, error) {
	if len(in) == 0 {
		return []string{""}, nil
	}
	vips := make([]string, len(in))
	list := make([]any, len(in))
	for i, v := range in {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fail(hcn.HCN_E_INVALID_IP, "FrontendVIPs %q", v)
		}
		vips[i], list[i] = a.String(), a.String()
	}
	doc["FrontendVIPs"] = list
	return vips, nil
}

// frontendKeys returns the collision keys of a load balancer, failing on
// one taken (by another load balancer, or twice in this one).
func (st *state) frontendKeys(in loadBalancerIn, vips []string, self *object) ([]portKey, error) {
	var keys []portKey
	seen := map[portKey]bool{}
	var selfID hcn.GUID
	if self != nil {
		selfID = self.id
	}
	for i, pm := range in.PortMappings {
		if pm.InternalPort == 0 {
			return nil, fail(hcn.HCN_E_INVALID_INTERNAL_PORT, "PortMappings[%d].InternalPort is 0", i)
		}
		ext := pm.ExternalPort
		if ext == 0 {
			ext = pm.InternalPort
		}
		for _, v := range vips {
			k := portKey{vip: v, protocol: pm.Protocol, port: ext}
			if err := st.checkPort(k, selfID, seen); err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// checkRefs checks the network and endpoint references of a load balancer
// or SDN route and rewrites them in canonical form.
func (st *state) checkRefs(doc obj, network string, endpoints []string) error {
	if network != "" {
		g, err := hcn.ParseGUID(network)
		if err != nil {
			return fail(hcn.HCN_E_GUID_CONVERSION_FAILURE, "HostComputeNetwork %q", network)
		}
		if st.get(hcn.KindNetwork, g) == nil && !st.restoring {
			return fail(hcn.HCN_E_NETWORK_NOT_FOUND, "%s", g)
		}
		doc["HostComputeNetwork"] = g.String()
	}
	if len(endpoints) == 0 {
		return nil
	}
	list := make([]any, len(endpoints))
	for i, e := range endpoints {
		g, err := hcn.ParseGUID(e)
		if err != nil {
			return fail(hcn.HCN_E_GUID_CONVERSION_FAILURE, "HostComputeEndpoints[%d] %q", i, e)
		}
		if st.get(hcn.KindEndpoint, g) == nil && !st.restoring {
			return fail(hcn.HCN_E_ENDPOINT_NOT_FOUND, "%s", g)
		}
		list[i] = g.String()
	}
	doc["HostComputeEndpoints"] = list
	return nil
}

// modifyLoadBalancer replaces the whole document of o with text.
func (st *state) modifyLoadBalancer(o *object, text string, version uint64) error {
	raw, err := parseObject(text, "settings")
	if err != nil {
		return err
	}
	doc := canonical(raw, loadBalancerSpec).(obj)
	if err := decodeInto(doc, &baseIn{}, "settings"); err != nil {
		return err
	}
	for _, key := range readOnly[hcn.KindLoadBalancer] {
		delete(doc, key)
	}
	doc["ID"] = o.id.String()
	next := &object{kind: o.kind, id: o.id, seq: o.seq, doc: doc}
	if err := st.buildLoadBalancer(next, o); err != nil {
		return err
	}
	finish(next, version)
	st.replace(o, next)
	return nil
}

// replace swaps o's document and parsed parts for next's, reindexing.
func (st *state) replace(o, next *object) {
	st.remove(o)
	o.doc, o.lb = next.doc, next.lb
	st.insert(o)
}
