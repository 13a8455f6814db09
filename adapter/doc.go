// Package adapter chooses the host's uplink adapter: the physical NIC a
// Transparent (or L2Bridge) HCN network binds through the NetAdapterName
// network policy, which names the adapter by its friendly name.
//
// Binding the wrong adapter fails ("The parameter is incorrect" for a
// virtual adapter, "An adapter was not found") or cuts the host off, so the
// choice is deliberate:
//
//   - The environment variable HCNKIT_UPLINK_ADAPTER wins. It names an
//     adapter by friendly name, matched exactly, then case-insensitively.
//     A name that matches no adapter is an error, never a silent fallback.
//   - Otherwise the adapter carrying the default route (0.0.0.0/0; ::/0 when
//     no IPv4 default route leads to a usable adapter) with the lowest
//     effective metric (route metric plus interface metric) wins, provided it
//     is up, is a hardware interface, has a gateway and an address that is
//     not link-local (APIPA). Loopback, tunnels (Teredo, ISATAP, 6to4,
//     IP-HTTPS), PPP links and IF_TYPE_PROP_VIRTUAL adapters (Wintun,
//     WireGuard) are never chosen. Wi-Fi is refused unless
//     Options.AllowWiFi is set: an access point drops frames from MAC
//     addresses that did not associate with it, which is every container
//     endpoint on a Transparent network.
//   - When a vSwitch is already bound to the NIC, the host's address and
//     default route live on a Hyper-V host vNIC ("vEthernet (<NIC>)",
//     description "Hyper-V Virtual Ethernet Adapter"), which HCN does not
//     accept as an uplink. The vNIC shares the NIC's MAC address, so the
//     choice maps back by MAC to the physical NIC (the one without an IP
//     binding), leaving out an Azure Accelerated Networking Mellanox virtual
//     function that shares the same MAC.
//
// When nothing qualifies, the error (*NoUplinkError) lists every adapter
// and why it was rejected, so an operator can fix the host or set the
// override.
//
// The selection (UplinkFrom) is portable and works on any Table. Uplink and
// ReadTable read the host's adapters and routes on Windows
// (GetAdaptersAddresses, GetIpForwardTable2, GetIfEntry2Ex); elsewhere they
// fail with an error wrapping hcn.ErrNotSupported.
package adapter
