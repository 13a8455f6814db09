package hcnsim

import (
	"fmt"
	"os"
)

// exclLock is the portable lock used where the OS has no advisory file
// locks: holding it is having created name (O_EXCL), and unlock removes
// it. Readers take it exclusively too. A waiter never removes a lock it
// did not take: deciding that a holder is gone and removing its file are
// two steps another waiter can interleave with, letting two writers in. A
// lock file left by a process that died holding it therefore stays until
// removed by hand; calls meanwhile fail after the lock timeout.
type exclLock struct {
	name string
	held bool
}

func (l *exclLock) try(bool) (bool, error) {
	f, err := os.OpenFile(l.name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if os.IsExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	l.held = true
	return true, nil
}

func (l *exclLock) unlock() {
	if l.held {
		os.Remove(l.name)
		l.held = false
	}
}
