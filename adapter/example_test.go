package adapter_test

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/hcnkit/hcn/adapter"
)

func ExampleUplinkFrom() {
	mac, _ := net.ParseMAC("00-15-5d-01-02-03")
	table := adapter.Table{
		Adapters: []adapter.Adapter{
			{Name: "wg0", Description: "WireGuard Tunnel", Index: 12, Type: adapter.TypePropVirtual, Up: true,
				Addresses: []netip.Prefix{netip.MustParsePrefix("10.200.0.1/16")}},
			// A vSwitch is bound to "Ethernet": the host's address moved to its vNIC.
			{Name: "vEthernet (Ethernet)", Description: "Hyper-V Virtual Ethernet Adapter", Index: 20,
				MAC: mac, Type: adapter.TypeEthernet, Up: true, Metric: 15,
				Addresses: []netip.Prefix{netip.MustParsePrefix("192.168.1.10/24")},
				Gateways:  []netip.Addr{netip.MustParseAddr("192.168.1.1")}},
			{Name: "Ethernet", Description: "Intel(R) Ethernet Connection I219-LM", Index: 4,
				MAC: mac, Type: adapter.TypeEthernet, Up: true, Hardware: true},
		},
		Routes: []adapter.Route{
			{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Index: 12, Metric: 0},
			{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Index: 20, Metric: 0,
				NextHop: netip.MustParseAddr("192.168.1.1")},
		},
	}
	a, err := adapter.UplinkFrom(table, adapter.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Name, a.MAC)

	_, err = adapter.UplinkFrom(table, adapter.Options{Override: "Ethernet 7"})
	fmt.Println(err != nil)
	// Output:
	// Ethernet 00:15:5d:01:02:03
	// true
}
