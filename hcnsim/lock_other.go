//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package hcnsim

import (
	"errors"
	"os"
	"syscall"
)

// haveFileLocks: without flock the O_EXCL lock file (lock_excl.go) is the
// lock.
const haveFileLocks = false

func tryLockFile(*os.File, bool) (bool, error) { return false, errors.ErrUnsupported }

func waitLockFile(*os.File, bool) error { return errors.ErrUnsupported }

func unlockFile(*os.File) {}

func isChmodUnsupported() bool { return false }

// dirSyncSupported: tried; a file system without it says so.
const dirSyncSupported = true

// isSyncUnsupported reports a file system that cannot sync a directory.
func isSyncUnsupported(err error) bool { return errors.Is(err, syscall.EINVAL) }
