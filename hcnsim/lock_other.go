//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package hcnsim

import "os"

// lockFile, on systems without flock, uses an O_EXCL lock file next to f.
func lockFile(f *os.File) error { return exclLock(f.Name() + ".excl") }

func unlockFile(f *os.File) { exclUnlock(f.Name() + ".excl") }

func isChmodUnsupported() bool { return false }

// lockReads: readers need no lock where a rename can replace an open file.
const lockReads = false
