//go:build !windows

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/types"
	types100 "github.com/containernetworking/cni/pkg/types/100"
)

// ipamConf is an sdnbridge configuration with delegated IPAM (fakeipam).
func ipamConf(dataDir, ipamType, extra string) string {
	return fmt.Sprintf(`{"name":"dl","type":"sdnbridge","capabilities":{"portMappings":true},
		"ipam":{"type":%q,"dataDir":%q%s,"ranges":[[{"subnet":"10.30.0.0/24","rangeStart":"10.30.0.10","gateway":"10.30.0.1"}]]}}`,
		ipamType, dataDir, extra)
}

func allocations(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	b, err := os.ReadFile(filepath.Join(dir, "alloc.json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return m
}

func TestDelegatedIPAM(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	dir := t.TempDir()
	list := e.list(ipamConf(dir, "fakeipam", ""))
	ns := e.namespace()
	r := rt("c1", ns)
	r.CapabilityArgs = map[string]any{"portMappings": []map[string]any{{"HostPort": 9000, "ContainerPort": 80}}}
	res, err := e.cni.AddNetworkList(ctx, list, r)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := types100.GetResult(res)
	if len(got.IPs) != 1 || got.IPs[0].Address.String() != "10.30.0.10/24" || got.IPs[0].Gateway.String() != "10.30.0.1" {
		t.Errorf("ips %v", got.IPs)
	}
	ep, err := e.cl.GetEndpointByName(ctx, "c1_dl")
	if err != nil {
		t.Fatal(err)
	}
	if len(ep.IpConfigurations) != 1 || ep.IpConfigurations[0].IpAddress != "10.30.0.10" {
		t.Errorf("endpoint addresses %+v", ep.IpConfigurations)
	}
	if err := e.cni.CheckNetworkList(ctx, list, r); err != nil {
		t.Errorf("CHECK: %v", err)
	}
	if err := e.cni.GetStatusNetworkList(ctx, list); err != nil {
		t.Errorf("STATUS: %v", err)
	}

	// A failing ADD releases its allocation: the host port is taken.
	r2 := rt("c2", e.namespace())
	r2.CapabilityArgs = r.CapabilityArgs
	if _, err := e.cni.AddNetworkList(ctx, list, r2); cniCode(err) != 101 {
		t.Errorf("port conflict: %v", err)
	}
	if m := allocations(t, dir); len(m) != 1 || m["c1"] != "10.30.0.10" {
		t.Errorf("allocations after a failed ADD: %v", m)
	}

	if err := e.cni.DelNetworkList(ctx, list, r); err != nil {
		t.Fatal(err)
	}
	if m := allocations(t, dir); len(m) != 0 {
		t.Errorf("allocations after DEL: %v", m)
	}
	if n := len(e.endpoints()); n != 0 {
		t.Errorf("%d endpoints after DEL", n)
	}

	// GC releases the endpoints and, through the IPAM plugin, the addresses.
	for _, cid := range []string{"k", "d"} {
		if _, err := e.cni.AddNetworkList(ctx, list, rt(cid, e.namespace())); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.cni.GCNetworkList(ctx, list, &libcni.GCArgs{ValidAttachments: []types.GCAttachment{{ContainerID: "k", IfName: "eth0"}}}); err != nil {
		t.Fatal(err)
	}
	if m := allocations(t, dir); len(m) != 1 || m["k"] == "" {
		t.Errorf("allocations after GC: %v", m)
	}
	if eps := e.endpoints(); len(eps) != 1 || eps[0].Name != "k_dl" {
		t.Errorf("endpoints after GC: %d", len(eps))
	}
}

func TestDelegatedIPAMFailures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	dir := t.TempDir()

	// IPAM DEL fails: the endpoint goes anyway, and DEL reports the error.
	list := e.list(ipamConf(dir, "fakeipam", ""))
	if _, err := e.cni.AddNetworkList(ctx, list, rt("c1", e.namespace())); err != nil {
		t.Fatal(err)
	}
	failing := e.list(ipamConf(dir, "fakeipam", `,"failDel":true,"down":true`))
	err := e.cni.DelNetworkList(ctx, failing, rt("c1", ""))
	if cniCode(err) != types.ErrTryAgainLater || !strings.Contains(err.Error(), "fakeipam") {
		t.Errorf("DEL with failing IPAM: %v", err)
	}
	if n := len(e.endpoints()); n != 0 {
		t.Errorf("%d endpoints after DEL with failing IPAM", n)
	}
	if err := e.cni.DelNetworkList(ctx, list, rt("c1", "")); err != nil {
		t.Errorf("DEL again: %v", err)
	}
	if err := e.cni.GetStatusNetworkList(ctx, failing); cniCode(err) != types.ErrPluginNotAvailable || !strings.Contains(err.Error(), "down") {
		t.Errorf("STATUS with IPAM down: %v", err)
	}

	// The IPAM plugin is not installed.
	missing := e.list(ipamConf(dir, "no-such-ipam", ""))
	if _, err := e.cni.AddNetworkList(ctx, missing, rt("c2", e.namespace())); cniCode(err) != 105 || !strings.Contains(err.Error(), "no-such-ipam") {
		t.Errorf("missing IPAM plugin: %v", err)
	}
	if n := len(e.endpoints()); n != 0 {
		t.Errorf("%d endpoints", n)
	}
	// DEL (the runtime's, after the failed ADD) succeeds: nothing was allocated.
	if err := e.cni.DelNetworkList(ctx, missing, rt("c2", "")); err != nil {
		t.Errorf("DEL with a missing IPAM plugin: %v", err)
	}
}
