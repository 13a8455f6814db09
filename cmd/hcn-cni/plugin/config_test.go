package plugin

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/containernetworking/cni/pkg/types"
	"github.com/hcnkit/hcn"
)

// The sdnbridge example of windows-container-networking.
const sdnbridgeConf = `{"cniVersion":"0.2.0","name":"winl2bridge","type":"sdnbridge","capabilities":{"portMappings":true,"dns":true},
"ipam":{"type":"host-local","ranges":[[{"subnet":"192.168.1.0/24","rangeStart":"192.168.1.10","rangeEnd":"192.168.1.50","gateway":"192.168.1.2"}]]},
"dns":{"Nameservers":["10.127.130.7"],"Search":["svc.cluster.local"]},
"AdditionalArgs":[{"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT","Settings":{"Exceptions":["192.168.0.0/16"]}}},
{"Name":"EndpointPolicy","Value":{"Type":"SDNRoute","Settings":{"DestinationPrefix":"11.0.0.0/8","NeedEncap":true}}}]}`

func TestParseSdnbridge(t *testing.T) {
	c, e := ParseConfig([]byte(sdnbridgeConf))
	if e != nil {
		t.Fatal(e)
	}
	if c.NetworkType != hcn.NetworkTypeL2Bridge || !c.Create {
		t.Errorf("type %q create %v", c.NetworkType, c.Create)
	}
	if !c.Delegated() || c.IPAM.Type != "host-local" {
		t.Errorf("ipam %+v", c.IPAM)
	}
	want := SubnetConf{Prefix: netip.MustParsePrefix("192.168.1.0/24"), Gateway: netip.MustParseAddr("192.168.1.2")}
	if len(c.IPAM.Subnets) != 1 || c.IPAM.Subnets[0] != want {
		t.Errorf("subnets %+v", c.IPAM.Subnets)
	}
	if len(c.EndpointPols) != 2 || c.EndpointPols[0].Type != hcn.PolicyTypeOutBoundNAT || c.EndpointPols[1].Type != hcn.PolicyTypeSDNRoute {
		t.Fatalf("policies %+v", c.EndpointPols)
	}
	s, ok := hcn.SettingsAs[*hcn.OutboundNATPolicySetting](c.EndpointPols[0])
	if !ok || len(s.Exceptions) != 1 || s.Exceptions[0] != "192.168.0.0/16" {
		t.Errorf("OutBoundNAT %+v", s)
	}
	d := dnsFor(c, "kube-system")
	if strings.Join(d.Search, ",") != "kube-system.svc.cluster.local,svc.cluster.local" || d.ServerList[0] != "10.127.130.7" {
		t.Errorf("dns %+v", d)
	}
}

func TestParseWinBridgeV2(t *testing.T) {
	c, e := ParseConfig([]byte(`{"cniVersion":"1.0.0","name":"cbr0","type":"win-bridge","apiVersion":2,
		"capabilities":{"portMappings":true,"dns":true},
		"ipMasq":true,"ipMasqNetwork":"10.244.0.0/16",
		"dns":{"nameservers":["10.96.0.10"],"search":["svc.cluster.local"]},
		"policies":[{"name":"EndpointPolicy","value":{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.96.0.0/12"]}}},
			{"name":"EndpointPolicy","value":{"Type":"SDNRoute","Settings":{"DestinationPrefix":"10.96.0.0/12","NeedEncap":true}}}],
		"loopbackDSR":true}`))
	if e != nil {
		t.Fatal(e)
	}
	if c.Create || c.NetworkType != hcn.NetworkTypeL2Bridge || !c.LoopbackDSRon || c.Delegated() {
		t.Errorf("%+v", c)
	}
	if len(c.EndpointPols) != 3 {
		t.Fatalf("policies %+v", c.EndpointPols)
	}
	if c.DNS.Nameservers[0] != "10.96.0.10" {
		t.Errorf("dns %+v", c.DNS)
	}
}

func TestParseRuntimeGoFieldNames(t *testing.T) {
	c, e := ParseConfig([]byte(`{"cniVersion":"1.1.0","name":"n","type":"hcn-cni","mode":"nat",
		"ipam":{"subnet":"10.0.0.0/24"},
		"optionalFlags":{"localRoutedPortMapping":true,"allowAclPortMapping":true},
		"runtimeConfig":{"dns":{"Servers":["10.96.0.10"],"Searches":["ns.svc.cluster.local","svc.cluster.local"],"Options":null},
		"portMappings":[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":""},{"HostPort":53,"ContainerPort":53,"Protocol":"udp","HostIP":"192.168.0.4"}],
		"bandwidth":{"ingressRate":1}}}`))
	if e != nil {
		t.Fatal(e)
	}
	pm := c.Runtime.PortMappings
	if len(pm) != 2 || pm[0].HostPort != 8080 || pm[0].ContainerPort != 80 || pm[1].HostIP != "192.168.0.4" {
		t.Errorf("port mappings %+v", pm)
	}
	d := dnsFor(c, "ns")
	if strings.Join(d.Search, ",") != "ns.svc.cluster.local,svc.cluster.local" || d.ServerList[0] != "10.96.0.10" {
		t.Errorf("dns %+v", d)
	}
	pols := portPolicies(c)
	if len(pols) != 4 {
		t.Fatalf("policies %+v", pols)
	}
	s, _ := hcn.SettingsAs[*hcn.PortMappingPolicySetting](pols[1])
	if s.Protocol != hcn.ProtocolUDP || s.ExternalPort != 53 || s.VIP != "192.168.0.4" || s.Flags != hcn.NatFlagLocalRoutedVIP {
		t.Errorf("port mapping %+v", s)
	}
	a, _ := hcn.SettingsAs[*hcn.ACLPolicySetting](pols[2])
	if a.LocalPorts != "80" || a.Protocols != "6" || a.Priority != 1000 || a.Direction != hcn.DirectionIn {
		t.Errorf("acl %+v", a)
	}
}

func TestParseInvalid(t *testing.T) {
	for _, tc := range []struct{ conf, field string }{
		{`{"name":"n","type":"nat","bogus":1}`, `bogus`},
		{`{"name":"n","type":"nat","optionalFlags":{"loopbackDsrX":true}}`, `optionalFlags.loopbackDsrX`},
		{`{"name":"n","type":"nat","ipam":{"subnet":"10.0.0.0/33"}}`, `ipam.subnet`},
		{`{"name":"n","type":"nat","ipam":{"subnet":"10.0.0.0/24","dataDir":"/x"}}`, `ipam.dataDir`},
		{`{"name":"n","type":"nat","ipam":{"ranges":[[{"subnet":"10.0.0.0/24","rangeStart":"10.0.0.5"}]]}}`, `rangeStart`},
		{`{"name":"n","type":"host-local","ipam":{"type":"host-local","ranges":[[{"subnet":"10.0.0.0/24","gateway":"10.1.0.1"}]]}}`, `mode`},
		{`{"name":"n","type":"sdnbridge","ipam":{"type":"host-local","ranges":[[{"subnet":"10.0.0.0/24","gateway":"10.1.0.1"}]]}}`, `ipam.ranges[0][0].gateway`},
		{`{"name":"n","type":"hcn-cni","mode":"transparent"}`, `mode`},
		{`{"name":"n","type":"sdnbridge","mode":"nat"}`, `mode`},
		{`{"type":"nat"}`, `name`},
		{`{"name":"n","type":"nat","AdditionalArgs":[{"Name":"Other","Value":{"Type":"OutBoundNAT"}}]}`, `AdditionalArgs[0].Name`},
		{`{"name":"n","type":"nat","AdditionalArgs":[{"Name":"EndpointPolicy","Value":{"Type":"Nope"}}]}`, `AdditionalArgs[0].Value.Type`},
		{`{"name":"n","type":"nat","AdditionalArgs":[{"Name":"NetworkPolicy","Value":{"Type":"PortMapping"}}]}`, `AdditionalArgs[0].Value.Type`},
		{`{"name":"n","type":"win-bridge","policies":[{"name":"EndpointPolicy","value":{"Type":"OutBoundNAT"}}]}`, `apiVersion`},
		{`{"name":"n","type":"nat","dns":{"Nameservers":["x"]}}`, `dns.Nameservers[0]`},
		{`{"name":"n","type":"nat","dns":{"Nameservers":"10.0.0.1"}}`, `dns.Nameservers`},
		{`{"name":"n","type":"nat","runtimeConfig":{"portMappings":[{"HostPort":0,"ContainerPort":80}]}}`, `runtimeConfig.portMappings[0].hostPort`},
		{`{"name":"n","type":"nat","runtimeConfig":{"portMappings":[{"HostPort":1,"ContainerPort":80,"Protocol":"sctp"}]}}`, `runtimeConfig.portMappings[0].protocol`},
		{`{"name":"n","type":"nat","runtimeConfig":{"portMappings":[{"HostPort":1,"ContainerPort":80,"Nope":1}]}}`, `Nope`},
		{`{"name":"n","type":"nat","runtimeConfig":{"dns":{"Servers":["bad"]}}}`, `runtimeConfig.dns.servers[0]`},
	} {
		_, e := ParseConfig([]byte(tc.conf))
		if e == nil {
			t.Errorf("%s: no error", tc.conf)
			continue
		}
		if e.Code != types.ErrInvalidNetworkConfig || !strings.Contains(e.Msg, tc.field) {
			t.Errorf("%s: code %d %q, want code 7 naming %s", tc.conf, e.Code, e.Msg, tc.field)
		}
	}
	if _, e := ParseConfig([]byte(`{"name":`)); e == nil || e.Code != types.ErrDecodingFailure {
		t.Errorf("truncated JSON: %v", e)
	}
}

func TestParseNetnsAndArgs(t *testing.T) {
	if _, e := parseNetns("/var/run/netns/x"); e == nil || e.Code != types.ErrInvalidEnvironmentVariables {
		t.Errorf("path: %v", e)
	}
	if id, e := parseNetns("{5C7E2B1A-1111-2222-3333-444455556666}"); e != nil || id != "5c7e2b1a-1111-2222-3333-444455556666" {
		t.Errorf("braced: %v %v", id, e)
	}
	if ns, e := podNamespace("IgnoreUnknown=1;K8S_POD_NAMESPACE=kube-system;K8S_POD_NAME=x"); e != nil || ns != "kube-system" {
		t.Errorf("args: %q %v", ns, e)
	}
	if _, e := podNamespace("junk"); e == nil || e.Code != types.ErrInvalidEnvironmentVariables {
		t.Errorf("bad args: %v", e)
	}
}

// The configurations the README gives for each network type parse, with
// the network type and the choices they imply.
func TestReadmeConfigs(t *testing.T) {
	for _, tt := range []struct {
		conf   string
		typ    hcn.NetworkType
		create bool
	}{
		{`{"cniVersion":"1.1.0","name":"cbr0","type":"sdnbridge","capabilities":{"portMappings":true,"dns":true},
		  "ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.1.0/24","gateway":"10.244.1.2"}]],"routes":[{"dst":"0.0.0.0/0"}]},
		  "dns":{"Nameservers":["10.96.0.10"],"Search":["svc.cluster.local"]},
		  "optionalFlags":{"localRoutedPortMapping":true,"allowAclPortMapping":true},
		  "AdditionalArgs":[
		    {"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.244.0.0/16","10.96.0.0/12"]}}},
		    {"Name":"EndpointPolicy","Value":{"Type":"SDNRoute","Settings":{"DestinationPrefix":"10.96.0.0/12","NeedEncap":true}}}]}`,
			hcn.NetworkTypeL2Bridge, true},
		{`{"cniVersion":"1.1.0","name":"vxlan0","type":"win-overlay","apiVersion":2,"capabilities":{"portMappings":true,"dns":true},
		  "ipam":{"subnet":"10.244.2.0/24"},
		  "policies":[{"name":"EndpointPolicy","value":{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.244.0.0/16"]}}}]}`,
			hcn.NetworkTypeOverlay, false},
		{`{"cniVersion":"1.1.0","name":"nat","type":"nat","capabilities":{"portMappings":true,"dns":true},
		  "ipam":{"subnet":"172.30.0.0/24"},"dns":{"Nameservers":["172.30.0.1"]}}`,
			hcn.NetworkTypeNAT, true},
	} {
		c, err := ParseConfig([]byte(tt.conf))
		if err != nil {
			t.Errorf("%.60s…: %v", tt.conf, err)
			continue
		}
		if c.NetworkType != tt.typ || c.Create != tt.create {
			t.Errorf("%.60s…: type %q create %v; want %q %v", tt.conf, c.NetworkType, c.Create, tt.typ, tt.create)
		}
	}
}
