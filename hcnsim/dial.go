package hcnsim

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hcnkit/hcn"
)

// The client. A Conn holds at most one session (one connection to the
// server) at a time. A call takes the current session, dialling one when
// there is none, sends its frame and waits for the reply with its id; one
// reader goroutine per session routes replies to their calls and
// notifications to the registrations' delivery goroutines. When the
// session fails, its calls in flight fail with RPC_S_CALL_FAILED, its
// registrations receive ServiceDisconnect, and the next call dials again.

// DefaultDialTimeout bounds a Conn's redial unless DialOptions set another.
const DefaultDialTimeout = 10 * time.Second

// DialOptions configures Dial. A nil *DialOptions means defaults; each
// field documents what its zero value means.
type DialOptions struct {
	// Token is sent in the hello. Empty means the token in TokenFile.
	Token string
	// TokenFile holds the token as Serve keeps it; it is read at every
	// dial, so the token of a restarted server is picked up. Empty means
	// DefaultTokenPath() for a TCP address and no token for a Unix socket.
	TokenFile string
	// DialTimeout bounds each redial and the goodbye of Disconnect (Dial's
	// first dial is bounded by its ctx); zero means DefaultDialTimeout.
	DialTimeout time.Duration
	// MaxFrame bounds a frame's payload in bytes; zero means
	// DefaultMaxFrame. A call whose frame would be bigger fails with
	// E_INVALIDARG without being sent.
	MaxFrame int
}

// Conn is a client of a served Sim (see Serve): an hcn.Service whose
// every method is one call over the connection, safe for concurrent use;
// calls from many goroutines share the connection. Errors are the
// service's *hcn.Error values as the Sim gave them. When the connection
// fails, calls fail with an error wrapping hcn.ErrTransient
// (RPC_S_CALL_FAILED for a call in flight, RPC_S_SERVER_UNAVAILABLE when
// the server cannot be reached), every registered callback receives
// ServiceDisconnect, and the next call dials again; handles from the lost
// connection are then invalid (E_HANDLE). After Disconnect every call
// fails with E_HANDLE wrapping net.ErrClosed.
type Conn struct {
	network, address string
	opts             DialOptions

	mu       sync.Mutex
	sess     *session
	closed   bool
	regs     map[uint64]*clientReg // by the number the server tags notifications with
	byHandle map[hcn.Handle]*clientReg
	nextCB   uint64

	dialMu sync.Mutex // one dial at a time
}

var _ hcn.Service = (*Conn)(nil)

// clientReg is one callback registration: its delivery goroutine and the
// session it was made on. live (the server confirmed it) and told (it got
// the ServiceDisconnect of its session) are guarded by Conn.mu.
type clientReg struct {
	id         uint64
	r          *registration
	sess       *session
	live, told bool
}

// session is one connection to the server.
type session struct {
	c      *Conn
	nc     net.Conn
	max    int
	nextID atomic.Uint64
	wmu    sync.Mutex // serializes frame writes

	mu      sync.Mutex
	pending map[uint64]chan result
	err     error // why the session ended; nil while it works
}

// result is a reply, or the transport failure that ended its session.
type result struct {
	resp *response
	err  error
}

// Dial connects to a server started with Serve at addr ("unix:/path",
// "tcp:127.0.0.1:port", a plain path, or "" for DefaultSocketPath(); see
// Listen) and says hello. ctx bounds the dial and the hello. A server that
// cannot be reached gives an error wrapping hcn.ErrTransient; a refused
// token one wrapping hcn.ErrAccessDenied.
func Dial(ctx context.Context, addr string, opts *DialOptions) (*Conn, error) {
	network, address, err := parseAddr(addr)
	if err != nil {
		return nil, err
	}
	c := &Conn{network: network, address: address, regs: map[uint64]*clientReg{}, byHandle: map[hcn.Handle]*clientReg{}}
	if opts != nil {
		c.opts = *opts
	}
	if c.opts.DialTimeout <= 0 {
		c.opts.DialTimeout = DefaultDialTimeout
	}
	if c.opts.MaxFrame <= 0 {
		c.opts.MaxFrame = DefaultMaxFrame
	}
	s, err := c.dial(ctx, "Dial", 0, "")
	if err != nil {
		return nil, err
	}
	c.sess = s
	return c, nil
}

// String describes the connection ("unix:/run/user/1000/hcnsim.sock").
func (c *Conn) String() string { return c.network + ":" + c.address }

// Disconnect ends the connection: the server releases every handle,
// registration and port reservation of it before answering (bounded by
// DialTimeout), calls in flight fail, and every later call fails with
// E_HANDLE wrapping net.ErrClosed. It waits for callbacks in flight, so it
// must not be called from inside one. It is idempotent.
func (c *Conn) Disconnect() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	s := c.sess
	c.sess = nil
	regs := c.regs
	c.regs, c.byHandle = map[uint64]*clientReg{}, map[hcn.Handle]*clientReg{}
	c.mu.Unlock()
	if s != nil {
		s.bye(c.opts.DialTimeout)
		s.fail(net.ErrClosed)
	}
	for _, r := range regs {
		r.r.stop()
	}
	return nil
}

// dial opens a session: connect, hello, start the reader.
func (c *Conn) dial(ctx context.Context, op string, kind hcn.Kind, id string) (*session, error) {
	tok, err := c.token(op, kind, id)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, c.network, c.address)
	if err != nil {
		return nil, transportError(op, kind, id, hcn.RPC_S_SERVER_UNAVAILABLE, err)
	}
	br := bufio.NewReaderSize(nc, 64<<10)
	if err := c.hello(ctx, nc, br, tok); err != nil {
		nc.Close()
		if he, ok := err.(*hcn.Error); ok { // refused: reported for the call that dialled
			e := *he
			e.Op, e.Kind, e.ID = op, kind, id
			return nil, &e
		}
		return nil, transportError(op, kind, id, hcn.RPC_S_SERVER_UNAVAILABLE, err)
	}
	s := &session{c: c, nc: nc, max: c.opts.MaxFrame, pending: map[uint64]chan result{}}
	go s.readLoop(br)
	return s, nil
}

// token returns the token to send: the given one, or the token file's. A
// missing file of a TCP address means no server has written it yet.
func (c *Conn) token(op string, kind hcn.Kind, id string) (string, error) {
	if c.opts.Token != "" {
		return c.opts.Token, nil
	}
	file := c.opts.TokenFile
	if file == "" {
		if c.network == "unix" {
			return "", nil
		}
		file = DefaultTokenPath()
	}
	tok, err := readToken(file)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", transportError(op, kind, id, hcn.RPC_S_SERVER_UNAVAILABLE, err)
	case err != nil:
		return "", &hcn.Error{Op: op, Kind: kind, ID: id, HRESULT: hcn.E_ACCESSDENIED, Err: err}
	}
	return tok, nil
}

// hello says hello and reads the answer, within ctx.
func (c *Conn) hello(ctx context.Context, nc net.Conn, br *bufio.Reader, tok string) error {
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Now()) })
	resp, err := c.exchangeHello(nc, br, tok)
	if !stop() { // ctx ended: the deadline may be set, the connection unusable
		return context.Cause(ctx)
	}
	if err != nil {
		return err
	}
	if resp.Err != nil {
		return resp.Err.decode()
	}
	if resp.Version != ProtocolVersion {
		return fmt.Errorf("%w: the server speaks protocol version %d", errFrame, resp.Version)
	}
	return nil
}

func (c *Conn) exchangeHello(nc net.Conn, br *bufio.Reader, tok string) (*response, error) {
	frame, err := encodeFrame(&request{Method: methodHello, Version: ProtocolVersion, Token: tok})
	if err != nil {
		return nil, err
	}
	if _, err := nc.Write(frame); err != nil {
		return nil, err
	}
	b, err := readFrame(br, c.opts.MaxFrame)
	if err != nil {
		return nil, err
	}
	resp := new(response)
	if err := json.Unmarshal(b, resp); err != nil {
		return nil, fmt.Errorf("%w: %v", errFrame, err)
	}
	return resp, nil
}

// session returns the current session, dialling one when there is none
// or it has ended.
func (c *Conn) session(op string, kind hcn.Kind, id string) (*session, error) {
	s, closed := c.current()
	switch {
	case closed:
		return nil, closedError(op, kind, id)
	case s != nil:
		return s, nil
	}
	c.dialMu.Lock()
	defer c.dialMu.Unlock()
	if s, _ := c.current(); s != nil {
		return s, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.DialTimeout)
	defer cancel()
	s, err := c.dial(ctx, op, kind, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		s.fail(net.ErrClosed)
		return nil, closedError(op, kind, id)
	}
	c.sess = s
	c.mu.Unlock()
	return s, nil
}

// current returns the session unless it has ended, and whether the Conn
// is disconnected.
func (c *Conn) current() (*session, bool) {
	c.mu.Lock()
	s, closed := c.sess, c.closed
	c.mu.Unlock()
	if s != nil && s.broken() {
		return nil, closed
	}
	return s, closed
}

// call makes one call on the current session and returns its reply, or
// the service's error, or a transport failure as an *hcn.Error. A session
// found ended before anything was sent is replaced once.
func (c *Conn) call(op string, kind hcn.Kind, id string, req *request) (*response, error) {
	for attempt := 0; ; attempt++ {
		s, err := c.session(op, kind, id)
		if err != nil {
			return nil, err
		}
		resp, err := c.callOn(s, op, kind, id, req)
		if errors.Is(err, errUnsent) && attempt == 0 {
			continue
		}
		return resp, err
	}
}

func (c *Conn) callOn(s *session, op string, kind hcn.Kind, id string, req *request) (*response, error) {
	ch, err := s.send(req)
	if err != nil {
		if errors.Is(err, errFrame) {
			return nil, &hcn.Error{Op: op, Kind: kind, ID: id, HRESULT: hcn.E_INVALIDARG, Err: err}
		}
		return nil, c.lostError(op, kind, id, err)
	}
	r := <-ch
	if r.err != nil {
		return nil, c.lostError(op, kind, id, r.err)
	}
	if r.resp.Err != nil {
		return nil, r.resp.Err.decode()
	}
	return r.resp, nil
}

// lostError is the failure of a call whose session ended.
func (c *Conn) lostError(op string, kind hcn.Kind, id string, cause error) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	switch {
	case closed:
		return closedError(op, kind, id)
	case errors.Is(cause, errUnsent):
		return transportError(op, kind, id, hcn.RPC_S_SERVER_UNAVAILABLE, cause)
	}
	return transportError(op, kind, id, hcn.RPC_S_CALL_FAILED, cause)
}

// transportError is a failure of the connection, not of the service.
func transportError(op string, kind hcn.Kind, id string, hr hcn.HRESULT, cause error) error {
	return &hcn.Error{Op: op, Kind: kind, ID: id, HRESULT: hr, Err: fmt.Errorf("hcnsim: %w", cause)}
}

// closedError is the failure of a call on a Conn after Disconnect.
func closedError(op string, kind hcn.Kind, id string) error {
	return &hcn.Error{Op: op, Kind: kind, ID: id, HRESULT: hcn.E_HANDLE, Err: fmt.Errorf("hcnsim: the Conn is disconnected: %w", net.ErrClosed)}
}

// errUnsent marks a call that failed before it was sent.
var errUnsent = errors.New("the connection had ended")

// send writes req under a fresh id and returns the channel its result
// arrives on. errFrame reports a frame over the limit (nothing sent).
func (s *session) send(req *request) (chan result, error) {
	req.ID = s.nextID.Add(1)
	frame, err := encodeFrame(req)
	if err != nil {
		return nil, err
	}
	if payloadLen(frame) > s.max {
		return nil, fmt.Errorf("%w: a call of %d bytes exceeds the frame limit of %d", errFrame, payloadLen(frame), s.max)
	}
	ch := make(chan result, 1)
	s.mu.Lock()
	if s.err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("%w: %w", errUnsent, s.err)
	}
	s.pending[req.ID] = ch
	s.mu.Unlock()
	s.wmu.Lock()
	_, err = s.nc.Write(frame)
	s.wmu.Unlock()
	if err != nil {
		s.fail(err) // fails ch too
	}
	return ch, nil
}

// bye asks the server to release the session's handles and waits for the
// answer at most d.
func (s *session) bye(d time.Duration) {
	ch, err := s.send(&request{Method: methodBye})
	if err != nil {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
}

// readLoop routes the server's frames until the session fails.
func (s *session) readLoop(br *bufio.Reader) {
	for {
		b, err := readFrame(br, s.max)
		if err != nil {
			s.fail(err)
			return
		}
		resp := new(response)
		if err := json.Unmarshal(b, resp); err != nil {
			s.fail(fmt.Errorf("%w: %v", errFrame, err))
			return
		}
		if resp.Note != nil {
			s.c.deliver(s, resp.Note)
			continue
		}
		s.mu.Lock()
		ch := s.pending[resp.ID]
		delete(s.pending, resp.ID)
		s.mu.Unlock()
		if ch != nil {
			ch <- result{resp: resp}
		}
	}
}

// fail ends the session once: the connection is closed, the calls in
// flight fail with err and the Conn forgets the session.
func (s *session) fail(err error) {
	s.mu.Lock()
	if s.err != nil {
		s.mu.Unlock()
		return
	}
	s.err = err
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	s.nc.Close()
	for _, ch := range pending {
		ch <- result{err: err}
	}
	s.c.lost(s)
}

// broken reports whether the session has ended.
func (s *session) broken() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err != nil
}

// lost forgets a failed session and tells its confirmed registrations
// (one confirmed later is told by register).
func (c *Conn) lost(s *session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == s {
		c.sess = nil
	}
	if c.closed {
		return
	}
	for _, r := range c.regs {
		if r.sess == s && r.live {
			c.tellLocked(r)
		}
	}
}

// tellLocked delivers ServiceDisconnect to r once.
func (c *Conn) tellLocked(r *clientReg) {
	if !r.told {
		r.told = true
		r.r.enqueue(note{typ: hcn.NotificationServiceDisconnect})
	}
}

// deliver queues a notification for its registration.
func (c *Conn) deliver(s *session, n *wireNote) {
	c.mu.Lock()
	r := c.regs[n.CB]
	c.mu.Unlock()
	if r != nil && r.sess == s {
		r.r.enqueue(note{typ: n.Type, status: n.Status, data: n.Data})
	}
}

// startRegistration starts a delivery goroutine for fn: calls in order,
// never overlapping, off the reader's goroutine.
func startRegistration(fn hcn.NotificationFunc) *registration {
	r := &registration{fn: fn, done: make(chan struct{})}
	r.cond = sync.NewCond(&r.mu)
	go r.run()
	return r
}

// stop delivers what is queued and returns once no call of the callback
// is in flight and none will follow. It is idempotent.
func (r *registration) stop() {
	r.mu.Lock()
	r.closed = true
	r.cond.Signal()
	r.mu.Unlock()
	<-r.done
}
