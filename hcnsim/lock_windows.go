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

const lockfileExclusiveLock = 2

// lockFile takes an exclusive LockFileEx lock on the first byte of f,
// waiting for other holders.
func lockFile(f *os.File) error {
	var ol syscall.Overlapped
	r, _, err := procLockFileEx.Call(f.Fd(), lockfileExclusiveLock, 0, 1, 0, uintptr(unsafe.Pointer(&ol)))
	if r == 0 {
		return err
	}
	return nil
}

func unlockFile(f *os.File) {
	var ol syscall.Overlapped
	procUnlockFileEx.Call(f.Fd(), 0, 1, 0, uintptr(unsafe.Pointer(&ol)))
}

// isChmodUnsupported: Windows keeps only the read-only bit; 0600 is
// approximated by the default ACL of the directory.
func isChmodUnsupported() bool { return true }

// lockReads: on Windows an open file cannot be renamed over, so readers
// take the lock too.
const lockReads = true
