//go:build windows

package hcnsim

import (
	"os"
	"syscall"
	"unsafe"
)

var (
	kernel32         = syscall.NewLazyDLL("kernel32.dll")
	procLockFileEx   = kernel32.NewProc("LockFileEx")
	procUnlockFileEx = kernel32.NewProc("UnlockFileEx")
)

const (
	lockfileFailImmediately = 1
	lockfileExclusiveLock   = 2
	errorLockViolation      = syscall.Errno(33)
)

// haveFileLocks: LockFileEx is the lock.
const haveFileLocks = true

// tryLockFile takes a LockFileEx lock on the first byte of f without
// waiting.
func tryLockFile(f *os.File, excl bool) (bool, error) {
	flags := uintptr(lockfileFailImmediately)
	if excl {
		flags |= lockfileExclusiveLock
	}
	var ol syscall.Overlapped
	r, _, err := procLockFileEx.Call(f.Fd(), flags, 0, 1, 0, uintptr(unsafe.Pointer(&ol)))
	if r != 0 {
		return true, nil
	}
	if err == errorLockViolation {
		return false, nil
	}
	return false, err
}

// waitLockFile takes a LockFileEx lock on the first byte of f, waiting as
// long as it takes (f is not opened for overlapped I/O, so the call
// returns once the lock is granted).
func waitLockFile(f *os.File, excl bool) error {
	flags := uintptr(0)
	if excl {
		flags |= lockfileExclusiveLock
	}
	var ol syscall.Overlapped
	r, _, err := procLockFileEx.Call(f.Fd(), flags, 0, 1, 0, uintptr(unsafe.Pointer(&ol)))
	if r != 0 {
		return nil
	}
	return err
}

func unlockFile(f *os.File) {
	var ol syscall.Overlapped
	procUnlockFileEx.Call(f.Fd(), 0, 1, 0, uintptr(unsafe.Pointer(&ol)))
}

// isChmodUnsupported: Windows keeps only the read-only bit; 0600 is
// approximated by the default ACL of the directory.
func isChmodUnsupported() bool { return true }

// dirSyncSupported: Windows has no fsync of a directory; a rename is made
// durable by the file system's own log.
const dirSyncSupported = false

// isSyncUnsupported: a directory is never synced (dirSyncSupported).
func isSyncUnsupported(error) bool { return true }
