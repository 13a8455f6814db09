package hcnsim

import (
	"os"
	"time"
)

// staleLockAge is how old an O_EXCL lock file must be before it is taken
// for one left by a crashed process and broken.
var staleLockAge = time.Minute

// exclLock is the portable lock used where the OS has no advisory file
// locks: it creates name exclusively, waiting while another holder has it
// and breaking a lock older than staleLockAge.
func exclLock(name string) error {
	for {
		x, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			return x.Close()
		}
		if !os.IsExist(err) {
			return err
		}
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > staleLockAge {
			os.Remove(name)
			continue
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// exclUnlock releases a lock taken by exclLock.
func exclUnlock(name string) { os.Remove(name) }
