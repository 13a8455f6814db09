//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package hcnsim

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive flock on f, waiting for other holders.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

func isChmodUnsupported() bool { return false }

// lockReads: readers need no lock where a rename can replace an open file.
const lockReads = false
