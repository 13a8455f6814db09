//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package hcnsim

import (
	"errors"
	"os"
	"syscall"
)

// haveFileLocks: flock is the lock.
const haveFileLocks = true

// tryLockFile takes a flock on f without waiting.
func tryLockFile(f *os.File, excl bool) (bool, error) {
	how := syscall.LOCK_SH
	if excl {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch err {
		case nil:
			return true, nil
		case syscall.EWOULDBLOCK:
			return false, nil
		case syscall.EINTR:
			continue
		}
		return false, err
	}
}

// waitLockFile takes a flock on f, waiting as long as it takes.
func waitLockFile(f *os.File, excl bool) error {
	how := syscall.LOCK_SH
	if excl {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

func isChmodUnsupported() bool { return false }

// dirSyncSupported: a directory's entries are made durable by fsync on it.
const dirSyncSupported = true

// isSyncUnsupported reports a file system that cannot sync a directory.
func isSyncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
