package hcn

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const allScopes = PolicyScopeNetwork | PolicyScopeEndpoint | PolicyScopeSubnet

// TestPolicyRegistryRows checks each row: its name is its settings' type,
// names are unique in any case, scopes are set, features are known, and
// lookups ignore case.
func TestPolicyRegistryRows(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range policyTable {
		if got := r.proto.PolicyType(); got != r.typ {
			t.Errorf("row %s holds settings of %s", r.typ, got)
		}
		if k := reflect.TypeOf(r.proto).Kind(); k != reflect.Struct {
			t.Errorf("row %s: prototype is a %s, want a struct value", r.typ, k)
		}
		if r.scope == 0 || r.scope&^allScopes != 0 {
			t.Errorf("row %s: scope %s", r.typ, r.scope)
		}
		if r.feature != 0 && !r.feature.Valid() {
			t.Errorf("row %s: feature %s", r.typ, r.feature)
		}
		if r.schema.Major != 0 && r.schema.Major != 2 {
			t.Errorf("row %s: schema %s", r.typ, r.schema)
		}
		low := strings.ToLower(string(r.typ))
		if seen[low] {
			t.Errorf("row %s appears twice", r.typ)
		}
		seen[low] = true
		for _, spelling := range []PolicyType{r.typ, PolicyType(low), PolicyType(strings.ToUpper(low))} {
			if lookupPolicy(spelling) == nil || policySettingsType(spelling) != reflect.TypeOf(r.proto) {
				t.Errorf("lookup of %q fails", spelling)
			}
		}
	}
	if lookupPolicy("Future") != nil || policySettingsType("") != nil {
		t.Error("an unknown type has a row")
	}
}

// TestPolicyRegistryCoversSettingsTypes finds every settings type of the
// package (each type with a PolicyType method) and checks it has a row.
func TestPolicyRegistryCoversSettingsTypes(t *testing.T) {
	rows := map[string]bool{}
	for _, r := range policyTable {
		rows[reflect.TypeOf(r.proto).Name()] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "PolicyType" {
				continue
			}
			recv := fn.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			typ := recv.(*ast.Ident).Name
			if typ == "RawSettings" {
				continue
			}
			found++
			if !rows[typ] {
				t.Errorf("%s (%s) has a PolicyType method but no registry row", typ, name)
			}
		}
	}
	if found != len(policyTable) {
		t.Errorf("found %d settings types, the registry has %d rows", found, len(policyTable))
	}
}

// TestKnownPolicyTypes checks KnownPolicyTypes against the order the
// library has always listed them in.
func TestKnownPolicyTypes(t *testing.T) {
	want := []PolicyType{"PortMapping", "ACL", "QOS", "L2Driver", "OutBoundNAT", "SDNRoute", "L4Proxy",
		"L4WFPPROXY", "PortName", "EncapOverhead", "InterfaceConstraint", "ProviderAddress", "Iov",
		"TierAcl", "Encryption", "VLAN", "VSID", "InterfaceParameters", "Firewall", "SourceMacAddress",
		"NetAdapterName", "VSwitchExtension", "DrMacAddress", "AutomaticDNS", "RemoteSubnetRoute",
		"VxlanPort", "HostRoute", "SetPolicy", "NetworkACL", "NetworkL4Proxy", "LayerConstraint"}
	if got := KnownPolicyTypes(); !slices.Equal(got, want) {
		t.Errorf("KnownPolicyTypes() = %v\nwant %v", got, want)
	}
}

// TestPolicyTypeInfo checks the facts the registry publishes, including
// the scopes of the types both of Microsoft's lists name.
func TestPolicyTypeInfo(t *testing.T) {
	tests := []struct {
		typ    PolicyType
		scope  PolicyScope
		schema string
		f      Feature
	}{
		{"portmapping", PolicyScopeEndpoint, "0.0", 0},
		{PolicyTypeL4Proxy, PolicyScopeNetwork | PolicyScopeEndpoint, "0.0", FeatureL4Proxy},
		{PolicyTypeInterfaceConstraint, PolicyScopeNetwork | PolicyScopeEndpoint, "0.0", 0},
		{PolicyTypeProviderAddress, PolicyScopeNetwork | PolicyScopeEndpoint, "0.0", 0},
		{PolicyTypeVLAN, PolicyScopeEndpoint | PolicyScopeSubnet, "2.4", 0},
		{PolicyTypeVSID, PolicyScopeSubnet, "0.0", 0},
		{PolicyTypeL4WFPProxy, PolicyScopeEndpoint, "2.5", FeatureL4WfpProxy},
		{PolicyTypeIov, PolicyScopeEndpoint, "2.9", 0},
		{PolicyTypeTierACL, PolicyScopeEndpoint, "2.10", FeatureTierACL},
		{PolicyTypeEncryption, PolicyScopeEndpoint, "2.1", 0},
		{PolicyTypeInterfaceParameters, PolicyScopeEndpoint, "2.4", 0},
		{PolicyTypeFirewall, PolicyScopeEndpoint, "2.16", 0},
		{PolicyTypeNetworkACL, PolicyScopeNetwork, "0.0", FeatureNetworkACL},
		{PolicyTypeNetworkL4Proxy, PolicyScopeNetwork, "0.0", 0},
		{PolicyTypeNetAdapterName, PolicyScopeNetwork, "0.0", 0},
	}
	for _, tt := range tests {
		info, ok := tt.typ.Info()
		if !ok || !info.Type.Is(tt.typ) || info.Scope != tt.scope || info.MinSchema.String() != tt.schema || info.Feature != tt.f {
			t.Errorf("%s.Info() = %+v, %v; want scope %s, schema %s, feature %s", tt.typ, info, ok, tt.scope, tt.schema, tt.f)
		}
	}
	if info, ok := PolicyType("Future").Info(); ok || info.Type != "" || info.Scope != 0 {
		t.Errorf("unknown type: %+v, %v", info, ok)
	}
	if s := (PolicyScopeNetwork | PolicyScopeEndpoint).String(); s != "network|endpoint" {
		t.Errorf("String() = %q", s)
	}
	if s := PolicyScope(0).String(); s != "none" {
		t.Errorf("String() = %q", s)
	}
}

// fillSettings sets every exported member of v, at every depth, to a value
// that is not its zero value.
func fillSettings(v reflect.Value, n int) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
				fillSettings(v.Field(i), n+i)
			}
		}
	case reflect.String:
		v.SetString("v" + string(rune('a'+n%26)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n%200 + 1))
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n%200 + 1))
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillSettings(s.Index(0), n+1)
		v.Set(s)
	}
}

// TestPolicyRegistryRoundTrip runs every row's settings, each member set,
// through Policy JSON: they decode into the row's type, equal, and encode
// to the same text.
func TestPolicyRegistryRoundTrip(t *testing.T) {
	for _, r := range policyTable {
		t.Run(string(r.typ), func(t *testing.T) {
			ptr := reflect.New(reflect.TypeOf(r.proto))
			fillSettings(ptr.Elem(), len(r.typ))
			in := NewPolicy(ptr.Interface().(PolicySettings))
			if in.Type != r.typ {
				t.Fatalf("NewPolicy type %q", in.Type)
			}
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			var out Policy
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("decode %s: %v", b, err)
			}
			if reflect.TypeOf(out.Settings) != ptr.Type() {
				t.Fatalf("%s decodes as %T", b, out.Settings)
			}
			if !reflect.DeepEqual(out.Settings, in.Settings) {
				t.Errorf("round trip of %s:\n got %+v\nwant %+v", b, out.Settings, in.Settings)
			}
			if b2, err := json.Marshal(out); err != nil || string(b2) != string(b) {
				t.Errorf("re-encoded %s, %v\nwant %s", b2, err, b)
			}
		})
	}
}

// TestPolicyFeatureUnchanged compares the feature gate with the map it
// replaced, for every policy type in several spellings.
func TestPolicyFeatureUnchanged(t *testing.T) {
	old := map[string]Feature{
		"setpolicy":         FeatureSetPolicy,
		"tieracl":           FeatureTierACL,
		"l4wfpproxy":        FeatureL4WfpProxy,
		"l4proxy":           FeatureL4Proxy,
		"networkacl":        FeatureNetworkACL,
		"vxlanport":         FeatureVxlanPort,
		"hostroute":         FeatureHostRoute,
		"remotesubnetroute": FeatureRemoteSubnet,
	}
	oldFeature := func(p Policy) (Feature, bool) {
		f, ok := old[strings.ToLower(string(p.Type))]
		if ok && f == FeatureSetPolicy {
			if s, isSet := SettingsAs[*SetPolicySetting](p); isSet && s.SetType.Is(SetPolicyTypeNestedIPSet) {
				return FeatureNestedIPSet, true
			}
		}
		return f, ok
	}
	var ps []Policy
	for _, pt := range append(KnownPolicyTypes(), "Future", "") {
		for _, spelling := range []string{string(pt), strings.ToLower(string(pt)), strings.ToUpper(string(pt))} {
			ps = append(ps, Policy{Type: PolicyType(spelling)})
		}
	}
	ps = append(ps,
		NewPolicy(&SetPolicySetting{SetType: SetPolicyTypeIPSet}),
		NewPolicy(&SetPolicySetting{SetType: SetPolicyTypeNestedIPSet}),
		NewPolicy(&SetPolicySetting{SetType: "nestedipset"}),
		Policy{Type: "SETPOLICY", Settings: &SetPolicySetting{SetType: SetPolicyTypeNestedIPSet}},
		Policy{Type: PolicyTypeSetPolicy, Settings: RawSettings(`{"PolicyType":"NESTEDIPSET"}`)},
	)
	for _, p := range ps {
		gf, gok := policyFeature(p)
		wf, wok := oldFeature(p)
		if gf != wf || gok != wok {
			t.Errorf("policyFeature(%s) = %s, %v; before: %s, %v", jsonText(p), gf, gok, wf, wok)
		}
	}
	if f, ok := policyFeature(Policy{Type: PolicyTypeSetPolicy, Settings: (*SetPolicySetting)(nil)}); f != FeatureSetPolicy || !ok {
		t.Errorf("nil SetPolicy settings: %s, %v", f, ok)
	}
}

// scopeCase places one policy somewhere in a document: validate returns
// the error, path is the Type member's path there.
type scopeCase struct {
	place    string
	on       PolicyScope
	path     string
	validate func(p Policy) error
}

func subnetWith(p Policy) Subnet {
	return Subnet{IpAddressPrefix: "10.0.0.0/24", Policies: []Policy{{Type: "Future"}, p}}
}

var scopePlaces = []scopeCase{
	{"network", PolicyScopeNetwork, "Policies[1].Type", func(p Policy) error {
		return (&Network{Policies: []Policy{NewPolicy(&HostRoutePolicySetting{}), p}}).Validate()
	}},
	{"endpoint", PolicyScopeEndpoint, "Policies[1].Type", func(p Policy) error {
		return (&Endpoint{Policies: []Policy{OutBoundNATPolicy(), p}}).Validate()
	}},
	{"endpoint in network", PolicyScopeEndpoint, "Policies[0].Type", func(p Policy) error {
		return (&Endpoint{Policies: []Policy{p}}).ValidateIn(&Network{})
	}},
	{"subnet", PolicyScopeSubnet, "Ipams[1].Subnets[2].Policies[1].Type", func(p Policy) error {
		n := Network{Ipams: []IPAM{{}, {Subnets: []Subnet{{}, {}, subnetWith(p)}}}}
		return n.Validate()
	}},
	{"subnet request", PolicyScopeSubnet, "Settings.Policies[1].Type", func(p Policy) error {
		m := ModifySubnet(RequestAdd, subnetWith(p))
		return m.ValidateFor(KindNetwork)
	}},
	{"network policy request", PolicyScopeNetwork, "Settings.Policies[1].Type", func(p Policy) error {
		m := ModifyPolicies(RequestAdd, HostRoutePolicy(), p)
		return m.ValidateFor(KindNetwork)
	}},
	{"endpoint policy request", PolicyScopeEndpoint, "Settings.Policies[1].Type", func(p Policy) error {
		m := ModifyPolicies(RequestRemove, QOSPolicy(1), p)
		return m.ValidateFor(KindEndpoint)
	}},
	{"policy request for either", PolicyScopeNetwork | PolicyScopeEndpoint, "Settings.Policies[1].Type", func(p Policy) error {
		m := ModifyPolicies(RequestUpdate, PortNamePolicy("p"), p)
		return m.Validate()
	}},
}

// TestValidatePolicyScope puts a policy of every type, and one of a type
// the library does not model, in every place that carries policies: each
// is refused exactly where its row's scope says, with one error that names
// the Type member and wraps ErrInvalid.
func TestValidatePolicyScope(t *testing.T) {
	for _, place := range scopePlaces {
		for _, pt := range append(KnownPolicyTypes(), "Future") {
			for _, spelling := range []PolicyType{pt, PolicyType(strings.ToLower(string(pt)))} {
				err := place.validate(Policy{Type: spelling})
				info, known := pt.Info()
				if !known || info.Scope&place.on != 0 {
					if err != nil {
						t.Errorf("%s: %s refused: %v", place.place, spelling, err)
					}
					continue
				}
				var ve *ValidationError
				switch {
				case err == nil:
					t.Errorf("%s: %s (%s) accepted", place.place, spelling, info.Scope)
				case !errors.Is(err, ErrInvalid) || !errors.As(err, &ve):
					t.Errorf("%s: %s: %v does not wrap ErrInvalid", place.place, spelling, err)
				case err != error(ve):
					t.Errorf("%s: %s: more than one error: %v", place.place, spelling, err)
				case ve.Path != place.path || ve.Value != string(spelling) || !strings.HasPrefix(ve.Reason, "not a"):
					t.Errorf("%s: %s: %+v", place.place, spelling, ve)
				}
			}
		}
	}
}

// TestValidatePolicyScopeMessages checks the wording, and that a refused
// policy's settings are not checked as well.
func TestValidatePolicyScopeMessages(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"port mapping on a network",
			(&Network{Policies: []Policy{PortMappingPolicy(ProtocolTCP, 0, 80)}}).Validate(),
			`hcn: invalid Policies[0].Type "PortMapping": not a network policy (PortMapping is an endpoint policy)`},
		{"adapter name on an endpoint",
			(&Endpoint{Policies: []Policy{{Type: PolicyTypeNetAdapterName}}}).Validate(),
			`hcn: invalid Policies[0].Type "NetAdapterName": not an endpoint policy (NetAdapterName is a network policy)`},
		{"L4 proxy on a subnet",
			(&Network{Ipams: []IPAM{{Subnets: []Subnet{{Policies: []Policy{{Type: "l4proxy"}}}}}}}).Validate(),
			`hcn: invalid Ipams[0].Subnets[0].Policies[0].Type "l4proxy": not a subnet policy (L4Proxy is a network and endpoint policy)`},
		{"VSID in a policy request",
			func() error { m := ModifyPolicies(RequestAdd, VSIDPolicy(5000)); return m.Validate() }(),
			`hcn: invalid Settings.Policies[0].Type "VSID": not a network or endpoint policy (VSID is a subnet policy)`},
		{"VLAN in a network policy request",
			func() error { m := ModifyPolicies(RequestAdd, VLANPolicy(7)); return m.ValidateFor(KindNetwork) }(),
			`hcn: invalid Settings.Policies[0].Type "VLAN": not a network policy (VLAN is an endpoint and subnet policy)`},
		{"policy request on a namespace",
			func() error { m := ModifyPolicies(RequestAdd, VLANPolicy(7)); return m.ValidateFor(KindNamespace) }(),
			`hcn: invalid ResourceType "Policy": not a namespace resource type`},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want {
			t.Errorf("%s: %v\nwant %s", tt.name, tt.err, tt.want)
		}
	}
}

// TestValidateForReportsEverything checks that ValidateFor keeps what
// Validate found and adds what it finds itself.
func TestValidateForReportsEverything(t *testing.T) {
	m := ModifyPolicies(RequestAdd, VSIDPolicy(0), PortMappingPolicy(ProtocolTCP, 80, 80), NetAdapterNamePolicy(""))
	err := m.ValidateFor(KindNetwork)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Path != "Settings.Policies[0].Type" || !errors.Is(err, ErrInvalid) {
		t.Fatalf("first error: %v", err)
	}
	for _, want := range []string{`Settings.Policies[0].Type "VSID"`, `Settings.Policies[2].Settings.NetworkAdapterName: required`,
		`Settings.Policies[1].Type "PortMapping": not a network policy`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\nlacks %s", err, want)
		}
	}
	if strings.Count(err.Error(), "VSID") != 2 { // once as the value, once in the reason
		t.Errorf("VSID reported more than once: %v", err)
	}
	if err := (&ModifyRequest{RequestType: RequestAdd}).ValidateFor(KindNetwork); err == nil || strings.Count(err.Error(), "ResourceType") != 1 {
		t.Errorf("missing resource type: %v", err)
	}
}

// TestGoldenPoliciesInScope checks that every golden network and endpoint
// document (what real clients and services write) passes the scope check.
func TestGoldenPoliciesInScope(t *testing.T) {
	dir := filepath.Join("testdata", "golden")
	for _, tt := range []struct {
		prefix string
		doc    func() Document
	}{{"network-", func() Document { return &Network{} }}, {"endpoint-", func() Document { return &Endpoint{} }}} {
		names, _ := filepath.Glob(filepath.Join(dir, tt.prefix+"*.json"))
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			d := tt.doc()
			if json.Unmarshal(b, d) != nil {
				continue
			}
			if err := d.Validate(); err != nil && strings.Contains(err.Error(), " policy (") {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// BenchmarkValidateEndpointPolicies validates an endpoint carrying five
// policies: the registry lookup, the scope check and the settings' rules.
func BenchmarkValidateEndpointPolicies(b *testing.B) {
	e := Endpoint{Policies: []Policy{OutBoundNATPolicy(), PortMappingPolicy(ProtocolTCP, 80, 8080), InboundAllowACL(),
		QOSPolicy(1 << 20), {Type: "Future", Settings: RawSettings(`{}`)}}}
	for b.Loop() {
		if err := e.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
