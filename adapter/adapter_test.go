package adapter

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func pfx(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, x := range s {
		if x == "" {
			continue
		}
		out = append(out, netip.MustParsePrefix(x))
	}
	return out
}

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, x := range s {
		if x == "" {
			continue
		}
		out = append(out, netip.MustParseAddr(x))
	}
	return out
}

func nic(name string, idx uint32, m string, ip, gw string) Adapter {
	return Adapter{
		Name: name, Description: "Intel(R) Ethernet Connection I219-LM", Index: idx, LUID: uint64(idx) << 8,
		MAC: mac(m), Type: TypeEthernet, Up: true, Hardware: true,
		Addresses: pfx(ip), Gateways: addrs(gw), Metric: 25, Metric6: 25,
	}
}

func def(idx uint32, metric uint32) Route {
	return Route{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Index: idx, LUID: uint64(idx) << 8, Metric: metric}
}

func def6(idx uint32, metric uint32) Route {
	return Route{Prefix: netip.MustParsePrefix("::/0"), Index: idx, LUID: uint64(idx) << 8, Metric: metric}
}

func TestUplinkFrom(t *testing.T) {
	eth := nic("Ethernet", 4, "00-15-5d-01-02-03", "192.168.1.10/24", "192.168.1.1")
	eth2 := nic("Ethernet 2", 7, "00-15-5d-0a-0b-0c", "10.0.0.5/8", "10.0.0.1")
	wifi := nic("Wi-Fi", 9, "a4-bb-6d-00-00-01", "192.168.2.20/24", "192.168.2.1")
	wifi.Type, wifi.Description = TypeWiFi, "Intel(R) Wi-Fi 6 AX201 160MHz"
	wg := Adapter{Name: "wg0", Description: "WireGuard Tunnel", Index: 12, LUID: 12 << 8, Type: TypePropVirtual,
		Up: true, Addresses: pfx("10.200.0.1/16"), Gateways: addrs("10.200.0.254")}
	wintun := Adapter{Name: "tailscale0", Description: "Tailscale Tunnel", Index: 13, LUID: 13 << 8, Type: TypePropVirtual,
		Up: true, Hardware: true, Addresses: pfx("100.64.0.1/32"), Gateways: addrs("100.64.0.254")}
	// A vSwitch bound to Ethernet: the vNIC carries the IP and the default route.
	boundNIC := nic("Ethernet", 4, "00-15-5d-01-02-03", "", "")
	boundNIC.Addresses, boundNIC.Gateways = nil, nil
	vnic := nic("vEthernet (Ethernet)", 20, "00-15-5d-01-02-03", "192.168.1.10/24", "192.168.1.1")
	vnic.Description, vnic.Hardware = "Hyper-V Virtual Ethernet Adapter #2", false
	natVNIC := nic("vEthernet (nat)", 21, "00-15-5d-99-99-99", "172.20.0.1/20", "172.20.0.254")
	natVNIC.Description, natVNIC.Hardware = "Hyper-V Virtual Ethernet Adapter", false
	mlx := nic("Ethernet 3", 22, "00-15-5d-01-02-03", "", "")
	mlx.Addresses, mlx.Gateways, mlx.Description = nil, nil, "Mellanox ConnectX-4 Lx Virtual Ethernet Adapter"
	localised := nic("以太网", 5, "00-11-22-33-44-55", "192.168.8.3/24", "192.168.8.1")
	azureGuest := nic("Ethernet", 6, "00-0d-3a-00-00-01", "10.1.0.4/24", "10.1.0.1")
	azureGuest.Description = "Microsoft Hyper-V Network Adapter"
	apipa := nic("Ethernet", 4, "00-15-5d-01-02-03", "169.254.10.20/16", "192.168.1.1")
	v6only := nic("Ethernet", 4, "00-15-5d-01-02-03", "2001:db8::10/64", "fe80::1")
	v6only.Gateways = addrs("fe80::1")
	teredo := Adapter{Name: "Teredo Tunneling Pseudo-Interface", Index: 14, LUID: 14 << 8, Type: TypeTunnel, TunnelType: 14,
		Up: true, Addresses: pfx("2001:0:4136:e378::1/32"), Gateways: addrs("2001::1"), Metric6: 0}
	isatap := Adapter{Name: "isatap.corp", Index: 15, LUID: 15 << 8, Type: TypeTunnel, TunnelType: 13,
		Up: true, Addresses: pfx("2001:db8:1::5efe:1/64"), Gateways: addrs("2001:db8:1::1")}
	loop := Adapter{Name: "Loopback Pseudo-Interface 1", Index: 1, LUID: 1 << 8, Type: TypeLoopback, Up: true,
		Addresses: pfx("127.0.0.1/8")}
	down := nic("Ethernet 4", 30, "00-15-5d-00-00-30", "192.168.5.5/24", "192.168.5.1")
	down.Up = false

	tests := []struct {
		name   string
		table  Table
		opts   Options
		want   string // chosen adapter; "" when an error is expected
		errHas []string
	}{
		{"lowest metric wins", Table{Adapters: []Adapter{loop, eth, eth2},
			Routes: []Route{def(4, 50), def(7, 10)}}, Options{}, "Ethernet 2", nil},
		{"interface metric counts", Table{Adapters: []Adapter{eth, func() Adapter { a := eth2; a.Metric = 100; return a }()},
			Routes: []Route{def(4, 50), def(7, 10)}}, Options{}, "Ethernet", nil},
		{"equal metrics: lowest index", Table{Adapters: []Adapter{eth2, eth},
			Routes: []Route{def(7, 0), def(4, 0)}}, Options{}, "Ethernet", nil},
		{"route matched by index without LUID", Table{Adapters: []Adapter{eth},
			Routes: []Route{{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Index: 4}}}, Options{}, "Ethernet", nil},
		{"Wi-Fi refused", Table{Adapters: []Adapter{wifi}, Routes: []Route{def(9, 0)}}, Options{}, "",
			[]string{`"Wi-Fi": Wi-Fi`, "AllowWiFi"}},
		{"Wi-Fi refused, wired chosen", Table{Adapters: []Adapter{wifi, eth}, Routes: []Route{def(9, 0), def(4, 100)}},
			Options{}, "Ethernet", nil},
		{"Wi-Fi allowed", Table{Adapters: []Adapter{wifi}, Routes: []Route{def(9, 0)}}, Options{AllowWiFi: true}, "Wi-Fi", nil},
		{"bound vSwitch maps to the physical NIC", Table{Adapters: []Adapter{vnic, boundNIC},
			Routes: []Route{def(20, 0)}}, Options{}, "Ethernet", nil},
		{"bound vSwitch skips the Mellanox VF", Table{Adapters: []Adapter{mlx, vnic, boundNIC},
			Routes: []Route{def(20, 0)}}, Options{}, "Ethernet", nil},
		{"internal vSwitch vNIC rejected", Table{Adapters: []Adapter{natVNIC}, Routes: []Route{def(21, 0)}}, Options{}, "",
			[]string{`"vEthernet (nat)": Hyper-V host vNIC and no physical NIC shares its MAC`}},
		{"internal vNIC with lower metric skipped", Table{Adapters: []Adapter{natVNIC, eth},
			Routes: []Route{def(21, 0), def(4, 50)}}, Options{}, "Ethernet", nil},
		{"WireGuard and Wintun with lower metric skipped", Table{Adapters: []Adapter{wg, wintun, eth},
			Routes: []Route{def(12, 0), def(13, 0), def(4, 50)}}, Options{}, "Ethernet", nil},
		{"localised name", Table{Adapters: []Adapter{localised}, Routes: []Route{def(5, 0)}}, Options{}, "以太网", nil},
		{"Hyper-V guest NIC is an uplink", Table{Adapters: []Adapter{azureGuest}, Routes: []Route{def(6, 0)}}, Options{}, "Ethernet", nil},
		{"APIPA only", Table{Adapters: []Adapter{apipa}, Routes: []Route{def(4, 0)}}, Options{}, "",
			[]string{`"Ethernet": no usable IPv4 address`}},
		{"no default route", Table{Adapters: []Adapter{loop, eth}}, Options{}, "",
			[]string{`"Loopback Pseudo-Interface 1": no default route`, `"Ethernet": no default route`}},
		{"no adapters", Table{}, Options{}, "", []string{"lists no adapters"}},
		{"no gateway", Table{Adapters: []Adapter{func() Adapter { a := eth; a.Gateways = nil; return a }()},
			Routes: []Route{def(4, 0)}}, Options{}, "", []string{"no gateway"}},
		{"gateway from the route's next hop", Table{Adapters: []Adapter{func() Adapter { a := eth; a.Gateways = nil; return a }()},
			Routes: []Route{func() Route { r := def(4, 0); r.NextHop = netip.MustParseAddr("192.168.1.1"); return r }()}},
			Options{}, "Ethernet", nil},
		{"down adapter", Table{Adapters: []Adapter{down}, Routes: []Route{def(30, 0)}}, Options{}, "", []string{"not up"}},
		{"IPv6 only", Table{Adapters: []Adapter{loop, v6only}, Routes: []Route{def6(4, 256)}}, Options{}, "Ethernet", nil},
		{"Teredo and ISATAP ::/0 ignored", Table{Adapters: []Adapter{teredo, isatap, v6only},
			Routes: []Route{def6(14, 0), def6(15, 0), def6(4, 256)}}, Options{}, "Ethernet", nil},
		{"only Teredo", Table{Adapters: []Adapter{teredo}, Routes: []Route{def6(14, 0)}}, Options{}, "",
			[]string{`"Teredo Tunneling Pseudo-Interface": tunnel`}},
		{"IPv4 preferred over IPv6", Table{Adapters: []Adapter{eth, func() Adapter {
			a := v6only
			a.Name, a.Index, a.LUID = "Ethernet 6", 40, 40<<8
			return a
		}()},
			Routes: []Route{def(4, 500), def6(40, 0)}}, Options{}, "Ethernet", nil},
		{"override exact", Table{Adapters: []Adapter{eth, eth2}, Routes: []Route{def(4, 0)}},
			Options{Override: "Ethernet 2"}, "Ethernet 2", nil},
		{"override case-insensitive", Table{Adapters: []Adapter{eth, eth2}, Routes: []Route{def(4, 0)}},
			Options{Override: "ethernet 2"}, "Ethernet 2", nil},
		{"override exact beats case-insensitive", Table{Adapters: []Adapter{
			func() Adapter { a := eth2; a.Name = "ETHERNET"; return a }(), eth}},
			Options{Override: "Ethernet"}, "Ethernet", nil},
		{"override localised", Table{Adapters: []Adapter{eth, localised}}, Options{Override: "以太网"}, "以太网", nil},
		{"override not found", Table{Adapters: []Adapter{eth}, Routes: []Route{def(4, 0)}},
			Options{Override: "Ethernet 9"}, "", []string{EnvOverride, `"Ethernet 9"`, `"Ethernet"`}},
		{"override ambiguous", Table{Adapters: []Adapter{
			func() Adapter { a := eth2; a.Name = "ETHERNET"; return a }(), eth}},
			Options{Override: "ethernet"}, "", []string{"matches 2 adapters"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UplinkFrom(tc.table, tc.opts)
			if tc.want != "" {
				if err != nil {
					t.Fatalf("UplinkFrom: %v", err)
				}
				if got.Name != tc.want {
					t.Fatalf("chose %q, want %q", got.Name, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("chose %q, want an error", got.Name)
			}
			for _, s := range tc.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestUplinkFromErrors(t *testing.T) {
	_, err := UplinkFrom(Table{Adapters: []Adapter{{Name: "Ethernet"}}}, Options{Override: "x"})
	if !errors.Is(err, ErrOverrideNotFound) {
		t.Fatalf("override not found: %v, want ErrOverrideNotFound", err)
	}
	_, err = UplinkFrom(Table{Adapters: []Adapter{{Name: "Ethernet"}}}, Options{})
	var nu *NoUplinkError
	if !errors.As(err, &nu) || len(nu.Rejected) != 1 || nu.Rejected[0].Adapter != "Ethernet" {
		t.Fatalf("no uplink: %#v", err)
	}
}

func TestUplinkFromCopies(t *testing.T) {
	a := nic("Ethernet", 4, "00-15-5d-01-02-03", "192.168.1.10/24", "192.168.1.1")
	tab := Table{Adapters: []Adapter{a}, Routes: []Route{def(4, 0)}}
	got, err := UplinkFrom(tab, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got.MAC[0] = 0xff
	got.Addresses[0] = netip.Prefix{}
	if tab.Adapters[0].MAC[0] == 0xff || !tab.Adapters[0].Addresses[0].IsValid() {
		t.Fatal("the result shares memory with the table")
	}
}

func TestUplinkEnvOverride(t *testing.T) {
	t.Setenv(EnvOverride, "no such adapter")
	_, err := Uplink()
	if err == nil {
		t.Fatal("Uplink with an override naming no adapter succeeded")
	}
}
