package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// bound is how long a step may take at most: generous, for a loaded machine.
const bound = 2 * time.Minute

// build builds the command into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the test signals the command with SIGTERM")
	}
	exe := filepath.Join(t.TempDir(), "hcnsimd")
	out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// daemon is a running hcnsimd.
type daemon struct {
	cmd  *exec.Cmd
	line []string // the ready line's fields
}

// start runs exe with args and waits for its ready line.
func start(t *testing.T, exe string, args ...string) *daemon {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the ready line: %v (got %q)", err, line)
	}
	return &daemon{cmd: cmd, line: strings.Fields(line)}
}

// stop sends SIGTERM and checks the command exits 0.
func (d *daemon) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("hcnsimd after SIGTERM: %v", err)
		}
	case <-time.After(bound):
		t.Fatalf("hcnsimd did not exit within %v of SIGTERM", bound)
	}
}

func client(t *testing.T, ctx context.Context, addr string, opts *hcnsim.DialOptions) (*hcn.Client, *hcnsim.Conn) {
	t.Helper()
	conn, err := hcnsim.Dial(ctx, addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Disconnect() })
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: conn})
	if err != nil {
		t.Fatal(err)
	}
	return c, conn
}

// TestTCPWithState serves on a TCP port with a token file and a state
// file, creates a network, stops the command with SIGTERM, and finds the
// network again in a second run on the same state.
func TestTCPWithState(t *testing.T) {
	exe := build(t)
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	dir := t.TempDir()
	token, state := filepath.Join(dir, "token"), filepath.Join(dir, "hcn.state")

	d := start(t, exe, "--listen", "tcp:127.0.0.1:0", "--token-file", token, "--state", state)
	if len(d.line) != 2 || !strings.HasPrefix(d.line[0], "tcp:127.0.0.1:") || d.line[1] != token {
		t.Fatalf("ready line %q: want tcp:127.0.0.1:PORT %s", d.line, token)
	}
	if fi, err := os.Stat(token); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, %v", fi, err)
	}
	c, conn := client(t, ctx, d.line[0], &hcnsim.DialOptions{TokenFile: token})
	n, err := c.CreateNetwork(ctx, &hcn.Network{Name: "kept", Type: hcn.NetworkTypeNAT})
	if err != nil {
		t.Fatal(err)
	}
	d.stop(t)
	if _, err := c.GetNetwork(ctx, n.ID); !errors.Is(err, hcn.ErrTransient) {
		t.Errorf("a call after the command stopped: %v; want a transient error", err)
	}
	conn.Disconnect()
	if _, err := os.Stat(state); err != nil {
		t.Errorf("state file: %v", err)
	}

	d = start(t, exe, "--listen", "tcp:127.0.0.1:0", "--token-file", token, "--state", state)
	c, _ = client(t, ctx, d.line[0], &hcnsim.DialOptions{TokenFile: token})
	got, err := c.GetNetworkByName(ctx, "kept")
	if err != nil || !got.ID.Equal(n.ID) {
		t.Errorf("after a restart on the same state: %v, %v; want network %s", got, err, n.ID)
	}
	d.stop(t)
}

// TestUnixSocket serves on a Unix socket, in memory, and removes the
// socket when stopped.
func TestUnixSocket(t *testing.T) {
	exe := build(t)
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	dir, err := os.MkdirTemp("", "hcnsimd") // short: a socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "s.sock")

	d := start(t, exe, "--listen", "unix:"+sock)
	if len(d.line) != 1 || d.line[0] != "unix:"+sock {
		t.Fatalf("ready line %q: want unix:%s", d.line, sock)
	}
	c, _ := client(t, ctx, d.line[0], nil)
	if _, err := c.CreateNetwork(ctx, &hcn.Network{Name: "n", Type: hcn.NetworkTypeNAT}); err != nil {
		t.Fatal(err)
	}
	d.stop(t)
	if _, err := os.Lstat(sock); !os.IsNotExist(err) {
		t.Errorf("the socket after SIGTERM: %v; want it removed", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left in the socket's directory: %v", ents)
	}
}

// TestFlags rejects bad flags and arguments with status 2.
func TestFlags(t *testing.T) {
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"--nope"}, &out, &errb); code != 2 {
		t.Errorf("--nope: status %d; want 2", code)
	}
	if code := run(context.Background(), []string{"extra"}, &out, &errb); code != 2 {
		t.Errorf("an argument: status %d; want 2", code)
	}
	if code := run(context.Background(), []string{"--listen", "tcp:10.1.2.3:0"}, &out, &errb); code != 1 {
		t.Errorf("a TCP address off loopback: status %d; want 1", code)
	}
}
