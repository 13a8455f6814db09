package remote

import (
	"fmt"
	"os"
	"testing"

	hcsshim "github.com/Microsoft/hcsshim/hcn"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcntest"
)

// TestCreateNATNetwork creates a NAT network through computenetwork.dll
// with Microsoft's client and leaves it for the Linux side to find.
func TestCreateNATNetwork(t *testing.T) {
	name := os.Getenv("HCNKIT_REMOTE_NETWORK")
	if os.Getenv("HCNSIM_ADDR") == "" || name == "" {
		t.Skip("HCNSIM_ADDR and HCNKIT_REMOTE_NETWORK are not set: run by TestWindowsClientOverWire")
	}
	// HNSCall through vmcompute.dll, forwarded to computenetwork.dll.
	if err := hcsshim.V2ApiSupported(); err != nil {
		t.Fatalf("V2ApiSupported: %v", err)
	}
	n := &hcsshim.HostComputeNetwork{
		Name: name,
		Type: hcsshim.NAT,
		Ipams: []hcsshim.Ipam{{
			Type: "Static",
			Subnets: []hcsshim.Subnet{{
				IpAddressPrefix: "192.168.177.0/24",
				Routes:          []hcsshim.Route{{NextHop: "192.168.177.1", DestinationPrefix: "0.0.0.0/0"}},
			}},
		}},
		SchemaVersion: hcsshim.SchemaVersion{Major: 2, Minor: 0},
	}
	created, err := n.Create()
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	got, err := hcsshim.GetNetworkByName(name)
	if err != nil || got.Id != created.Id {
		t.Fatalf("GetNetworkByName(%q) = %+v, %v; want id %s", name, got, err, created.Id)
	}
	ep := &hcsshim.HostComputeEndpoint{
		Name:          name + "-ep",
		SchemaVersion: hcsshim.SchemaVersion{Major: 2, Minor: 0},
	}
	if _, err := created.CreateEndpoint(ep); err != nil {
		t.Fatalf("CreateEndpoint: %v", err)
	}
	fmt.Printf("NETWORK-ID %s\n", created.Id)
}

// TestConformanceOverWire runs the conformance suite through hcnkit's
// host service, computenetwork.dll in client mode and the wire, against
// the served emulator, which is shared: objects get the suite's names and
// are deleted in its cleanups, as on a real host.
func TestConformanceOverWire(t *testing.T) {
	if os.Getenv("HCNSIM_ADDR") == "" {
		t.Skip("HCNSIM_ADDR is not set: run by TestConformanceThroughDLL")
	}
	hcntest.Run(t, func(t *testing.T) hcn.Service {
		svc, err := hcn.NewHostService(nil)
		if err != nil {
			t.Fatalf("NewHostService: %v", err)
		}
		return svc
	}, &hcntest.Options{NamePrefix: "hcnkit-wire"})
}
