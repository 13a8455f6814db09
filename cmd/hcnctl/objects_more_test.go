package main

import (
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/hcnkit/hcn"
)

func TestPolicyLine(t *testing.T) {
	for _, tc := range []struct {
		p    hcn.Policy
		want string
	}{
		{hcn.OutBoundNATPolicy(netip.MustParsePrefix("10.0.0.0/8")), "OutBoundNAT  Exceptions=10.0.0.0/8"},
		{hcn.OutBoundNATPolicy(), "OutBoundNAT"},
		{hcn.PortMappingPolicy(hcn.ProtocolUDP, 53, 5353), "PortMapping  Protocol=udp InternalPort=53 ExternalPort=5353"},
		{hcn.SDNRoutePolicy(netip.MustParsePrefix("10.1.0.0/16"), netip.Addr{}, false), "SDNRoute  DestinationPrefix=10.1.0.0/16 NeedEncap=false"},
		{hcn.Policy{Type: "PortName"}, "PortName"},
	} {
		if got := policyLine(tc.p); got != tc.want {
			t.Errorf("policyLine(%s) = %q, want %q", tc.p.Type, got, tc.want)
		}
	}
}

func TestFlattenNested(t *testing.T) {
	got := flatten("", []byte(`{"A":{"B":[1,"x"],"C":"y"},"D":true}`))
	want := []string{"A.B=1,x", "A.C=y", "D=true"}
	if !slices.Equal(got, want) {
		t.Errorf("flatten = %q, want %q", got, want)
	}
}

func TestParsePort(t *testing.T) {
	p, err := parsePort("--port", "TCP:8080:80")
	if err != nil || p != (portSpec{proto: hcn.ProtocolTCP, ext: 8080, int: 80}) {
		t.Fatalf("parsePort = %+v, %v", p, err)
	}
	for _, bad := range []string{"tcp:80", "tcp:0:80", "tcp:80:65536", "icmp:1:1", "tcp:a:1", ""} {
		_, err := parsePort("--port", bad)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("parsePort(%q) = %v, want a usage error", bad, err)
		}
	}
}

func TestDiffLines(t *testing.T) {
	added, removed := diffLines([]string{"a", "b", "b"}, []string{"b", "c"})
	if !slices.Equal(added, []string{"c"}) || !slices.Equal(removed, []string{"a", "b"}) {
		t.Errorf("diffLines = +%q -%q", added, removed)
	}
}

func TestNetworkFromFlags(t *testing.T) {
	n, err := networkFromFlags("v6", "Internal", "fd00:1::/64", "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	r := n.Ipams[0].Subnets[0].Routes[0]
	if r.DestinationPrefix != "::/0" || r.NextHop != "fd00:1::1" || n.Type != hcn.NetworkTypeInternal || n.Policies != nil {
		t.Errorf("network = %+v", n)
	}
	n, err = networkFromFlags("lan", "l2bridge", "10.0.0.0/24", "10.0.0.254", "Ethernet", 9)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if _, ok := n.Policy(hcn.PolicyTypeNetAdapterName); !ok || len(n.Ipams[0].Subnets[0].Policies) != 1 {
		t.Errorf("network = %+v", n)
	}
	for _, bad := range [][]string{
		{"", "10.0.0.0/24", ""}, {"nat", "", ""}, {"bridge", "10.0.0.0/24", ""}, {"nat", "10.0.0.0/31", ""},
		{"nat", "10.0.0.0/24", "10.0.0.0"}, {"nat", "10.0.0.0/24", "fd00::1"}, {"transparent", "10.0.0.0/24", ""},
	} {
		if _, err := networkFromFlags("x", bad[0], bad[1], bad[2], "", 0); err == nil {
			t.Errorf("networkFromFlags(%q) succeeded", bad)
		}
	}
}

func TestDecodePolicies(t *testing.T) {
	ps, err := decodePolicies("f", []byte(`{"Type":"OutBoundNAT","Settings":{}}`))
	if err != nil || len(ps) != 1 || ps[0].Type != hcn.PolicyTypeOutBoundNAT {
		t.Fatalf("one policy: %v, %v", ps, err)
	}
	if _, ok := ps[0].Settings.(*hcn.OutboundNATPolicySetting); !ok {
		t.Errorf("settings are %T", ps[0].Settings)
	}
	ps, err = decodePolicies("f", []byte(` [{"Type":"QOS"},{"Type":"PortName"}]`))
	if err != nil || len(ps) != 2 {
		t.Fatalf("a list: %v, %v", ps, err)
	}
	for _, bad := range []string{`[]`, `"x"`, `[{"Settings":{}}]`} {
		if _, err := decodePolicies("f", []byte(bad)); err == nil {
			t.Errorf("decodePolicies(%s) succeeded", bad)
		}
	}
}
