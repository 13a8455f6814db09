package hcn

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// validationCase is a document (as JSON), the type to decode it into, and
// the message Validate must produce ("" for a valid document).
type validationCase struct {
	name string
	doc  Document
	json string
	want string
}

func runValidation(t *testing.T, tests []validationCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustDecode(t, tt.json, tt.doc)
			err := tt.doc.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not match ErrInvalid: %v", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("errors.As(*ValidationError) failed: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

const okSubnet = `{"IpAddressPrefix":"10.0.0.0/24","Routes":[{"NextHop":"10.0.0.1","DestinationPrefix":"0.0.0.0/0"}]}`

func TestValidateNetwork(t *testing.T) {
	net := func(subnets string) string { return `{"Ipams":[{"Type":"Static","Subnets":[` + subnets + `]}]}` }
	runValidation(t, []validationCase{
		{"ok", &Network{}, net(okSubnet), ""},
		{"ok ipv6", &Network{}, net(`{"IpAddressPrefix":"fd00::/64","Routes":[{"NextHop":"fd00::1","DestinationPrefix":"::/0"}]}`), ""},
		{"prefix length", &Network{}, net(okSubnet + `,{"IpAddressPrefix":"10.0.0.0/33"}`),
			`hcn: invalid Ipams[0].Subnets[1].IpAddressPrefix "10.0.0.0/33": prefix length out of range`},
		{"host bits", &Network{}, net(`{"IpAddressPrefix":"10.0.0.10/10"}`),
			`Ipams[0].Subnets[0].IpAddressPrefix "10.0.0.10/10": host bits set (the network is 10.0.0.0/10)`},
		{"not cidr", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0"}`), `IpAddressPrefix "10.0.0.0": not a CIDR prefix`},
		{"leading zero length", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/024"}`), `"10.0.0.0/024": not a CIDR prefix: bad length`},
		{"bad address", &Network{}, net(`{"IpAddressPrefix":"10.0.0.256/24"}`), `bad address`},
		{"gateway outside", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/24","Routes":[{"NextHop":"10.0.1.1","DestinationPrefix":"0.0.0.0/0"}]}`),
			`Ipams[0].Subnets[0].Routes[0].NextHop "10.0.1.1": not inside the subnet 10.0.0.0/24`},
		{"gateway family", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/24","Routes":[{"NextHop":"fd00::1","DestinationPrefix":"::/0"}]}`),
			`not in the address family of the subnet`},
		{"gateway network address", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/24","Routes":[{"NextHop":"10.0.0.0","DestinationPrefix":"0.0.0.0/0"}]}`),
			`is the network address`},
		{"missing next hop", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/24","Routes":[{"DestinationPrefix":"0.0.0.0/0"}]}`),
			`Routes[0].NextHop: required`},
		{"ipam type", &Network{}, `{"Ipams":[{"Type":"Magic"}]}`, `Ipams[0].Type "Magic": unknown IPAM type`},
		{"ipam type numeric ok", &Network{}, `{"Ipams":[{"Type":1}]}`, ""},
		{"subnet policy type", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/24","Policies":[{"Type":"ACL"}]}`),
			`Ipams[0].Subnets[0].Policies[0].Type "ACL": not a subnet policy`},
		{"vlan range", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/24","Policies":[{"Type":"VLAN","Settings":{"IsolationId":5000}}]}`),
			`Policies[0].Settings.IsolationId "5000": VLAN id out of range`},
		{"ip subnet outside", &Network{}, net(`{"IpAddressPrefix":"10.0.0.0/24","IpSubnets":[{"IpAddressPrefix":"10.9.0.0/25"}]}`),
			`IpSubnets[0].IpAddressPrefix "10.9.0.0/25": not inside the subnet`},
		{"mac colon ok", &Network{}, `{"MacPool":{"Ranges":[{"StartMacAddress":"00:15:5d:52:c0:00","EndMacAddress":"00-15-5D-52-C0-FF"}]}}`, ""},
		{"mac mixed separators", &Network{}, `{"MacPool":{"Ranges":[{"StartMacAddress":"00:15-5d:52:c0:00"}]}}`,
			`MacPool.Ranges[0].StartMacAddress "00:15-5d:52:c0:00": not a MAC address (want 00-15-5D-52-C0-00 or 00:15:5d:52:c0:00)`},
		{"mac dotted", &Network{}, `{"MacPool":{"Ranges":[{"StartMacAddress":"0015.5d52.c000"}]}}`, `not a MAC address`},
		{"mac garbage", &Network{}, `{"MacPool":{"Ranges":[{"EndMacAddress":"zz"}]}}`, `not a MAC address`},
		{"dns server", &Network{}, `{"Dns":{"ServerList":["10.0.0.10","dns.local"]}}`, `Dns.ServerList[1] "dns.local": not an IP address`},
		{"id", &Network{}, `{"ID":"test-ns-id"}`, `ID "test-ns-id": not a GUID`},
		{"braced upper id ok", &Network{}, `{"ID":"{5F0B1190-63BE-4E0C-B974-BD0F55675A42}"}`, ""},
		{"adapter name", &Network{}, `{"Policies":[{"Type":"NetAdapterName","Settings":{}}]}`, `Policies[0].Settings.NetworkAdapterName: required`},
		{"policy type", &Network{}, `{"Policies":[{"Settings":{}}]}`, `Policies[0].Type: required`},
		{"remote subnet", &Network{}, `{"Policies":[{"Type":"RemoteSubnetRoute","Settings":{"DestinationPrefix":"192.168.2.0/24","IsolationId":5000,"ProviderAddress":"1.1.1","DistributedRouterMacAddress":"00-12-34-56-78-9a"}}]}`,
			`Policies[0].Settings.ProviderAddress "1.1.1": not an IP address`},
	})
}

func TestValidateEndpoint(t *testing.T) {
	runValidation(t, []validationCase{
		{"ok", &Endpoint{}, `{"HostComputeNetwork":"b70c479d-f808-4053-aafa-705bc15b6d68","IpConfigurations":[{"IpAddress":"10.0.0.5","PrefixLength":24}],"MacAddress":"00-15-5d-52-c0-01"}`, ""},
		{"ip", &Endpoint{}, `{"IPConfigurations":[{"IPAddress":"10.0.0.500"}]}`, `IpConfigurations[0].IpAddress "10.0.0.500": not an IP address`},
		{"ip required", &Endpoint{}, `{"IpConfigurations":[{"PrefixLength":24}]}`, `IpConfigurations[0].IpAddress: required`},
		{"prefix length", &Endpoint{}, `{"IpConfigurations":[{"IpAddress":"10.0.0.5","PrefixLength":40}]}`, `IpConfigurations[0].PrefixLength "40": prefix length out of range`},
		{"network id", &Endpoint{}, `{"HostComputeNetwork":"nope"}`, `HostComputeNetwork "nope": not a GUID`},
		{"mac", &Endpoint{}, `{"MacAddress":"00-15-5D-52-C0"}`, `MacAddress "00-15-5D-52-C0": not a MAC address`},
		{"route", &Endpoint{}, `{"Routes":[{"DestinationPrefix":"0.0.0.0/0","NextHop":"x"}]}`, `Routes[0].NextHop "x": not an IP address`},
		{"route off link", &Endpoint{}, `{"IpConfigurations":[{"IpAddress":"10.200.0.18","PrefixLength":28},{"IpAddress":"fd00::5","PrefixLength":64}],"Routes":[{"DestinationPrefix":"::/0","NextHop":"fd00::1"},{"DestinationPrefix":"0.0.0.0/0","NextHop":"10.200.0.1"}]}`,
			`Routes[1].NextHop "10.200.0.1": not on the link of any endpoint address of its family`},
		{"route on link", &Endpoint{}, `{"IpConfigurations":[{"IpAddress":"10.200.0.18","PrefixLength":28}],"Routes":[{"DestinationPrefix":"0.0.0.0/0","NextHop":"10.200.0.17"},{"DestinationPrefix":"::/0","NextHop":"fd00::1"}]}`, ""},
		{"port mapping protocol", &Endpoint{}, `{"Policies":[{"Type":"PortMapping","Settings":{"Protocol":1,"InternalPort":80}}]}`,
			`Policies[0].Settings.Protocol "1": a port mapping needs TCP (6) or UDP (17)`},
		{"port mapping port", &Endpoint{}, `{"Policies":[{"Type":"PortMapping","Settings":{"Protocol":6,"ExternalPort":80}}]}`,
			`Policies[0].Settings.InternalPort: must not be zero`},
		{"acl action", &Endpoint{}, `{"Policies":[{"Type":"ACL","Settings":{"Action":"Maybe","Direction":"In"}}]}`, `Settings.Action "Maybe": want Allow, Block or Pass`},
		{"acl ports", &Endpoint{}, `{"Policies":[{"Type":"ACL","Settings":{"Action":"Allow","Direction":"In","LocalPorts":"80,90-70"}}]}`, `Settings.LocalPorts "90-70": port range out of order`},
		{"acl protocols", &Endpoint{}, `{"Policies":[{"Type":"ACL","Settings":{"Action":"Allow","Direction":"In","Protocols":"6,999"}}]}`, `Settings.Protocols "999": not a protocol number`},
		{"acl addresses", &Endpoint{}, `{"Policies":[{"Type":"ACL","Settings":{"Action":"Allow","Direction":"Out","RemoteAddresses":"10.0.0.0/8,10.1.0.0/33"}}]}`, `RemoteAddresses "10.1.0.0/33": prefix length out of range`},
		{"outbound nat", &Endpoint{}, `{"Policies":[{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.0.0.0/8","bad"]}}]}`, `Settings.Exceptions[1] "bad": not an IP address`},
		{"sdn route", &Endpoint{}, `{"Policies":[{"Type":"SDNRoute","Settings":{"NeedEncap":true}}]}`, `Settings.DestinationPrefix: required`},
		{"settings type mismatch", &Endpoint{}, `{"Policies":[{"Type":"ACL"}]}`, ""},
		{"unknown policy ok", &Endpoint{}, `{"Policies":[{"Type":"Future","Settings":{"x":1}}]}`, ""},
	})
	p := Policy{Type: PolicyTypeACL, Settings: &QOSPolicySetting{}}
	e := Endpoint{Policies: []Policy{p}}
	if err := e.Validate(); err == nil || !strings.Contains(err.Error(), "Policies[0].Settings") {
		t.Errorf("mismatched settings: %v", err)
	}
}

func TestValidateEndpointInNetwork(t *testing.T) {
	var n Network
	mustDecode(t, `{"Name":"slice","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.200.0.16/28","Routes":[{"NextHop":"10.200.0.17","DestinationPrefix":"0.0.0.0/0"}]}]}]}`, &n)
	tests := []struct {
		ip   string
		bits uint8
		want string
	}{
		{"10.200.0.18", 0, ""},
		{"10.200.0.30", 0, ""},
		{"10.200.0.18", 28, ""},
		{"10.200.0.18", 32, ""},
		{"10.200.0.18", 24, `IpConfigurations[0].PrefixLength "24": differs from the subnet 10.200.0.16/28 of network "slice"`},
		{"10.200.0.17", 0, `IpConfigurations[0].IpAddress "10.200.0.17": is the gateway of the subnet 10.200.0.16/28`},
		{"10.200.0.16", 0, `is the network address of the subnet 10.200.0.16/28`},
		{"10.200.0.31", 0, `is the broadcast address of the subnet 10.200.0.16/28`},
		{"10.200.0.32", 0, `IpConfigurations[0].IpAddress "10.200.0.32": not inside any subnet of network "slice"`},
	}
	for _, tt := range tests {
		e := Endpoint{IpConfigurations: []IPConfig{{IpAddress: tt.ip, PrefixLength: tt.bits}}}
		err := e.ValidateIn(&n)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.ip, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: got %v, want %q", tt.ip, err, tt.want)
		}
	}
}

func TestValidateOthers(t *testing.T) {
	runValidation(t, []validationCase{
		{"lb ok", &LoadBalancer{}, `{"HostComputeEndpoints":["028abaed-7ff6-4fdc-992c-d3b004936be0"],"FrontendVIPs":["10.99.234.145"],"PortMappings":[{"Protocol":6,"InternalPort":8080,"ExternalPort":80}]}`, ""},
		{"lb internal port", &LoadBalancer{}, `{"PortMappings":[{"Protocol":6,"ExternalPort":80}]}`, `PortMappings[0].InternalPort: must not be zero`},
		{"lb protocol", &LoadBalancer{}, `{"PortMappings":[{"Protocol":0,"InternalPort":8080}]}`, `PortMappings[0].Protocol "0": unknown protocol`},
		{"lb distribution", &LoadBalancer{}, `{"PortMappings":[{"Protocol":17,"InternalPort":53,"DistributionType":9}]}`, `PortMappings[0].DistributionType "9"`},
		{"lb vip", &LoadBalancer{}, `{"FrontendVIPs":["10.0.0.1","x"]}`, `FrontendVIPs[1] "x": not an IP address`},
		{"lb endpoint", &LoadBalancer{}, `{"HostComputeEndpoints":["EPID-1"]}`, `HostComputeEndpoints[0] "EPID-1": not a GUID`},
		{"ns ok", &Namespace{}, `{"Type":"HostDefault","Resources":[{"Type":"Endpoint","Data":{"ID":"8f109901-9970-4fda-bb2b-e9882fb3e8fb"}}]}`, ""},
		{"ns type", &Namespace{}, `{"Type":"Pod"}`, `Type "Pod": unknown namespace type`},
		{"ns resource", &Namespace{}, `{"Resources":[{"Type":"Endpoint","Data":{}}]}`, `Resources[0].Data.ID: required`},
		{"ns resource type", &Namespace{}, `{"Resources":[{"Type":"Disk","Data":{"ID":"8f109901-9970-4fda-bb2b-e9882fb3e8fb"}}]}`, `Resources[0].Type "Disk"`},
		{"route ok", &SDNRoute{}, `{"Setting":[{"DestinationPrefix":"10.0.0.0/8","NextHop":"10.1.0.1","NeedEncap":true}]}`, ""},
		{"route prefix", &SDNRoute{}, `{"Routes":[{"DestinationPrefix":"10.0.0.1/8"}]}`, `Setting[0].DestinationPrefix "10.0.0.1/8": host bits set`},
		{"gns", &GuestNetworkService{}, `{"VirtualMachineId":"vm"}`, `VirtualMachineId "vm": not a GUID`},
	})
}

func TestValidateModifyAndQuery(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":"87fdcf16-d210-426e-959d-2a1d4f41d6d1"}}`, ""},
		{`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":"{87FDCF16-D210-426E-959D-2A1D4F41D6D1}"}}`,
			`Settings.EndpointId "{87FDCF16-D210-426E-959D-2A1D4F41D6D1}": the service wants the bare lower-case form 87fdcf16-d210-426e-959d-2a1d4f41d6d1`},
		{`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{}}`, `Settings.EndpointId: required`},
		{`{"ResourceType":2,"RequestType":"Add","Settings":{"Policies":[]}}`, `ResourceType "2": numeric resource type`},
		{`{"RequestType":"Add"}`, `ResourceType: required`},
		{`{"ResourceType":"Policy","RequestType":"Upsert"}`, `RequestType "Upsert"`},
		{`{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"VLAN","Settings":{"IsolationId":0}}]}}`, `Settings.Policies[0].Settings.IsolationId "0"`},
		{`{"ResourceType":"State","RequestType":"Update","Settings":{"State":"Sleeping"}}`, `Settings.State "Sleeping"`},
		{`{"ResourceType":"Container","RequestType":"Add","Settings":{}}`, `Settings.ContainerId: required`},
		{`{"ResourceType":"Subnet","RequestType":"Add","Settings":{"IpAddressPrefix":"10.0.0.0/40"}}`, `Settings.IpAddressPrefix "10.0.0.0/40"`},
	}
	for _, tt := range tests {
		var m ModifyRequest
		mustDecode(t, tt.json, &m)
		err := m.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && (!strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid))) {
			t.Errorf("%s: got %v, want %q", tt.json, err, tt.want)
		}
	}
	m := ModifyRequest{ResourceType: ResourcePolicy, RequestType: RequestAdd, Settings: &NamespaceEndpointRequest{}}
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "settings of a Endpoint request in a Policy request") {
		t.Errorf("mismatched settings: %v", err)
	}
	q := Query{Filter: `{"Name":`}
	if err := q.Validate(); err == nil || !strings.Contains(err.Error(), `hcn: invalid Filter "{\"Name\":": not a JSON object`) {
		t.Errorf("query: %v", err)
	}
	var ve *ValidationError
	if err := (&Network{ID: "x", Dns: DNS{ServerList: []string{"y"}}}).Validate(); !errors.As(err, &ve) || ve.Path != "ID" {
		t.Errorf("joined errors: first is %v", err)
	}
	if b, _ := json.Marshal(ve); len(b) == 0 {
		t.Error("ValidationError does not encode")
	}
}
