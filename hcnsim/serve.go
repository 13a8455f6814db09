package hcnsim

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Serving a Sim. Serve accepts connections on a listener and runs one
// goroutine reading each connection's calls, one running each call, and
// one writing the connection's replies and notifications (serve_conn.go).
// Every handle a connection obtains is recorded in that connection's
// table; the connection may use only those, and when it ends they are run
// down (serve_conn.go). The methods are in serve_methods.go, the frames in
// wire.go.

// Defaults of ServeOptions.
const (
	// DefaultNotifyQueue bounds the notifications waiting to be written
	// to one connection.
	DefaultNotifyQueue = 4096
	// DefaultMaxInFlight bounds the calls of one connection that are
	// running or whose replies are not yet written.
	DefaultMaxInFlight = 64
	// DefaultHelloTimeout bounds the wait for a connection's hello.
	DefaultHelloTimeout = 10 * time.Second
)

// ServeOptions configures Serve. A nil *ServeOptions means defaults; each
// field documents what its zero value means.
type ServeOptions struct {
	// Token authenticates connections: a client's hello must carry it. A
	// TCP connection without it is refused; a Unix socket connection may
	// omit it (the socket's mode protects it) but not send a wrong one.
	// Empty on a TCP listener means the token kept in TokenFile, or a new
	// random one (32 bytes from crypto/rand, in hex) written there.
	Token string
	// TokenFile is where the token of a TCP listener is kept (mode 0600);
	// empty means DefaultTokenPath(). A Token given is written there only
	// when TokenFile is set.
	TokenFile string
	// MaxFrame bounds a frame's payload in bytes; zero means
	// DefaultMaxFrame. A bigger frame from a client ends its connection;
	// a reply that would be bigger is replaced by an E_FAIL error.
	MaxFrame int
	// NotifyQueue bounds the notifications waiting to be written to one
	// connection; zero means DefaultNotifyQueue. On overflow the
	// connection's callback registrations are dropped and each receives
	// ServiceDisconnect.
	NotifyQueue int
	// MaxInFlight bounds the calls of one connection running or waiting
	// for their replies to be written; zero means DefaultMaxInFlight. The
	// connection's next call is not read until one finishes.
	MaxInFlight int
	// HelloTimeout bounds the wait for a connection's hello and the write
	// of its answer, and the flush of the last replies when a connection
	// says bye; zero means DefaultHelloTimeout.
	HelloTimeout time.Duration
	// Logger receives debug records of refused and dropped connections
	// and error records of calls that panicked. Nil means no logging.
	Logger *slog.Logger
}

func (o ServeOptions) withDefaults() ServeOptions {
	if o.MaxFrame <= 0 {
		o.MaxFrame = DefaultMaxFrame
	}
	if o.NotifyQueue <= 0 {
		o.NotifyQueue = DefaultNotifyQueue
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	if o.HelloTimeout <= 0 {
		o.HelloTimeout = DefaultHelloTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Serve serves sim's hcn.Service over the connections l accepts until ctx
// ends, then closes l and every connection, runs their handles down,
// waits for the calls still running (a call held by Hang keeps it waiting)
// and returns nil. It returns an error at once, closing l, when l is
// neither a Unix socket nor TCP on a loopback address, or the TCP token
// cannot be set up; and, after the same cleanup, when Accept fails for
// good. Several Serve loops may share one Sim.
//
// Each connection is a client's session with the service: the handles it
// obtains are its own (another connection's handle fails with E_HANDLE)
// and are released when it ends. See the package documentation, "Serving
// one emulated host to many processes", and ProtocolVersion for the
// protocol.
func Serve(ctx context.Context, l net.Listener, sim *Sim, opts *ServeOptions) error {
	if sim == nil {
		l.Close()
		return errors.New("hcnsim: Serve: nil Sim")
	}
	var o ServeOptions
	if opts != nil {
		o = *opts
	}
	s, err := newServer(l.Addr(), sim, o)
	if err != nil {
		l.Close()
		return err
	}
	stop := context.AfterFunc(ctx, func() { l.Close() })
	err = s.accept(ctx, l)
	stop()
	l.Close()
	s.shutdown()
	return err
}

// server is one Serve loop.
type server struct {
	sim       *Sim
	opts      ServeOptions
	token     string
	needToken bool
	tcp       bool
	// panics counts calls that panicked (answered E_UNEXPECTED).
	panics atomic.Int64

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

// newServer checks the listener's address and sets up the token.
func newServer(addr net.Addr, sim *Sim, o ServeOptions) (*server, error) {
	s := &server{sim: sim, opts: o.withDefaults(), token: o.Token, conns: map[net.Conn]struct{}{}}
	switch addr.Network() {
	case "unix":
	case "tcp", "tcp4", "tcp6":
		if !isLoopbackAddr(addr) {
			return nil, fmt.Errorf("hcnsim: Serve: %s is not a loopback address", addr)
		}
		s.tcp, s.needToken = true, true
	default:
		return nil, fmt.Errorf("hcnsim: Serve: network %q: want a Unix socket or loopback TCP", addr.Network())
	}
	switch {
	case s.token != "" && o.TokenFile != "":
		if err := writeToken(o.TokenFile, s.token); err != nil {
			return nil, err
		}
	case s.token == "" && s.needToken:
		file := o.TokenFile
		if file == "" {
			file = DefaultTokenPath()
		}
		tok, err := loadOrCreateToken(file)
		if err != nil {
			return nil, err
		}
		s.token = tok
	}
	return s, nil
}

// accept runs the accept loop until ctx ends (nil) or Accept fails for
// good (its error).
func (s *server) accept(ctx context.Context, l net.Listener) error {
	var delay time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if te, ok := err.(interface{ Temporary() bool }); ok && te.Temporary() {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				t := time.NewTimer(delay)
				select {
				case <-ctx.Done():
					t.Stop()
					return nil
				case <-t.C:
				}
				continue
			}
			return fmt.Errorf("hcnsim: Serve: %w", err)
		}
		delay = 0
		if s.tcp && !isLoopbackAddr(nc.RemoteAddr()) {
			s.opts.Logger.Debug("hcnsim: refused a connection from a non-loopback address", "remote", nc.RemoteAddr())
			nc.Close()
			continue
		}
		s.start(nc)
	}
}

// start serves nc on its own goroutine.
func (s *server) start(nc net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		nc.Close()
		return
	}
	s.conns[nc] = struct{}{}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.serveConn(nc)
		s.mu.Lock()
		delete(s.conns, nc)
		s.mu.Unlock()
	}()
}

// shutdown closes every connection and waits for them to be run down.
func (s *server) shutdown() {
	s.mu.Lock()
	s.closed = true
	for nc := range s.conns {
		nc.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// tokenOK checks a hello's token in constant time: a wrong token is
// refused everywhere, a missing one where a token is required.
func (s *server) tokenOK(got string) bool {
	if got == "" {
		return !s.needToken
	}
	if s.token == "" {
		return true // nothing to check against (a Unix socket without a token)
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}
