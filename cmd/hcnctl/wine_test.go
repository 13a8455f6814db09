package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/internal/winerun"
)

// TestHcnctlUnderWine runs the Windows build of hcnctl under Wine with its
// default backend, the host's HCN service: computenetwork.dll, here the
// stand-in DLL in client mode, forwarding every call to an emulator this
// test serves on loopback TCP. The Linux side checks each command's effect
// over its own connection. scripts/wine-test.sh builds the executable and
// sets HCNKIT_HCNCTL_EXE.
func TestHcnctlUnderWine(t *testing.T) {
	exe := os.Getenv("HCNKIT_HCNCTL_EXE")
	if exe == "" {
		t.Skip("HCNKIT_HCNCTL_EXE is not set: run by scripts/wine-test.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	sim, addr, tokenFile := winerun.Serve(t)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	env := winerun.Env(addr, tokenFile)
	hcnctl := func(want int, args ...string) string {
		t.Helper()
		out, code := winerun.Run(t, ctx, exe, env, "", args...)
		if code != want {
			t.Fatalf("hcnctl %s: exit status %d, want %d\n%s", strings.Join(args, " "), code, want, out)
		}
		return out
	}

	var v struct{ Backend, ServiceVersion string }
	out := hcnctl(0, "version", "-o", "json")
	want := fmt.Sprintf("%d.%d", hcnsim.DefaultServiceVersion.Major, hcnsim.DefaultServiceVersion.Minor)
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.ServiceVersion != want || v.Backend != "host" {
		t.Errorf("hcnctl version -o json: backend %q service version %q (%v), want host and %s\n%s", v.Backend, v.ServiceVersion, err, want, out)
	}

	hcnctl(0, "create", "network", "wnet", "--type", "nat", "--subnet", "172.30.0.0/24")
	net, err := c.GetNetworkByName(ctx, "wnet")
	if err != nil || !net.Type.Is(hcn.NetworkTypeNAT) && net.Type != "" {
		t.Fatalf("the network hcnctl.exe created: %+v, %v", net, err)
	}
	if out := hcnctl(0, "get", "networks", "-o", "json"); !strings.Contains(out, string(net.ID.Canonical())) {
		t.Errorf("hcnctl get networks -o json does not list %s:\n%s", net.ID, out)
	}

	hcnctl(0, "attach", "c1", "--network", "wnet")
	ep, err := c.GetEndpointByName(ctx, "hcnctl-c1")
	if ip, _ := ep.PrimaryIP(); err != nil || ip.String() != "172.30.0.2" || ep.HostComputeNamespace == "" {
		t.Fatalf("the endpoint hcnctl.exe attached: %+v, %v; want 172.30.0.2 in a namespace", ep, err)
	}
	hcnctl(0, "detach", "c1")
	if _, err := c.GetEndpoint(ctx, ep.ID); !errors.Is(err, hcn.ErrNotFound) {
		t.Errorf("the endpoint after hcnctl detach: %v, want not found", err)
	}
	if _, err := c.GetNamespace(ctx, ep.HostComputeNamespace); !errors.Is(err, hcn.ErrNotFound) {
		t.Errorf("the namespace after hcnctl detach: %v, want not found", err)
	}

	hcnctl(2, "create", "network", "bad", "--type", "nat", "--subnet", "10.0.0.0/33")
	if _, err := c.GetNetworkByName(ctx, "bad"); !errors.Is(err, hcn.ErrNotFound) {
		t.Errorf("a refused create made a network: %v", err)
	}
	hcnctl(0, "delete", "network", "wnet")
	if _, err := c.GetNetwork(ctx, net.ID); !errors.Is(err, hcn.ErrNotFound) {
		t.Errorf("the network after hcnctl delete: %v, want not found", err)
	}
	for sim.OpenHandles() != 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("%d handles open after the Windows processes exited", sim.OpenHandles())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
