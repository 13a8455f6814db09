package hcnsim

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// streamConn is a connection whose incoming stream is fixed bytes and
// whose output is discarded.
type streamConn struct {
	r *bytes.Reader
}

func (c *streamConn) Read(b []byte) (int, error)       { return c.r.Read(b) }
func (c *streamConn) Write(b []byte) (int, error)      { return len(b), nil }
func (c *streamConn) Close() error                     { return nil }
func (c *streamConn) LocalAddr() net.Addr              { return &net.UnixAddr{Name: "fuzz", Net: "unix"} }
func (c *streamConn) RemoteAddr() net.Addr             { return &net.UnixAddr{Name: "fuzz", Net: "unix"} }
func (c *streamConn) SetDeadline(time.Time) error      { return nil }
func (c *streamConn) SetReadDeadline(time.Time) error  { return nil }
func (c *streamConn) SetWriteDeadline(time.Time) error { return nil }

// frames concatenates the frames of vs (a []byte is a raw payload).
func frames(vs ...any) []byte {
	var out []byte
	for _, v := range vs {
		if b, ok := v.([]byte); ok {
			out = append(out, byte(len(b)>>24), byte(len(b)>>16), byte(len(b)>>8), byte(len(b)))
			out = append(out, b...)
			continue
		}
		f, _ := encodeFrame(v)
		out = append(out, f...)
	}
	return out
}

// FuzzServeFrame feeds arbitrary bytes to the server as a connection's
// stream: it must never panic (nor have a call panic), must end the
// connection when the stream ends, and must leave no handle open.
func FuzzServeFrame(f *testing.F) {
	hello := &request{Method: methodHello, Version: ProtocolVersion}
	f.Add(frames(hello))
	f.Add(frames(hello,
		&request{ID: 1, Method: "Create", Kind: hcn.KindNetwork, Text: natDoc("fz", 1, 1)},
		&request{ID: 2, Method: "Open", Kind: hcn.KindNamespace, GUID: hcn.MustParseGUID("00000000-0000-0000-0000-000000000000")},
		&request{ID: 3, Method: "Enumerate", Kind: hcn.KindNetwork},
		&request{ID: 4, Method: "RegisterServiceCallback", Callback: 1},
		&request{ID: 5, Method: "Create", Kind: hcn.KindGuestNetworkService, Text: `{}`},
		&request{ID: 6, Method: "ReserveGuestNetworkServicePortRange", Handle: 0x10008, Count: 3},
		&request{ID: 7, Method: "HNSCall", Verb: "GET", Path: "/networks"},
		&request{ID: 8, Method: "Close", Kind: hcn.KindNetwork, Handle: 0x10008},
		&request{ID: 9, Method: "EnumerateGuestNetworkPortReservations"},
		&request{ID: 10, Method: "nope"},
	))
	f.Add(frames(hello, &request{ID: 1, Method: "Create", Kind: hcn.KindNamespace, Text: `{"Type":"Host"}`}, &request{ID: 2, Method: methodBye}))
	f.Add(frames(hello, []byte(`{"id":1,"m":"Query","k":1,"h":-1}`)))
	f.Add(frames(hello, []byte(`{"id":1,"m":"Create","k":1,"s":"{"}`), []byte(`[]`)))
	f.Add(frames([]byte(`{"m":"hello","v":1,"token":"x"}`)))
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, '{'})
	f.Fuzz(func(t *testing.T, stream []byte) {
		sim := New(nil)
		s, err := newServer(&net.UnixAddr{Name: "fuzz", Net: "unix"}, sim, ServeOptions{MaxFrame: 1 << 16, MaxInFlight: 4})
		if err != nil {
			t.Fatal(err)
		}
		s.serveConn(&streamConn{r: bytes.NewReader(stream)}) // returns once run down
		if n := s.panics.Load(); n != 0 {
			t.Fatalf("%d calls panicked", n)
		}
		if n := sim.OpenHandles(); n != 0 {
			t.Fatalf("%d handles open after the connection ended", n)
		}
	})
}
