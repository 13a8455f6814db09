package hcnsim_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// TestConformance runs the conformance suite against fresh emulators.
func TestConformance(t *testing.T) {
	hcntest.Run(t, func(t *testing.T) hcn.Service { return hcnsim.New(nil) }, nil)
}

// TestConformanceShared runs the suite with one emulator for every
// scenario, as on a real host where objects of earlier scenarios and
// other users exist.
func TestConformanceShared(t *testing.T) {
	sim := hcnsim.New(nil)
	hcntest.Run(t, func(t *testing.T) hcn.Service { return sim }, nil)
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open after the suite", n)
	}
}

// served is a Conn to a served Sim, with the Sim's control surface, so
// that the suite's control scenarios (restart, faults, versions, handle
// counts) run against the wire too.
type served struct {
	*hcnsim.Conn
	sim *hcnsim.Sim
}

func (s served) OpenHandles() int                               { return s.sim.OpenHandles() }
func (s served) Restart() error                                 { return s.sim.Restart() }
func (s served) InjectFault(op string, nth int, hr hcn.HRESULT) { s.sim.InjectFault(op, nth, hr) }
func (s served) SetServiceVersion(major, minor uint32)          { s.sim.SetServiceVersion(major, minor) }
func (s served) Calls(op string) uint64                         { return s.sim.Calls(op) }

// serveSim serves sim on a fresh listener of network ("unix" in a short
// temporary directory, or "tcp" on loopback with a token) and dials it;
// cleanup disconnects and stops the server.
func serveSim(t testing.TB, sim *hcnsim.Sim, network string) served {
	t.Helper()
	dir, err := os.MkdirTemp("", "hcs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var addr string
	var l net.Listener
	tokenFile := filepath.Join(dir, "token")
	switch network {
	case "unix":
		addr = "unix:" + filepath.Join(dir, "s.sock")
		l, err = hcnsim.Listen("", addr)
	case "tcp":
		l, err = hcnsim.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			addr = "tcp:" + l.Addr().String()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	// The token is given to both sides: a client dialling before Serve
	// has written the token file would find none.
	token := "conformance-" + filepath.Base(dir)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hcnsim.Serve(ctx, l, sim, &hcnsim.ServeOptions{Token: token, TokenFile: tokenFile}) }()
	conn, err := hcnsim.Dial(ctx, addr, &hcnsim.DialOptions{Token: token})
	if err != nil {
		cancel()
		<-done
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Disconnect()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return served{Conn: conn, sim: sim}
}

// TestConformanceServed runs the suite against fresh emulators served
// over a Unix socket and over loopback TCP with a token.
func TestConformanceServed(t *testing.T) {
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			hcntest.Run(t, func(t *testing.T) hcn.Service { return serveSim(t, hcnsim.New(nil), network) }, nil)
		})
	}
}

// TestConformanceServedShared runs the suite with one served emulator and
// one connection for every scenario; afterwards, with the connection
// ended, the emulator holds no handle.
func TestConformanceServedShared(t *testing.T) {
	sim := hcnsim.New(nil)
	var svc served
	t.Run("suite", func(t *testing.T) {
		svc = serveSim(t, sim, "unix")
		hcntest.Run(t, func(t *testing.T) hcn.Service { return svc }, nil)
	})
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open after the suite", n)
	}
}

// TestClientServed runs the Client suite over a Unix socket.
func TestClientServed(t *testing.T) {
	hcntest.RunClient(t, func(t *testing.T) hcn.Service { return serveSim(t, hcnsim.New(nil), "unix") }, nil)
}
