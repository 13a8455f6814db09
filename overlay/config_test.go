package overlay

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

func TestNewConfigErrors(t *testing.T) {
	_, c := newClient(t)
	tests := []struct {
		name  string
		cfg   Config
		paths []string
		has   []string
	}{
		{"empty", Config{}, []string{"Config.Client", "Config.OwnerTag", "Config.Slice"}, []string{"required"}},
		{"all at once", Config{OwnerTag: "zl-a", Slice: netip.MustParsePrefix("10.200.0.17/28"),
			Type: hcn.NetworkTypeOverlay, NetworkID: "not-a-guid", SettleTime: -time.Second},
			[]string{"Config.Client", "Config.NetworkID", "Config.OwnerTag", "Config.SettleTime", "Config.Slice", "Config.Type"},
			[]string{"'-'", "host bits", "Internal, Transparent, L2Bridge or NAT", "not a GUID", "negative"}},
		{"tag too long", Config{Client: c, OwnerTag: strings.Repeat("a", maxTagLen+1), Slice: slice28},
			[]string{"Config.OwnerTag"}, []string{"longer than 32"}},
		{"tag with a dash", Config{Client: c, OwnerTag: "a-b", Slice: slice28}, []string{"Config.OwnerTag"}, []string{`'-'`}},
		{"slice /31", Config{Client: c, OwnerTag: "zl", Slice: netip.MustParsePrefix("10.0.0.0/31")},
			[]string{"Config.Slice"}, []string{"/31"}},
		{"slice missing", Config{Client: c, OwnerTag: "zl"}, []string{"Config.Slice"}, []string{"required"}},
		{"Overlay", Config{Client: c, OwnerTag: "zl", Slice: slice28, Type: "overlay"}, []string{"Config.Type"}, nil},
		{"ICS", Config{Client: c, OwnerTag: "zl", Slice: slice28, Type: hcn.NetworkTypeICS}, []string{"Config.Type"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := New(tt.cfg)
			if n != nil || err == nil {
				t.Fatalf("New = %v, %v; want an error", n, err)
			}
			if got := errPaths(err); !slices.Equal(got, tt.paths) {
				t.Errorf("paths %q, want %q (%v)", got, tt.paths, err)
			}
			if !errors.Is(err, hcn.ErrInvalid) {
				t.Errorf("%v does not match hcn.ErrInvalid", err)
			}
			for _, h := range tt.has {
				if !strings.Contains(err.Error(), h) {
					t.Errorf("%q does not say %q", err, h)
				}
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	sim, c := newClient(t)
	n, err := New(Config{Client: c, OwnerTag: "zl", Slice: slice28})
	if err != nil {
		t.Fatal(err)
	}
	if got := n.NetworkName(); got != "zl-10.200.0.16_28" {
		t.Errorf("NetworkName = %q", got)
	}
	if n.cfg.Type != hcn.NetworkTypeInternal || n.cfg.SettleTime != DefaultSettleTime {
		t.Errorf("Type %q, SettleTime %v; want Internal, %v", n.cfg.Type, n.cfg.SettleTime, DefaultSettleTime)
	}
	if n.Gateway() != ip("10.200.0.17") || n.Slice() != slice28 || n.NetworkID() != "" {
		t.Errorf("Gateway %v, Slice %v, NetworkID %q", n.Gateway(), n.Slice(), n.NetworkID())
	}
	if calls := totalCalls(sim); calls != 0 {
		t.Errorf("New made %d service calls", calls)
	}
	net, err := n.EnsureNetwork(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if net.Name != "zl-10.200.0.16_28" || !net.Type.Is(hcn.NetworkTypeInternal) || len(net.Policies) != 0 {
		t.Errorf("network %q type %q policies %v; want the default Internal network with no policies", net.Name, net.Type, net.Policies)
	}
	six, err := New(Config{Client: c, OwnerTag: "zl", Slice: netip.MustParsePrefix("fd00:200::/64"), Type: "transparent"})
	if err != nil {
		t.Fatal(err)
	}
	if six.NetworkName() != "zl-fd00:200::_64" || six.cfg.Type != hcn.NetworkTypeTransparent {
		t.Errorf("IPv6: NetworkName %q, Type %q", six.NetworkName(), six.cfg.Type)
	}
}

func TestAttachOptionErrors(t *testing.T) {
	sim, c := newClient(t)
	ctx := context.Background()
	nodes := map[hcn.NetworkType]*Node{}
	for _, typ := range []hcn.NetworkType{hcn.NetworkTypeInternal, hcn.NetworkTypeTransparent, hcn.NetworkTypeL2Bridge, hcn.NetworkTypeNAT} {
		nodes[typ] = newNode(t, c, Config{OwnerTag: "zl" + strings.ToLower(string(typ)), Type: typ})
	}
	policies := AttachOptions{
		OutBoundNAT: &OutBoundNAT{Exceptions: []netip.Prefix{netip.MustParsePrefix("10.200.0.0/16")}},
		SDNRoutes:   []SDNRoute{{Destination: netip.MustParsePrefix("10.200.0.0/16")}},
		InboundACL:  &InboundACL{From: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
	}
	tests := []struct {
		name  string
		typ   hcn.NetworkType
		id    string
		opts  AttachOptions
		paths []string
		has   []string
	}{
		{"outside the slice", hcn.NetworkTypeInternal, "c1", AttachOptions{IP: ip("10.200.0.40")},
			[]string{"AttachOptions.IP"}, []string{"outside the node's slice"}},
		{"network address", hcn.NetworkTypeInternal, "c1", AttachOptions{IP: ip("10.200.0.16")},
			[]string{"AttachOptions.IP"}, []string{"network address"}},
		{"gateway", hcn.NetworkTypeInternal, "c1", AttachOptions{IP: ip("10.200.0.17")},
			[]string{"AttachOptions.IP"}, []string{"gateway"}},
		{"broadcast", hcn.NetworkTypeInternal, "c1", AttachOptions{IP: ip("10.200.0.31")},
			[]string{"AttachOptions.IP"}, []string{"broadcast"}},
		{"DNS server", hcn.NetworkTypeInternal, "c1", AttachOptions{DNS: DNS{Servers: []netip.Addr{ip("10.0.0.10"), {}, ip("0.0.0.0")}}},
			[]string{"AttachOptions.DNS.Servers[1]", "AttachOptions.DNS.Servers[2]"}, []string{"not a usable server address"}},
		{"container id", hcn.NetworkTypeInternal, "a b", AttachOptions{IP: ip("10.200.0.16")},
			[]string{"AttachOptions.IP", "containerID"}, nil},
		{"policies on Internal", hcn.NetworkTypeInternal, "c1", policies,
			[]string{"AttachOptions.InboundACL", "AttachOptions.OutBoundNAT", "AttachOptions.SDNRoutes"},
			[]string{"Internal network", "E_INVALIDARG", "L2Bridge"}},
		{"policies on Transparent", hcn.NetworkTypeTransparent, "c1", policies,
			[]string{"AttachOptions.InboundACL", "AttachOptions.OutBoundNAT", "AttachOptions.SDNRoutes"},
			[]string{"Transparent network"}},
		{"policies on NAT", hcn.NetworkTypeNAT, "c1", policies,
			[]string{"AttachOptions.InboundACL", "AttachOptions.OutBoundNAT", "AttachOptions.SDNRoutes"},
			[]string{"NAT network"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := totalCalls(sim)
			a, err := nodes[tt.typ].Attach(ctx, tt.id, &tt.opts)
			if err == nil {
				t.Fatalf("Attach = %+v, want an error", a)
			}
			if got := errPaths(err); !slices.Equal(got, tt.paths) {
				t.Errorf("paths %q, want %q (%v)", got, tt.paths, err)
			}
			for _, h := range tt.has {
				if !strings.Contains(err.Error(), h) {
					t.Errorf("%q does not say %q", err, h)
				}
			}
			if after := totalCalls(sim); after != before {
				t.Errorf("a refused Attach made %d service calls", after-before)
			}
		})
	}
	if len(sim.Stats().Calls) != 0 {
		t.Fatalf("calls were made: %v", sim.Stats().Calls)
	}

	// L2Bridge takes all three, and they reach the endpoint.
	l2 := nodes[hcn.NetworkTypeL2Bridge]
	a, err := l2.Attach(ctx, "c1", &policies)
	if err != nil {
		t.Fatal(err)
	}
	ep, err := c.GetEndpoint(ctx, a.EndpointID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range []hcn.PolicyType{hcn.PolicyTypeOutBoundNAT, hcn.PolicyTypeSDNRoute, hcn.PolicyTypeACL} {
		if _, ok := ep.Policy(pt); !ok {
			t.Errorf("the L2Bridge endpoint read back has no %s policy: %v", pt, ep.Policies)
		}
	}
	if len(ep.Policies) != 3 {
		t.Errorf("the L2Bridge endpoint has %d policies, want 3: %v", len(ep.Policies), ep.Policies)
	}
}
