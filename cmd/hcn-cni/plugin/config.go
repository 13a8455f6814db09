package plugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/containernetworking/cni/pkg/types"
	"github.com/hcnkit/hcn"
)

// NetConf is the network configuration: the fields of the
// windows-container-networking plugins (sdnbridge, sdnoverlay, nat), of
// win-bridge and win-overlay with apiVersion 2, and hcnkit's own. Keys
// match case-insensitively; a key no field takes is an invalid
// configuration (code 7).
type NetConf struct {
	CNIVersion   string          `json:"cniVersion"`
	Name         string          `json:"name"`
	Type         string          `json:"type"`
	Capabilities map[string]bool `json:"capabilities,omitempty"`

	// Mode is the network type: l2bridge, overlay or nat. Required when
	// Type does not imply one (type hcn-cni); must agree with it otherwise.
	Mode string `json:"mode,omitempty"`

	IPAM           IPAMConf          `json:"-"`
	DNS            DNSConf           `json:"dns"`
	OptionalFlags  OptionalFlags     `json:"optionalFlags"`
	AdditionalArgs []PolicyArg       `json:"AdditionalArgs,omitempty"`
	APIVersion     int               `json:"apiVersion,omitempty"`
	Policies       []PolicyArg       `json:"policies,omitempty"`
	IPMasq         bool              `json:"ipMasq,omitempty"`
	IPMasqNetwork  string            `json:"ipMasqNetwork,omitempty"`
	LoopbackDSR    bool              `json:"loopbackDSR,omitempty"`
	HCNKit         HCNKitConf        `json:"hcnkit"`
	RuntimeConfig  json.RawMessage   `json:"runtimeConfig,omitempty"`
	PrevResult     json.RawMessage   `json:"prevResult,omitempty"`
	Args           json.RawMessage   `json:"args,omitempty"`
	RawIPAM        json.RawMessage   `json:"ipam,omitempty"`
	ValidAttach    []ValidAttachment `json:"cni.dev/valid-attachments,omitempty"`
	Attachments    json.RawMessage   `json:"cni.dev/attachments,omitempty"`

	// Derived by ParseConfig.
	NetworkType   hcn.NetworkType `json:"-"`
	Create        bool            `json:"-"` // the network may be created when absent
	Runtime       RuntimeConf     `json:"-"`
	EndpointPols  []hcn.Policy    `json:"-"`
	NetworkPols   []hcn.Policy    `json:"-"`
	LocalRouted   bool            `json:"-"`
	AllowACL      bool            `json:"-"`
	LoopbackDSRon bool            `json:"-"`
}

// ValidAttachment is one entry of cni.dev/valid-attachments.
type ValidAttachment struct {
	ContainerID string `json:"containerID"`
	IfName      string `json:"ifname"`
}

// HCNKitConf is the "hcnkit" object: settings of this plugin.
type HCNKitConf struct {
	// SimState is the emulator's state file (off Windows only); the
	// environment variable HCNKIT_SIM_STATE wins over it.
	SimState string `json:"simState,omitempty"`
}

// OptionalFlags are sdnbridge's optionalFlags.
type OptionalFlags struct {
	LocalRoutedPortMapping bool `json:"localRoutedPortMapping,omitempty"`
	AllowACLPortMapping    bool `json:"allowAclPortMapping,omitempty"`
	ForceBridgeGateway     bool `json:"forceBridgeGateway,omitempty"`
	EnableDualStack        bool `json:"enableDualStack,omitempty"`
	LoopbackDSR            bool `json:"loopbackDSR,omitempty"`
}

// DNSConf is the configured DNS (sdnbridge's spelling; the CNI spelling
// nameservers/search/domain/options matches case-insensitively too).
type DNSConf struct {
	Nameservers []string `json:"Nameservers,omitempty"`
	Domain      string   `json:"Domain,omitempty"`
	Search      []string `json:"Search,omitempty"`
	Options     []string `json:"Options,omitempty"`
}

// PolicyArg is an AdditionalArgs entry {Name, Value} or a win-bridge
// policies entry {name, value}: Name is EndpointPolicy or NetworkPolicy,
// Value an HCN policy {Type, Settings}.
type PolicyArg struct {
	Name  string          `json:"Name"`
	Value json.RawMessage `json:"Value"`
}

// IPAMConf is the "ipam" object. With Type empty the service assigns
// addresses from the network's subnet; otherwise Type names the delegated
// IPAM plugin, which receives the whole configuration.
type IPAMConf struct {
	Type   string        `json:"type,omitempty"`
	Subnet string        `json:"subnet,omitempty"`
	Ranges [][]RangeConf `json:"ranges,omitempty"`
	Routes []RouteConf   `json:"routes,omitempty"`

	// Subnets are the subnets and gateways of Subnet and Ranges (the
	// first range of each set), parsed.
	Subnets []SubnetConf `json:"-"`
}

// RangeConf is one host-local range.
type RangeConf struct {
	Subnet     string `json:"subnet"`
	RangeStart string `json:"rangeStart,omitempty"`
	RangeEnd   string `json:"rangeEnd,omitempty"`
	Gateway    string `json:"gateway,omitempty"`
}

// RouteConf is one ipam route.
type RouteConf struct {
	Dst string `json:"dst"`
	GW  string `json:"gw,omitempty"`
}

// SubnetConf is a parsed subnet and its gateway.
type SubnetConf struct {
	Prefix  netip.Prefix
	Gateway netip.Addr
}

// RuntimeConf holds the capabilities this plugin uses.
type RuntimeConf struct {
	PortMappings []PortMapping `json:"portMappings,omitempty"`
	DNS          RuntimeDNS    `json:"dns"`
}

// PortMapping is a runtime port mapping; containerd sends the Go field
// names (HostPort, ...), the CNI convention lower camel case.
type PortMapping struct {
	HostPort      int    `json:"hostPort"`
	ContainerPort int    `json:"containerPort"`
	Protocol      string `json:"protocol"`
	HostIP        string `json:"hostIP,omitempty"`
}

// RuntimeDNS is the dns capability.
type RuntimeDNS struct {
	Servers  []string `json:"servers,omitempty"`
	Searches []string `json:"searches,omitempty"`
	Options  []string `json:"options,omitempty"`
}

// Plugin type names and the network types they imply.
var typeModes = map[string]hcn.NetworkType{
	"sdnbridge":   hcn.NetworkTypeL2Bridge,
	"sdnoverlay":  hcn.NetworkTypeOverlay,
	"nat":         hcn.NetworkTypeNAT,
	"win-bridge":  hcn.NetworkTypeL2Bridge,
	"win-overlay": hcn.NetworkTypeOverlay,
}

var modes = map[string]hcn.NetworkType{
	"l2bridge": hcn.NetworkTypeL2Bridge,
	"overlay":  hcn.NetworkTypeOverlay,
	"nat":      hcn.NetworkTypeNAT,
}

// invalid returns a CNI error with code 7 (invalid configuration).
func invalid(format string, a ...any) *types.Error {
	return types.NewError(types.ErrInvalidNetworkConfig, fmt.Sprintf(format, a...), "")
}

// strict decodes b into v, refusing unknown keys, and names the field at
// fault (prefixed by path) in the error.
func strict(path string, b []byte, v any) *types.Error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return decodeErr(path, err)
	}
	return nil
}

func decodeErr(path string, err error) *types.Error {
	join := func(f string) string {
		switch {
		case path == "":
			return f
		case f == "":
			return path
		}
		return path + "." + f
	}
	var ce *types.Error
	if errors.As(err, &ce) {
		return ce
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return invalid("%s: want %s, got JSON %s", join(te.Field), te.Type, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return types.NewError(types.ErrDecodingFailure, fmt.Sprintf("%s: %v", join(""), err), "")
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return invalid("%s: unknown field", join(strings.Trim(f, `"`)))
	}
	return invalid("%s: %s", join(""), strings.TrimPrefix(msg, "json: "))
}

// ParseConfig decodes and validates a network configuration. Every error
// is a *types.Error: code 6 for text that is not JSON, 7 naming the field
// for anything else.
func ParseConfig(b []byte) (*NetConf, *types.Error) {
	c := &NetConf{}
	if e := strict("", b, c); e != nil {
		if e.Code == types.ErrDecodingFailure {
			e.Msg = "network configuration: " + strings.TrimPrefix(e.Msg, ": ")
		}
		return nil, e
	}
	if c.Name == "" {
		return nil, invalid("name: required")
	}
	if c.Type == "" {
		return nil, invalid("type: required")
	}
	// The network type.
	implied, known := typeModes[strings.ToLower(c.Type)]
	if c.Mode != "" {
		m, ok := modes[strings.ToLower(c.Mode)]
		if !ok {
			return nil, invalid("mode: %q: want l2bridge, overlay or nat", c.Mode)
		}
		if known && m != implied {
			return nil, invalid("mode: %q disagrees with type %q (%s)", c.Mode, c.Type, implied)
		}
		c.NetworkType = m
	} else if known {
		c.NetworkType = implied
	} else {
		return nil, invalid("mode: required with type %q (l2bridge, overlay or nat)", c.Type)
	}
	// win-bridge and win-overlay never create the network.
	lt := strings.ToLower(c.Type)
	c.Create = lt != "win-bridge" && lt != "win-overlay"

	if len(c.RawIPAM) > 0 && string(c.RawIPAM) != "null" {
		if e := parseIPAM(c.RawIPAM, &c.IPAM); e != nil {
			return nil, e
		}
	}
	if len(c.DNS.Nameservers) > 0 {
		for i, s := range c.DNS.Nameservers {
			if _, err := netip.ParseAddr(s); err != nil {
				return nil, invalid("dns.Nameservers[%d]: %q is not an IP address", i, s)
			}
		}
	}
	// Policies.
	if len(c.Policies) > 0 && c.APIVersion != 2 {
		return nil, invalid("policies: HNS v1 policies are not supported; set apiVersion 2")
	}
	if c.APIVersion != 0 && c.APIVersion != 2 {
		return nil, invalid("apiVersion: %d: want 2", c.APIVersion)
	}
	for i, a := range c.AdditionalArgs {
		if e := c.addPolicyArg(fmt.Sprintf("AdditionalArgs[%d]", i), a); e != nil {
			return nil, e
		}
	}
	for i, a := range c.Policies {
		if e := c.addPolicyArg(fmt.Sprintf("policies[%d]", i), a); e != nil {
			return nil, e
		}
	}
	if c.IPMasq {
		if c.IPMasqNetwork == "" {
			return nil, invalid("ipMasqNetwork: required with ipMasq")
		}
		p, err := netip.ParsePrefix(c.IPMasqNetwork)
		if err != nil {
			return nil, invalid("ipMasqNetwork: %q is not a CIDR prefix", c.IPMasqNetwork)
		}
		c.EndpointPols = append(c.EndpointPols, hcn.OutBoundNATPolicy(p.Masked()))
	}
	c.LocalRouted = c.OptionalFlags.LocalRoutedPortMapping
	c.AllowACL = c.OptionalFlags.AllowACLPortMapping
	c.LoopbackDSRon = c.OptionalFlags.LoopbackDSR || c.LoopbackDSR

	if e := parseRuntime(c.RuntimeConfig, &c.Runtime); e != nil {
		return nil, e
	}
	return c, nil
}

func (c *NetConf) addPolicyArg(path string, a PolicyArg) *types.Error {
	var target *[]hcn.Policy
	var scope hcn.PolicyScope
	switch strings.ToLower(a.Name) {
	case "endpointpolicy":
		target, scope = &c.EndpointPols, hcn.PolicyScopeEndpoint
	case "networkpolicy":
		target, scope = &c.NetworkPols, hcn.PolicyScopeNetwork
	default:
		return invalid("%s.Name: %q: want EndpointPolicy or NetworkPolicy", path, a.Name)
	}
	var p hcn.Policy
	if len(a.Value) == 0 {
		return invalid("%s.Value: required", path)
	}
	if err := json.Unmarshal(a.Value, &p); err != nil {
		return invalid("%s.Value: %v", path, err)
	}
	if p.Type == "" {
		return invalid("%s.Value.Type: required", path)
	}
	info, ok := p.Type.Info()
	if !ok {
		return invalid("%s.Value.Type: unknown policy type %q", path, p.Type)
	}
	if info.Scope&scope == 0 {
		return invalid("%s.Value.Type: %q is not a%s policy", path, p.Type, map[bool]string{true: "n endpoint", false: " network"}[scope == hcn.PolicyScopeEndpoint])
	}
	p.Type = info.Type
	*target = append(*target, p)
	return nil
}

// ipamServiceKeys are the keys of an ipam object without a type.
func parseIPAM(raw json.RawMessage, ip *IPAMConf) *types.Error {
	var probe struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return decodeErr("ipam", err)
	}
	if probe.Type == "" {
		// The service assigns: only the subnet matters.
		if e := strict("ipam", raw, ip); e != nil {
			return e
		}
	} else if err := json.Unmarshal(raw, ip); err != nil {
		// The delegated plugin owns its other keys.
		return decodeErr("ipam", err)
	}
	if ip.Subnet != "" {
		p, err := netip.ParsePrefix(ip.Subnet)
		if err != nil {
			return invalid("ipam.subnet: %q is not a CIDR prefix", ip.Subnet)
		}
		gw, err := hcn.GatewayFor(p.Masked())
		if err != nil {
			return invalid("ipam.subnet: %q: %v", ip.Subnet, err)
		}
		ip.Subnets = append(ip.Subnets, SubnetConf{Prefix: p.Masked(), Gateway: gw})
	}
	for i, set := range ip.Ranges {
		if len(set) == 0 {
			return invalid("ipam.ranges[%d]: empty range set", i)
		}
		for j, r := range set {
			path := fmt.Sprintf("ipam.ranges[%d][%d]", i, j)
			p, err := netip.ParsePrefix(r.Subnet)
			if err != nil {
				return invalid("%s.subnet: %q is not a CIDR prefix", path, r.Subnet)
			}
			p = p.Masked()
			for _, f := range []struct{ name, v string }{{"rangeStart", r.RangeStart}, {"rangeEnd", r.RangeEnd}, {"gateway", r.Gateway}} {
				if f.v == "" {
					continue
				}
				if ip.Type == "" && f.name != "gateway" {
					return invalid("%s.%s: needs a delegated IPAM (ipam.type); the service assigns the lowest free address", path, f.name)
				}
				a, err := netip.ParseAddr(f.v)
				if err != nil || !p.Contains(a) {
					return invalid("%s.%s: %q is not an address in %s", path, f.name, f.v, p)
				}
			}
			if j > 0 {
				continue
			}
			sc := SubnetConf{Prefix: p}
			if r.Gateway != "" {
				sc.Gateway = netip.MustParseAddr(r.Gateway)
			} else if sc.Gateway, err = hcn.GatewayFor(p); err != nil {
				return invalid("%s.subnet: %q: %v", path, r.Subnet, err)
			}
			ip.Subnets = append(ip.Subnets, sc)
		}
	}
	for i, r := range ip.Routes {
		if _, err := netip.ParsePrefix(r.Dst); err != nil {
			return invalid("ipam.routes[%d].dst: %q is not a CIDR prefix", i, r.Dst)
		}
		if r.GW != "" {
			if _, err := netip.ParseAddr(r.GW); err != nil {
				return invalid("ipam.routes[%d].gw: %q is not an IP address", i, r.GW)
			}
		}
	}
	return nil
}

// parseRuntime decodes the capabilities this plugin uses and ignores the
// others the runtime may pass (bandwidth, ...).
func parseRuntime(raw json.RawMessage, rt *RuntimeConf) *types.Error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return decodeErr("runtimeConfig", err)
	}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "portmappings":
			if e := strict("runtimeConfig.portMappings", v, &rt.PortMappings); e != nil {
				return e
			}
		case "dns":
			if string(v) == "null" {
				continue
			}
			if e := strict("runtimeConfig.dns", v, &rt.DNS); e != nil {
				return e
			}
		}
	}
	for i, pm := range rt.PortMappings {
		path := fmt.Sprintf("runtimeConfig.portMappings[%d]", i)
		if pm.HostPort < 1 || pm.HostPort > 65535 {
			return invalid("%s.hostPort: %d out of range 1-65535", path, pm.HostPort)
		}
		if pm.ContainerPort < 1 || pm.ContainerPort > 65535 {
			return invalid("%s.containerPort: %d out of range 1-65535", path, pm.ContainerPort)
		}
		if _, ok := protocolOf(pm.Protocol); !ok {
			return invalid("%s.protocol: %q: want tcp or udp", path, pm.Protocol)
		}
		if pm.HostIP != "" {
			if _, err := netip.ParseAddr(pm.HostIP); err != nil {
				return invalid("%s.hostIP: %q is not an IP address", path, pm.HostIP)
			}
		}
	}
	for i, s := range rt.DNS.Servers {
		if _, err := netip.ParseAddr(s); err != nil {
			return invalid("runtimeConfig.dns.servers[%d]: %q is not an IP address", i, s)
		}
	}
	return nil
}

// protocolOf maps a port mapping's protocol ("" is tcp).
func protocolOf(s string) (hcn.Protocol, bool) {
	switch strings.ToLower(s) {
	case "", "tcp":
		return hcn.ProtocolTCP, true
	case "udp":
		return hcn.ProtocolUDP, true
	}
	return 0, false
}

// Delegated reports whether addresses come from an IPAM plugin.
func (c *NetConf) Delegated() bool { return c.IPAM.Type != "" }

// The nested objects decode strictly and name their own path.

func (o *OptionalFlags) UnmarshalJSON(b []byte) error {
	type plain OptionalFlags
	if e := strict("optionalFlags", b, (*plain)(o)); e != nil {
		return e
	}
	return nil
}

func (d *DNSConf) UnmarshalJSON(b []byte) error {
	type plain DNSConf
	if e := strict("dns", b, (*plain)(d)); e != nil {
		return e
	}
	return nil
}

func (h *HCNKitConf) UnmarshalJSON(b []byte) error {
	type plain HCNKitConf
	if e := strict("hcnkit", b, (*plain)(h)); e != nil {
		return e
	}
	return nil
}
