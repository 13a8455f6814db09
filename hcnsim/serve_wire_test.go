package hcnsim

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

// Errors cross the wire losslessly: for the same call on the same state,
// the error from a Conn equals the in-process Sim's (same type, Op, Kind,
// ID, HRESULT, parsed record, text) and is in the same sentinel classes.
func TestServeErrorsLossless(t *testing.T) {
	local, remote := New(nil), New(nil)
	ts := startServer(t, remote, "unix", nil)
	conn := ts.dial()
	netID := hcn.MustParseGUID("5f0b3d4e-0000-4000-8000-000000000001")
	missing := hcn.MustParseGUID("5f0b3d4e-0000-4000-8000-0000000000ff")
	for _, s := range []hcn.Service{local, conn} {
		h, err := s.Create(hcn.KindNetwork, netID, natDoc("lossless", 8, 0))
		if err != nil {
			t.Fatal(err)
		}
		s.Close(hcn.KindNetwork, h)
	}
	cases := []struct {
		name string
		fn   func(s hcn.Service, sim *Sim) error
	}{
		{"open missing", func(s hcn.Service, _ *Sim) error { _, err := s.Open(hcn.KindNetwork, missing); return err }},
		{"delete missing endpoint", func(s hcn.Service, _ *Sim) error { return s.Delete(hcn.KindEndpoint, missing) }},
		{"bad json", func(s hcn.Service, _ *Sim) error { _, err := s.Create(hcn.KindNetwork, hcn.NilGUID, "{"); return err }},
		{"id in use", func(s hcn.Service, _ *Sim) error {
			_, err := s.Create(hcn.KindNetwork, netID, natDoc("other", 8, 1))
			return err
		}},
		{"invalid kind", func(s hcn.Service, _ *Sim) error { _, err := s.Enumerate(hcn.Kind(99), ""); return err }},
		{"create endpoint kind", func(s hcn.Service, _ *Sim) error {
			_, err := s.Create(hcn.KindEndpoint, hcn.NilGUID, "{}")
			return err
		}},
		{"unknown handle", func(s hcn.Service, _ *Sim) error { _, err := s.Query(hcn.KindNetwork, 0x1238, ""); return err }},
		{"bad modify", func(s hcn.Service, _ *Sim) error {
			h, err := s.Open(hcn.KindNetwork, netID)
			if err != nil {
				return err
			}
			defer s.Close(hcn.KindNetwork, h)
			return s.Modify(hcn.KindNetwork, h, `{"ResourceType":"Nonsense","RequestType":"Add"}`)
		}},
		{"bad endpoint address", func(s hcn.Service, _ *Sim) error {
			h, err := s.Open(hcn.KindNetwork, netID)
			if err != nil {
				return err
			}
			defer s.Close(hcn.KindNetwork, h)
			_, err = s.CreateEndpoint(h, missing, `{"IpConfigurations":[{"IpAddress":"192.168.77.5"}]}`)
			return err
		}},
		{"nil callback", func(s hcn.Service, _ *Sim) error { _, err := s.RegisterServiceCallback(nil); return err }},
		{"unregister unknown", func(s hcn.Service, _ *Sim) error { return s.UnregisterServiceCallback(0x1238) }},
		{"reserve on unknown", func(s hcn.Service, _ *Sim) error {
			_, err := s.ReserveGuestNetworkServicePort(0x1238, hcn.PortProtocolTCP, hcn.PortAccessExclusive, 80)
			return err
		}},
		{"injected transient", func(s hcn.Service, sim *Sim) error {
			sim.InjectFault(hcn.OpEnumerateNetworks, 1, hcn.RPC_S_SERVER_UNAVAILABLE)
			_, err := s.Enumerate(hcn.KindNetwork, "")
			return err
		}},
		{"injected HNSCall", func(s hcn.Service, sim *Sim) error {
			sim.InjectFault(hcn.OpHNSCall, 1, hcn.E_ACCESSDENIED)
			_, err := s.HNSCall("GET", "/networks", "")
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, got := tc.fn(local, local), tc.fn(conn, remote)
			if want == nil {
				t.Fatal("the case does not fail in process")
			}
			if !reflect.DeepEqual(got, want) || got.Error() != want.Error() {
				t.Fatalf("over the wire:\n%#v\n%v\nin process:\n%#v\n%v", got, got, want, want)
			}
			sameClasses(t, got, want)
		})
	}
	if n := remote.OpenHandles(); n != 0 {
		t.Errorf("%d handles open", n)
	}
}

// sameClasses checks that two errors are in the same sentinel classes.
func sameClasses(t *testing.T, got, want error) {
	t.Helper()
	for _, c := range classes {
		if errors.Is(got, c.err) != errors.Is(want, c.err) {
			t.Errorf("errors.Is(%v, Err%s): %v, in process %v", got, c.name, errors.Is(got, c.err), errors.Is(want, c.err))
		}
	}
	var hr hcn.HRESULT
	if errors.As(want, &hr) && !errors.Is(got, hr) {
		t.Errorf("errors.Is(%v, %v) is false", got, hr)
	}
}

// Causes, hand-built records and plain errors survive the encoding.
func TestWireErrorEncoding(t *testing.T) {
	cases := []error{
		&hcn.Error{Op: "HcnCreateEndpoint", Kind: hcn.KindEndpoint, ID: "x", Err: fmt.Errorf("%w: IpAddress: bad", hcn.ErrInvalid)},
		&hcn.Error{Op: "HcnOpenNetwork", HRESULT: hcn.E_FAIL, Err: hcn.HCN_E_NETWORK_NOT_FOUND},
		&hcn.Error{Op: "op", HRESULT: hcn.E_FAIL, Record: hcn.ParseErrorRecord("not json at all")},
		&hcn.Error{Op: "op", HRESULT: hcn.HCN_E_INVALID_JSON, Record: &hcn.ErrorRecord{Error: "built by hand ", ErrorCode: uint32(hcn.HCN_E_INVALID_JSON)}},
		fmt.Errorf("plain: %w", hcn.ErrTransient),
	}
	for _, want := range cases {
		got := encodeError(want).decode()
		if got.Error() != want.Error() {
			t.Errorf("text %q, want %q", got, want)
		}
		sameClasses(t, got, want)
		var wh, gh *hcn.Error
		if errors.As(want, &wh) {
			if !errors.As(got, &gh) || gh.Op != wh.Op || gh.Kind != wh.Kind || gh.ID != wh.ID || gh.HRESULT != wh.HRESULT ||
				gh.Record.Message() != wh.Record.Message() || gh.Record.HRESULT() != wh.Record.HRESULT() || gh.Record.IsJSON() != wh.Record.IsJSON() {
				t.Errorf("got %#v, want %#v", gh, wh)
			}
		}
	}
}

// The server refuses what the protocol does not allow: it answers or drops
// the connection, and leaks no handle.
func TestServeBadInput(t *testing.T) {
	sim := New(nil)
	ts := startServer(t, sim, "unix", &ServeOptions{MaxFrame: 4096})
	hello := func(t *testing.T) *rawClient {
		r := rawDial(t, ts)
		if resp := r.hello(""); resp.Err != nil || resp.Version != ProtocolVersion {
			t.Fatalf("hello: %+v", resp)
		}
		return r
	}
	header := func(n uint32) []byte {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], n)
		return b[:]
	}
	t.Run("oversized frame", func(t *testing.T) {
		r := hello(t)
		r.write(header(4097))
		r.wantClosed("a frame over the limit")
	})
	t.Run("oversized hello", func(t *testing.T) {
		r := rawDial(t, ts)
		r.write(header(maxHelloFrame + 1))
		r.wantClosed("a hello over its limit")
	})
	t.Run("empty frame", func(t *testing.T) {
		r := hello(t)
		r.write(header(0))
		r.wantClosed("an empty frame")
	})
	t.Run("garbage json", func(t *testing.T) {
		r := hello(t)
		r.write(append(header(5), "{nope"...))
		r.wantClosed("garbage JSON")
	})
	t.Run("call without id", func(t *testing.T) {
		r := hello(t)
		r.send(&request{Method: "Enumerate", Kind: hcn.KindNetwork})
		r.wantClosed("a call without an id")
	})
	t.Run("no hello", func(t *testing.T) {
		r := rawDial(t, ts)
		r.send(&request{ID: 1, Method: "Enumerate", Kind: hcn.KindNetwork})
		r.wantClosed("a call before the hello")
	})
	t.Run("wrong version", func(t *testing.T) {
		r := rawDial(t, ts)
		r.send(&request{Method: methodHello, Version: 99})
		resp, err := r.recv()
		if err != nil || !errors.Is(respErr(resp), hcn.E_NOTIMPL) {
			t.Fatalf("hello of version 99: %+v %v", resp, err)
		}
		r.wantClosed("after a refused hello")
	})
	t.Run("unknown method", func(t *testing.T) {
		r := hello(t)
		r.send(&request{ID: 1, Method: "FormatDisk"})
		var he *hcn.Error
		if err := respErr(r.reply(1)); !errors.As(err, &he) || he.HRESULT != hcn.E_NOTIMPL || he.Op != "FormatDisk" {
			t.Fatalf("unknown method: %v", err)
		}
		r.send(&request{ID: 2, Method: "Enumerate", Kind: hcn.KindNetwork})
		if resp := r.reply(2); resp.Err != nil || resp.Text == "" {
			t.Fatalf("a call after an unknown method: %+v", resp)
		}
	})
	t.Run("wrong argument types", func(t *testing.T) {
		r := hello(t)
		r.write(append(header(24), `{"id":1,"m":"Open","k":"x"}`[:24]...))
		r.wantClosed("a kind that is not a number")
	})
	t.Run("handles of a refused connection", func(t *testing.T) {
		r := hello(t)
		r.send(&request{ID: 1, Method: "Create", Kind: hcn.KindNamespace, Text: `{"Type":"Host"}`})
		if resp := r.reply(1); resp.Err != nil || resp.Handle == 0 {
			t.Fatalf("Create: %+v", resp)
		}
		r.write(header(0))
		r.wantClosed("an empty frame")
		waitFor(t, "the rundown", func() bool { return sim.OpenHandles() == 0 })
	})
	t.Run("call over the client's limit", func(t *testing.T) {
		c, err := Dial(context.Background(), ts.addr(), &DialOptions{MaxFrame: 1024})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Disconnect()
		_, err = c.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"`+strings.Repeat("x", 2000)+`"}`)
		var he *hcn.Error
		if !errors.As(err, &he) || he.HRESULT != hcn.E_INVALIDARG || he.Op != hcn.OpCreateNetwork {
			t.Fatalf("a call over the limit: %v", err)
		}
		if _, err := c.Enumerate(hcn.KindNetwork, ""); err != nil {
			t.Fatalf("the connection after a refused call: %v", err)
		}
	})
	t.Run("reply over the server's limit", func(t *testing.T) {
		for i := range 20 {
			simNetwork(t, sim, fmt.Sprintf("big-%d", i), 9, i)
		}
		c := ts.dial()
		_, err := c.HNSCall("GET", "/networks", "")
		if !errors.Is(err, hcn.E_FAIL) || !strings.Contains(err.Error(), "frame limit") {
			t.Fatalf("a reply over the limit: %v", err)
		}
		if _, err := c.Enumerate(hcn.KindNetwork, ""); err != nil {
			t.Fatalf("the connection after a refused reply: %v", err)
		}
	})
	if n := sim.OpenHandles(); n != 0 {
		t.Errorf("%d handles open", n)
	}
}

// Tokens: TCP needs the right one; a Unix socket needs none but refuses a
// wrong one; Dial reports a refusal as access denied.
func TestServeToken(t *testing.T) {
	sim := New(nil)
	tcp := startServer(t, sim, "tcp", nil)
	unixTok := startServer(t, sim, "unix", &ServeOptions{Token: newToken()})
	unixNone := startServer(t, sim, "unix", nil)
	cases := []struct {
		name  string
		ts    *testServer
		token string
		ok    bool
	}{
		{"tcp right", tcp, tcp.token, true},
		{"tcp none", tcp, "", false},
		{"tcp wrong", tcp, newToken(), false},
		{"tcp prefix", tcp, tcp.token[:63], false},
		{"unix none", unixTok, "", true},
		{"unix right", unixTok, unixTok.token, true},
		{"unix wrong", unixTok, newToken(), false},
		{"unix without a token, any", unixNone, "anything", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rawDial(t, tc.ts)
			resp := r.hello(tc.token)
			if tc.ok {
				if resp.Err != nil {
					t.Fatalf("refused: %v", respErr(resp))
				}
				return
			}
			if !errors.Is(respErr(resp), hcn.ErrAccessDenied) {
				t.Fatalf("hello: %+v, want access denied", resp)
			}
			r.wantClosed("after a refused token")
			_, err := Dial(context.Background(), tc.ts.addr(), &DialOptions{Token: tc.token, TokenFile: filepath.Join(t.TempDir(), "none")})
			if tc.token != "" && !errors.Is(err, hcn.ErrAccessDenied) {
				t.Errorf("Dial with a wrong token: %v", err)
			}
		})
	}
}

// Serve keeps the TCP token in a 0600 file, reuses it after a restart,
// and a client reads it there.
func TestServeTokenFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	sim := New(nil)
	ts := startServer(t, sim, "tcp", &ServeOptions{TokenFile: DefaultTokenPath()})
	// a client dialling before Serve has written the file would find none
	waitFor(t, "the token file", func() bool { _, err := os.Stat(DefaultTokenPath()); return err == nil })
	tok, err := readToken(DefaultTokenPath())
	if err != nil || len(tok) != 64 {
		t.Fatalf("token file: %q %v", tok, err)
	}
	if fi, _ := os.Stat(DefaultTokenPath()); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v", fi.Mode().Perm())
	}
	c, err := Dial(context.Background(), ts.addr(), nil) // reads DefaultTokenPath()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect()
	rec := newRecorder()
	if _, err := c.RegisterServiceCallback(rec.fn); err != nil {
		t.Fatal(err)
	}
	ts.stop()
	rec.until(t, hcn.NotificationServiceDisconnect)
	ts.start()
	if again, _ := readToken(DefaultTokenPath()); again != tok {
		t.Errorf("the restarted server changed the token")
	}
	if _, err := c.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Errorf("a call after the restart: %v", err)
	}
}

// Listen and Serve refuse anything but a Unix socket or loopback TCP; a
// Unix socket is created with mode 0600 and removed on close.
func TestServeListen(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "example.com:80", "nonsense"} {
		if l, err := Listen("tcp", addr); err == nil {
			l.Close()
			t.Errorf("Listen tcp %s succeeded", addr)
		}
	}
	if _, err := Listen("udp", "127.0.0.1:0"); err == nil {
		t.Error("Listen udp succeeded")
	}
	if _, err := Listen("", "tcp:10.0.0.1:5000"); err == nil {
		t.Error("Listen tcp:10.0.0.1 succeeded")
	}
	if _, err := Dial(context.Background(), "tcp:10.0.0.1:5000", nil); err == nil {
		t.Error("Dial to a non-loopback address succeeded")
	}
	all, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := Serve(context.Background(), all, New(nil), nil); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("Serve on all addresses: %v", err)
	}
	if _, err := all.Accept(); err == nil {
		t.Error("Serve left a refused listener open")
	}

	dir, err := os.MkdirTemp("", "hcs")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sub", "x.sock")
	l, err := Listen("", path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
			t.Errorf("socket %v %v, want a socket of mode 0600", fi.Mode(), err)
		}
		if fi, _ := os.Stat(filepath.Dir(path)); fi.Mode().Perm() != 0o700 {
			t.Errorf("socket directory mode %v, want 0700", fi.Mode().Perm())
		}
	}
	if _, err := Listen("unix", path); err == nil {
		t.Error("a second Listen on a live socket succeeded")
	}
	l.Close()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket remains after Close: %v", err)
	}
	// a stale socket (its server gone without removing it) is replaced
	stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	stale.SetUnlinkOnClose(false)
	stale.Close()
	l, err = Listen("unix", path)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	l.Close()
	if _, err := Listen("unix", filepath.Join(dir, strings.Repeat("x", 120))); err == nil {
		t.Error("Listen on a path over the sun_path limit succeeded")
	}
	if err := os.WriteFile(path, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen("unix", path); err == nil {
		t.Error("Listen over a regular file succeeded")
	}
}

// Default paths and Dial's address syntax.
func TestServeAddresses(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	if got := DefaultSocketPath(); got != filepath.Join("/run/user/1000", "hcnsim.sock") {
		t.Errorf("DefaultSocketPath with XDG_RUNTIME_DIR: %s", got)
	}
	if got := DefaultTokenPath(); got != filepath.Join("/run/user/1000", "hcnsim.token") {
		t.Errorf("DefaultTokenPath: %s", got)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	if got := DefaultSocketPath(); !strings.HasPrefix(got, os.TempDir()) || !strings.Contains(got, "hcnsim") {
		t.Errorf("DefaultSocketPath without XDG_RUNTIME_DIR: %s", got)
	}
	cases := []struct{ in, network, addr string }{
		{"unix:/a/b.sock", "unix", "/a/b.sock"},
		{"UNIX:/a/b.sock", "unix", "/a/b.sock"},
		{"/a/b.sock", "unix", "/a/b.sock"},
		{`C:\x\b.sock`, "unix", `C:\x\b.sock`},
		{"tcp:127.0.0.1:5000", "tcp", "127.0.0.1:5000"},
		{"tcp:[::1]:5000", "tcp", "[::1]:5000"},
		{"tcp:localhost:5000", "tcp", "127.0.0.1:5000"},
		{"", "unix", DefaultSocketPath()},
	}
	for _, tc := range cases {
		n, a, err := parseAddr(tc.in)
		if err != nil || n != tc.network || a != tc.addr {
			t.Errorf("parseAddr(%q) = %q %q %v, want %q %q", tc.in, n, a, err, tc.network, tc.addr)
		}
	}
	for _, bad := range []string{"unix:", "tcp:127.0.0.1", "tcp:10.1.2.3:80", "tcp:example.com:80"} {
		if _, _, err := parseAddr(bad); err == nil {
			t.Errorf("parseAddr(%q) succeeded", bad)
		}
	}
	if _, err := Dial(context.Background(), "unix:"+filepath.Join(t.TempDir(), "none.sock"), nil); !errors.Is(err, hcn.ErrTransient) {
		t.Errorf("Dial with no server: %v, want a transient failure", err)
	}
}
