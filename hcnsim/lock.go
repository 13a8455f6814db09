package hcnsim

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/hcnkit/hcn"
)

// DefaultLockTimeout is how long a call waits for the state file's lock
// unless Options.LockTimeout says otherwise.
const DefaultLockTimeout = 30 * time.Second

// lockPollMax bounds the pause between two attempts at a busy lock.
const lockPollMax = 2 * time.Millisecond

// forceExclLock makes the store use the O_EXCL lock file even where the OS
// has advisory locks (tests of the fallback).
var forceExclLock = false

// lock takes the state file's lock, exclusive for a write and shared for
// a read, waiting at most the store's timeout (or until ctx is done). A
// lock still busy then fails the call with ERROR_NOT_READY, which is
// hcn.ErrTransient. The Sim's own calls queue on sem first, so that only
// calls of different Sims poll the file lock.
func (d *store) lock(ctx context.Context, excl bool) (func(), error) {
	timer := time.NewTimer(d.timeout)
	defer timer.Stop()
	select {
	case d.sem <- struct{}{}:
	case <-timer.C:
		return nil, fail(hcn.ERROR_NOT_READY, "state file %s: the Sim's other calls held it for more than %v", d.path, d.timeout)
	case <-ctx.Done():
		return nil, fail(hcn.ERROR_NOT_READY, "state file lock: %v", ctx.Err())
	}
	unlock, err := d.lockFile(ctx, excl, timer)
	if err != nil {
		<-d.sem
		return nil, err
	}
	return func() {
		d.closeJournal()
		unlock()
		<-d.sem
	}, nil
}

// lockWaiting is called when a call starts waiting through a lockWaiter
// (tests).
var lockWaiting = func() {}

// lockFile takes the file lock. The O_EXCL fallback is polled; an
// advisory lock is tried at once and, when busy, waited for in the kernel
// (waitLock), so that many processes queued on one state file cost no CPU
// and take the lock as soon as it is free.
func (d *store) lockFile(ctx context.Context, excl bool, timer *time.Timer) (func(), error) {
	if forceExclLock || !haveFileLocks {
		return d.pollLock(ctx, &exclLock{name: d.path + ".lock.excl"}, timer)
	}
	if d.lockf == nil {
		f, err := d.openLockFile()
		if err != nil {
			return nil, err
		}
		d.lockf = f
	}
	return d.waitLock(ctx, excl, timer)
}

func (d *store) openLockFile() (*os.File, error) {
	f, err := os.OpenFile(d.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fail(hcn.E_FAIL, "state file lock: %v", err)
	}
	return f, nil
}

// pollLock tries lk until it is taken, the timer fires or ctx is done.
func (d *store) pollLock(ctx context.Context, lk *exclLock, timer *time.Timer) (func(), error) {
	pause := 50 * time.Microsecond
	wait := time.NewTimer(time.Hour)
	wait.Stop()
	defer wait.Stop()
	for {
		ok, err := lk.try(true)
		if err != nil {
			return nil, fail(hcn.E_FAIL, "state file lock: %v", err)
		}
		if ok {
			return lk.unlock, nil
		}
		wait.Reset(pause)
		select {
		case <-wait.C:
		case <-timer.C:
			return nil, d.busy(true)
		case <-ctx.Done():
			return nil, fail(hcn.ERROR_NOT_READY, "state file lock: %v", ctx.Err())
		}
		pause = min(2*pause, lockPollMax)
	}
}

// waitLock takes the advisory lock on d.lockf when it is free, and else
// waits for it through a lockWaiter until the timer fires or ctx is done.
func (d *store) waitLock(ctx context.Context, excl bool, timer *time.Timer) (func(), error) {
	expired := false
	for {
		ok, err := tryLockFile(d.lockf, excl)
		if err != nil {
			return nil, fail(hcn.E_FAIL, "state file lock: %v", err)
		}
		if ok {
			f := d.lockf
			return func() { unlockFile(f) }, nil
		}
		if expired {
			return nil, d.busy(false)
		}
		w := d.waiters[b2i(excl)]
		if w == nil {
			f, err := d.openLockFile()
			if err != nil {
				return nil, err
			}
			w = startLockWaiter(f, excl)
			d.waiters[b2i(excl)] = w
		}
		w.want(true)
		lockWaiting()
		select {
		case <-w.ended:
		case <-timer.C:
			expired = true
		case <-ctx.Done():
		}
		held, over, err := w.take()
		if over {
			d.waiters[b2i(excl)] = nil
		}
		switch {
		case held:
			return func() { unlockFile(w.f); w.f.Close() }, nil
		case err != nil:
			return nil, fail(hcn.E_FAIL, "state file lock: %v", err)
		case over:
			// The waiter took the lock before this call wanted it and
			// let it go: try again.
			continue
		case ctx.Err() != nil:
			return nil, fail(hcn.ERROR_NOT_READY, "state file lock: %v", ctx.Err())
		}
		return nil, d.busy(false)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lockWaiter is one blocking wait for the advisory lock, on a descriptor
// of its own (flock and LockFileEx locks belong to an open file, so it
// competes with the store's own descriptor like another process would).
// A blocked wait cannot be interrupted, so it outlives a call that gives
// up on it: the store's next call in the same mode adopts it, and when it
// gets the lock while no call wants it, it releases the lock at once. A
// store therefore has at most one waiter per mode, and an abandoned wait
// never keeps the lock from other processes.
type lockWaiter struct {
	f     *os.File
	ended chan struct{} // closed when the wait is over

	mu       sync.Mutex
	wanted   bool  // a call is waiting for the lock
	err      error // the wait failed
	released bool  // the lock was taken while unwanted and let go
}

func startLockWaiter(f *os.File, excl bool) *lockWaiter {
	w := &lockWaiter{f: f, ended: make(chan struct{})}
	go func() {
		err := waitLockFile(f, excl)
		w.mu.Lock()
		defer w.mu.Unlock()
		w.err = err
		if err == nil && !w.wanted {
			unlockFile(f)
			w.released = true
		}
		if err != nil || w.released {
			f.Close()
		}
		close(w.ended)
	}()
	return w
}

func (w *lockWaiter) want(b bool) {
	w.mu.Lock()
	w.wanted = b
	w.mu.Unlock()
}

// take ends a call's wait: held when the lock is now the call's; over
// when the waiter is done (held, failed with err, or released).
func (w *lockWaiter) take() (held, over bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case <-w.ended:
	default:
		w.wanted = false
		return false, false, nil
	}
	if w.err != nil || w.released {
		return false, true, w.err
	}
	return true, true, nil
}

// busy is the failure of a lock wait that timed out.
func (d *store) busy(fallback bool) error {
	if fallback {
		return fail(hcn.ERROR_NOT_READY, "state file %s is locked: %s exists (held for more than %v; remove it only if no process uses the state file)", d.path, d.path+".lock.excl", d.timeout)
	}
	return fail(hcn.ERROR_NOT_READY, "state file %s is locked by another process (held for more than %v)", d.path, d.timeout)
}

// closeFiles closes the descriptors the store keeps between calls: the
// lock file's and the journal's. It waits for the Sim's call in progress
// (sem), so no call holds the lock meanwhile. A waiter is left to itself:
// no call wants it now, so once its blocked wait ends it lets the lock go
// and closes its own descriptor (a blocked flock or LockFileEx cannot be
// interrupted, and closing its descriptor under it could hand the number
// to another file).
func (d *store) closeFiles() error {
	d.sem <- struct{}{}
	defer func() { <-d.sem }()
	d.closeJournal()
	d.waiters = [2]*lockWaiter{}
	if d.lockf == nil {
		return nil
	}
	err := d.lockf.Close()
	d.lockf = nil
	if err != nil {
		return fail(hcn.E_FAIL, "state file lock: %v", err)
	}
	return nil
}
