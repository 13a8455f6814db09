package hcn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// Property tests: for generated documents, encode → decode → encode gives
// the same bytes, and members set through Extra survive.

func genText() *rapid.Generator[string] {
	return rapid.OneOf(rapid.StringMatching(`[A-Za-z0-9 ._:/{}-]{0,16}`), rapid.String())
}

// genEnum draws a known name in any case, an unknown name, or an unknown
// number kept as digits.
func genEnum[T ~string](names ...string) *rapid.Generator[T] {
	return rapid.Custom(func(t *rapid.T) T {
		switch rapid.IntRange(0, 3).Draw(t, "enumKind") {
		case 0:
			return ""
		case 1:
			return T(fmt.Sprint(rapid.IntRange(100, 1000).Draw(t, "enumNumber")))
		case 2:
			return T(genText().Draw(t, "enumText"))
		}
		return T(rapid.SampledFrom(names).Draw(t, "enumName"))
	})
}

func genStrings(t *rapid.T, label string) []string {
	return rapid.SliceOfN(genText(), -1, 3).Draw(t, label)
}

// genIDs is genStrings as ids (any text: the codec keeps it as written).
func genIDs(t *rapid.T, label string) []ID {
	var ids []ID
	for _, s := range genStrings(t, label) {
		ids = append(ids, ID(s))
	}
	return ids
}

// genExtra adds unknown members whose keys cannot collide with modelled
// ones.
func genExtra(t *rapid.T, e *Extra) {
	n := rapid.IntRange(0, 2).Draw(t, "extras")
	for i := 0; i < n; i++ {
		v, _ := json.Marshal(rapid.OneOf(
			rapid.Just[any](nil), rapid.Just[any](true),
			rapid.Map(rapid.Int64(), func(x int64) any { return x }),
			rapid.Map(genText(), func(s string) any { return s }),
			rapid.Just[any](map[string]any{"nested": []any{1, "x", nil}}),
		).Draw(t, "extraValue"))
		_ = e.Set(fmt.Sprintf("XUnknown%d", i), v)
	}
}

func genPolicy() *rapid.Generator[Policy] {
	return rapid.Custom(func(t *rapid.T) Policy {
		var p Policy
		switch rapid.IntRange(0, 6).Draw(t, "policyKind") {
		case 0:
			p = OutBoundNATPolicy()
			s := p.Settings.(*OutboundNATPolicySetting)
			s.Exceptions, s.VirtualIP = genStrings(t, "exceptions"), genText().Draw(t, "vip")
			genExtra(t, &s.Unknown)
		case 1:
			p = NewPolicy(&SDNRoutePolicySetting{DestinationPrefix: genText().Draw(t, "dst"), NeedEncap: rapid.Bool().Draw(t, "encap")})
		case 2:
			p = NewPolicy(&ACLPolicySetting{
				Action: genEnum[ActionType](actionNames...).Draw(t, "action"), Direction: genEnum[DirectionType](directionNames...).Draw(t, "dir"),
				RuleType: genEnum[RuleType](ruleTypeNames...).Draw(t, "rule"), Priority: rapid.Uint16().Draw(t, "prio"),
				RemoteAddresses: genText().Draw(t, "remote"),
			})
		case 3:
			p = PortMappingPolicy(Protocol(rapid.Uint32().Draw(t, "proto")), rapid.Uint16().Draw(t, "in"), rapid.Uint16().Draw(t, "out"))
		case 4:
			p = NewPolicy(&RemoteSubnetRoutePolicySetting{DestinationPrefix: genText().Draw(t, "d"), IsolationID: rapid.Uint16().Draw(t, "iso")})
		case 5:
			p = Policy{Type: genEnum[PolicyType]("VLAN", "VSID", "Future").Draw(t, "rawType")}
			if rapid.Bool().Draw(t, "hasRaw") {
				raw, _ := json.Marshal(genText().Draw(t, "rawSettings"))
				p.Settings = RawSettings(raw)
			}
		case 6:
			p = NewPolicy(&TierACLPolicySetting{Name: genText().Draw(t, "tier"), TierAclRules: []TierACLRule{{ID: genText().Draw(t, "rid"), Priority: 7}}})
		}
		genExtra(t, &p.Unknown)
		return p
	})
}

func genRoute(t *rapid.T) Route {
	r := Route{NextHop: genText().Draw(t, "hop"), DestinationPrefix: genText().Draw(t, "dst"), Metric: rapid.Uint16().Draw(t, "metric")}
	genExtra(t, &r.Unknown)
	return r
}

func genNetwork() *rapid.Generator[*Network] {
	return rapid.Custom(func(t *rapid.T) *Network {
		n := &Network{
			ID: ID(genText().Draw(t, "id")), Name: genText().Draw(t, "name"),
			Type:     genEnum[NetworkType](networkTypeNames...).Draw(t, "type"),
			Policies: rapid.SliceOfN(genPolicy(), -1, 3).Draw(t, "policies"),
			Flags:    NetworkFlags(rapid.Uint32().Draw(t, "flags")),
			Dns:      DNS{Domain: genText().Draw(t, "domain"), ServerList: genStrings(t, "servers")},
		}
		if rapid.Bool().Draw(t, "hasVersion") {
			n.SchemaVersion = SchemaVersion{Major: rapid.Uint32().Draw(t, "major"), Minor: rapid.Uint32().Draw(t, "minor")}
		}
		for i := rapid.IntRange(0, 2).Draw(t, "ipams"); i > 0; i-- {
			s := Subnet{IpAddressPrefix: genText().Draw(t, "prefix"), Flags: SubnetFlags(rapid.Uint32().Draw(t, "sflags"))}
			s.Routes = append(s.Routes, genRoute(t))
			s.Policies = rapid.SliceOfN(genPolicy(), -1, 2).Draw(t, "subnetPolicies")
			n.Ipams = append(n.Ipams, IPAM{Type: genEnum[IPAMType](ipamTypeNames...).Draw(t, "ipamType"), Subnets: []Subnet{s}})
		}
		n.MacPool.Ranges = []MacRange{{StartMacAddress: genText().Draw(t, "mac")}}
		n.Version = rapid.Uint64().Draw(t, "version")
		genExtra(t, &n.Unknown)
		return n
	})
}

func genEndpoint() *rapid.Generator[*Endpoint] {
	return rapid.Custom(func(t *rapid.T) *Endpoint {
		e := &Endpoint{
			ID: ID(genText().Draw(t, "id")), HostComputeNetwork: ID(genText().Draw(t, "net")),
			Policies:   rapid.SliceOfN(genPolicy(), -1, 3).Draw(t, "policies"),
			MacAddress: genText().Draw(t, "mac"),
			Flags:      EndpointFlags(rapid.Uint32().Draw(t, "flags")),
		}
		for i := rapid.IntRange(0, 2).Draw(t, "ips"); i > 0; i-- {
			e.IpConfigurations = append(e.IpConfigurations, IPConfig{IpAddress: genText().Draw(t, "ip"), PrefixLength: rapid.Uint8().Draw(t, "len")})
		}
		e.Routes = []Route{genRoute(t)}
		genExtra(t, &e.Unknown)
		return e
	})
}

func genLoadBalancer() *rapid.Generator[*LoadBalancer] {
	return rapid.Custom(func(t *rapid.T) *LoadBalancer {
		lb := &LoadBalancer{
			HostComputeEndpoints: genIDs(t, "eps"), SourceVIP: genText().Draw(t, "src"),
			FrontendVIPs: genStrings(t, "vips"), Flags: LoadBalancerFlags(rapid.Uint32().Draw(t, "flags")),
		}
		for i := rapid.IntRange(0, 2).Draw(t, "maps"); i > 0; i-- {
			m := PortMapping{Protocol: Protocol(rapid.Uint32().Draw(t, "p")), InternalPort: rapid.Uint16().Draw(t, "i"),
				ExternalPort: rapid.Uint16().Draw(t, "e"), DistributionType: DistributionType(rapid.Uint32().Draw(t, "d"))}
			genExtra(t, &m.Unknown)
			lb.PortMappings = append(lb.PortMappings, m)
		}
		genExtra(t, &lb.Unknown)
		return lb
	})
}

func genNamespace() *rapid.Generator[*Namespace] {
	return rapid.Custom(func(t *rapid.T) *Namespace {
		ns := &Namespace{ID: ID(genText().Draw(t, "id")), NamespaceID: rapid.Uint32().Draw(t, "nsid"),
			Type: genEnum[NamespaceType](namespaceTypeNames...).Draw(t, "type")}
		for i := rapid.IntRange(0, 2).Draw(t, "res"); i > 0; i-- {
			ns.Resources = append(ns.Resources, NamespaceResource{
				Type: genEnum[NamespaceResourceType]("Endpoint", "Container").Draw(t, "rtype"),
				Data: NamespaceResourceData{ID: ID(genText().Draw(t, "rid"))}})
		}
		genExtra(t, &ns.Unknown)
		return ns
	})
}

func genModify() *rapid.Generator[*ModifyRequest] {
	return rapid.Custom(func(t *rapid.T) *ModifyRequest {
		req := genEnum[RequestType]("Add", "Remove", "Update").Draw(t, "req")
		var m ModifyRequest
		switch rapid.IntRange(0, 3).Draw(t, "modifyKind") {
		case 0:
			m = ModifyPolicies(req, rapid.SliceOfN(genPolicy(), 0, 2).Draw(t, "policies")...)
		case 1:
			m = NewModifyRequest(req, &NamespaceEndpointRequest{EndpointID: ID(genText().Draw(t, "ep"))})
		case 2:
			m = NewModifyRequest(req, &EndpointPortRequest{PortID: genText().Draw(t, "port")})
		case 3:
			m = ModifyRequest{ResourceType: genEnum[ResourceType]("Future").Draw(t, "rt"), RequestType: req}
		}
		genExtra(t, &m.Unknown)
		return &m
	})
}

func genQuery() *rapid.Generator[*Query] {
	return rapid.Custom(func(t *rapid.T) *Query {
		q := NewQuery()
		if rapid.Bool().Draw(t, "byName") {
			q = QueryByName(genText().Draw(t, "name"))
		}
		q.Flags = QueryFlags(rapid.Uint32().Draw(t, "flags"))
		q.Filter = QueryFilter(rapid.SampledFrom([]string{string(q.Filter), "", `{"IsDefault":true}`, genText().Draw(t, "filterText")}).Draw(t, "filter"))
		genExtra(t, &q.Unknown)
		return &q
	})
}

func genSDNRoute() *rapid.Generator[*SDNRoute] {
	return rapid.Custom(func(t *rapid.T) *SDNRoute {
		r := &SDNRoute{ID: ID(genText().Draw(t, "id")), HostComputeEndpoints: genIDs(t, "eps")}
		for i := rapid.IntRange(0, 2).Draw(t, "routes"); i > 0; i-- {
			s := SDNRoutePolicySetting{DestinationPrefix: genText().Draw(t, "dst"), NextHop: genText().Draw(t, "hop"),
				NeedEncap: rapid.Bool().Draw(t, "encap"), AutomaticEndpointMonitor: rapid.Bool().Draw(t, "mon")}
			genExtra(t, &s.Unknown)
			r.Routes = append(r.Routes, s)
		}
		genExtra(t, &r.Unknown)
		return r
	})
}

// checkStable encodes v, decodes into a new value of its type, encodes
// again and compares bytes (so every generated unknown member survives).
func checkStable(t *rapid.T, v any) {
	first, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	back := reflect.New(reflect.TypeOf(v).Elem()).Interface()
	if err := json.Unmarshal(first, back); err != nil {
		t.Fatalf("decode %s: %v", first, err)
	}
	second, err := json.Marshal(back)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("not stable:\n%s\n%s", first, second)
	}
}

func TestPropertyNetworkStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkStable(t, genNetwork().Draw(t, "network")) })
}

func TestPropertyEndpointStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkStable(t, genEndpoint().Draw(t, "endpoint")) })
}

func TestPropertyLoadBalancerStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkStable(t, genLoadBalancer().Draw(t, "lb")) })
}

func TestPropertyNamespaceStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkStable(t, genNamespace().Draw(t, "ns")) })
}

func TestPropertyPolicyStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPolicy().Draw(t, "policy")
		checkStable(t, &p)
	})
}

func TestPropertyModifyStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkStable(t, genModify().Draw(t, "modify")) })
}

// TestPropertyUnknownMembersSurvive checks that generated unknown members
// come back from a decode with the same values.
func TestPropertyUnknownMembersSurvive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := genNetwork().Draw(t, "network")
		b, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		var back Network
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		for _, k := range n.Unknown.Keys() {
			want, _ := n.Unknown.Get(k)
			got, ok := back.Unknown.Get(k)
			if !ok || !bytes.Equal(want, got) {
				t.Fatalf("member %s: got %s, want %s", k, got, want)
			}
		}
	})
}

func TestPropertyQueryStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkStable(t, genQuery().Draw(t, "query")) })
}

func TestPropertySDNRouteStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { checkStable(t, genSDNRoute().Draw(t, "route")) })
}
