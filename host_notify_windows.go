//go:build windows

package hcn

import (
	"fmt"
	"sync"
	"syscall"

	cn "github.com/hcnkit/hcn/internal/computenetwork"
	"golang.org/x/sys/windows"
)

// hostTrampoline is the process's one HCN_NOTIFICATION_CALLBACK: callbacks
// made by syscall.NewCallback are never freed and limited in number, so
// every registration shares it and is told apart by its context, an id in
// hostSubs (never a Go pointer).
var hostTrampoline = sync.OnceValue(func() uintptr { return syscall.NewCallback(hostNotify) })

// hostSubs holds the live registrations by context id.
var hostSubs = struct {
	mu   sync.Mutex
	last uintptr
	m    map[uintptr]*hostSub
}{m: map[uintptr]*hostSub{}}

// hostNote is one notification, copied out of the callback's arguments.
type hostNote struct {
	typ    NotificationType
	status HRESULT
	data   string
}

// hostSub is one registration: the trampoline queues notifications and
// returns at once; a goroutine delivers them to fn one at a time, off the
// OS callback thread.
type hostSub struct {
	fn       NotificationFunc
	inflight sync.WaitGroup // trampoline calls in progress
	mu       sync.Mutex
	cond     *sync.Cond
	queue    []hostNote
	stopped  bool
	done     chan struct{} // closed when the delivery goroutine ends
}

// hostNotify is the trampoline's body. It copies the data out (the string
// is valid only during the call) and queues it.
func hostNotify(typ, context, status uintptr, data *uint16) uintptr {
	hostSubs.mu.Lock()
	sub := hostSubs.m[context]
	if sub != nil {
		sub.inflight.Add(1) // under the lock, so unsubscribe's Wait sees it
	}
	hostSubs.mu.Unlock()
	if sub == nil {
		return 0
	}
	defer sub.inflight.Done()
	n := hostNote{typ: NotificationType(uint32(typ)), status: HRESULT(uint32(status))}
	if data != nil {
		n.data = windows.UTF16PtrToString(data)
	}
	sub.mu.Lock()
	if !sub.stopped {
		sub.queue = append(sub.queue, n)
		sub.cond.Signal()
	}
	sub.mu.Unlock()
	return 0
}

// hostSubscribe starts a registration and returns its context id.
func hostSubscribe(fn NotificationFunc) uintptr {
	sub := &hostSub{fn: fn, done: make(chan struct{})}
	sub.cond = sync.NewCond(&sub.mu)
	go sub.deliver()
	hostSubs.mu.Lock()
	defer hostSubs.mu.Unlock()
	hostSubs.last++
	hostSubs.m[hostSubs.last] = sub
	return hostSubs.last
}

func (sub *hostSub) deliver() {
	defer close(sub.done)
	for {
		sub.mu.Lock()
		for len(sub.queue) == 0 && !sub.stopped {
			sub.cond.Wait()
		}
		if sub.stopped {
			sub.mu.Unlock()
			return
		}
		n := sub.queue[0]
		sub.queue = sub.queue[1:]
		sub.mu.Unlock()
		sub.fn(n.typ, n.status, n.data)
	}
}

// hostUnsubscribe ends a registration: no trampoline call for it is in
// flight and no delivery runs when it returns; undelivered notifications
// are dropped. It must not be called from the registration's own fn.
func hostUnsubscribe(context uintptr) {
	hostSubs.mu.Lock()
	sub := hostSubs.m[context]
	delete(hostSubs.m, context)
	hostSubs.mu.Unlock()
	if sub == nil {
		return
	}
	sub.inflight.Wait()
	sub.mu.Lock()
	sub.stopped = true
	sub.queue = nil
	sub.cond.Broadcast()
	sub.mu.Unlock()
	<-sub.done
}

// RegisterServiceCallback is HcnRegisterServiceCallback. fn is called off
// the OS callback thread, one call at a time.
func (s *hostService) RegisterServiceCallback(fn NotificationFunc) (Handle, error) {
	const op = OpRegisterServiceCallback
	if fn == nil {
		return 0, &Error{Op: op, Err: fmt.Errorf("%w: callback is nil", ErrInvalid)}
	}
	ctx := hostSubscribe(fn)
	var raw cn.Handle
	r := cn.HcnRegisterServiceCallback(hostTrampoline(), ctx, &raw)
	h, err := s.hostAdopt(op, 0, hostKindServiceCallback, "", raw, ctx, s.hostResult(op, 0, "", r, ""))
	if err != nil {
		hostUnsubscribe(ctx)
	}
	return h, err
}

// UnregisterServiceCallback is HcnUnregisterServiceCallback. When it
// returns, no call of the callback is in flight and none will follow. It
// must not be called from the callback itself.
func (s *hostService) UnregisterServiceCallback(h Handle) error {
	return s.hostUnregister(OpUnregisterServiceCallback, 0, hostKindServiceCallback, h, cn.HcnUnregisterServiceCallback)
}

// RegisterGuestNetworkServiceCallback is
// HcnRegisterGuestNetworkServiceCallback on an open guest network service.
func (s *hostService) RegisterGuestNetworkServiceCallback(gns Handle, fn NotificationFunc) (Handle, error) {
	const op = OpRegisterGuestNetworkServiceCallback
	const kind = KindGuestNetworkService
	if fn == nil {
		return 0, &Error{Op: op, Kind: kind, Err: fmt.Errorf("%w: callback is nil", ErrInvalid)}
	}
	e, ok := s.handles.use(hostKind(kind), gns)
	if !ok {
		return 0, hostBadHandle(op, kind)
	}
	defer e.done()
	ctx := hostSubscribe(fn)
	var raw cn.Handle
	r := cn.HcnRegisterGuestNetworkServiceCallback(e.raw, hostTrampoline(), ctx, &raw)
	h, err := s.hostAdopt(op, kind, hostKindGNSCallback, "", raw, ctx, s.hostResult(op, kind, "", r, ""))
	if err != nil {
		hostUnsubscribe(ctx)
	}
	return h, err
}

// UnregisterGuestNetworkServiceCallback is
// HcnUnregisterGuestNetworkServiceCallback, with the guarantees of
// UnregisterServiceCallback.
func (s *hostService) UnregisterGuestNetworkServiceCallback(h Handle) error {
	return s.hostUnregister(OpUnregisterGuestNetworkServiceCallback, KindGuestNetworkService,
		hostKindGNSCallback, h, cn.HcnUnregisterGuestNetworkServiceCallback)
}

// hostUnregister releases a callback handle exactly once, then ends the
// registration whatever the DLL answered.
func (s *hostService) hostUnregister(op string, kind Kind, hk hostKind, h Handle, fn func(cn.Handle) error) error {
	e, ok := s.handles.remove(hk, h)
	if !ok {
		return hostBadHandle(op, kind)
	}
	r := fn(e.raw)
	hostUnsubscribe(e.aux)
	return s.hostResult(op, kind, "", r, "")
}
