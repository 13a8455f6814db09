package hcnsim

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hcnkit/hcn"
)

// One served connection. Its life: the hello (hello), then the read loop
// (readLoop) hands each call to its own goroutine (handle), whose reply
// goes to the outgoing queue; notifications join the same queue (notify),
// and one writer goroutine (writeLoop) drains it. When the connection
// ends (teardown) its handles are run down (rundown); a call still running
// then releases the handle it obtains at once (adopt).

// srvConn is the server side of one connection.
type srvConn struct {
	s  *server
	nc net.Conn

	mu      sync.Mutex
	handles map[hcn.Handle]srvHandle // the handles this connection may use
	cbs     map[*srvCallback]struct{}
	dead    bool // run down: handles obtained from now on are released at once

	outMu   sync.Mutex
	outCond *sync.Cond
	out     []outFrame
	notes   int  // notifications in out
	closing bool // no more frames: the writer flushes what is queued and stops

	sem        chan struct{} // one token per call running or with its reply unwritten
	calls      sync.WaitGroup
	writerDone chan struct{}
}

// srvHandle is one handle of the connection.
type srvHandle struct {
	kind HandleKind
	cb   *srvCallback // for callback registrations
}

// srvCallback is one callback registration of the connection: the
// client's number for it and, once registered, the Sim's handle.
type srvCallback struct {
	id      uint64
	h       hcn.Handle  // guarded by srvConn.mu
	dropped atomic.Bool // set under srvConn.mu; then no notification is sent
}

// outFrame is one queued frame; a reply holds a token of sem until written.
type outFrame struct {
	b     []byte
	reply bool
}

// errBye ends the read loop of a connection that said bye.
var errBye = errors.New("bye")

// serveConn serves one connection until it ends and its handles are run
// down.
func (s *server) serveConn(nc net.Conn) {
	c := &srvConn{s: s, nc: nc, handles: map[hcn.Handle]srvHandle{}, cbs: map[*srvCallback]struct{}{},
		sem: make(chan struct{}, s.opts.MaxInFlight), writerDone: make(chan struct{})}
	c.outCond = sync.NewCond(&c.outMu)
	br := bufio.NewReaderSize(nc, 64<<10)
	if err := c.hello(br); err != nil {
		s.opts.Logger.Debug("hcnsim: refused a connection", "remote", nc.RemoteAddr(), "err", err)
		nc.Close()
		return
	}
	go c.writeLoop()
	err := c.readLoop(br)
	if err != errBye {
		s.opts.Logger.Debug("hcnsim: connection ended", "remote", nc.RemoteAddr(), "err", err)
	}
	c.teardown(err == errBye)
}

// hello reads and answers the first frame: protocol version and token.
func (c *srvConn) hello(br *bufio.Reader) error {
	o := c.s.opts
	c.nc.SetDeadline(time.Now().Add(o.HelloTimeout))
	defer c.nc.SetDeadline(time.Time{})
	b, err := readFrame(br, maxHelloFrame)
	if err != nil {
		return err
	}
	var req request
	if err := json.Unmarshal(b, &req); err != nil || req.Method != methodHello || req.ID != 0 {
		return fmt.Errorf("%w: the first frame is not a hello", errFrame)
	}
	var refusal error
	switch {
	case req.Version != ProtocolVersion:
		refusal = hcn.NewError(methodHello, 0, "", hcn.E_NOTIMPL,
			recordText(hcn.E_NOTIMPL, fmt.Sprintf("protocol version %d; the server speaks %d", req.Version, ProtocolVersion)))
	case !c.s.tokenOK(req.Token):
		refusal = hcn.NewError(methodHello, 0, "", hcn.E_ACCESSDENIED, recordText(hcn.E_ACCESSDENIED, "missing or wrong token"))
	}
	resp := &response{Version: ProtocolVersion}
	if refusal != nil {
		resp = &response{Err: encodeError(refusal)}
	}
	frame, err := encodeFrame(resp)
	if err == nil {
		_, err = c.nc.Write(frame)
	}
	if refusal != nil {
		return refusal
	}
	return err
}

// readLoop reads calls until the connection fails, breaks the protocol
// or says bye (errBye).
func (c *srvConn) readLoop(br *bufio.Reader) error {
	for {
		b, err := readFrame(br, c.s.opts.MaxFrame)
		if err != nil {
			return err
		}
		req := new(request)
		if err := json.Unmarshal(b, req); err != nil {
			return fmt.Errorf("%w: %v", errFrame, err)
		}
		if req.ID == 0 {
			return fmt.Errorf("%w: a call without an id", errFrame)
		}
		c.sem <- struct{}{}
		if req.Method == methodBye {
			c.rundown()
			c.pushReply(&response{ID: req.ID})
			return errBye
		}
		c.calls.Add(1)
		go c.handle(req)
	}
}

// handle runs one call and queues its reply. A call that panics is
// answered E_UNEXPECTED.
func (c *srvConn) handle(req *request) {
	defer c.calls.Done()
	resp := func() (resp *response) {
		defer func() {
			if p := recover(); p != nil {
				c.s.panics.Add(1)
				c.s.opts.Logger.Error("hcnsim: a call panicked", "method", req.Method, "panic", p, "stack", string(debug.Stack()))
				resp = errorReply(hcn.NewError(opOf(req.Method), req.Kind, "", hcn.E_UNEXPECTED,
					recordText(hcn.E_UNEXPECTED, fmt.Sprint(p))))
			}
		}()
		return c.dispatch(req)
	}()
	resp.ID = req.ID
	c.pushReply(resp)
}

// pushReply queues a reply; one that would exceed the frame limit is
// replaced by an E_FAIL error.
func (c *srvConn) pushReply(resp *response) {
	frame, err := encodeFrame(resp)
	if err != nil || payloadLen(frame) > c.s.opts.MaxFrame {
		detail := fmt.Sprintf("the reply exceeds the frame limit of %d bytes", c.s.opts.MaxFrame)
		if err != nil {
			detail = err.Error()
		}
		frame, _ = encodeFrame(&response{ID: resp.ID, Err: encodeError(hcn.NewError("hcnsim", 0, "", hcn.E_FAIL, recordText(hcn.E_FAIL, detail)))})
	}
	c.outMu.Lock()
	defer c.outMu.Unlock()
	if c.closing {
		<-c.sem
		return
	}
	c.out = append(c.out, outFrame{b: frame, reply: true})
	c.outCond.Signal()
}

// pushNote queues a notification frame unless force is false and the
// queue holds NotifyQueue of them already; it reports whether it did (a
// closed connection drops it silently).
func (c *srvConn) pushNote(frame []byte, force bool) bool {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	if c.closing {
		return true
	}
	if !force && c.notes >= c.s.opts.NotifyQueue {
		return false
	}
	c.out = append(c.out, outFrame{b: frame})
	c.notes++
	c.outCond.Signal()
	return true
}

// writeLoop writes queued frames in batches until the queue is closed and
// drained or a write fails; then it closes the connection.
func (c *srvConn) writeLoop() {
	defer close(c.writerDone)
	defer c.nc.Close()
	bw := bufio.NewWriterSize(c.nc, 64<<10)
	var batch []outFrame
	for {
		c.outMu.Lock()
		for len(c.out) == 0 && !c.closing {
			c.outCond.Wait()
		}
		if len(c.out) == 0 {
			c.outMu.Unlock()
			return
		}
		batch, c.out = c.out, batch[:0]
		c.notes = 0
		c.outMu.Unlock()
		var err error
		replies := 0
		for i, f := range batch {
			if err == nil {
				_, err = bw.Write(f.b)
			}
			if f.reply {
				replies++
			}
			batch[i] = outFrame{}
		}
		if err == nil {
			err = bw.Flush()
		}
		for range replies {
			<-c.sem
		}
		if err != nil {
			c.closeOut(false)
			return
		}
	}
}

// closeOut stops the outgoing queue: graceful lets the writer flush what
// is queued; otherwise it is dropped.
func (c *srvConn) closeOut(graceful bool) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	c.closing = true
	if !graceful {
		for _, f := range c.out {
			if f.reply {
				<-c.sem
			}
		}
		c.out = nil
	}
	c.outCond.Broadcast()
}

// teardown ends the connection: its handles are run down, the last
// replies flushed when it said bye, and the calls still running awaited.
func (c *srvConn) teardown(graceful bool) {
	c.rundown()
	if graceful {
		c.nc.SetWriteDeadline(time.Now().Add(c.s.opts.HelloTimeout))
	} else {
		c.nc.Close()
	}
	c.closeOut(graceful)
	<-c.writerDone
	c.calls.Wait()
}

// rundown releases every handle of the connection, as the RPC runtime runs
// down the context handles of a client that went away.
func (c *srvConn) rundown() {
	c.mu.Lock()
	if c.dead {
		c.mu.Unlock()
		return
	}
	c.dead = true
	hs := c.handles
	c.handles = map[hcn.Handle]srvHandle{}
	for cb := range c.cbs {
		cb.dropped.Store(true)
	}
	c.cbs = map[*srvCallback]struct{}{}
	c.mu.Unlock()
	for h, e := range hs {
		c.s.sim.rundown(h, e.kind)
	}
}

// adopt records a handle the Sim gave this connection; on a connection
// run down already, or for a registration dropped meanwhile, it releases
// the handle at once.
func (c *srvConn) adopt(h hcn.Handle, k HandleKind, cb *srvCallback) {
	c.mu.Lock()
	if c.dead || cb != nil && cb.dropped.Load() {
		if cb != nil {
			delete(c.cbs, cb)
		}
		c.mu.Unlock()
		c.s.sim.rundown(h, k)
		return
	}
	c.handles[h] = srvHandle{kind: k, cb: cb}
	if cb != nil {
		cb.h = h
	}
	c.mu.Unlock()
}

// owned returns h when it is this connection's handle of kind k, else 0,
// which the Sim refuses with E_HANDLE as for any invalid handle.
func (c *srvConn) owned(h hcn.Handle, k HandleKind) hcn.Handle {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.handles[h]; ok && e.kind == k {
		return h
	}
	return 0
}

// object is owned for an object handle of kind.
func (c *srvConn) object(kind hcn.Kind, h hcn.Handle) hcn.Handle {
	if !kind.Valid() {
		return 0
	}
	return c.owned(h, HandleKind(kind))
}

// forget removes a handle the Sim released.
func (c *srvConn) forget(h hcn.Handle) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.handles[h]; ok {
		delete(c.handles, h)
		if e.cb != nil {
			delete(c.cbs, e.cb)
		}
	}
}

// notifyFunc is the Sim callback of registration cb: it queues the
// notification for the client, and on overflow drops the connection's
// registrations.
func (c *srvConn) notifyFunc(cb *srvCallback) hcn.NotificationFunc {
	return func(t hcn.NotificationType, status hcn.HRESULT, data string) {
		if cb.dropped.Load() {
			return
		}
		frame, err := encodeFrame(&response{Note: &wireNote{CB: cb.id, Type: t, Status: status, Data: data}})
		if err != nil {
			return
		}
		if !c.pushNote(frame, false) {
			c.overflow()
		}
	}
}

// overflow handles a full notification queue: the connection's callback
// registrations are dropped (released in the Sim, removed from the
// table) and each gets a ServiceDisconnect after what is queued, so the
// client re-registers. It runs on a Sim delivery goroutine, so the
// registrations are detached without waiting for their goroutines.
func (c *srvConn) overflow() {
	c.mu.Lock()
	var drop []*srvCallback
	var hs []hcn.Handle
	for cb := range c.cbs {
		if cb.dropped.Swap(true) {
			continue
		}
		drop = append(drop, cb)
		if cb.h != 0 {
			hs = append(hs, cb.h)
			delete(c.handles, cb.h)
		}
		delete(c.cbs, cb)
	}
	c.mu.Unlock()
	for _, h := range hs { // one still registering is released by adopt

		c.s.sim.detachRegistration(h)
	}
	for _, cb := range drop {
		frame, err := encodeFrame(&response{Note: &wireNote{CB: cb.id, Type: hcn.NotificationServiceDisconnect}})
		if err == nil {
			c.pushNote(frame, true)
		}
	}
}

// rundown releases handle h of kind k without a call: nothing is counted
// and no injected fault applies, as when the RPC runtime runs down a lost
// client's context handle. A callback registration is removed after its
// callback's call in flight returns.
func (s *Sim) rundown(h hcn.Handle, k HandleKind) {
	e, ok := s.handles.close(h, k)
	if !ok {
		return
	}
	switch {
	case e.reg != nil:
		s.notify.unregister(e.reg)
	case e.res != nil:
		s.ports.release(e.res)
	}
}

// detachRegistration releases the callback registration h without
// waiting for its delivery goroutine, so that goroutine itself may call
// it: nothing more is queued for it, and what is queued is delivered.
func (s *Sim) detachRegistration(h hcn.Handle) {
	e, ok := s.handles.close(h, HandleServiceCallback)
	if !ok {
		if e, ok = s.handles.close(h, HandleGuestNetworkServiceCallback); !ok {
			return
		}
	}
	n := s.notify
	n.mu.Lock()
	delete(n.regs, e.reg)
	n.mu.Unlock()
	e.reg.mu.Lock()
	e.reg.closed = true
	e.reg.cond.Signal()
	e.reg.mu.Unlock()
}
