package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// bound is how long any one step may take: generous, as Wine starting a
// process on a loaded machine can take many seconds.
const bound = 5 * time.Minute

// TestWindowsClientOverWire serves one emulator, runs Microsoft's client
// under Wine against it through the stand-in DLL in client mode, and
// checks what the Linux side sees.
func TestWindowsClientOverWire(t *testing.T) {
	exe := os.Getenv("HCNKIT_REMOTE_EXE")
	if exe == "" {
		t.Skip("HCNKIT_REMOTE_EXE is not set: run by scripts/peers-test.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()

	// 1. One emulator, served on loopback TCP; the token in a file the
	// Windows process reads through Wine's Z: drive.
	sim, addr, token, tokenFile := serve(t)

	// 2. A Watch over its own connection, registered before the Windows
	// program runs.
	watchConn, err := hcnsim.Dial(ctx, addr, &hcnsim.DialOptions{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	defer watchConn.Disconnect()
	watcher, err := hcn.NewClient(&hcn.ClientOptions{Service: watchConn})
	if err != nil {
		t.Fatal(err)
	}
	events, err := watcher.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tokenFile); err != nil {
		t.Fatalf("the token file: %v", err)
	}

	// 3. Microsoft's client under Wine, through computenetwork.dll in
	// client mode.
	nb := make([]byte, 4)
	rand.Read(nb)
	name := "hcnkit-remote-" + hex.EncodeToString(nb)
	out, err := runWine(t, ctx, exe, []string{
		"HCNSIM_ADDR=" + addr,
		"HCNSIM_TOKEN_FILE=" + tokenFile,
		"HCNKIT_REMOTE_NETWORK=" + name,
	}, "-test.v", "-test.count=1", "-test.run", "^TestCreateNATNetwork$")
	if err != nil {
		t.Fatalf("wine %s: %v\n%s", filepath.Base(exe), err, out)
	}
	m := regexp.MustCompile(`NETWORK-ID ([0-9A-Fa-f-]{36})`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "--- PASS: TestCreateNATNetwork") {
		t.Fatalf("the Windows client did not create the network:\n%s", out)
	}
	t.Logf("the Windows process:\n%s", out)
	id := hcn.ID(m[1])

	// The Windows process's connection ended with it: its handles are run
	// down, and only the Watch's registration stays.
	for sim.OpenHandles() != 1 {
		select {
		case <-ctx.Done():
			t.Fatalf("%d handles open after the Windows process exited; want 1 (the Watch)", sim.OpenHandles())
		case <-time.After(10 * time.Millisecond):
		}
	}

	// 4. The Linux side sees the network and its endpoint over another
	// connection.
	conn, err := hcnsim.Dial(ctx, addr, &hcnsim.DialOptions{TokenFile: tokenFile})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Disconnect()
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: conn})
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.GetNetworkByName(ctx, name)
	if err != nil {
		t.Fatalf("GetNetworkByName(%q): %v", name, err)
	}
	if !n.ID.Equal(id) || !n.Type.Is(hcn.NetworkTypeNAT) {
		t.Errorf("network %q: id %s type %q; want id %s type NAT", name, n.ID, n.Type, id)
	}
	if ep, err := c.GetEndpointByName(ctx, name+"-ep"); err != nil || !ep.HostComputeNetwork.Equal(id) {
		t.Errorf("endpoint %s-ep: %+v, %v; want one on network %s", name, ep, err, id)
	}

	// 5. The Watch saw it created.
	for seen := false; !seen; {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the Watch ended before the NetworkCreate notification")
			}
			if ev.Type.Base() == hcn.NotificationNetworkCreate && ev.ID.Equal(id) {
				t.Logf("NetworkCreate for %s (%s) created by the Windows process", id, name)
				seen = true
			}
		case <-ctx.Done():
			t.Fatalf("no NetworkCreate notification for %s within %v", id, bound)
		}
	}

	// 6. A wrong token is refused before any call: nothing is created.
	out, err = runWine(t, ctx, exe, []string{
		"HCNSIM_ADDR=" + addr,
		"HCNSIM_TOKEN=" + strings.Repeat("0", 64),
		"HCNKIT_REMOTE_NETWORK=" + name + "-refused",
	}, "-test.v", "-test.count=1", "-test.run", "^TestCreateNATNetwork$")
	if err == nil || !strings.Contains(out, "--- FAIL: TestCreateNATNetwork") {
		t.Fatalf("with a wrong token: %v; want the Windows test to fail\n%s", err, out)
	}
	if _, err := c.GetNetworkByName(ctx, name+"-refused"); !errors.Is(err, hcn.ErrNotFound) {
		t.Errorf("with a wrong token the network was created, or: %v", err)
	}
	t.Logf("with a wrong token the Windows process:\n%s", out)
}

// runWine runs exe under wine with env added and returns its output. A Go
// test binary always prints something, so a failure with no output means
// Wine could not start the process: it is run once more with Wine's error
// channel on, and the second run's result stands.
func runWine(t *testing.T, ctx context.Context, exe string, env []string, args ...string) (string, error) {
	t.Helper()
	run := func(debug string) (string, error) {
		cmd := exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
		cmd.Env = append(append(os.Environ(), env...), "WINEDEBUG="+debug)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		return strings.ReplaceAll(buf.String(), "\r", ""), err
	}
	out, err := run("-all")
	if err != nil && strings.TrimSpace(out) == "" {
		t.Logf("wine exited (%v) before %s printed anything; running it again with WINEDEBUG=err+all", err, filepath.Base(exe))
		out, err = run("err+all")
	}
	return out, err
}

// TestConformanceThroughDLL serves one emulator and runs the conformance
// suite in a Windows process under Wine against it: hcnkit's host service
// over computenetwork.dll in client mode, every call over the wire. The
// emulator is left with no handles open when the process is gone.
func TestConformanceThroughDLL(t *testing.T) {
	exe := os.Getenv("HCNKIT_REMOTE_EXE")
	if exe == "" {
		t.Skip("HCNKIT_REMOTE_EXE is not set: run by scripts/peers-test.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	sim, addr, _, tokenFile := serve(t)

	out, err := runWine(t, ctx, exe, []string{"HCNSIM_ADDR=" + addr, "HCNSIM_TOKEN_FILE=" + tokenFile},
		"-test.v", "-test.count=1", "-test.run", "^TestConformanceOverWire$", "-test.timeout", "10m")
	if err != nil || !strings.Contains(out, "--- PASS: TestConformanceOverWire") {
		t.Fatalf("the conformance suite through the DLL: %v\n%s", err, out)
	}
	passed := strings.Count(out, "--- PASS: TestConformanceOverWire/")
	skipped := strings.Count(out, "--- SKIP: TestConformanceOverWire/")
	if passed == 0 || sim.Calls(hcn.OpCreateNetwork) == 0 {
		t.Fatalf("the suite ran no scenario against the served emulator (%d passed, %d networks created)\n%s",
			passed, sim.Calls(hcn.OpCreateNetwork), out)
	}
	for sim.OpenHandles() != 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("%d handles open after the Windows process exited; want 0", sim.OpenHandles())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Logf("conformance through the DLL in client mode: %d scenarios passed, %d skipped %q; the served emulator saw %d network creates",
		passed, skipped, regexp.MustCompile(`--- SKIP: TestConformanceOverWire/(\S+)`).FindAllString(out, -1), sim.Calls(hcn.OpCreateNetwork))
}

// serve serves a fresh emulator on loopback TCP until the test ends, with
// a random token kept in a token file, and returns once it serves (so the
// token file is written).
func serve(t *testing.T) (sim *hcnsim.Sim, addr, token, tokenFile string) {
	t.Helper()
	sim = hcnsim.New(nil)
	l, err := hcnsim.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tokenFile = filepath.Join(t.TempDir(), "hcnsim.token")
	b := make([]byte, 32)
	rand.Read(b)
	token = hex.EncodeToString(b)
	served := make(chan error, 1)
	ctx, stop := context.WithCancel(context.Background())
	go func() { served <- hcnsim.Serve(ctx, l, sim, &hcnsim.ServeOptions{Token: token, TokenFile: tokenFile}) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	addr = "tcp:" + l.Addr().String()
	dctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	probe, err := hcnsim.Dial(dctx, addr, &hcnsim.DialOptions{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	probe.Disconnect()
	return sim, addr, token, tokenFile
}
