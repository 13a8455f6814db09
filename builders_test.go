package hcn

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInternalNetwork(t *testing.T) {
	n, err := InternalNetwork("zlayer-node-1", netip.MustParsePrefix("10.200.0.16/28"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Name":"zlayer-node-1","Type":"Internal","Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"10.200.0.16/28","Routes":[{"NextHop":"10.200.0.17","DestinationPrefix":"0.0.0.0/0"}]}]}],"SchemaVersion":{"Major":2,"Minor":0}}`
	if got := mustJSON(t, n); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(mustJSON(t, n), "Policies") {
		t.Error("an Internal network must not carry a Policies key")
	}
	if err := n.Validate(); err != nil {
		t.Errorf("built network does not validate: %v", err)
	}
}

func TestTransparentNetworkIPv6(t *testing.T) {
	n, err := TransparentNetwork("t", netip.MustParsePrefix("fd00:200::/64"), "Ethernet 2")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Name":"t","Type":"Transparent","Policies":[{"Type":"NetAdapterName","Settings":{"NetworkAdapterName":"Ethernet 2"}}],"Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"fd00:200::/64","Routes":[{"NextHop":"fd00:200::1","DestinationPrefix":"::/0"}]}]}],"SchemaVersion":{"Major":2,"Minor":0}}`
	if got := mustJSON(t, n); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := n.Validate(); err != nil {
		t.Errorf("built network does not validate: %v", err)
	}
	if _, err := TransparentNetwork("t", netip.MustParsePrefix("10.0.0.0/24"), ""); err == nil || !strings.Contains(err.Error(), "uplinkAdapter") {
		t.Errorf("empty uplink: %v", err)
	}
	if _, err := InternalNetwork("", netip.MustParsePrefix("10.0.0.0/24")); err == nil || !strings.Contains(err.Error(), "Name") {
		t.Errorf("empty name: %v", err)
	}
}

func TestGatewayFor(t *testing.T) {
	tests := []struct{ prefix, gw, route string }{
		{"10.200.0.16/28", "10.200.0.17", "0.0.0.0/0"},
		{"10.0.0.0/30", "10.0.0.1", "0.0.0.0/0"},
		{"192.168.0.0/16", "192.168.0.1", "0.0.0.0/0"},
		{"fd00::/64", "fd00::1", "::/0"},
		{"fd00::/126", "fd00::1", "::/0"},
	}
	for _, tt := range tests {
		p := netip.MustParsePrefix(tt.prefix)
		gw, err := GatewayFor(p)
		if err != nil || gw.String() != tt.gw {
			t.Errorf("GatewayFor(%s) = %v, %v; want %s", tt.prefix, gw, err, tt.gw)
		}
		r, err := DefaultRoute(p)
		if err != nil || r.NextHop != tt.gw || r.DestinationPrefix != tt.route {
			t.Errorf("DefaultRoute(%s) = %+v, %v", tt.prefix, r, err)
		}
	}
}

func TestSliceRejections(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.0.0.0/31", `hcn: invalid prefix "10.0.0.0/31": a /31 leaves no address for endpoints after the gateway`},
		{"10.0.0.1/32", `"10.0.0.1/32": a /32 leaves no address`},
		{"fd00::/127", `"fd00::/127": a /127 leaves no address`},
		{"fd00::1/128", `"fd00::1/128": a /128 leaves no address`},
		{"10.0.0.5/28", `"10.0.0.5/28": host bits set (the network is 10.0.0.0/28)`},
		{"::ffff:10.0.0.0/120", `IPv4-mapped`},
		{"10.0.0.0", `hcn: invalid prefix "10.0.0.0": not a CIDR prefix`},
		{"10.0.0.0/33", `"10.0.0.0/33": not a CIDR prefix`},
		{"", `invalid prefix: not a CIDR prefix`},
		{"banana/24", `"banana/24"`},
	}
	for _, tt := range tests {
		_, err := ParseSlice(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseSlice(%q) = %v, want %q", tt.in, err, tt.want)
		}
		if p, perr := netip.ParsePrefix(tt.in); perr == nil {
			if _, err := InternalNetwork("n", p); err == nil || !strings.Contains(err.Error(), tt.in) {
				t.Errorf("InternalNetwork(%s): %v", tt.in, err)
			}
			if _, err := GatewayFor(p); err == nil {
				t.Errorf("GatewayFor(%s) accepted", tt.in)
			}
		}
	}
	if _, err := GatewayFor(netip.Prefix{}); err == nil || !strings.Contains(err.Error(), "not a valid prefix") {
		t.Errorf("zero prefix: %v", err)
	}
}

func TestPolicyConstructors(t *testing.T) {
	pfx := netip.MustParsePrefix
	addr := netip.MustParseAddr
	tests := []struct {
		p    Policy
		want string
	}{
		{OutBoundNATPolicy(), `{"Type":"OutBoundNAT","Settings":{}}`},
		{OutBoundNATPolicy(pfx("10.0.0.0/8"), pfx("fd00::/8")), `{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.0.0.0/8","fd00::/8"]}}`},
		{SDNRoutePolicy(pfx("10.96.0.0/12"), netip.Addr{}, false), `{"Type":"SDNRoute","Settings":{"DestinationPrefix":"10.96.0.0/12","NeedEncap":false}}`},
		{SDNRoutePolicy(pfx("0.0.0.0/0"), addr("10.0.0.1"), true), `{"Type":"SDNRoute","Settings":{"DestinationPrefix":"0.0.0.0/0","NextHop":"10.0.0.1","NeedEncap":true}}`},
		{InboundAllowACL(pfx("10.0.0.0/8"), pfx("192.168.1.5/32")), `{"Type":"ACL","Settings":{"Action":"Allow","Direction":"In","RemoteAddresses":"10.0.0.0/8,192.168.1.5/32","RuleType":"Switch","Priority":65500}}`},
		{InboundAllowACL(), `{"Type":"ACL","Settings":{"Action":"Allow","Direction":"In","RuleType":"Switch","Priority":65500}}`},
		{NetAdapterNamePolicy("Ethernet"), `{"Type":"NetAdapterName","Settings":{"NetworkAdapterName":"Ethernet"}}`},
		{PortMappingPolicy(ProtocolTCP, 80, 8080), `{"Type":"PortMapping","Settings":{"Protocol":6,"InternalPort":80,"ExternalPort":8080}}`},
		{RemoteSubnetRoutePolicy(pfx("192.168.2.0/24"), 5000, addr("1.1.1.1"), "00-12-34-56-78-9a"), `{"Type":"RemoteSubnetRoute","Settings":{"DestinationPrefix":"192.168.2.0/24","IsolationId":5000,"ProviderAddress":"1.1.1.1","DistributedRouterMacAddress":"00-12-34-56-78-9a"}}`},
		{NewPolicy(&RemoteSubnetRoutePolicySetting{}), `{"Type":"RemoteSubnetRoute","Settings":{"DestinationPrefix":"","IsolationId":0,"ProviderAddress":"","DistributedRouterMacAddress":""}}`},
		{ProviderAddressPolicy(addr("10.0.133.170")), `{"Type":"ProviderAddress","Settings":{"ProviderAddress":"10.0.133.170"}}`},
		{HostRoutePolicy(), `{"Type":"HostRoute","Settings":{}}`},
		{VSIDPolicy(4096), `{"Type":"VSID","Settings":{"IsolationId":4096}}`},
		{VLANPolicy(100), `{"Type":"VLAN","Settings":{"IsolationId":100}}`},
		{QOSPolicy(1 << 20), `{"Type":"QOS","Settings":{"MaximumOutgoingBandwidthInBytes":1048576}}`},
		{PortNamePolicy("p"), `{"Type":"PortName","Settings":{"Name":"p"}}`},
		{EncapOverheadPolicy(50), `{"Type":"EncapOverhead","Settings":{"Overhead":50}}`},
		{VxlanPortPolicy(4789), `{"Type":"VxlanPort","Settings":{"Port":4789}}`},
		{InterfaceParametersPolicy(1450), `{"Type":"InterfaceParameters","Settings":{"Mtu":1450}}`},
		{Policy{Type: "Custom", Settings: RawSettings(`[1,2]`)}, `{"Type":"Custom","Settings":[1,2]}`},
		{Policy{Type: "PortName"}, `{"Type":"PortName"}`},
	}
	for _, tt := range tests {
		if got := mustJSON(t, tt.p); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
		var back Policy
		mustDecode(t, tt.want, &back)
		if got := mustJSON(t, back); got != tt.want {
			t.Errorf("round trip: %s", got)
		}
	}
}

func TestModifyConstructors(t *testing.T) {
	id := MustParseGUID("{87FDCF16-D210-426E-959D-2A1D4F41D6D1}")
	tests := []struct {
		m    ModifyRequest
		want string
	}{
		{ModifyNamespaceEndpoint(RequestAdd, id.ID()), `{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":"87fdcf16-d210-426e-959d-2a1d4f41d6d1"}}`},
		{ModifyNamespaceContainer(RequestRemove, "c1"), `{"ResourceType":"Container","RequestType":"Remove","Settings":{"ContainerId":"c1"}}`},
		{ModifyPolicies(RequestAdd, HostRoutePolicy()), `{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"HostRoute","Settings":{}}]}}`},
		{ModifyPolicies(RequestRemove), `{"ResourceType":"Policy","RequestType":"Remove","Settings":{"Policies":[]}}`},
		{ModifyDNS(RequestUpdate, DNS{ServerList: []string{"10.0.0.53"}}), `{"ResourceType":"DNS","RequestType":"Update","Settings":{"ServerList":["10.0.0.53"]}}`},
		{ModifyExtension(RequestUpdate, ExtensionRequest{Name: "Microsoft Azure VFP Switch Extension", IsEnabled: true}), `{"ResourceType":"Extension","RequestType":"Update","Settings":{"Name":"Microsoft Azure VFP Switch Extension","IsEnabled":true}}`},
		{ModifySubnet(RequestAdd, Subnet{IpAddressPrefix: "10.1.0.0/24"}), `{"ResourceType":"Subnet","RequestType":"Add","Settings":{"IpAddressPrefix":"10.1.0.0/24"}}`},
		{ModifyIPSubnet(RequestRemove, IPSubnet{IpAddressPrefix: "10.1.0.0/25"}), `{"ResourceType":"IPSubnet","RequestType":"Remove","Settings":{"IpAddressPrefix":"10.1.0.0/25"}}`},
		{ModifyEndpointPort(RequestAdd, EndpointPortRequest{PortID: id.String(), VirtualMachineID: id.String()}), `{"ResourceType":"Port","RequestType":"Add","Settings":{"PortId":"87fdcf16-d210-426e-959d-2a1d4f41d6d1","VirtualMachineId":"87fdcf16-d210-426e-959d-2a1d4f41d6d1"}}`},
		{ModifyGuestNetworkServiceState(GNSStatePaused), `{"ResourceType":"State","RequestType":"Update","Settings":{"State":"Paused"}}`},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
		if err := tt.m.Validate(); err != nil {
			t.Errorf("%s: %v", tt.want, err)
		}
		var back ModifyRequest
		mustDecode(t, tt.want, &back)
		if got := mustJSON(t, back); got != tt.want {
			t.Errorf("round trip: %s", got)
		}
		if back.Settings == nil || back.Settings.ResourceType() != tt.m.ResourceType {
			t.Errorf("%s: settings decoded as %T", tt.want, back.Settings)
		}
	}
}

func TestResolveResourceType(t *testing.T) {
	var m ModifyRequest
	mustDecode(t, `{"ResourceType":2,"RequestType":0,"Settings":{"Policies":[{"Type":"HostRoute","Settings":{}}]}}`, &m)
	if m.ResourceType != "2" || m.RequestType != RequestAdd {
		t.Fatalf("decoded %q %q", m.ResourceType, m.RequestType)
	}
	if err := m.ResolveResourceType(KindNamespace); err == nil {
		t.Error("2 is not a namespace resource type")
	}
	if err := m.ResolveResourceType(KindNetwork); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Settings.(*PolicyRequest); !ok || m.ResourceType != ResourcePolicy {
		t.Errorf("after resolve: %q %T", m.ResourceType, m.Settings)
	}
	if got := m.String(); got != `{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"HostRoute","Settings":{}}]}}` {
		t.Errorf("got %s", got)
	}
}

func TestQueryBuilders(t *testing.T) {
	id := MustParseGUID("5F0B1190-63BE-4E0C-B974-BD0F55675A42")
	tests := []struct {
		q    Query
		want string
	}{
		{NewQuery(), `{"SchemaVersion":{"Major":2,"Minor":0}}`},
		{QueryByID(id.ID()), `{"SchemaVersion":{"Major":2,"Minor":0},"Filter":"{\"ID\":\"5f0b1190-63be-4e0c-b974-bd0f55675a42\"}"}`},
		{QueryByName(`a"b`), `{"SchemaVersion":{"Major":2,"Minor":0},"Filter":"{\"Name\":\"a\\\"b\"}"}`},
		{QueryByNetwork(id.ID()).Detailed(), `{"SchemaVersion":{"Major":2,"Minor":0},"Flags":1,"Filter":"{\"VirtualNetwork\":\"5f0b1190-63be-4e0c-b974-bd0f55675a42\"}"}`},
		{QueryDefaultNamespace(), `{"SchemaVersion":{"Major":2,"Minor":0},"Filter":"{\"IsDefault\":true}"}`},
	}
	for _, tt := range tests {
		if got := tt.q.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
		if err := tt.q.Validate(); err != nil {
			t.Errorf("%s: %v", tt.want, err)
		}
	}
	q, err := NewQuery().WithFilter(map[string]any{"Name": "nat", "IsDefault": false})
	if err != nil {
		t.Fatal(err)
	}
	m, err := q.FilterMap()
	if err != nil || !cmp.Equal(m, map[string]any{"Name": "nat", "IsDefault": false}) {
		t.Errorf("FilterMap = %v, %v", m, err)
	}
	if _, err := NewQuery().WithFilter(map[string]any{"f": func() {}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unencodable filter: %v", err)
	}
	for _, bad := range []string{`[1]`, `"x"`, `{"a":1} {}`, `{`} {
		if _, err := NewQuery().WithFilterText(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("WithFilterText(%s): %v", bad, err)
		}
	}
	if m, err := NewQuery().FilterMap(); err != nil || len(m) != 0 {
		t.Errorf("empty filter: %v %v", m, err)
	}
}

func TestNotificationAndStats(t *testing.T) {
	n, err := ParseEvent(NotificationNetworkCreate, S_OK, `{"ID":"{5F0B1190-63BE-4E0C-B974-BD0F55675A42}","Flags":2,"Data":{"x":1}}`)
	if err != nil || n.ID.Canonical() != "5f0b1190-63be-4e0c-b974-bd0f55675a42" || n.Kind != KindNetwork || n.Flags != 2 || string(n.Data) != `{"x":1}` || n.Type != NotificationNetworkCreate {
		t.Errorf("got %+v, %v", n, err)
	}
	if n, err := ParseEvent(NotificationServiceDisconnect, E_FAIL, "  "); err != nil || n.Status != E_FAIL || !n.ID.IsZero() {
		t.Errorf("empty payload: %+v %v", n, err)
	}
	for _, bad := range []string{`{"ID":"nope"}`, `[1]`, `{"Flags":"x"}`, `{`} {
		if _, err := ParseEvent(NotificationNetworkCreate, S_OK, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	s, err := ParseEndpointStats(`{"BytesSent":5,"PacketsSent":1}`)
	if err != nil || s.BytesSent != 5 || s.BytesReceived != 0 || s.PacketsSent != 1 {
		t.Errorf("stats: %+v %v", s, err)
	}
	if _, err := ParseEndpointStats(`{"BytesSent":-1}`); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative counter: %v", err)
	}
	b, _ := json.Marshal(s)
	if string(b) != `{"BytesSent":5,"PacketsSent":1}` {
		t.Errorf("stats encode: %s", b)
	}
}
