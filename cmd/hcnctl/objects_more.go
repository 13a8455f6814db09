package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/hcnkit/hcn"
	"sigs.k8s.io/yaml"
)

// kindSingular is the name hcnctl prints for one object of a kind.
var kindSingular = map[hcn.Kind]string{
	hcn.KindNetwork: "network", hcn.KindEndpoint: "endpoint", hcn.KindNamespace: "namespace",
	hcn.KindLoadBalancer: "loadbalancer", hcn.KindSDNRoute: "route",
	hcn.KindGuestNetworkService: "guestnetworkservice",
}

// readInput returns the JSON text of -f: the file's content, or standard
// input for "-", converted from YAML (JSON passes through unchanged).
func (a *app) readInput(file string) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	if file == "-" {
		b, err = io.ReadAll(a.in)
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, usagef("-f %s: %v", file, err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, usagef("-f %s: empty", file)
	}
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, usagef("-f %s: neither JSON nor YAML: %v", file, err)
	}
	return j, nil
}

// decodeDoc decodes the JSON text of -f into a new document of kind.
func decodeDoc(kind hcn.Kind, file string, b []byte) (hcn.Document, error) {
	var doc hcn.Document
	switch kind {
	case hcn.KindNetwork:
		doc = new(hcn.Network)
	case hcn.KindEndpoint:
		doc = new(hcn.Endpoint)
	case hcn.KindNamespace:
		doc = new(hcn.Namespace)
	case hcn.KindLoadBalancer:
		doc = new(hcn.LoadBalancer)
	case hcn.KindSDNRoute:
		doc = new(hcn.SDNRoute)
	case hcn.KindGuestNetworkService:
		doc = new(hcn.GuestNetworkService)
	default:
		return nil, usagef("kind %s cannot be created", kind)
	}
	if !isJSONObject(b) {
		return nil, usagef("-f %s: want one %s document (an object)", file, kindSingular[kind])
	}
	if err := doc.UnmarshalJSON(b); err != nil {
		return nil, usagef("-f %s: not a %s document: %v", file, kindSingular[kind], err)
	}
	return doc, nil
}

// decodePolicies decodes the JSON text of -f: a list of policies, or one.
func decodePolicies(file string, b []byte) ([]hcn.Policy, error) {
	var ps []hcn.Policy
	switch {
	case isJSONObject(b):
		var p hcn.Policy
		if err := p.UnmarshalJSON(b); err != nil {
			return nil, usagef("-f %s: not a policy: %v", file, err)
		}
		ps = []hcn.Policy{p}
	case bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")):
		if err := json.Unmarshal(b, &ps); err != nil {
			return nil, usagef("-f %s: not a list of policies: %v", file, err)
		}
	default:
		return nil, usagef("-f %s: want a policy or a list of policies", file)
	}
	if len(ps) == 0 {
		return nil, usagef("-f %s: no policies", file)
	}
	for i, p := range ps {
		if p.Type == "" {
			return nil, usagef("-f %s: policy %d has no Type", file, i)
		}
	}
	return ps, nil
}

func isJSONObject(b []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) }

// portSpec is PROTO:EXT:INT.
type portSpec struct {
	proto    hcn.Protocol
	ext, int uint16
}

// parsePort parses PROTO:EXT:INT (tcp or udp, by name or number; ports
// 1-65535) for flag.
func parsePort(flag, s string) (portSpec, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return portSpec{}, usagef("%s %q: want PROTO:EXT:INT, e.g. tcp:8080:80", flag, s)
	}
	proto, err := parseProtocol(flag, parts[0])
	if err != nil {
		return portSpec{}, err
	}
	ext, err := parsePortNumber(flag, parts[1])
	if err != nil {
		return portSpec{}, err
	}
	in, err := parsePortNumber(flag, parts[2])
	if err != nil {
		return portSpec{}, err
	}
	return portSpec{proto: proto, ext: ext, int: in}, nil
}

// parseProtocol parses tcp or udp (or 6 or 17).
func parseProtocol(flag, s string) (hcn.Protocol, error) {
	switch strings.ToLower(s) {
	case "tcp", "6":
		return hcn.ProtocolTCP, nil
	case "udp", "17":
		return hcn.ProtocolUDP, nil
	}
	return 0, usagef("%s: protocol %q: want tcp or udp", flag, s)
}

// parsePortNumber parses a port, 1-65535.
func parsePortNumber(flag, s string) (uint16, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n == 0 {
		return 0, usagef("%s: port %q: want a number from 1 to 65535", flag, s)
	}
	return uint16(n), nil
}

// parseAddr parses an IP address for flag.
func parseAddr(flag, s string) (netip.Addr, error) {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, usagef("%s %q: not an IP address", flag, s)
	}
	return ip, nil
}

// parsePrefix parses a CIDR prefix for flag.
func parsePrefix(flag, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, usagef("%s %q: not a CIDR prefix (want e.g. 10.0.0.0/8)", flag, s)
	}
	return p, nil
}

// policyLine describes a policy on one line: its type, then its settings
// as KEY=VALUE in the document's order (lists joined by commas, nested
// members as PARENT.KEY), e.g. "OutBoundNAT  Exceptions=10.0.0.0/8".
func policyLine(p hcn.Policy) string {
	var kv []string
	if p.Settings != nil {
		if b, err := json.Marshal(p.Settings); err == nil {
			kv = flatten("", b)
		}
	}
	if len(kv) == 0 {
		return string(p.Type)
	}
	return string(p.Type) + "  " + strings.Join(kv, " ")
}

// flatten returns the members of the JSON value b as KEY=VALUE, keeping
// their order.
func flatten(prefix string, b []byte) []string {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	t, err := d.Token()
	if err != nil {
		return nil
	}
	if t != json.Delim('{') {
		if prefix == "" {
			return []string{strings.TrimSpace(string(b))}
		}
		return []string{prefix + "=" + scalarText(b)}
	}
	var out []string
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return out
		}
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return out
		}
		key := kt.(string)
		if prefix != "" {
			key = prefix + "." + key
		}
		if isJSONObject(raw) {
			out = append(out, flatten(key, raw)...)
			continue
		}
		if key == "Protocol" || strings.HasSuffix(key, ".Protocol") {
			if n, err := strconv.ParseUint(string(raw), 10, 32); err == nil {
				out = append(out, key+"="+protocolName(uint32(n)))
				continue
			}
		}
		out = append(out, key+"="+scalarText(raw))
	}
	return out
}

// scalarText is a JSON value as plain text: strings unquoted, lists joined
// by commas.
func scalarText(raw []byte) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case string:
		return x
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			if str, ok := e.(string); ok {
				s[i] = str
			} else {
				b, _ := json.Marshal(e)
				s[i] = string(b)
			}
		}
		return strings.Join(s, ",")
	}
	return strings.TrimSpace(string(raw))
}

// objectLabel names an object for messages: `network "web" (<id>)`, or
// `namespace <id>` for kinds without names.
func objectLabel(o object) string {
	if o.name != "" {
		return fmt.Sprintf("%s %q (%s)", kindSingular[o.kind], o.name, o.id)
	}
	return fmt.Sprintf("%s %s", kindSingular[o.kind], o.id)
}
