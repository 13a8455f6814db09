package hcnsim

import (
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/hcnkit/hcn"
)

// v1NetworkIn is an HNS v1 network (HNSNetwork) as sent.
type v1NetworkIn struct {
	ID                 string
	Name               string
	Type               string
	NetworkAdapterName string
	SourceMac          string
	Policies           []json.RawMessage
	MacPools           []struct{ StartMacAddress, EndMacAddress string }
	Subnets            []struct {
		AddressPrefix  string
		GatewayAddress string
		Policies       []json.RawMessage
	}
	DNSSuffix     string
	DNSServerList string
	Flags         uint32
}

// v2Schema is the SchemaVersion the translated documents carry.
func v2Schema() obj { return obj{"Major": num(2), "Minor": num(0)} }

// networkToV2 translates a v1 network into a v2 HostComputeNetwork:
// Subnets become one Static Ipam whose subnets route 0.0.0.0/0 (::/0)
// via their GatewayAddress; network VLAN/VSID policies go to every subnet.
func networkToV2(body string) (obj, error) {
	raw, err := parseObject(body, "network")
	if err != nil {
		return nil, err
	}
	var in v1NetworkIn
	if err := decodeInto(raw, &in, "network"); err != nil {
		return nil, err
	}
	doc := obj{"SchemaVersion": v2Schema(), "ID": in.ID, "Name": in.Name, "Type": in.Type, "Flags": num(uint64(in.Flags))}
	pols, err := policiesToV2(in.Policies, "Policies")
	if err != nil {
		return nil, err
	}
	netPols, subPols := splitSubnetPolicies(pols)
	if in.NetworkAdapterName != "" {
		netPols = append(netPols, obj{"Type": "NetAdapterName", "Settings": obj{"NetworkAdapterName": in.NetworkAdapterName}})
	}
	if in.SourceMac != "" {
		netPols = append(netPols, obj{"Type": "SourceMacAddress", "Settings": obj{"SourceMacAddress": in.SourceMac}})
	}
	doc["Policies"] = netPols
	if err := v1SubnetsToV2(in, subPols, doc); err != nil {
		return nil, err
	}
	var ranges []any
	for _, mp := range in.MacPools {
		ranges = append(ranges, obj{"StartMacAddress": mp.StartMacAddress, "EndMacAddress": mp.EndMacAddress})
	}
	if len(ranges) > 0 {
		doc["MacPool"] = obj{"Ranges": ranges}
	}
	doc["Dns"] = v1DNS(in.DNSSuffix, in.DNSServerList)
	stripZero(doc)
	return doc, nil
}

// v1SubnetsToV2 sets the Static Ipam of doc from the v1 Subnets; extra
// are the network-level VLAN/VSID policies every subnet gets.
func v1SubnetsToV2(in v1NetworkIn, extra []any, doc obj) error {
	var subnets []any
	for _, sn := range in.Subnets {
		p, err := policiesToV2(sn.Policies, "Subnets.Policies")
		if err != nil {
			return err
		}
		sub := obj{"IpAddressPrefix": sn.AddressPrefix, "Policies": append(p, extra...)}
		if sn.GatewayAddress != "" {
			sub["Routes"] = []any{obj{"NextHop": sn.GatewayAddress, "DestinationPrefix": defaultRoute(sn.AddressPrefix)}}
		}
		subnets = append(subnets, sub)
	}
	if len(subnets) > 0 {
		doc["Ipams"] = []any{obj{"Type": "Static", "Subnets": subnets}}
	}
	return nil
}

// splitSubnetPolicies separates the VLAN/VSID policies (subnet policies
// in v2) from the network's own.
func splitSubnetPolicies(pols []any) (network, subnet []any) {
	network, subnet = []any{}, []any{}
	for _, p := range pols {
		if _, ok := enumValue(p.(obj)["Type"], subnetPolicyTypes); ok {
			subnet = append(subnet, p)
			continue
		}
		network = append(network, p)
	}
	return network, subnet
}

// defaultRoute is the default route of prefix's address family.
func defaultRoute(prefix string) string {
	if p, err := netip.ParsePrefix(prefix); err == nil && p.Addr().Is6() {
		return "::/0"
	}
	return "0.0.0.0/0"
}

// v1DNS is the v2 Dns object of a v1 DNSSuffix and comma-separated
// DNSServerList.
func v1DNS(suffix, servers string) obj {
	var list []any
	for _, sv := range strings.Split(servers, ",") {
		if sv = strings.TrimSpace(sv); sv != "" {
			list = append(list, sv)
		}
	}
	return obj{"Domain": suffix, "ServerList": list}
}

// v1DNSOut returns the DNSSuffix and DNSServerList of a v2 document.
func v1DNSOut(doc obj, out obj) {
	d, _ := doc["Dns"].(obj)
	if s := str(d, "Domain"); s != "" {
		out["DNSSuffix"] = s
	}
	list, _ := d["ServerList"].([]any)
	var parts []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			parts = append(parts, s)
		}
	}
	if len(parts) > 0 {
		out["DNSServerList"] = strings.Join(parts, ",")
	}
}

// v1NetworkView renders network o as HNS v1 shows it.
func (st *state) v1NetworkView(o *object) obj {
	doc := o.decode()
	n := num(uint64(len(o.net.endpoints)))
	out := obj{"ID": v1ID(o.id), "Type": strings.ToLower(o.net.typ), "State": doc["State"],
		"Version": doc["Version"], "Flags": num(uint64(o.net.flags)), "CurrentEndpointCount": n,
		"TotalEndpoints": n, "Subnets": v1Subnets(doc), "MacPools": v1MacPools(doc), "Policies": []any{}}
	if o.name != "" {
		out["Name"] = o.name
	}
	for _, p := range policiesToV1(doc) {
		if pm := p.(obj); pm["Type"] == "NetAdapterName" {
			out["NetworkAdapterName"] = pm["NetworkAdapterName"]
			continue
		}
		out["Policies"] = append(out["Policies"].([]any), p)
	}
	v1DNSOut(doc, out)
	return out
}

// v1StaticSubnets returns the subnet objects of a network's Static Ipams.
func v1StaticSubnets(doc obj) []obj {
	var out []obj
	ipams, _ := doc["Ipams"].([]any)
	for _, ip := range ipams {
		m, _ := ip.(obj)
		if t, _ := m["Type"].(string); t != "" && t != "Static" {
			continue
		}
		subs, _ := m["Subnets"].([]any)
		for _, sn := range subs {
			if sm, ok := sn.(obj); ok {
				out = append(out, sm)
			}
		}
	}
	return out
}

// v1Subnets renders the Static subnets: AddressPrefix, GatewayAddress
// (see subnetGateway) and the VLAN/VSID policies in v1 form.
func v1Subnets(doc obj) []any {
	out := []any{}
	for _, sn := range v1StaticSubnets(doc) {
		v := obj{"AddressPrefix": sn["IpAddressPrefix"], "Policies": policiesToV1(sn)}
		if gw := subnetGateway(sn); gw != "" {
			v["GatewayAddress"] = gw
		}
		out = append(out, v)
	}
	return out
}

// subnetGateway is the NextHop of the subnet's default route, else of its
// first route with one.
func subnetGateway(sn obj) string {
	routes, _ := sn["Routes"].([]any)
	first := ""
	for _, r := range routes {
		m, _ := r.(obj)
		nh := str(m, "NextHop")
		if p, err := netip.ParsePrefix(str(m, "DestinationPrefix")); err == nil && p.Bits() == 0 && nh != "" {
			return nh
		}
		if first == "" {
			first = nh
		}
	}
	return first
}

func v1MacPools(doc obj) []any {
	out := []any{}
	mp, _ := doc["MacPool"].(obj)
	ranges, _ := mp["Ranges"].([]any)
	for _, r := range ranges {
		if m, ok := r.(obj); ok {
			out = append(out, obj{"StartMacAddress": m["StartMacAddress"], "EndMacAddress": m["EndMacAddress"]})
		}
	}
	return out
}

func (s *Sim) v1ListNetworks(*v1Request) (any, error) {
	return s.v1List(hcn.KindNetwork, (*state).v1NetworkView)
}

func (s *Sim) v1GetNetwork(r *v1Request) (any, error) {
	return s.v1Get(hcn.KindNetwork, r.id, (*state).v1NetworkView)
}

// v1CreateNetwork is POST /networks/: HcnCreateNetwork of the translated
// document, answered with the v1 view of the new network.
func (s *Sim) v1CreateNetwork(r *v1Request) (any, error) {
	doc, err := networkToV2(r.body)
	if err != nil {
		return nil, err
	}
	var out obj
	err = s.write(func(st *state) error {
		o, err := st.create(hcn.KindNetwork, hcn.GUID{}, marshal(doc), s.versionWord())
		if err == nil {
			out = st.v1NetworkView(o)
		}
		return err
	})
	return out, err
}

// v1DeleteNetwork is DELETE /networks/<id>: what HcnDeleteNetwork does.
func (s *Sim) v1DeleteNetwork(r *v1Request) (any, error) {
	return nil, s.write(func(st *state) error {
		o, err := st.v1Lookup(hcn.KindNetwork, r.id)
		if err != nil {
			return err
		}
		return st.deleteNetwork(o)
	})
}
