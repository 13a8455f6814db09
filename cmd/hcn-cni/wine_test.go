//go:build !windows

package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/internal/winerun"
)

// TestPluginUnderWine runs the Windows build of the plugin under Wine as a
// container runtime would — CNI_* in the environment, the network config
// on stdin — with its Windows backend, the host's HCN service: the
// stand-in computenetwork.dll in client mode, forwarding to an emulator
// this test serves on loopback TCP. ADD, CHECK and DEL (twice), each
// checked from the Linux side. scripts/wine-test.sh builds the executable
// and sets HCNKIT_HCNCNI_EXE.
func TestPluginUnderWine(t *testing.T) {
	exe := os.Getenv("HCNKIT_HCNCNI_EXE")
	if exe == "" {
		t.Skip("HCNKIT_HCNCNI_EXE is not set: run by scripts/wine-test.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	sim, addr, tokenFile := winerun.Serve(t)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		t.Fatal(err)
	}
	conf := `{"cniVersion":"1.1.0","name":"winnat","type":"nat","ipam":{"subnet":"10.50.0.0/24"},
		"dns":{"Nameservers":["10.50.0.53"]}}`
	plugin := func(want int, command, stdin string) string {
		t.Helper()
		env := append(winerun.Env(addr, tokenFile),
			"CNI_COMMAND="+command, "CNI_CONTAINERID=c1", "CNI_NETNS="+string(ns.ID), "CNI_IFNAME=eth0",
			"CNI_PATH=C:\\cni\\bin", "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=team")
		out, code := winerun.Run(t, ctx, exe, env, stdin)
		if code != want {
			t.Fatalf("%s: exit status %d, want %d\n%s", command, code, want, out)
		}
		return out
	}

	out := plugin(0, "ADD", conf)
	var res struct {
		Interfaces []struct{ Name, Mac string }
		IPs        []struct {
			Address   string
			Interface *int
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Interfaces) != 1 || res.Interfaces[0].Name != "eth0" ||
		len(res.IPs) != 1 || res.IPs[0].Address != "10.50.0.2/24" || res.IPs[0].Interface == nil || *res.IPs[0].Interface != 0 {
		t.Fatalf("ADD result (%v): %s\nwant 10.50.0.2/24 on interface 0, eth0", err, out)
	}
	ep, err := c.GetEndpointByName(ctx, "c1_winnat")
	if err != nil || !ep.HostComputeNamespace.Equal(ns.ID) {
		t.Fatalf("the endpoint the plugin made: %+v, %v; want one in namespace %s", ep, err, ns.ID)
	}

	var withPrev map[string]any
	json.Unmarshal([]byte(conf), &withPrev)
	withPrev["prevResult"] = json.RawMessage(out)
	check, _ := json.Marshal(withPrev)
	plugin(0, "CHECK", string(check))

	plugin(0, "DEL", conf)
	if _, err := c.GetEndpoint(ctx, ep.ID); !errors.Is(err, hcn.ErrNotFound) {
		t.Errorf("the endpoint after DEL: %v, want not found", err)
	}
	plugin(0, "DEL", conf)
	if n, _ := c.GetNamespace(ctx, ns.ID); n == nil || len(n.Resources) != 0 {
		t.Errorf("the namespace after DEL: %+v; want it kept (the runtime deletes it), empty", n)
	}
	for sim.OpenHandles() != 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("%d handles open after the Windows processes exited", sim.OpenHandles())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
