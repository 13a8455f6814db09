//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package hcnsim

import (
	"os"
	"time"
)

// lockFile, on systems without flock, creates "<lock>.excl" exclusively,
// waiting while another holder has it; a lock older than a minute is
// considered left by a crashed process and broken.
func lockFile(f *os.File) error {
	name := f.Name() + ".excl"
	for {
		x, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			return x.Close()
		}
		if !os.IsExist(err) {
			return err
		}
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > time.Minute {
			os.Remove(name)
			continue
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func unlockFile(f *os.File) { os.Remove(f.Name() + ".excl") }

func isChmodUnsupported() bool { return false }
