package adapter

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
)

// EnvOverride is the environment variable that names the uplink adapter
// (friendly name) and bypasses the automatic choice.
const EnvOverride = "HCNKIT_UPLINK_ADAPTER"

// Interface types (IANA ifType) used in the choice.
const (
	TypeEthernet    = 6
	TypePPP         = 23
	TypeLoopback    = 24
	TypePropVirtual = 53 // Wintun, WireGuard
	TypeWiFi        = 71
	TypeTunnel      = 131
)

// hyperVHostVNIC is the description prefix of a Hyper-V host vNIC. It stays
// English on localised hosts. A virtual machine's own NIC ("Microsoft
// Hyper-V Network Adapter") does not match.
const hyperVHostVNIC = "Hyper-V Virtual Ethernet Adapter"

// Adapter is one network adapter of the host.
type Adapter struct {
	Name        string           // friendly name, as NetAdapterName expects
	Description string           // driver description
	Index       uint32           // IPv4 interface index (IPv6 index when IPv4 is off)
	LUID        uint64           // locally unique identifier
	MAC         net.HardwareAddr // physical address
	Type        uint32           // IANA ifType (TypeEthernet, TypeWiFi, ...)
	TunnelType  uint32           // non-zero for tunnels (Teredo 14, ISATAP 13, ...)
	Up          bool             // operational status up
	Hardware    bool             // the HardwareInterface flag (MIB_IF_ROW2)
	Addresses   []netip.Prefix   // unicast addresses with their on-link prefix length
	Gateways    []netip.Addr     // default gateways
	Metric      uint32           // IPv4 interface metric
	Metric6     uint32           // IPv6 interface metric
}

// Route is one entry of the host's routing table.
type Route struct {
	Prefix  netip.Prefix // destination
	NextHop netip.Addr   // unspecified for on-link routes
	Index   uint32       // interface index
	LUID    uint64       // interface LUID (0 when unknown; Index is used)
	Metric  uint32       // route metric, without the interface metric
}

// Table is a snapshot of the host's adapters and routes.
type Table struct {
	Adapters []Adapter
	Routes   []Route
}

// Options adjust the choice.
type Options struct {
	// Override names the adapter (friendly name) and bypasses the automatic
	// choice. Uplink fills it from HCNKIT_UPLINK_ADAPTER.
	Override string
	// AllowWiFi lets a Wi-Fi adapter be chosen. Transparent and L2Bridge
	// networks over Wi-Fi do not carry container traffic, so it is off by
	// default.
	AllowWiFi bool
}

// Rejection says why one adapter was not chosen.
type Rejection struct {
	Adapter string // friendly name
	Reason  string
}

// NoUplinkError reports that no adapter qualifies, with each adapter's
// reason.
type NoUplinkError struct {
	Rejected []Rejection
}

func (e *NoUplinkError) Error() string {
	var b strings.Builder
	b.WriteString("adapter: no uplink adapter found (set " + EnvOverride + " to choose one)")
	for _, r := range e.Rejected {
		fmt.Fprintf(&b, "; %q: %s", r.Adapter, r.Reason)
	}
	return b.String()
}

// ErrOverrideNotFound is wrapped by the error returned when the override
// names no adapter.
var ErrOverrideNotFound = errors.New("adapter: override names no adapter")

// Uplink reads the host's table and chooses its uplink adapter with the
// default options; HCNKIT_UPLINK_ADAPTER, when set, names it.
func Uplink() (Adapter, error) { return UplinkWith(Options{}) }

// UplinkWith is Uplink with options. HCNKIT_UPLINK_ADAPTER, when set,
// replaces opts.Override.
func UplinkWith(opts Options) (Adapter, error) {
	if v := os.Getenv(EnvOverride); v != "" {
		opts.Override = v
	}
	t, err := ReadTable()
	if err != nil {
		return Adapter{}, err
	}
	return UplinkFrom(t, opts)
}

// UplinkFrom chooses the uplink adapter in t. It reads no environment.
func UplinkFrom(t Table, opts Options) (Adapter, error) {
	if opts.Override != "" {
		return byName(t, opts.Override)
	}
	rejected := map[int]string{}
	for _, v6 := range []bool{false, true} {
		for _, c := range defaultRoutes(t, v6) {
			a := &t.Adapters[c.adapter]
			if _, ok := rejected[c.adapter]; ok {
				continue
			}
			if reason := veto(a, v6, c.nextHop, opts); reason != "" {
				rejected[c.adapter] = reason
				continue
			}
			if !isHostVNIC(a) {
				return clone(*a), nil
			}
			nic, reason := physicalFor(t, a, opts)
			if reason != "" {
				rejected[c.adapter] = reason
				continue
			}
			return clone(*nic), nil
		}
	}
	e := &NoUplinkError{}
	for i := range t.Adapters {
		reason, ok := rejected[i]
		if !ok {
			reason = "no default route"
		}
		e.Rejected = append(e.Rejected, Rejection{Adapter: t.Adapters[i].Name, Reason: reason})
	}
	if len(e.Rejected) == 0 {
		e.Rejected = append(e.Rejected, Rejection{Adapter: "(none)", Reason: "the host lists no adapters"})
	}
	return Adapter{}, e
}

// byName finds the adapter named name, exactly, then case-insensitively.
func byName(t Table, name string) (Adapter, error) {
	for _, a := range t.Adapters {
		if a.Name == name {
			return clone(a), nil
		}
	}
	var found []Adapter
	for _, a := range t.Adapters {
		if strings.EqualFold(a.Name, name) {
			found = append(found, a)
		}
	}
	switch len(found) {
	case 1:
		return clone(found[0]), nil
	case 0:
		names := make([]string, len(t.Adapters))
		for i, a := range t.Adapters {
			names[i] = fmt.Sprintf("%q", a.Name)
		}
		return Adapter{}, fmt.Errorf("%w: %s=%q; adapters: %s", ErrOverrideNotFound, EnvOverride, name, strings.Join(names, ", "))
	default:
		return Adapter{}, fmt.Errorf("adapter: %s=%q matches %d adapters ignoring case; give the exact name", EnvOverride, name, len(found))
	}
}

type candidate struct {
	adapter int
	metric  uint64
	nextHop bool // a default route of the adapter names a gateway
}

// defaultRoutes lists the adapters carrying a default route of the family,
// lowest effective metric first, each adapter once.
func defaultRoutes(t Table, v6 bool) []candidate {
	best := map[int]candidate{}
	for _, r := range t.Routes {
		if !r.Prefix.IsValid() || r.Prefix.Bits() != 0 || r.Prefix.Addr().Is6() != v6 {
			continue
		}
		i := find(t, r)
		if i < 0 {
			continue
		}
		m := uint64(r.Metric) + uint64(t.Adapters[i].Metric)
		if v6 {
			m = uint64(r.Metric) + uint64(t.Adapters[i].Metric6)
		}
		c, ok := best[i]
		if !ok || m < c.metric {
			c.adapter, c.metric = i, m
		}
		c.nextHop = c.nextHop || r.NextHop.IsValid() && !r.NextHop.IsUnspecified()
		best[i] = c
	}
	out := make([]candidate, 0, len(best))
	for _, c := range best {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b candidate) int {
		if c := cmp.Compare(a.metric, b.metric); c != 0 {
			return c
		}
		if c := cmp.Compare(t.Adapters[a.adapter].Index, t.Adapters[b.adapter].Index); c != 0 {
			return c
		}
		return cmp.Compare(a.adapter, b.adapter)
	})
	return out
}

// find returns the index in t.Adapters of the route's interface, or -1.
func find(t Table, r Route) int {
	for i, a := range t.Adapters {
		if r.LUID != 0 && a.LUID == r.LUID || r.LUID == 0 && a.Index == r.Index {
			return i
		}
	}
	return -1
}

// veto says why a cannot carry the uplink, or "" when it can; nextHop
// reports a default route through a gateway, which counts as one. A Hyper-V
// host vNIC is not vetoed here for lacking the hardware flag; it is mapped
// to its physical NIC.
func veto(a *Adapter, v6, nextHop bool, opts Options) string {
	switch {
	case !a.Up:
		return "not up"
	case a.Type == TypeLoopback:
		return "loopback"
	case a.Type == TypeTunnel || a.TunnelType != 0:
		return fmt.Sprintf("tunnel (type %d, tunnel type %d)", a.Type, a.TunnelType)
	case a.Type == TypePPP:
		return "PPP link"
	case a.Type == TypePropVirtual:
		return "virtual adapter (IF_TYPE_PROP_VIRTUAL: Wintun, WireGuard, ...)"
	case !a.Hardware && !isHostVNIC(a):
		return "not a hardware interface (virtual, VPN or TAP adapter)"
	case a.Type == TypeWiFi && !opts.AllowWiFi:
		return "Wi-Fi (Transparent networks do not work over Wi-Fi; allow it with Options.AllowWiFi)"
	}
	if !hasUsableAddress(a, v6) {
		fam := "IPv4"
		if v6 {
			fam = "IPv6"
		}
		return "no usable " + fam + " address (link-local/APIPA only or none)"
	}
	if !nextHop && !hasGateway(a, v6) {
		return "no gateway"
	}
	return ""
}

func hasUsableAddress(a *Adapter, v6 bool) bool {
	for _, p := range a.Addresses {
		ad := p.Addr().Unmap()
		if ad.Is6() == v6 && ad.IsGlobalUnicast() {
			return true
		}
	}
	return false
}

func hasGateway(a *Adapter, v6 bool) bool {
	for _, g := range a.Gateways {
		g = g.Unmap()
		if g.Is6() == v6 && !g.IsUnspecified() {
			return true
		}
	}
	return false
}

func isHostVNIC(a *Adapter) bool {
	return strings.HasPrefix(a.Description, hyperVHostVNIC)
}

// isMellanoxVF reports an Azure Accelerated Networking virtual function,
// which shares its MAC with the synthetic NIC.
func isMellanoxVF(a *Adapter) bool {
	return strings.Contains(a.Description, "Mellanox") && strings.Contains(a.Description, "Virtual")
}

// physicalFor maps a Hyper-V host vNIC to the physical NIC bound to its
// vSwitch: same MAC, up, hardware, not a vNIC or a Mellanox VF; among
// several, the one without an IP binding.
func physicalFor(t Table, vnic *Adapter, opts Options) (*Adapter, string) {
	if len(vnic.MAC) == 0 {
		return nil, "Hyper-V host vNIC without a MAC address"
	}
	var found []*Adapter
	for i := range t.Adapters {
		a := &t.Adapters[i]
		if a == vnic || isHostVNIC(a) || isMellanoxVF(a) || !a.Hardware || !a.Up ||
			!slices.Equal(a.MAC, vnic.MAC) {
			continue
		}
		found = append(found, a)
	}
	if len(found) > 1 {
		var unbound []*Adapter
		for _, a := range found {
			if len(a.Addresses) == 0 {
				unbound = append(unbound, a)
			}
		}
		if len(unbound) > 0 {
			found = unbound
		}
	}
	switch len(found) {
	case 0:
		return nil, "Hyper-V host vNIC and no physical NIC shares its MAC " + vnic.MAC.String() + " (an internal vSwitch)"
	case 1:
		if found[0].Type == TypeWiFi && !opts.AllowWiFi {
			return nil, "Hyper-V host vNIC bound to the Wi-Fi adapter " + fmt.Sprintf("%q", found[0].Name)
		}
		return found[0], ""
	default:
		return nil, fmt.Sprintf("Hyper-V host vNIC and %d physical NICs share its MAC %s", len(found), vnic.MAC)
	}
}

func clone(a Adapter) Adapter {
	a.MAC = slices.Clone(a.MAC)
	a.Addresses = slices.Clone(a.Addresses)
	a.Gateways = slices.Clone(a.Gateways)
	return a
}
