package hcn

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// ValidationError is one problem Validate found in a document, before
// anything is sent to the service. It matches ErrInvalid with errors.Is.
type ValidationError struct {
	// Path is the member's path in the document, e.g.
	// "Ipams[0].Subnets[1].IpAddressPrefix".
	Path string
	// Value is the offending value as written ("" when the member is
	// missing).
	Value string
	// Reason says what is wrong.
	Reason string
}

// Error formats `hcn: invalid Ipams[0].Subnets[1].IpAddressPrefix
// "10.0.0.0/33": prefix length out of range`.
func (e *ValidationError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("hcn: invalid %s: %s", e.Path, e.Reason)
	}
	return fmt.Sprintf("hcn: invalid %s %q: %s", e.Path, e.Value, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// validator collects validation errors.
type validator struct{ errs []error }

func (v *validator) add(path, value, reason string) {
	v.errs = append(v.errs, &ValidationError{Path: path, Value: value, Reason: reason})
}

// err returns nil, the one error, or all of them joined (errors.As finds
// the first *ValidationError).
func (v *validator) err() error {
	switch len(v.errs) {
	case 0:
		return nil
	case 1:
		return v.errs[0]
	}
	return errors.Join(v.errs...)
}

// at joins a path and a member name.
func at(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// idx appends an index to a path.
func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// guid checks an optional GUID member.
func (v *validator) guid(path, s string) {
	if s == "" {
		return
	}
	if _, err := ParseGUID(s); err != nil {
		v.add(path, s, "not a GUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
	}
}

// requiredGUID checks a GUID member that must be set.
func (v *validator) requiredGUID(path, s string) {
	if s == "" {
		v.add(path, "", "required")
		return
	}
	v.guid(path, s)
}

// addr checks an IP address member; empty is reported when required.
func (v *validator) addr(path, s string, required bool) (netip.Addr, bool) {
	if s == "" {
		if required {
			v.add(path, "", "required")
		}
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		v.add(path, s, "not an IP address")
		return netip.Addr{}, false
	}
	if a.Zone() != "" {
		v.add(path, s, "an address with a zone is not accepted")
		return netip.Addr{}, false
	}
	return a, true
}

// prefix checks a CIDR member: syntax, length range, and that no host bits
// are set. Empty is reported when required.
func (v *validator) prefix(path, s string, required bool) (netip.Prefix, bool) {
	if s == "" {
		if required {
			v.add(path, "", "required")
		}
		return netip.Prefix{}, false
	}
	p, reason := checkPrefix(s)
	if reason != "" {
		v.add(path, s, reason)
		return netip.Prefix{}, false
	}
	return p, true
}

// checkPrefix parses a CIDR and returns the reason it is not acceptable,
// or "".
func checkPrefix(s string) (netip.Prefix, string) {
	addrText, bitsText, ok := strings.Cut(s, "/")
	if !ok {
		return netip.Prefix{}, "not a CIDR prefix (want address/length)"
	}
	a, err := netip.ParseAddr(addrText)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, "not a CIDR prefix: bad address"
	}
	bits, err := strconv.Atoi(bitsText)
	if err != nil || bitsText == "" || bitsText[0] == '+' || bitsText[0] == '-' || (len(bitsText) > 1 && bitsText[0] == '0') {
		return netip.Prefix{}, "not a CIDR prefix: bad length"
	}
	if bits > a.BitLen() {
		return netip.Prefix{}, "prefix length out of range"
	}
	p := netip.PrefixFrom(a, bits)
	if p.Masked() != p {
		return netip.Prefix{}, "host bits set (the network is " + p.Masked().String() + ")"
	}
	return p, ""
}

// addrOrPrefix checks a member that holds an address or a prefix.
func (v *validator) addrOrPrefix(path, s string) {
	if strings.Contains(s, "/") {
		v.prefix(path, s, true)
		return
	}
	v.addr(path, s, true)
}

// list checks each element of a comma-separated list with check.
func (v *validator) list(path, s string, check func(path, elem string)) {
	if s == "" {
		return
	}
	for _, e := range strings.Split(s, ",") {
		check(path, strings.TrimSpace(e))
	}
}

// port checks a port or a port range "a-b" of a comma-separated list.
func (v *validator) port(path, s string) {
	lo, hi, isRange := strings.Cut(s, "-")
	a, errA := strconv.ParseUint(lo, 10, 16)
	b, errB := a, error(nil)
	if isRange {
		b, errB = strconv.ParseUint(hi, 10, 16)
	}
	switch {
	case errA != nil || errB != nil:
		v.add(path, s, "not a port or port range (want 80 or 8000-8080)")
	case a == 0 || b < a:
		v.add(path, s, "port range out of order or zero")
	}
}

// protocolNumber checks one element of a protocol list ("6", "17", "TCP").
func (v *validator) protocolNumber(path, s string) {
	if n, err := strconv.ParseUint(s, 10, 8); err == nil && n <= 255 {
		return
	}
	if knownName(s, []string{"TCP", "UDP", "ICMP", "ICMPv6"}) == "" {
		v.add(path, s, "not a protocol number (0-255)")
	}
}

// mac checks a MAC address member: six hex octets separated by dashes
// ("00-15-5D-52-C0-00", the service's form) or colons ("00:15:5d:52:c0:00",
// net.HardwareAddr's), any case. The Client sends either in the service's
// form (see wireForm).
func (v *validator) mac(path, s string) {
	if s == "" {
		return
	}
	if _, err := ParseMAC(s); err != nil {
		v.add(path, s, "not a MAC address (want 00-15-5D-52-C0-00 or 00:15:5d:52:c0:00)")
	}
}

// ParseMAC parses a 48-bit MAC address written with dashes
// ("00-15-5D-52-C0-00") or colons ("00:15:5d:52:c0:00"), in any case; one
// separator throughout.
func ParseMAC(s string) (net.HardwareAddr, error) {
	hw, err := net.ParseMAC(s)
	if err != nil || len(hw) != 6 || len(s) != 17 {
		return nil, fmt.Errorf("hcn: %w: %q is not a MAC address (want 00-15-5D-52-C0-00)", ErrInvalid, s)
	}
	return hw, nil
}

// FormatMAC writes a MAC address the way the service does:
// "00-15-5D-52-C0-00".
func FormatMAC(hw net.HardwareAddr) string {
	return strings.ToUpper(strings.ReplaceAll(hw.String(), ":", "-"))
}
