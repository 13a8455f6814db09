package hcn

import (
	"fmt"
	"strconv"
	"strings"
)

// Validation of policy settings. A settings type with rules implements
// settingsValidator; types without rules (and RawSettings) pass.

type settingsValidator interface {
	validate(v *validator, path string)
}

// policies checks the policies of a Policy modify request, which a
// network or an endpoint takes (ModifyRequest.ValidateFor checks which).
func (v *validator) policies(path string, ps []Policy) {
	v.policiesOf(path, ps, PolicyScopeNetwork|PolicyScopeEndpoint)
}

// policiesOf checks the policies of an object in scope on.
func (v *validator) policiesOf(path string, ps []Policy, on PolicyScope) {
	for i := range ps {
		v.policy(idx(path, i), &ps[i], on)
	}
}

// policy checks one policy of an object in scope on: a Type the object
// accepts (any type the library does not model is accepted), settings
// matching the type, and the settings' own rules.
func (v *validator) policy(path string, p *Policy, on PolicyScope) {
	if p.Type == "" {
		v.add(at(path, "Type"), "", "required")
		return
	}
	if !v.policyScope(path, p.Type, on) {
		return
	}
	if isNilSettings(p.Settings) {
		return
	}
	if st := p.Settings.PolicyType(); st != "" && !st.Is(p.Type) {
		v.add(at(path, "Settings"), string(st), fmt.Sprintf("settings of a %s policy in a %s policy", st, p.Type))
		return
	}
	if sv, ok := p.Settings.(settingsValidator); ok {
		sv.validate(v, at(path, "Settings"))
	}
}

// policyScope reports whether an object in scope on accepts policy type t,
// and names the Type member when it does not.
func (v *validator) policyScope(path string, t PolicyType, on PolicyScope) bool {
	r := lookupPolicy(t)
	if r == nil || r.scope&on != 0 {
		return true
	}
	v.add(at(path, "Type"), string(t), fmt.Sprintf("not %s policy (%s is %s policy)",
		withArticle(on.join(" or ")), r.typ, withArticle(r.scope.join(" and "))))
	return false
}

// withArticle prefixes a noun phrase with "a" or "an".
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

func (s PortMappingPolicySetting) validate(v *validator, path string) {
	if !s.Protocol.HasPorts() {
		v.add(at(path, "Protocol"), fmt.Sprint(uint32(s.Protocol)), "a port mapping needs TCP (6) or UDP (17)")
	}
	if s.InternalPort == 0 {
		v.add(at(path, "InternalPort"), "", "must not be zero")
	}
	v.addr(at(path, "VIP"), s.VIP, false)
}

func (s ACLPolicySetting) validate(v *validator, path string) {
	if knownName(string(s.Action), actionNames) == "" {
		v.add(at(path, "Action"), string(s.Action), "want Allow, Block or Pass")
	}
	if knownName(string(s.Direction), directionNames) == "" {
		v.add(at(path, "Direction"), string(s.Direction), "want In or Out")
	}
	if s.RuleType != "" && knownName(string(s.RuleType), ruleTypeNames) == "" {
		v.add(at(path, "RuleType"), string(s.RuleType), "want Host or Switch")
	}
	v.list(at(path, "Protocols"), s.Protocols, v.protocolNumber)
	v.list(at(path, "LocalAddresses"), s.LocalAddresses, v.addrOrPrefix)
	v.list(at(path, "RemoteAddresses"), s.RemoteAddresses, v.addrOrPrefix)
	v.list(at(path, "LocalPorts"), s.LocalPorts, v.port)
	v.list(at(path, "RemotePorts"), s.RemotePorts, v.port)
}

func (s NetworkACLPolicySetting) validate(v *validator, path string) {
	ACLPolicySetting(s).validate(v, path)
}

func (s OutboundNATPolicySetting) validate(v *validator, path string) {
	v.addr(at(path, "VirtualIP"), s.VirtualIP, false)
	for i, e := range s.Exceptions {
		v.addrOrPrefix(idx(at(path, "Exceptions"), i), e)
	}
	for i, d := range s.Destinations {
		v.addrOrPrefix(idx(at(path, "Destinations"), i), d)
	}
}

func (s SDNRoutePolicySetting) validate(v *validator, path string) {
	v.prefix(at(path, "DestinationPrefix"), s.DestinationPrefix, true)
	v.addr(at(path, "NextHop"), s.NextHop, false)
}

func (s ProviderAddressPolicySetting) validate(v *validator, path string) {
	v.addr(at(path, "ProviderAddress"), s.ProviderAddress, true)
}

func (s RemoteSubnetRoutePolicySetting) validate(v *validator, path string) {
	v.prefix(at(path, "DestinationPrefix"), s.DestinationPrefix, true)
	v.addr(at(path, "ProviderAddress"), s.ProviderAddress, true)
	if s.DistributedRouterMacAddress == "" {
		v.add(at(path, "DistributedRouterMacAddress"), "", "required")
	}
	v.mac(at(path, "DistributedRouterMacAddress"), s.DistributedRouterMacAddress)
}

func (s NetAdapterNamePolicySetting) validate(v *validator, path string) {
	if s.NetworkAdapterName == "" {
		v.add(at(path, "NetworkAdapterName"), "", "required")
	}
}

func (s SourceMacAddressPolicySetting) validate(v *validator, path string) {
	v.mac(at(path, "SourceMacAddress"), s.SourceMacAddress)
}

func (s DrMacAddressPolicySetting) validate(v *validator, path string) {
	v.mac(at(path, "Address"), s.Address)
}

func (s VLANPolicySetting) validate(v *validator, path string) {
	if s.IsolationID < 1 || s.IsolationID > 4094 {
		v.add(at(path, "IsolationId"), strconv.FormatUint(uint64(s.IsolationID), 10), "VLAN id out of range (1-4094)")
	}
}

func (s VSIDPolicySetting) validate(v *validator, path string) {
	if s.IsolationID < 1 || s.IsolationID > 1<<24-1 {
		v.add(at(path, "IsolationId"), strconv.FormatUint(uint64(s.IsolationID), 10), "VSID out of range (1-16777215)")
	}
}

func (s VxlanPortPolicySetting) validate(v *validator, path string) {
	if s.Port == 0 {
		v.add(at(path, "Port"), "", "must not be zero")
	}
}

func (s L4ProxyPolicySetting) validate(v *validator, path string) {
	v.addr(at(path, "IP"), s.IP, false)
	if s.Port != "" {
		v.port(at(path, "Port"), s.Port)
	}
	if s.Protocol != 0 {
		v.protocol(at(path, "Protocol"), s.Protocol)
	}
}

func (s NetworkL4ProxyPolicySetting) validate(v *validator, path string) {
	L4ProxyPolicySetting(s).validate(v, path)
}
