package hcnsim

import (
	"encoding/json"
	"strings"

	"github.com/hcnkit/hcn"
)

// A v1 policy is flat, {"Type":"NAT","InternalPort":80,...}; a v2 policy
// keeps its fields under Settings, {"Type":"PortMapping","Settings":{..}}.
// v1PolicyNames maps the v1 type names that differ to their v2 names, with
// the fields renamed on the way (v1 key → v2 key); other types and fields
// keep their names.
var v1PolicyNames = []struct {
	v1, v2 string
	fields map[string]string
}{
	{"NAT", "PortMapping", nil},
	{"PA", "ProviderAddress", map[string]string{"PA": "ProviderAddress"}},
	{"ROUTE", "SDNRoute", nil},
	{"PROXY", "L4Proxy", map[string]string{"ExceptionList": "Exceptions", "OutboundNat": "OutboundNAT"}},
	{"OutBoundNAT", "OutBoundNAT", map[string]string{"ExceptionList": "Exceptions"}},
	{"VLAN", "VLAN", map[string]string{"VLAN": "IsolationId"}},
	{"VSID", "VSID", map[string]string{"VSID": "IsolationId"}},
}

// v1Protocols are the protocol names v1 NAT policies use for v2 numbers.
var v1Protocols = map[string]uint64{"TCP": 6, "UDP": 17}

// policyToV2 translates one v1 policy to its v2 form.
func policyToV2(p obj) obj {
	t, _ := p["Type"].(string)
	name, fields := t, map[string]string(nil)
	for _, m := range v1PolicyNames {
		if strings.EqualFold(m.v1, t) {
			name, fields = m.v2, m.fields
		}
	}
	settings := obj{}
	for k, v := range p {
		if strings.EqualFold(k, "Type") {
			continue
		}
		if nk, ok := fields[k]; ok {
			k = nk
		}
		settings[k] = v
	}
	if name == "PortMapping" {
		if s, ok := settings["Protocol"].(string); ok {
			if n, ok := v1Protocols[strings.ToUpper(s)]; ok {
				settings["Protocol"] = num(n)
			}
		}
	}
	out := obj{"Type": name}
	if len(settings) > 0 {
		out["Settings"] = settings
	}
	return out
}

// policyToV1 flattens one v2 policy into its v1 form.
func policyToV1(p obj) obj {
	t, _ := p["Type"].(string)
	name, fields := t, map[string]string(nil)
	for _, m := range v1PolicyNames {
		if strings.EqualFold(m.v2, t) {
			name, fields = m.v1, m.fields
		}
	}
	out := obj{}
	settings, _ := p["Settings"].(obj)
	for k, v := range settings {
		for v1k, v2k := range fields {
			if v2k == k {
				k = v1k
			}
		}
		out[k] = v
	}
	if name == "NAT" {
		for pname, n := range v1Protocols {
			if jsonEqual(out["Protocol"], num(n)) {
				out["Protocol"] = pname
			}
		}
	}
	out["Type"] = name
	return out
}

// policiesToV2 decodes and translates a v1 policy list; what names the
// field is for the error.
func policiesToV2(list []json.RawMessage, what string) ([]any, error) {
	out := make([]any, 0, len(list))
	for i, raw := range list {
		p, err := parseObject(string(raw), what)
		if err != nil {
			return nil, fail(hcn.HCN_E_INVALID_JSON, "%s[%d]: {{ExpectedObject}}", what, i)
		}
		out = append(out, policyToV2(p))
	}
	return out, nil
}

// policiesToV1 flattens the v2 policy list under key "Policies" of doc.
func policiesToV1(doc obj) []any {
	list, _ := doc["Policies"].([]any)
	out := make([]any, 0, len(list))
	for _, e := range list {
		if p, ok := e.(obj); ok {
			out = append(out, policyToV1(p))
		}
	}
	return out
}
