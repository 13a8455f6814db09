package hcnsim

import (
	"context"
	"os"
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

// lockFile polls the file lock until it is taken, the timer fires or ctx
// is done.
func (d *store) lockFile(ctx context.Context, excl bool, timer *time.Timer) (func(), error) {
	var lk fileLock = &exclLock{name: d.path + ".lock.excl"}
	if !forceExclLock && haveFileLocks {
		if d.lockf == nil {
			f, err := os.OpenFile(d.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
			if err != nil {
				return nil, fail(hcn.E_FAIL, "state file lock: %v", err)
			}
			d.lockf = f
		}
		lk = &advisoryLock{f: d.lockf}
	}
	pause := 50 * time.Microsecond
	wait := time.NewTimer(time.Hour)
	wait.Stop()
	defer wait.Stop()
	for {
		ok, err := lk.try(excl)
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
			return nil, d.busy(lk)
		case <-ctx.Done():
			return nil, fail(hcn.ERROR_NOT_READY, "state file lock: %v", ctx.Err())
		}
		pause = min(2*pause, lockPollMax)
	}
}

// busy is the failure of a lock wait that timed out.
func (d *store) busy(lk fileLock) error {
	if x, ok := lk.(*exclLock); ok {
		return fail(hcn.ERROR_NOT_READY, "state file %s is locked: %s exists (held for more than %v; remove it only if no process uses the state file)", d.path, x.name, d.timeout)
	}
	return fail(hcn.ERROR_NOT_READY, "state file %s is locked by another process (held for more than %v)", d.path, d.timeout)
}

// fileLock is one attempt-based lock between processes.
type fileLock interface {
	// try takes the lock without waiting; false when another holder has it.
	try(excl bool) (bool, error)
	unlock()
}

// advisoryLock is flock (Unix) or LockFileEx (Windows) on "<file>.lock",
// which the store keeps open; the OS drops the lock when its holder dies.
type advisoryLock struct{ f *os.File }

func (l *advisoryLock) try(excl bool) (bool, error) { return tryLockFile(l.f, excl) }
func (l *advisoryLock) unlock()                     { unlockFile(l.f) }
