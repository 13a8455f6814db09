package hcnsim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

var transports = []string{"unix", "tcp"}

// Two connections to one server see the same objects, and a callback on
// one receives the notifications of creates made on the other, in order.
func TestServeSharedHost(t *testing.T) {
	for _, network := range transports {
		t.Run(network, func(t *testing.T) {
			ts := startServer(t, New(nil), network, nil)
			a, b := ts.dial(), ts.dial()
			rec := newRecorder()
			cb, err := b.RegisterServiceCallback(rec.fn)
			if err != nil {
				t.Fatal(err)
			}
			var ids []hcn.GUID
			for i := range 5 {
				h, err := a.Create(hcn.KindNetwork, hcn.NilGUID, natDoc(fmt.Sprintf("shared-%d", i), 1, i))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, mustID(t, a, hcn.KindNetwork, h))
				a.Close(hcn.KindNetwork, h)
			}
			out, err := b.Enumerate(hcn.KindNetwork, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				h, err := b.Open(hcn.KindNetwork, id)
				if err != nil {
					t.Fatalf("B cannot open A's network %s (enumerate %s): %v", id, out, err)
				}
				b.Close(hcn.KindNetwork, h)
				if n := rec.next(t); n.typ != hcn.NotificationNetworkCreate || n.id != id.String() {
					t.Fatalf("notification %v %s, want NetworkCreate %s", n.typ, n.id, id)
				}
			}
			if err := b.UnregisterServiceCallback(cb); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A handle is valid only on the connection that obtained it.
func TestServeForeignHandle(t *testing.T) {
	sim := New(nil)
	ts := startServer(t, sim, "unix", nil)
	a, b := ts.dial(), ts.dial()
	h, err := a.Create(hcn.KindNetwork, hcn.NilGUID, natDoc("foreign", 2, 0))
	if err != nil {
		t.Fatal(err)
	}
	id := mustID(t, a, hcn.KindNetwork, h)
	_, err = b.Query(hcn.KindNetwork, h, "")
	wantHandleErr(t, err, hcn.OpQueryNetwork, "Query with A's handle on B")
	wantHandleErr(t, b.Modify(hcn.KindNetwork, h, `{}`), hcn.OpModifyNetwork, "Modify with A's handle on B")
	_, err = b.CreateEndpoint(h, hcn.NilGUID, `{"Name":"ep"}`)
	wantHandleErr(t, err, hcn.OpCreateEndpoint, "CreateEndpoint on A's network handle on B")
	wantHandleErr(t, b.Close(hcn.KindNetwork, h), hcn.OpCloseNetwork, "Close of A's handle on B")
	// a handle used as another kind is refused too, and stays open
	wantHandleErr(t, a.Close(hcn.KindEndpoint, h), hcn.OpCloseEndpoint, "Close of a network handle as an endpoint")
	if got := mustID(t, a, hcn.KindNetwork, h); got != id {
		t.Fatalf("A's handle names %s, want %s", got, id)
	}
	if err := a.Close(hcn.KindNetwork, h); err != nil {
		t.Fatal(err)
	}
	wantHandleErr(t, a.Close(hcn.KindNetwork, h), hcn.OpCloseNetwork, "a second Close")
	if n := sim.OpenHandles(); n != 0 {
		t.Fatalf("%d handles open", n)
	}
}

func wantHandleErr(t *testing.T, err error, op, what string) {
	t.Helper()
	var he *hcn.Error
	if !errors.As(err, &he) || he.HRESULT != hcn.E_HANDLE || he.Op != op || !errors.Is(err, hcn.ErrInvalidHandle) {
		t.Errorf("%s: got %v, want %s E_HANDLE", what, err, op)
	}
}

// gnsFixture opens on c one handle of every kind: network, endpoint,
// namespace, guest network service, both callback kinds, a port and a
// port range; it returns the port reserved.
func gnsFixture(t *testing.T, c hcn.Service, b int) uint16 {
	t.Helper()
	nh, err := c.Create(hcn.KindNetwork, hcn.NilGUID, natDoc(fmt.Sprintf("fx-%d", b), 3, b))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateEndpoint(nh, hcn.NilGUID, `{"Name":"fx-ep"}`); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(hcn.KindNamespace, hcn.NilGUID, `{"SchemaVersion":{"Major":2,"Minor":0},"Type":"Host"}`); err != nil {
		t.Fatal(err)
	}
	gh, err := c.Create(hcn.KindGuestNetworkService, hcn.NilGUID, `{"SchemaVersion":{"Major":2,"Minor":0}}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterServiceCallback(func(hcn.NotificationType, hcn.HRESULT, string) {}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterGuestNetworkServiceCallback(gh, func(hcn.NotificationType, hcn.HRESULT, string) {}); err != nil {
		t.Fatal(err)
	}
	port := uint16(40000 + b)
	if _, err := c.ReserveGuestNetworkServicePort(gh, hcn.PortProtocolTCP, hcn.PortAccessExclusive, port); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ReserveGuestNetworkServicePortRange(gh, 4); err != nil {
		t.Fatal(err)
	}
	return port
}

// When a connection ends, by Disconnect or by a drop, the server holds
// none of its handles and its port reservations are released; another
// connection's handles are untouched.
func TestServeRundown(t *testing.T) {
	for _, how := range []string{"disconnect", "drop"} {
		t.Run(how, func(t *testing.T) {
			sim := New(nil)
			ts := startServer(t, sim, "unix", nil)
			a, b := ts.dial(), ts.dial()
			gnsFixture(t, b, 1)
			kept := sim.OpenHandles()
			port := gnsFixture(t, a, 2)
			if sim.OpenHandles() != 2*kept {
				t.Fatalf("%d handles open, want %d", sim.OpenHandles(), 2*kept)
			}
			entries, _ := sim.EnumerateGuestNetworkPortReservations()
			if len(entries) != 4 {
				t.Fatalf("%d reservations, want 4", len(entries))
			}
			if how == "disconnect" {
				a.Disconnect() // answered once the server has run the handles down
			} else {
				a.mu.Lock()
				a.sess.nc.Close()
				a.mu.Unlock()
				waitFor(t, "the rundown", func() bool { return sim.OpenHandles() == kept })
			}
			if n := sim.OpenHandles(); n != kept {
				t.Fatalf("%d handles open after the rundown, want %d", n, kept)
			}
			for k, n := range map[HandleKind]int{HandleServiceCallback: 1, HandleGuestNetworkServiceCallback: 1, HandlePortReservation: 2} {
				if got := sim.OpenHandlesOf(k); got != n {
					t.Errorf("%s: %d open, want %d", k, got, n)
				}
			}
			entries, _ = sim.EnumerateGuestNetworkPortReservations()
			if len(entries) != 2 {
				t.Errorf("%d reservations after the rundown, want 2", len(entries))
			}
			// the port is free again for B
			gid, _ := hcn.ParseGUID(mustEnumerate(t, b, hcn.KindGuestNetworkService)[0])
			gh, err := b.Open(hcn.KindGuestNetworkService, gid)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.ReserveGuestNetworkServicePort(gh, hcn.PortProtocolTCP, hcn.PortAccessExclusive, port); err != nil {
				t.Errorf("reserving the released port: %v", err)
			}
			b.Disconnect()
			if n := sim.OpenHandles(); n != 0 {
				t.Errorf("%d handles open after both connections ended", n)
			}
		})
	}
}

func mustEnumerate(t *testing.T, c hcn.Service, k hcn.Kind) []string {
	t.Helper()
	out, err := c.Enumerate(k, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := json.Unmarshal([]byte(out), &ids); err != nil || len(ids) == 0 {
		t.Fatalf("Enumerate %s: %s %v", k, out, err)
	}
	return ids
}

// A server restart: callbacks receive ServiceDisconnect, a call while the
// server is down fails transiently, the server holds none of the old
// connection's handles, and after the restart calls work again on a new
// connection while old handles fail with E_HANDLE.
func TestServeRestart(t *testing.T) {
	for _, network := range transports {
		t.Run(network, func(t *testing.T) {
			sim := New(nil)
			ts := startServer(t, sim, network, nil)
			c := ts.dial()
			rec := newRecorder()
			cb, err := c.RegisterServiceCallback(rec.fn)
			if err != nil {
				t.Fatal(err)
			}
			nh, err := c.Create(hcn.KindNetwork, hcn.NilGUID, natDoc("restart", 4, 0))
			if err != nil {
				t.Fatal(err)
			}
			rec.until(t, hcn.NotificationNetworkCreate)

			ts.stop()
			if n := sim.OpenHandles(); n != 0 {
				t.Errorf("%d handles open with the server stopped", n)
			}
			rec.until(t, hcn.NotificationServiceDisconnect)
			_, err = c.Enumerate(hcn.KindNetwork, "")
			if !errors.Is(err, hcn.ErrTransient) || !errors.Is(err, hcn.RPC_S_SERVER_UNAVAILABLE) || hcn.IsNotFound(err) {
				t.Errorf("a call with the server down: %v, want RPC_S_SERVER_UNAVAILABLE", err)
			}

			ts.start()
			if _, err := c.Enumerate(hcn.KindNetwork, ""); err != nil {
				t.Fatalf("a call after the restart: %v", err)
			}
			_, err = c.Query(hcn.KindNetwork, nh, "")
			wantHandleErr(t, err, hcn.OpQueryNetwork, "an old handle after the restart")
			wantHandleErr(t, c.Close(hcn.KindNetwork, nh), hcn.OpCloseNetwork, "closing an old handle")
			wantHandleErr(t, c.UnregisterServiceCallback(cb), hcn.OpUnregisterServiceCallback, "an old registration")
			if _, err := c.Create(hcn.KindNetwork, hcn.NilGUID, natDoc("restart-2", 4, 1)); err != nil {
				t.Fatal(err)
			}
			c.Disconnect()
			if n := sim.OpenHandles(); n != 0 {
				t.Errorf("%d handles open at the end", n)
			}
		})
	}
}

// A call in flight when the server stops fails transiently; the handle
// it obtains afterwards is released at once.
func TestServeStopInFlight(t *testing.T) {
	sim := New(nil)
	ts := startServer(t, sim, "unix", nil)
	c := ts.dial()
	nh, err := c.Create(hcn.KindNetwork, hcn.NilGUID, natDoc("inflight", 5, 0))
	if err != nil {
		t.Fatal(err)
	}
	id := mustID(t, c, hcn.KindNetwork, nh)
	release := sim.Hang(hcn.OpOpenNetwork)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Open(hcn.KindNetwork, id)
		errc <- err
	}()
	waitFor(t, "the call to reach the server", func() bool { return sim.Calls(hcn.OpOpenNetwork) == 1 })
	stopped := make(chan struct{})
	go func() { ts.stop(); close(stopped) }()
	err = <-errc
	if !errors.Is(err, hcn.ErrTransient) || !errors.Is(err, hcn.RPC_S_CALL_FAILED) {
		t.Errorf("a call in flight when the server stopped: %v, want RPC_S_CALL_FAILED", err)
	}
	release()
	<-stopped
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open after the server stopped", n)
	}
}

// The hcn Client over a Conn rides a server restart: its Get, retried,
// succeeds once the server is back, and its Watch re-registers.
func TestServeClientAcrossRestart(t *testing.T) {
	sim := New(nil)
	ts := startServer(t, sim, "unix", nil)
	conn := ts.dial()
	var transient atomic.Int32
	var once sync.Once
	svc := &restartOnOpen{Conn: conn, onTransient: func() {
		transient.Add(1)
		once.Do(ts.start) // back before the Client's next attempt
	}}
	client, err := hcn.NewClient(&hcn.ClientOptions{Service: svc,
		Retry: &hcn.RetryPolicy{MaxAttempts: 5, InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, err := client.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nid := simNetwork(t, sim, "client", 6, 0)
	nextEvent(t, events, hcn.NotificationNetworkCreate)
	ts.stop()
	nextEvent(t, events, hcn.NotificationServiceDisconnect)

	got, err := client.GetNetwork(ctx, nid.ID())
	if err != nil {
		t.Fatalf("GetNetwork across the restart: %v", err)
	}
	if got.Name != "client" || transient.Load() == 0 {
		t.Errorf("GetNetwork: %q after %d transient failures, want \"client\" after at least one", got.Name, transient.Load())
	}
	waitFor(t, "the Watch to register again", func() bool { return sim.OpenHandlesOf(HandleServiceCallback) == 1 })
	after := simNetwork(t, sim, "client-after", 6, 1)
	for e := range events {
		if e.Type.Base() == hcn.NotificationNetworkCreate && e.ID == after.ID() {
			break
		}
	}
}

// restartOnOpen runs onTransient when an Open fails transiently.
type restartOnOpen struct {
	*Conn
	onTransient func()
}

func (r *restartOnOpen) Open(kind hcn.Kind, id hcn.GUID) (hcn.Handle, error) {
	h, err := r.Conn.Open(kind, id)
	if errors.Is(err, hcn.ErrTransient) {
		r.onTransient()
	}
	return h, err
}

// simNetwork creates a network in process, closing its handle.
func simNetwork(t *testing.T, sim *Sim, name string, a, b int) hcn.GUID {
	t.Helper()
	id := hcn.NewGUID()
	h, err := sim.Create(hcn.KindNetwork, id, natDoc(name, a, b))
	if err != nil {
		t.Fatal(err)
	}
	sim.Close(hcn.KindNetwork, h)
	return id
}

func nextEvent(t *testing.T, events <-chan hcn.Event, typ hcn.NotificationType) hcn.Event {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Type.Base() == typ {
				return e
			}
		case <-timeout:
			t.Fatalf("no %s event", typ)
		}
	}
}

// A call the Client abandons by its context still completes on the
// server; its late reply goes to the Client's cleanup, which closes the
// handle over the same connection.
func TestServeAbandonedCall(t *testing.T) {
	sim := New(nil)
	ts := startServer(t, sim, "unix", nil)
	conn := ts.dial()
	client, err := hcn.NewClient(&hcn.ClientOptions{Service: conn})
	if err != nil {
		t.Fatal(err)
	}
	nid := simNetwork(t, sim, "abandon", 7, 0)
	base := sim.OpenHandles()
	release := sim.Hang(hcn.OpOpenNetwork)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // abandon the call once it runs on the server
		for sim.Calls(hcn.OpOpenNetwork) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	if _, err := client.OpenNetwork(ctx, nid.ID()); !errors.Is(err, context.Canceled) {
		t.Fatalf("OpenNetwork abandoned: %v", err)
	}
	release()
	waitFor(t, "the orphaned handle to be closed", func() bool {
		return sim.Calls(hcn.OpCloseNetwork) >= 1 && sim.OpenHandles() == base
	})
	if _, err := client.GetNetwork(context.Background(), nid.ID()); err != nil {
		t.Errorf("the connection after an abandoned call: %v", err)
	}
}

// Calls on a disconnected Conn fail with E_HANDLE wrapping net.ErrClosed.
func TestServeCallsAfterDisconnect(t *testing.T) {
	ts := startServer(t, New(nil), "unix", nil)
	c := ts.dial()
	if err := c.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if err := c.Disconnect(); err != nil {
		t.Fatalf("a second Disconnect: %v", err)
	}
	_, err := c.Enumerate(hcn.KindNetwork, "")
	var he *hcn.Error
	if !errors.As(err, &he) || he.Op != hcn.OpEnumerateNetworks || !errors.Is(err, hcn.ErrInvalidHandle) || !errors.Is(err, net.ErrClosed) {
		t.Errorf("a call after Disconnect: %v", err)
	}
	if _, err := c.RegisterServiceCallback(func(hcn.NotificationType, hcn.HRESULT, string) {}); !errors.Is(err, hcn.ErrInvalidHandle) {
		t.Errorf("a registration after Disconnect: %v", err)
	}
}
