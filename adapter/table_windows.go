package adapter

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"
)

// startSize is the first GetAdaptersAddresses buffer size, the one
// Microsoft recommends; a variable so tests can force the overflow path.
var startSize uint32 = 15000

// hardwareInterface is bit 0 of MIB_IF_ROW2.InterfaceAndOperStatusFlags.
const hardwareInterface = 1

// ReadTable reads the host's adapters (GetAdaptersAddresses, every
// family, including adapters without an IP binding) and routes
// (GetIpForwardTable2).
func ReadTable() (Table, error) {
	adapters, err := readAdapters()
	if err != nil {
		return Table{}, err
	}
	routes, err := readRoutes()
	if err != nil {
		return Table{}, err
	}
	return Table{Adapters: adapters, Routes: routes}, nil
}

func readAdapters() ([]Adapter, error) {
	const flags = windows.GAA_FLAG_INCLUDE_GATEWAYS | windows.GAA_FLAG_INCLUDE_ALL_INTERFACES
	size := startSize
	var buf []byte
	for {
		// Never smaller than one entry, so the pointer conversion below
		// stays inside the allocation.
		buf = make([]byte, max(size, uint32(unsafe.Sizeof(windows.IpAdapterAddresses{}))))
		got := uint32(len(buf))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, flags, 0,
			(*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])), &got)
		if err == nil {
			if got == 0 {
				return nil, nil
			}
			break
		}
		if errors.Is(err, windows.ERROR_NO_DATA) {
			return nil, nil
		}
		if !errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) {
			return nil, fmt.Errorf("adapter: GetAdaptersAddresses: %w", err)
		}
		if got <= uint32(len(buf)) {
			return nil, fmt.Errorf("adapter: GetAdaptersAddresses: buffer overflow without a larger size (%d bytes)", got)
		}
		size = got
	}
	var out []Adapter
	for aa := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])); aa != nil; aa = aa.Next {
		out = append(out, convert(aa))
	}
	return out, nil
}

func convert(aa *windows.IpAdapterAddresses) Adapter {
	a := Adapter{
		Name:        windows.UTF16PtrToString(aa.FriendlyName),
		Description: windows.UTF16PtrToString(aa.Description),
		Index:       aa.IfIndex,
		LUID:        aa.Luid,
		Type:        aa.IfType,
		TunnelType:  aa.TunnelType,
		Up:          aa.OperStatus == windows.IfOperStatusUp,
		Metric:      aa.Ipv4Metric,
		Metric6:     aa.Ipv6Metric,
	}
	if a.Index == 0 {
		a.Index = aa.Ipv6IfIndex
	}
	if n := min(int(aa.PhysicalAddressLength), len(aa.PhysicalAddress)); n > 0 {
		a.MAC = net.HardwareAddr(append([]byte(nil), aa.PhysicalAddress[:n]...))
	}
	for u := aa.FirstUnicastAddress; u != nil; u = u.Next {
		if ip, ok := sockaddr(&u.Address); ok {
			if p, err := ip.Prefix(int(u.OnLinkPrefixLength)); err == nil {
				a.Addresses = append(a.Addresses, netip.PrefixFrom(ip, p.Bits()))
			}
		}
	}
	for g := aa.FirstGatewayAddress; g != nil; g = g.Next {
		if ip, ok := sockaddr(&g.Address); ok {
			a.Gateways = append(a.Gateways, ip)
		}
	}
	row := windows.MibIfRow2{InterfaceLuid: aa.Luid}
	if windows.GetIfEntry2Ex(windows.MibIfEntryNormalWithoutStatistics, &row) == nil {
		a.Hardware = row.InterfaceAndOperStatusFlags&hardwareInterface != 0
	} else {
		// Without the flag: Ethernet and Wi-Fi adapters other than a Hyper-V
		// host vNIC count as hardware.
		a.Hardware = (a.Type == TypeEthernet || a.Type == TypeWiFi) && !isHostVNIC(&a)
	}
	return a
}

func sockaddr(sa *windows.SocketAddress) (netip.Addr, bool) {
	if sa.Sockaddr == nil {
		return netip.Addr{}, false
	}
	ip, ok := netip.AddrFromSlice(sa.IP())
	if !ok {
		return netip.Addr{}, false
	}
	return ip.Unmap().WithZone(""), true
}

func inet(raw *windows.RawSockaddrInet) (netip.Addr, bool) {
	switch raw.Family {
	case windows.AF_INET:
		return netip.AddrFrom4((*windows.RawSockaddrInet4)(unsafe.Pointer(raw)).Addr), true
	case windows.AF_INET6:
		return netip.AddrFrom16((*windows.RawSockaddrInet6)(unsafe.Pointer(raw)).Addr), true
	}
	return netip.Addr{}, false
}

func readRoutes() ([]Route, error) {
	var tab *windows.MibIpForwardTable2
	if err := windows.GetIpForwardTable2(windows.AF_UNSPEC, &tab); err != nil {
		return nil, fmt.Errorf("adapter: GetIpForwardTable2: %w", err)
	}
	defer windows.FreeMibTable(unsafe.Pointer(tab))
	var out []Route
	for _, r := range tab.Rows() {
		dst, ok := inet(&r.DestinationPrefix.Prefix)
		if !ok {
			continue
		}
		p, err := dst.Prefix(int(r.DestinationPrefix.PrefixLength))
		if err != nil {
			continue
		}
		hop, _ := inet(&r.NextHop)
		out = append(out, Route{Prefix: p, NextHop: hop, Index: r.InterfaceIndex, LUID: r.InterfaceLuid, Metric: r.Metric})
	}
	return out, nil
}
