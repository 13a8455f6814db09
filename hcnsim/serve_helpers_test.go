package hcnsim

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// testServer is a Serve loop that a test can stop and start again on the
// same address with the same Sim.
type testServer struct {
	t       testing.TB
	sim     *Sim
	network string // "unix" or "tcp"
	listen  string // the address Listen takes (path or host:port)
	token   string
	opts    ServeOptions
	cancel  context.CancelFunc
	done    chan error
}

// startServer serves sim on a new Unix socket in a short temporary
// directory (sun_path is short) or on loopback TCP with a random token
// (unless opts name a token file).
func startServer(t testing.TB, sim *Sim, network string, opts *ServeOptions) *testServer {
	t.Helper()
	ts := &testServer{t: t, sim: sim, network: network}
	if opts != nil {
		ts.opts = *opts
	}
	switch network {
	case "unix":
		dir, err := os.MkdirTemp("", "hcs")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		ts.listen = filepath.Join(dir, "s.sock")
	case "tcp":
		ts.listen = "127.0.0.1:0"
		if ts.opts.Token == "" && ts.opts.TokenFile == "" {
			ts.opts.Token = newToken()
		}
	}
	ts.token = ts.opts.Token
	ts.start()
	t.Cleanup(ts.stop)
	return ts
}

// start listens on the server's address and serves.
func (ts *testServer) start() {
	ts.t.Helper()
	l, err := Listen(ts.network, ts.listen)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.listen = l.Addr().String() // a TCP port picked once stays
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	opts := ts.opts
	go func() { done <- Serve(ctx, l, ts.sim, &opts) }()
	ts.cancel, ts.done = cancel, done
}

// stop ends Serve and waits for it; it is idempotent.
func (ts *testServer) stop() {
	if ts.cancel == nil {
		return
	}
	ts.cancel()
	if err := <-ts.done; err != nil {
		ts.t.Errorf("Serve: %v", err)
	}
	ts.cancel = nil
}

// addr is the server's Dial address.
func (ts *testServer) addr() string { return ts.network + ":" + ts.listen }

// dial connects with the server's token; cleanup disconnects.
func (ts *testServer) dial() *Conn {
	ts.t.Helper()
	c, err := Dial(context.Background(), ts.addr(), &DialOptions{Token: ts.token})
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { c.Disconnect() })
	return c
}

// waitFor polls cond until it holds; it fails the test after a long
// while (a bound on a wait, not a timing assertion).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// natDoc is a NAT network document on 10.<a>.<b>.0/24.
func natDoc(name string, a, b int) string {
	return fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"Type":"NAT","Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"10.%d.%d.0/24","Routes":[{"NextHop":"10.%d.%d.1","DestinationPrefix":"0.0.0.0/0"}]}]}]}`,
		name, a, b, a, b)
}

// rawClient speaks the wire protocol by hand.
type rawClient struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

func rawDial(t testing.TB, ts *testServer) *rawClient {
	t.Helper()
	nc, err := net.Dial(ts.network, ts.listen)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawClient{t: t, nc: nc, br: bufio.NewReader(nc)}
}

func (r *rawClient) send(v any) {
	r.t.Helper()
	b, err := encodeFrame(v)
	if err != nil {
		r.t.Fatal(err)
	}
	r.write(b)
}

func (r *rawClient) write(b []byte) {
	r.t.Helper()
	if _, err := r.nc.Write(b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// recv reads one frame; an error means the connection ended.
func (r *rawClient) recv() (*response, error) {
	r.nc.SetReadDeadline(time.Now().Add(20 * time.Second))
	b, err := readFrame(r.br, DefaultMaxFrame)
	if err != nil {
		return nil, err
	}
	resp := new(response)
	if err := json.Unmarshal(b, resp); err != nil {
		r.t.Fatalf("server frame: %v: %s", err, b)
	}
	return resp, nil
}

// reply reads frames until the reply to id, skipping notifications.
func (r *rawClient) reply(id uint64) *response {
	r.t.Helper()
	for {
		resp, err := r.recv()
		if err != nil {
			r.t.Fatalf("waiting for the reply to %d: %v", id, err)
		}
		if resp.Note == nil && resp.ID == id {
			return resp
		}
	}
}

func (r *rawClient) hello(token string) *response {
	r.t.Helper()
	r.send(&request{Method: methodHello, Version: ProtocolVersion, Token: token})
	resp, err := r.recv()
	if err != nil {
		r.t.Fatalf("hello: %v", err)
	}
	return resp
}

// wantClosed checks that the server ends the connection (reading any
// frames it sent first).
func (r *rawClient) wantClosed(what string) {
	r.t.Helper()
	for {
		if _, err := r.recv(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				r.t.Fatalf("%s: the server kept the connection open", what)
			}
			return
		}
	}
}

// respErr decodes a reply's error.
func respErr(resp *response) error {
	if resp.Err == nil {
		return nil
	}
	return resp.Err.decode()
}

// recorder collects notifications in order.
type recorder struct {
	ch chan recorded
}

type recorded struct {
	typ hcn.NotificationType
	id  string
}

func newRecorder() *recorder { return &recorder{ch: make(chan recorded, 1024)} }

func (r *recorder) fn(t hcn.NotificationType, _ hcn.HRESULT, data string) {
	var p struct{ ID string }
	json.Unmarshal([]byte(data), &p)
	r.ch <- recorded{t.Base(), p.ID}
}

// next returns the next notification, failing after a long while.
func (r *recorder) next(t testing.TB) recorded {
	t.Helper()
	select {
	case n := <-r.ch:
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("no notification")
	}
	return recorded{}
}

// until skips notifications until one of typ.
func (r *recorder) until(t testing.TB, typ hcn.NotificationType) recorded {
	t.Helper()
	for {
		if n := r.next(t); n.typ == typ {
			return n
		}
	}
}

// mustID reads the ID of an object through its handle.
func mustID(t testing.TB, svc hcn.Service, k hcn.Kind, h hcn.Handle) hcn.GUID {
	t.Helper()
	out, err := svc.Query(k, h, "")
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ ID string }
	json.Unmarshal([]byte(out), &p)
	id, err := hcn.ParseGUID(p.ID)
	if err != nil {
		t.Fatalf("%s without an ID: %s", k, out)
	}
	return id
}

func jsonUnmarshalString(s string, v any) error { return json.Unmarshal([]byte(s), v) }
