//go:build !windows

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
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
	sim, addr, tokenFile := serveSim(t)
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
		env := []string{"HCNSIM_ADDR=" + addr, "HCNSIM_TOKEN_FILE=" + tokenFile,
			"CNI_COMMAND=" + command, "CNI_CONTAINERID=c1", "CNI_NETNS=" + string(ns.ID), "CNI_IFNAME=eth0",
			"CNI_PATH=C:\\cni\\bin", "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=team"}
		out, code := runWine(t, ctx, exe, env, stdin)
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

// runWine runs exe under wine with env added and stdin, and returns its
// stdout and stderr and exit status. A run that fails with no output at
// all means Wine could not start the process: it is run once more with
// Wine's error channel on, and the second run's result stands.
func runWine(t *testing.T, ctx context.Context, exe string, env []string, stdin string) (string, int) {
	t.Helper()
	run := func(debug string) (string, int) {
		cmd := exec.CommandContext(ctx, "wine", exe)
		cmd.Env = append(append(os.Environ(), env...), "WINEDEBUG="+debug)
		cmd.Stdin = strings.NewReader(stdin)
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
