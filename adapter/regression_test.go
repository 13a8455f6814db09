package adapter

import (
	"strings"
	"testing"
)

// TestRegressionUplinkNeverHyperVvEthernet pins a defect of the node flow
// this package serves: it bound Transparent networks to the adapter of the
// lowest-metric default route, which on a host with a vSwitch is a
// Hyper-V host vNIC ("vEthernet (...)") that HCN refuses as an uplink.
// Whatever the metrics, the choice is a physical NIC or an error.
func TestRegressionUplinkNeverHyperVvEthernet(t *testing.T) {
	vnic := func(name string, idx uint32, m, ip, gw string) Adapter {
		a := nic(name, idx, m, ip, gw)
		a.Description, a.Hardware = "Hyper-V Virtual Ethernet Adapter", false
		return a
	}
	// A vSwitch bound to "Ethernet": the vNIC carries its MAC, address and
	// default route; the NIC itself has no address.
	bound := nic("Ethernet", 4, "00-15-5d-01-02-03", "", "")
	bound.Addresses, bound.Gateways = nil, nil
	external := vnic("vEthernet (Ethernet)", 20, "00-15-5d-01-02-03", "192.168.1.10/24", "192.168.1.1")
	// The vNIC of an internal or NAT vSwitch: no NIC shares its MAC.
	internal := vnic("vEthernet (nat)", 21, "00-15-5d-99-99-99", "172.20.0.1/20", "172.20.0.254")
	// The same with the hardware flag set, as some hosts report it.
	internalHW := vnic("vEthernet (Default Switch)", 22, "00-15-5d-77-77-77", "172.30.0.1/20", "172.30.0.254")
	internalHW.Hardware = true
	eth2 := nic("Ethernet 2", 7, "00-15-5d-0a-0b-0c", "10.0.0.5/8", "10.0.0.1")

	tests := []struct {
		name  string
		table Table
		want  string // "" when only an error is right
	}{
		{"bound vNIC lowest, mapped to its NIC", Table{Adapters: []Adapter{external, eth2, bound},
			Routes: []Route{def(20, 0), def(7, 100)}}, "Ethernet"},
		{"internal vNIC lowest, physical NIC next", Table{Adapters: []Adapter{internal, eth2},
			Routes: []Route{def(21, 0), def(7, 500)}}, "Ethernet 2"},
		{"internal vNIC flagged hardware lowest", Table{Adapters: []Adapter{internalHW, eth2},
			Routes: []Route{def(22, 0), def(7, 500)}}, "Ethernet 2"},
		{"IPv6 default route on the vNIC", Table{Adapters: []Adapter{internal, eth2},
			Routes: []Route{def6(21, 0), def(7, 500)}}, "Ethernet 2"},
		{"only vNICs", Table{Adapters: []Adapter{internal, internalHW},
			Routes: []Route{def(21, 0), def(22, 10)}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UplinkFrom(tc.table, Options{})
			if err == nil && (strings.HasPrefix(got.Name, "vEthernet") || strings.HasPrefix(got.Description, "Hyper-V Virtual Ethernet")) {
				t.Fatalf("chose the Hyper-V host vNIC %q (%s)", got.Name, got.Description)
			}
			if tc.want == "" {
				if err == nil {
					t.Fatalf("chose %q, want an error", got.Name)
				}
				if !strings.Contains(err.Error(), "Hyper-V host vNIC") {
					t.Errorf("error %q does not say the vNICs were refused as Hyper-V host vNICs", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tc.want || !got.Hardware {
				t.Fatalf("chose %q (hardware %v), want the physical NIC %q", got.Name, got.Hardware, tc.want)
			}
		})
	}
}
