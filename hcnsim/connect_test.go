package hcnsim

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcnkit/hcn"
)

// connectEnv isolates Connect from the caller's environment: no address,
// no token file, and a runtime directory of the test's own (short: it
// holds the default socket).
func connectEnv(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hcc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Setenv("XDG_RUNTIME_DIR", dir)
	t.Setenv(EnvAddr, "")
	t.Setenv(EnvTokenFile, "")
	return dir
}

func TestConnectEmbedded(t *testing.T) {
	connectEnv(t)
	state := filepath.Join(t.TempDir(), "hcn.state")
	svc, closeFn, err := Connect(context.Background(), &ConnectOptions{Sim: &Options{StateFile: state}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if _, ok := svc.(*Sim); !ok {
		t.Fatalf("Connect with no service running = %T; want *Sim", svc)
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("the state file is not created at once: %v", err)
	}
	if err := closeFn(); err != nil {
		t.Error(err)
	}
}

func TestConnectEmbeddedBadState(t *testing.T) {
	connectEnv(t)
	dir := t.TempDir()
	if _, _, err := Connect(context.Background(), &ConnectOptions{Sim: &Options{StateFile: dir}}); err == nil {
		t.Error("Connect with a directory for a state file: no error")
	}
}

func TestConnectEnvAddr(t *testing.T) {
	connectEnv(t)
	sim := New(nil)
	token := filepath.Join(t.TempDir(), "token")
	ts := startServer(t, sim, "tcp", &ServeOptions{TokenFile: token, Token: newToken()})
	ts.dial() // serving: the token file is written
	t.Setenv(EnvAddr, ts.addr())
	t.Setenv(EnvTokenFile, token)
	svc, closeFn, err := Connect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if _, ok := svc.(*Conn); !ok {
		t.Fatalf("Connect with %s set = %T; want *Conn", EnvAddr, svc)
	}
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: svc})
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.CreateNetwork(context.Background(), &hcn.Network{Name: "n", Type: hcn.NetworkTypeNAT})
	if err != nil {
		t.Fatal(err)
	}
	local, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.GetNetwork(context.Background(), n.ID); err != nil {
		t.Errorf("the served Sim does not have the network: %v", err)
	}
	if err := closeFn(); err != nil {
		t.Error(err)
	}
	if err := closeFn(); err != nil {
		t.Errorf("a second close: %v", err)
	}
}

func TestConnectEnvAddrUnreachable(t *testing.T) {
	dir := connectEnv(t)
	// A default socket that answers must not stand in for the named one.
	startDefault(t, New(nil))
	t.Setenv(EnvAddr, "unix:"+filepath.Join(dir, "none.sock"))
	_, _, err := Connect(context.Background(), nil)
	if !errors.Is(err, hcn.ErrTransient) {
		t.Fatalf("Connect to an address nobody serves: %v; want ErrTransient", err)
	}
	t.Log(err)
}

func TestConnectDefaultSocket(t *testing.T) {
	connectEnv(t)
	sim := New(nil)
	startDefault(t, sim)
	svc, closeFn, err := Connect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if _, ok := svc.(*Conn); !ok {
		t.Fatalf("Connect with a server on the default socket = %T; want *Conn", svc)
	}
	if _, err := svc.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"d","Type":"NAT","SchemaVersion":{"Major":2,"Minor":0}}`); err != nil {
		t.Fatal(err)
	}
	if ids, _ := sim.Enumerate(hcn.KindNetwork, ""); ids == "[]" {
		t.Error("the call did not reach the served Sim")
	}
}

func TestConnectStaleDefaultSocket(t *testing.T) {
	connectEnv(t)
	l, err := Listen("", "")
	if err != nil {
		t.Fatal(err)
	}
	ul := l.(*unixListener).UnixListener
	keepOnClose(ul)
	ul.Close() // leaves the socket file, with nobody listening
	if _, err := os.Stat(DefaultSocketPath()); err != nil {
		t.Skipf("closing the listener removed the socket: %v", err)
	}
	svc, closeFn, err := Connect(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if _, ok := svc.(*Sim); !ok {
		t.Fatalf("Connect with a stale default socket = %T; want *Sim", svc)
	}
}

// startDefault serves sim on DefaultSocketPath() until the test ends.
func startDefault(t *testing.T, sim *Sim) {
	t.Helper()
	l, err := Listen("", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, l, sim, nil) }()
	t.Cleanup(func() { cancel(); <-done })
}
