// Package winerun is what the tests of the commands share: an emulator
// served on loopback TCP for a Windows program to reach through the
// stand-in computenetwork.dll in client mode, a way to run that program
// under wine, and an emulator served on a Unix socket as hcnsimd serves
// one, for the commands' Linux builds.
package winerun

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
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

// ServeUnix serves a fresh emulator on a Unix socket until the test ends,
// as hcnsimd serves one, and returns it, its address (for HCNKIT_SIM_ADDR)
// and a Client of it over a connection of its own. It skips the test where
// there are no Unix sockets.
func ServeUnix(t testing.TB) (sim *hcnsim.Sim, addr string, c *hcn.Client) {
	t.Helper()
	dir, err := os.MkdirTemp("", "hcnkit")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "sim.sock") // short: socket paths are limited
	l, err := hcnsim.Listen("unix", sock)
	if err != nil {
		t.Skipf("no Unix socket: %v", err)
	}
	sim = hcnsim.New(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hcnsim.Serve(ctx, l, sim, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	addr = "unix:" + sock
	conn, err := hcnsim.Dial(ctx, addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Disconnect() })
	c, err = hcn.NewClient(&hcn.ClientOptions{Service: conn})
	if err != nil {
		t.Fatal(err)
	}
	return sim, addr, c
}

// Serve serves a fresh emulator on loopback TCP until the test ends, with
// a random token in a token file, and returns once the token file exists.
// A Windows program reaches it with HCNSIM_ADDR=addr and
// HCNSIM_TOKEN_FILE=tokenFile.
func Serve(t testing.TB) (sim *hcnsim.Sim, addr, tokenFile string) {
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

// Env returns the environment that points a Windows program's stand-in
// DLL at the emulator Serve serves.
func Env(addr, tokenFile string) []string {
	return []string{"HCNSIM_ADDR=" + addr, "HCNSIM_TOKEN_FILE=" + tokenFile}
}

// Run runs exe under wine with env added to the test's environment, stdin
// (may be empty) and args, and returns its output (stdout and stderr, CR
// removed) and exit status. A run that fails with no output at all means
// Wine could not start the process: it is run once more with Wine's error
// channel on, and the second run's result stands.
func Run(t testing.TB, ctx context.Context, exe string, env []string, stdin string, args ...string) (string, int) {
	t.Helper()
	run := func(debug string) (string, int) {
		cmd := exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
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
