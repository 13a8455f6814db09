package hcn_test

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// refusedBeforeAnyCall fails unless err wraps want, mentions each of
// words, and the emulator saw no call.
func refusedBeforeAnyCall(t *testing.T, sim *hcnsim.Sim, what string, err, want error, words ...string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: %v, want %v", what, err, want)
	}
	for _, w := range words {
		if err != nil && !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q does not mention %q", what, err, w)
		}
	}
	if n := totalCalls(sim); n != 0 {
		t.Errorf("%s: %d service calls (%v), want none", what, n, sim.Stats().Calls)
	}
}

func TestSimEmptyNamesRefused(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  func(c *hcn.Client) error
	}{
		{"GetNetworkByName", func(c *hcn.Client) error { _, err := c.GetNetworkByName(ctx, ""); return err }},
		{"GetEndpointByName", func(c *hcn.Client) error { _, err := c.GetEndpointByName(ctx, ""); return err }},
		{"EnsureNetwork", func(c *hcn.Client) error { _, _, err := c.EnsureNetwork(ctx, &hcn.Network{}); return err }},
	} {
		sim, c := simClient(t)
		if _, err := c.CreateNetwork(ctx, natNetwork("first", "10.40.0.0/24")); err != nil {
			t.Fatal(err)
		}
		sim2, c2 := simClient(t)
		refusedBeforeAnyCall(t, sim2, tc.name, tc.run(c2), hcn.ErrInvalid, tc.name, "name")
		// Even with objects present, an empty name never finds one.
		before := totalCalls(sim)
		if err := tc.run(c); !errors.Is(err, hcn.ErrInvalid) || totalCalls(sim) != before {
			t.Errorf("%s with a network present: %v after %d calls", tc.name, err, totalCalls(sim)-before)
		}
	}
	sim, c := simClient(t)
	_, _, err := c.EnsureNetwork(ctx, nil)
	refusedBeforeAnyCall(t, sim, "EnsureNetwork(nil)", err, hcn.ErrInvalid, "network")
}

// TestSimNameCase: names are case-sensitive in the emulator and the
// Client alike, so the lookups and EnsureNetwork agree with the service's
// uniqueness rule: ensuring "ingress" next to "Ingress" makes a second
// network instead of failing, and ensuring "Ingress" again reuses it.
func TestSimNameCase(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	ingress, err := c.CreateNetwork(ctx, natNetwork("Ingress", "10.41.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	again, created, err := c.EnsureNetwork(ctx, natNetwork("Ingress", "10.41.0.0/24"))
	if err != nil || created || again.ID != ingress.ID {
		t.Fatalf("EnsureNetwork(Ingress): %v, created %v, %v; want the existing one", again, created, err)
	}
	lower, created, err := c.EnsureNetwork(ctx, natNetwork("ingress", "10.42.0.0/24"))
	if err != nil || !created || lower.ID == ingress.ID || lower.Name != "ingress" {
		t.Fatalf("EnsureNetwork(ingress): %v, created %v, %v; want a new network", lower, created, err)
	}
	for name, want := range map[string]hcn.ID{"Ingress": ingress.ID, "ingress": lower.ID} {
		if n, err := c.GetNetworkByName(ctx, name); err != nil || n.ID != want {
			t.Errorf("GetNetworkByName(%s): %v, %v; want %s", name, n, err, want)
		}
	}
	if _, err := c.GetNetworkByName(ctx, "INGRESS"); !hcn.IsNotFound(err) {
		t.Errorf("GetNetworkByName(INGRESS): %v, want ErrNotFound", err)
	}
	// Endpoint names need not be unique, and match exactly too.
	var ids []hcn.ID
	for _, name := range []string{"Web", "web", "WEB"} {
		ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: name, HostComputeNetwork: ingress.ID})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ep.ID)
	}
	for i, name := range []string{"Web", "web", "WEB"} {
		if ep, err := c.GetEndpointByName(ctx, name); err != nil || ep.ID != ids[i] {
			t.Errorf("GetEndpointByName(%s): %v, %v; want %s", name, ep, err, ids[i])
		}
	}
	if _, err := c.GetEndpointByName(ctx, "wEb"); !hcn.IsNotFound(err) {
		t.Errorf("GetEndpointByName(wEb): %v, want ErrNotFound", err)
	}
	noLeaks(t, sim)
}

// TestSimFeatureGatesByContent: a document is refused for what it
// contains, not only for its flags, before any call.
func TestSimFeatureGatesByContent(t *testing.T) {
	ctx := context.Background()
	v6lb := func(edit func(*hcn.LoadBalancer)) func(c *hcn.Client) error {
		return func(c *hcn.Client) error {
			lb := &hcn.LoadBalancer{PortMappings: []hcn.PortMapping{{Protocol: hcn.ProtocolTCP, InternalPort: 80, ExternalPort: 80}}}
			edit(lb)
			_, err := c.CreateLoadBalancer(ctx, lb)
			return err
		}
	}
	netID := hcn.NewGUID().String()
	for _, tc := range []struct {
		name         string
		major, minor uint32
		feature      string
		run          func(c *hcn.Client) error
	}{
		{"lb ipv6 frontend without flag", 11, 9, "IPv6DualStack", v6lb(func(lb *hcn.LoadBalancer) { lb.FrontendVIPs = []string{"10.0.0.9", "fd00::9"} })},
		{"lb ipv6 source vip", 11, 9, "IPv6DualStack", v6lb(func(lb *hcn.LoadBalancer) { lb.SourceVIP = "fd00::10" })},
		{"network ipv6 route", 11, 9, "IPv6DualStack", func(c *hcn.Client) error {
			n := natNetwork("n6", "10.43.0.0/24")
			n.Ipams[0].Subnets[0].Routes = append(n.Ipams[0].Subnets[0].Routes, hcn.Route{DestinationPrefix: "fd00::/64", NextHop: "10.43.0.1"})
			_, err := c.CreateNetwork(ctx, n)
			return err
		}},
		{"endpoint ipv6 route", 11, 9, "IPv6DualStack", func(c *hcn.Client) error {
			_, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: hcn.ID(netID), Routes: []hcn.Route{{DestinationPrefix: "::/0"}}})
			return err
		}},
		{"endpoint /32", 10, 3, "Slash32EndpointPrefixes", func(c *hcn.Client) error {
			_, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: hcn.ID(netID),
				IpConfigurations: []hcn.IPConfig{{IpAddress: "10.44.0.5", PrefixLength: 32}}})
			return err
		}},
		{"ipv6 subnet modify", 11, 9, "IPv6DualStack", func(c *hcn.Client) error {
			return c.AddNetworkSubnet(ctx, hcn.NewGUID().ID(), hcn.Subnet{IpAddressPrefix: "fd00:1::/64"})
		}},
	} {
		sim, c := simClient(t)
		sim.SetServiceVersion(tc.major, tc.minor)
		if _, err := c.ServiceVersion(ctx); err != nil {
			t.Fatal(err)
		}
		before := totalCalls(sim)
		err := tc.run(c)
		if !errors.Is(err, hcn.ErrNotSupported) || !strings.Contains(err.Error(), tc.feature) {
			t.Errorf("%s on %d.%d: %v, want ErrNotSupported naming %s", tc.name, tc.major, tc.minor, err, tc.feature)
		}
		if n := totalCalls(sim) - before; n != 0 {
			t.Errorf("%s: %d service calls after the version, want none", tc.name, n)
		}
	}
	// The same documents pass on a host that has the features.
	sim, c := simClient(t)
	sim.SetServiceVersion(15, 4)
	lb, err := c.CreateLoadBalancer(ctx, &hcn.LoadBalancer{FrontendVIPs: []string{"fd00::9"},
		PortMappings: []hcn.PortMapping{{Protocol: hcn.ProtocolTCP, InternalPort: 80}}})
	if err != nil || len(lb.FrontendVIPs) != 1 {
		t.Errorf("IPv6 VIP on 15.4: %+v, %v", lb, err)
	}
}

// TestSimColonMACs: MAC addresses written with colons are accepted and
// sent in the service's form; the caller's document is left alone.
func TestSimColonMACs(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	n := natNetwork("macs", "10.45.0.0/24")
	n.MacPool.Ranges = []hcn.MacRange{{StartMacAddress: "00:15:5d:aa:00:00", EndMacAddress: "00:15:5d:aa:00:ff"}}
	n.Policies = []hcn.Policy{hcn.NewPolicy(&hcn.DrMacAddressPolicySetting{Address: "00:15:5d:aa:00:fe"})}
	net, err := c.CreateNetwork(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if r := net.MacPool.Ranges; len(r) != 1 || r[0].StartMacAddress != "00-15-5D-AA-00-00" || r[0].EndMacAddress != "00-15-5D-AA-00-FF" {
		t.Errorf("MacPool as the service has it: %+v", net.MacPool)
	}
	if s, ok := hcn.SettingsAs[*hcn.DrMacAddressPolicySetting](net.Policies[0]); !ok || s.Address != "00-15-5D-AA-00-FE" {
		t.Errorf("DrMacAddress policy as the service has it: %+v", net.Policies)
	}
	if n.MacPool.Ranges[0].StartMacAddress != "00:15:5d:aa:00:00" || n.Policies[0].Settings.(*hcn.DrMacAddressPolicySetting).Address != "00:15:5d:aa:00:fe" {
		t.Errorf("the caller's document was changed: %+v %+v", n.MacPool, n.Policies[0].Settings)
	}
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID, MacAddress: "00:15:5d:aa:00:07"})
	if err != nil || ep.MacAddress != "00-15-5D-AA-00-07" {
		t.Errorf("endpoint with a colon MAC: %+v, %v", ep, err)
	}
	netID := net.ID
	if err := c.AddNetworkPolicies(ctx, netID, hcn.NewPolicy(hcn.SourceMacAddressPolicySetting{SourceMacAddress: "02:00:00:00:00:0a"})); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetNetwork(ctx, netID)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := hcn.SettingsAs[*hcn.SourceMacAddressPolicySetting](got.Policies[len(got.Policies)-1]); !ok || s.SourceMacAddress != "02-00-00-00-00-0A" {
		t.Errorf("SourceMacAddress policy as the service has it: %+v", got.Policies)
	}
	before := totalCalls(sim)
	_, err = c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID, MacAddress: "00:15-5d:aa:00:07"})
	if !errors.Is(err, hcn.ErrInvalid) || !strings.Contains(err.Error(), "MacAddress") || totalCalls(sim) != before {
		t.Errorf("mixed separators: %v", err)
	}
	noLeaks(t, sim)
}

// TestSimEndpointPrefixLength: a PrefixLength that differs from the
// subnet's is refused naming the field, before the create; the subnet's,
// zero, and an IPv4 /32 pass; a prefix the service changes anyway is
// logged.
func TestSimEndpointPrefixLength(t *testing.T) {
	sim := hcnsim.New(nil)
	var log syncBuffer
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("pl", "10.46.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	ep := func(addr string, bits uint8) *hcn.Endpoint {
		return &hcn.Endpoint{HostComputeNetwork: net.ID, IpConfigurations: []hcn.IPConfig{{IpAddress: addr, PrefixLength: bits}}}
	}
	_, err = c.CreateEndpoint(ctx, ep("10.46.0.5", 16))
	if !errors.Is(err, hcn.ErrInvalid) || !strings.Contains(err.Error(), "IpConfigurations[0].PrefixLength") || !strings.Contains(err.Error(), "10.46.0.0/24") {
		t.Errorf("PrefixLength 16 in a /24: %v", err)
	}
	if n := sim.Calls(hcn.OpCreateEndpoint); n != 0 {
		t.Errorf("the endpoint with a wrong prefix length was sent (%d creates)", n)
	}
	for i, bits := range []uint8{0, 24, 32} {
		addr := netip.AddrFrom4([4]byte{10, 46, 0, byte(10 + i)}).String()
		got, err := c.CreateEndpoint(ctx, ep(addr, bits))
		if err != nil || len(got.IpConfigurations) != 1 {
			t.Errorf("PrefixLength %d: %+v, %v", bits, got, err)
			continue
		}
		changed := bits != 0 && got.IpConfigurations[0].PrefixLength != bits
		if logged := strings.Contains(log.String(), "address="+addr); logged != changed {
			t.Errorf("PrefixLength %d, given %d: logged %v, log:\n%s", bits, got.IpConfigurations[0].PrefixLength, logged, log.String())
		}
	}
	noLeaks(t, sim)
}

// TestSimHostDefaultNamespaceNeverDeleted: both the typed and the generic
// delete refuse the host default namespace before any call.
func TestSimHostDefaultNamespaceNeverDeleted(t *testing.T) {
	ctx := context.Background()
	id := hcn.ID(strings.ToUpper("{" + string(hcn.HostDefaultNamespaceID) + "}"))
	for _, tc := range []struct {
		name string
		run  func(c *hcn.Client) error
	}{
		{"DeleteNamespace", func(c *hcn.Client) error { return c.DeleteNamespace(ctx, id, nil) }},
		{"Delete", func(c *hcn.Client) error { return c.Delete(ctx, hcn.KindNamespace, id, nil) }},
		{"Delete ignoring not found", func(c *hcn.Client) error {
			return c.Delete(ctx, hcn.KindNamespace, id, &hcn.DeleteOptions{IgnoreNotFound: true})
		}},
	} {
		sim, c := simClient(t)
		refusedBeforeAnyCall(t, sim, tc.name, tc.run(c), hcn.ErrInvalid, "host default namespace", string(hcn.HostDefaultNamespaceID))
	}
	// Other namespaces are deleted through either path.
	_, c := simClient(t)
	for _, del := range []func(hcn.GUID) error{
		func(g hcn.GUID) error { return c.DeleteNamespace(ctx, g.ID(), nil) },
		func(g hcn.GUID) error { return c.Delete(ctx, hcn.KindNamespace, g.ID(), nil) },
	} {
		ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
		if err != nil {
			t.Fatal(err)
		}
		if err := del(hcn.MustParseGUID(string(ns.ID))); err != nil {
			t.Errorf("delete of an ordinary namespace: %v", err)
		}
	}
}
