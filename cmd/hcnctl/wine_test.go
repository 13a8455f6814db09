package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
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
	sim, addr, tokenFile := serveSim(t)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"HCNSIM_ADDR=" + addr, "HCNSIM_TOKEN_FILE=" + tokenFile}
	hcnctl := func(want int, args ...string) string {
		t.Helper()
		out, code := runWine(t, ctx, exe, env, args...)
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

// runWine runs exe under wine with env added and returns its output and
// exit status. A run that fails with no output at all means Wine could not
// start the process: it is run once more with Wine's error channel on, and
// the second run's result stands.
func runWine(t *testing.T, ctx context.Context, exe string, env []string, args ...string) (string, int) {
	t.Helper()
	run := func(debug string) (string, int) {
		cmd := exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
		cmd.Env = append(append(os.Environ(), env...), "WINEDEBUG="+debug)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("wine %s: %v", filepath.Base(exe), err)
		}
		return strings.ReplaceAll(buf.String(), "\r", ""), code
	}
	out, code := run("-all")
	if code != 0 && strings.TrimSpace(out) == "" {
		t.Logf("wine exited (%d) before %s printed anything; running it again with WINEDEBUG=err+all", code, filepath.Base(exe))
		out, code = run("err+all")
	}
	return out, code
}

// serveSim serves a fresh emulator on loopback TCP until the test ends,
// with a random token in a token file.
func serveSim(t *testing.T) (sim *hcnsim.Sim, addr, tokenFile string) {
	t.Helper()
	sim = hcnsim.New(nil)
	l, err := hcnsim.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tokenFile = filepath.Join(t.TempDir(), "hcnsim.token")
	b := make([]byte, 32)
	rand.Read(b)
	served := make(chan error, 1)
	ctx, stop := context.WithCancel(context.Background())
	go func() {
		served <- hcnsim.Serve(ctx, l, sim, &hcnsim.ServeOptions{Token: hex.EncodeToString(b), TokenFile: tokenFile})
	}()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	addr = "tcp:" + l.Addr().String()
	for {
		if _, err := os.Stat(tokenFile); err == nil {
			return sim, addr, tokenFile
		}
		select {
		case err := <-served:
			served <- err // for the cleanup
			t.Fatalf("Serve ended before it wrote the token file: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
}
