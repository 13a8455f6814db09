package hcnsim

import (
	"net/netip"
	"strings"

	"github.com/hcnkit/hcn"
)

// envelope is a parsed modify request.
type envelope struct {
	res      string // canonical ResourceType
	req      string // canonical RequestType
	settings obj    // nil when absent
}

// resourceTypes of modify requests, over every family.
var modifyResources = []string{"Policy", "DNS", "Extension", "Subnet", "IPSubnet", "Port",
	"Endpoint", "Container", "State"}

// resourcesOf lists the ResourceTypes each family accepts.
var resourcesOf = map[hcn.Kind][]string{
	hcn.KindNetwork:             {"Policy", "DNS", "Extension", "Subnet", "IPSubnet"},
	hcn.KindEndpoint:            {"Policy", "Port"},
	hcn.KindNamespace:           {"Endpoint", "Container"},
	hcn.KindGuestNetworkService: {"State"},
}

// parseEnvelope parses {"ResourceType","RequestType","Settings"}.
// ResourceType must be a string; RequestType a name or its number;
// Settings, when present, an object.
func parseEnvelope(k hcn.Kind, text string) (*envelope, error) {
	raw, err := parseObject(text, "modify request")
	if err != nil {
		return nil, err
	}
	m := canonical(raw, modifySpec).(obj)
	rt, present := m["ResourceType"]
	if !present || rt == nil {
		return nil, fail(hcn.E_INVALIDARG, "ResourceType is required")
	}
	rs, ok := rt.(string)
	if !ok {
		return nil, fail(hcn.HCN_E_INVALID_JSON, "ResourceType: {{ExpectedString}}")
	}
	res, ok := enumValue(rs, modifyResources)
	if !ok {
		return nil, fail(hcn.E_INVALIDARG, "ResourceType %q", rs)
	}
	req, ok := enumValue(m["RequestType"], requestTypes)
	if !ok {
		return nil, fail(hcn.E_INVALIDARG, "RequestType %v", m["RequestType"])
	}
	env := &envelope{res: res, req: req}
	if s, ok := m["Settings"]; ok && s != nil {
		so, ok := s.(obj)
		if !ok {
			return nil, fail(hcn.HCN_E_INVALID_JSON, "{{Settings: ExpectedObject}}")
		}
		env.settings = so
	}
	if !contains(resourcesOf[k], res) {
		return nil, unsupported(env)
	}
	return env, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func unsupported(env *envelope) *failure {
	return fail(hcn.HCN_E_REQUEST_UNSUPPORTED, "%s %s", env.req, env.res)
}

// modifyNetwork applies a network request.
func (st *state) modifyNetwork(o *object, env *envelope) error {
	switch env.res {
	case "Policy":
		return modifyPolicies(o.doc, env, networkPolicyTypes)
	case "DNS":
		if env.req != "Update" {
			return unsupported(env)
		}
		if env.settings == nil {
			delete(o.doc, "Dns")
			return nil
		}
		d := canonical(deepCopy(env.settings), dnsSpec.sub).(obj)
		if err := decodeInto(d, &struct {
			Domain     string
			Search     []string
			ServerList []string
		}{}, "Settings"); err != nil {
			return err
		}
		o.doc["Dns"] = d
		stripZero(o.doc)
		return nil
	case "Extension":
		return modifyExtension(o, env)
	case "Subnet":
		return st.modifySubnet(o, env)
	}
	return modifyIPSubnet(o, env)
}

// modifyPolicies applies a Policy request on doc's Policies:
// Add appends (an identical policy → HCN_E_POLICY_ALREADY_EXISTS); Remove
// deletes matching policies (none → HCN_E_POLICY_NOT_FOUND); Update
// replaces the policies of each type given; Refresh does nothing; Reset
// removes every policy.
func modifyPolicies(doc obj, env *envelope, known []string) error {
	in := obj{"Policies": nil}
	if env.settings != nil {
		v, _ := getKey(env.settings, "Policies")
		in["Policies"] = canonical(deepCopy(v), policySpec.sub)
	}
	if err := checkPolicies(in, known); err != nil {
		return err
	}
	given, _ := in["Policies"].([]any)
	for _, p := range given {
		stripZero(p)
	}
	cur, _ := doc["Policies"].([]any)
	var err error
	switch env.req {
	case "Add":
		cur, err = addPolicies(cur, given)
	case "Remove":
		cur, err = removePolicies(cur, given)
	case "Update":
		cur = updatePolicies(cur, given)
	case "Reset":
		cur = nil
	}
	if err != nil {
		return err
	}
	if len(cur) == 0 {
		delete(doc, "Policies")
	} else {
		doc["Policies"] = cur
	}
	return nil
}

func addPolicies(cur, given []any) ([]any, error) {
	for _, p := range given {
		for _, c := range cur {
			if jsonEqual(c, p) {
				return nil, fail(hcn.HCN_E_POLICY_ALREADY_EXISTS, "policy %s", marshal(p))
			}
		}
		cur = append(cur, p)
	}
	return cur, nil
}

// removePolicies removes, for each given policy, the policies of its type
// (and, when it has Settings, equal settings).
func removePolicies(cur, given []any) ([]any, error) {
	for _, p := range given {
		pm := p.(obj)
		kept := cur[:0:0]
		for _, c := range cur {
			cm, _ := c.(obj)
			same := cm != nil && cm["Type"] == pm["Type"]
			if s, ok := pm["Settings"]; ok && same {
				same = jsonEqual(cm["Settings"], s)
			}
			if !same {
				kept = append(kept, c)
			}
		}
		if len(kept) == len(cur) {
			return nil, fail(hcn.HCN_E_POLICY_NOT_FOUND, "policy %s", marshal(p))
		}
		cur = kept
	}
	return cur, nil
}

func updatePolicies(cur, given []any) []any {
	types := map[any]bool{}
	for _, p := range given {
		types[p.(obj)["Type"]] = true
	}
	kept := cur[:0:0]
	for _, c := range cur {
		if cm, ok := c.(obj); !ok || !types[cm["Type"]] {
			kept = append(kept, c)
		}
	}
	return append(kept, given...)
}

// switchExtensions are the extensions every emulated switch has.
var switchExtensions = []struct{ id, name string }{
	{"e7c3b2f0-f3c5-48df-af2b-10fed6d72e7a", "Microsoft Windows Filtering Platform"},
	{"f74f241b-440f-4433-bb28-00f89ead20d8", "Microsoft Azure VFP Switch Extension"},
	{"430bdadd-bab0-41ab-a369-94b67fa5be0a", "Microsoft NDIS Capture"},
}

// modifyExtension enables or disables a switch extension:
// Settings {"Id"|"ExtensionId": guid, "IsEnabled"|"Enable": bool}.
func modifyExtension(o *object, env *envelope) error {
	if env.req != "Update" && env.req != "Add" {
		return unsupported(env)
	}
	idText := str(env.settings, "ExtensionId")
	if idText == "" {
		idText = str(env.settings, "Id")
	}
	g, err := hcn.ParseGUID(idText)
	if err != nil {
		return fail(hcn.HCN_E_GUID_CONVERSION_FAILURE, "ExtensionId %q", idText)
	}
	enable, _ := getKey(env.settings, "IsEnabled")
	if enable == nil {
		enable, _ = getKey(env.settings, "Enable")
	}
	on, _ := enable.(bool)
	list, _ := o.doc["Extensions"].([]any)
	if list == nil {
		for _, x := range switchExtensions {
			list = append(list, obj{"Id": x.id, "Name": x.name})
		}
	}
	for _, e := range list {
		m, ok := e.(obj)
		if ok && hcn.EqualFoldGUID(str(m, "Id"), g.String()) {
			m["IsEnabled"] = on
			stripZero(m)
			o.doc["Extensions"] = list
			return nil
		}
	}
	return fail(hcn.HCN_E_SWITCH_EXTENSION_NOT_FOUND, "%s", g)
}

// modifySubnet adds a Static subnet (Settings is a Subnet, or
// {"Subnets":[...]}) or removes one by IpAddressPrefix.
func (st *state) modifySubnet(o *object, env *envelope) error {
	subs := []any{env.settings}
	if v, ok := getKey(env.settings, "Subnets"); ok {
		list, ok := v.([]any)
		if !ok {
			return fail(hcn.HCN_E_INVALID_JSON, "Settings.Subnets: {{ExpectedArray}}")
		}
		subs = list
	}
	switch env.req {
	case "Add":
		return st.addSubnets(o, subs)
	case "Remove":
		return removeSubnets(o, subs)
	}
	return unsupported(env)
}

func (st *state) addSubnets(o *object, subs []any) error {
	n := o.net
	before := len(n.subnets)
	var docs []any
	for _, s := range subs {
		d := canonical(deepCopy(s), networkSpec["ipams"].sub["subnets"].sub)
		var in subnetIn
		if err := decodeInto(d, &in, "Settings"); err != nil {
			n.subnets = n.subnets[:before]
			return err
		}
		sn, err := buildSubnet(in, n.typ)
		if err == nil {
			err = n.addSubnet(sn)
		}
		if err != nil {
			n.subnets = n.subnets[:before]
			return err
		}
		stripZero(d)
		docs = append(docs, d)
	}
	staticIpam(o.doc)["Subnets"] = append(staticSubnets(o.doc), docs...)
	return nil
}

// staticIpam returns the first Static Ipam of a network document,
// creating it when there is none.
func staticIpam(doc obj) obj {
	list, _ := doc["Ipams"].([]any)
	for _, e := range list {
		if m, ok := e.(obj); ok && m["Type"] == "Static" {
			return m
		}
	}
	m := obj{"Type": "Static"}
	doc["Ipams"] = append(list, m)
	return m
}

func staticSubnets(doc obj) []any {
	l, _ := staticIpam(doc)["Subnets"].([]any)
	return l
}

func removeSubnets(o *object, subs []any) error {
	for _, s := range subs {
		m, _ := s.(obj)
		p, err := netip.ParsePrefix(str(m, "IpAddressPrefix"))
		if err != nil {
			return fail(hcn.HCN_E_INVALID_PREFIX, "IpAddressPrefix %q", str(m, "IpAddressPrefix"))
		}
		p = p.Masked()
		idx := -1
		for i, sn := range o.net.subnets {
			if sn.prefix == p {
				idx = i
			}
		}
		if idx < 0 {
			return fail(hcn.HCN_E_SUBNET_NOT_FOUND, "%s", p)
		}
		if o.net.subnets[idx].refs > 0 {
			return fail(hcn.HCN_E_ENTITY_HAS_REFERENCES, "subnet %s has endpoints", p)
		}
		o.net.subnets = append(o.net.subnets[:idx:idx], o.net.subnets[idx+1:]...)
		dropSubnetDoc(o.doc, p)
	}
	return nil
}

func dropSubnetDoc(doc obj, p netip.Prefix) {
	ipams, _ := doc["Ipams"].([]any)
	for _, e := range ipams {
		m, ok := e.(obj)
		if !ok {
			continue
		}
		list, _ := m["Subnets"].([]any)
		kept := list[:0:0]
		for _, s := range list {
			sm, _ := s.(obj)
			q, err := netip.ParsePrefix(str(sm, "IpAddressPrefix"))
			if err != nil || q.Masked() != p {
				kept = append(kept, s)
			}
		}
		m["Subnets"] = kept
	}
	stripZero(doc)
}

// modifyIPSubnet adds or removes an IpSubnet ({"IpAddressPrefix": ...})
// of the Static subnet that contains it.
func modifyIPSubnet(o *object, env *envelope) error {
	text := str(env.settings, "IpAddressPrefix")
	q, err := netip.ParsePrefix(text)
	if err != nil {
		return fail(hcn.HCN_E_INVALID_PREFIX, "IpAddressPrefix %q", text)
	}
	for _, s := range staticSubnets(o.doc) {
		sm := s.(obj)
		p, err := netip.ParsePrefix(str(sm, "IpAddressPrefix"))
		if err != nil || !p.Masked().Contains(q.Addr()) || q.Bits() < p.Bits() {
			continue
		}
		list, _ := sm["IpSubnets"].([]any)
		return applyIPSubnet(sm, list, env, q)
	}
	return fail(hcn.HCN_E_INVALID_IP_SUBNET, "%s is not inside any subnet", q)
}

func applyIPSubnet(sm obj, list []any, env *envelope, q netip.Prefix) error {
	idx := -1
	for i, e := range list {
		if strings.EqualFold(str(e.(obj), "IpAddressPrefix"), q.String()) {
			idx = i
		}
	}
	switch env.req {
	case "Add":
		if idx >= 0 {
			return fail(hcn.ERROR_ALREADY_EXISTS, "IpSubnet %s", q)
		}
		d := canonical(deepCopy(env.settings), networkSpec["ipams"].sub["subnets"].sub["ipsubnets"].sub).(obj)
		d["IpAddressPrefix"] = q.String()
		stripZero(d)
		sm["IpSubnets"] = append(list, d)
	case "Remove":
		if idx < 0 {
			return fail(hcn.HCN_E_SUBNET_NOT_FOUND, "IpSubnet %s", q)
		}
		sm["IpSubnets"] = append(list[:idx:idx], list[idx+1:]...)
		stripZero(sm)
	default:
		return unsupported(env)
	}
	return nil
}

// modifyEndpoint applies an endpoint Policy or Port request.
func (st *state) modifyEndpoint(o *object, env *envelope) error {
	if env.res == "Policy" {
		return st.modifyEndpointPolicies(o, env)
	}
	if o.ep.remote {
		return fail(hcn.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION, "endpoint %s is remote", o.id)
	}
	switch env.req {
	case "Add":
		if o.ep.port {
			return fail(hcn.HCN_E_ENDPOINT_ALREADY_ATTACHED, "endpoint %s", o.id)
		}
		o.ep.port = true
	case "Remove":
		if !o.ep.port {
			return fail(hcn.HCN_E_ENDPOINT_NOT_ATTACHED, "endpoint %s", o.id)
		}
		o.ep.port = false
	default:
		return unsupported(env)
	}
	return nil
}
