package hcnsim

import (
	"github.com/hcnkit/hcn"
)

type networkIn struct {
	Flags   uint32
	Ipams   []ipamIn
	MacPool *macPoolIn
}

// buildNetwork validates a network document and builds its IPAM and MAC
// pool. fresh is false when an object is restored from the state file.
func (st *state) buildNetwork(o *object, fresh bool) error {
	var in networkIn
	if err := decodeInto(o.doc, &in, "settings"); err != nil {
		return err
	}
	typ := "NAT"
	if v, ok := o.doc["Type"]; ok && v != nil {
		t, ok := enumValue(v, networkTypes)
		if !ok {
			return fail(hcn.HCN_E_INVALID_NETWORK_TYPE, "Type %v", v)
		}
		typ = t
	}
	if typ == "NAT" {
		delete(o.doc, "Type")
	} else {
		o.doc["Type"] = typ
	}
	if fresh {
		if name := str(o.doc, "Name"); name != "" && len(st.byName(hcn.KindNetwork, name)) > 0 {
			return fail(hcn.HCN_E_NETWORK_ALREADY_EXISTS, "%s", name)
		}
	}
	if err := checkPolicies(o.doc, networkPolicyTypes); err != nil {
		return err
	}
	n := &netInfo{typ: typ, flags: in.Flags, endpoints: map[hcn.GUID]struct{}{}}
	if err := buildIpams(o.doc, in.Ipams, n); err != nil {
		return err
	}
	mp, mpDoc, err := buildMacPool(in.MacPool, o.id)
	if err != nil {
		return err
	}
	n.macs = mp
	o.doc["MacPool"] = mpDoc
	o.net = n
	return nil
}

// buildIpams validates every Ipam, canonicalises its Type and builds the
// Static subnets (no two of which may overlap).
func buildIpams(doc obj, ipams []ipamIn, n *netInfo) error {
	docIpams, _ := doc["Ipams"].([]any)
	for i, ip := range ipams {
		typ := "Static"
		if ip.Type != nil {
			t, ok := enumValue(ip.Type, ipamTypes)
			if !ok {
				return fail(hcn.HCN_E_INVALID_NETWORK, "Ipams[%d].Type %v", i, ip.Type)
			}
			typ = t
		}
		if i < len(docIpams) {
			if m, ok := docIpams[i].(obj); ok {
				m["Type"] = typ
			}
		}
		if typ != "Static" {
			continue
		}
		for _, sin := range ip.Subnets {
			sn, err := buildSubnet(sin, n.typ)
			if err != nil {
				return err
			}
			if err := n.addSubnet(sn); err != nil {
				return err
			}
		}
	}
	return nil
}

// addSubnet appends sn unless it overlaps a subnet of the network.
func (n *netInfo) addSubnet(sn *subnet) error {
	for _, o := range n.subnets {
		if o.prefix.Overlaps(sn.prefix) {
			return fail(hcn.HCN_E_INVALID_SUBNET, "%s overlaps %s", sn.prefix, o.prefix)
		}
	}
	n.subnets = append(n.subnets, sn)
	return nil
}

// deleteNetwork is HcnDeleteNetwork, and the one path every network
// removal takes (the HNS v1 DELETE and a restart's drop of non-persistent
// networks too): the network's endpoints are deleted first, in creation
// order, as HcnDeleteEndpoint would (detached from their namespaces with
// NetworkEndpointDetached, addresses and host ports released; load
// balancers and routes keep the dangling ids), then the network goes with
// NetworkDelete. It never fails; the error is for callers' convenience.
func (st *state) deleteNetwork(o *object) error {
	eps := make([]*object, 0, len(o.net.endpoints))
	for id := range o.net.endpoints {
		if ep := st.get(hcn.KindEndpoint, id); ep != nil {
			eps = append(eps, ep)
		}
	}
	sortBySeq(eps)
	for _, ep := range eps {
		st.deleteEndpoint(ep)
	}
	st.remove(o)
	st.emit(hcn.NotificationNetworkDelete, o.id, nil)
	return nil
}
