package hcn

import "slices"

// The wire form of documents. The Client accepts MAC addresses written
// with dashes ("00-15-5D-52-C0-00", the service's form) or colons
// ("00:15:5d:52:c0:00", what net.HardwareAddr.String gives), in any case,
// and sends them in the service's form: upper case with dashes. The
// caller's document is never changed; the conversion works on a copy.

// canonicalMAC returns s in the service's form when it is a MAC address
// in either form, else s unchanged (validation reports it).
func canonicalMAC(s string) string {
	if s == "" {
		return s
	}
	if hw, err := ParseMAC(s); err == nil {
		return FormatMAC(hw)
	}
	return s
}

// macSettings is implemented by policy settings that hold MAC addresses:
// withCanonicalMACs returns a copy with each in the service's form.
type macSettings interface {
	withCanonicalMACs() PolicySettings
}

func (s SourceMacAddressPolicySetting) withCanonicalMACs() PolicySettings {
	s.SourceMacAddress = canonicalMAC(s.SourceMacAddress)
	return &s
}

func (s DrMacAddressPolicySetting) withCanonicalMACs() PolicySettings {
	s.Address = canonicalMAC(s.Address)
	return &s
}

func (s RemoteSubnetRoutePolicySetting) withCanonicalMACs() PolicySettings {
	s.DistributedRouterMacAddress = canonicalMAC(s.DistributedRouterMacAddress)
	return &s
}

// wirePolicies returns ps with the MAC addresses of their settings in the
// service's form; ps itself is returned when none holds one.
func wirePolicies(ps []Policy) []Policy {
	var out []Policy
	for i := range ps {
		m, ok := ps[i].Settings.(macSettings)
		if !ok || isNilSettings(ps[i].Settings) {
			continue
		}
		if out == nil {
			out = slices.Clone(ps)
		}
		out[i].Settings = m.withCanonicalMACs()
	}
	if out == nil {
		return ps
	}
	return out
}

// wireForm returns doc as it is sent: a copy with every MAC address in
// the service's form (networks' MacPool ranges and policies, endpoints'
// MacAddress and policies); other documents are returned as they are.
func wireForm(doc Document) Document {
	switch d := doc.(type) {
	case *Network:
		cp := *d
		if len(d.MacPool.Ranges) > 0 {
			cp.MacPool.Ranges = slices.Clone(d.MacPool.Ranges)
			for i := range cp.MacPool.Ranges {
				r := &cp.MacPool.Ranges[i]
				r.StartMacAddress, r.EndMacAddress = canonicalMAC(r.StartMacAddress), canonicalMAC(r.EndMacAddress)
			}
		}
		cp.Policies = wirePolicies(d.Policies)
		return &cp
	case *Endpoint:
		cp := *d
		cp.MacAddress = canonicalMAC(d.MacAddress)
		cp.Policies = wirePolicies(d.Policies)
		return &cp
	}
	return doc
}

// wireRequest returns req as it is sent: the MAC addresses of a policy
// request's policies in the service's form (on a copy).
func wireRequest(req ModifyRequest) ModifyRequest {
	if pr, ok := req.Settings.(*PolicyRequest); ok && pr != nil {
		cp := *pr
		cp.Policies = wirePolicies(pr.Policies)
		req.Settings = &cp
	}
	return req
}
