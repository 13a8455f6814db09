package hcnsim

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// openFDs counts this process's descriptors open on path.
func openFDs(t *testing.T, path string) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	n := 0
	for _, e := range ents {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil && target == path {
			n++
		}
	}
	return n
}

// TestCloseFiles: a Sim with a state file keeps the lock file open between
// calls; CloseFiles closes it, the Sim stays usable (its next call opens
// it again), and a second CloseFiles is harmless. A wait a call gave up
// while another holder had the lock closes its own descriptor once the
// holder lets go.
func TestCloseFiles(t *testing.T) {
	if !haveFileLocks {
		t.Skip("no advisory file locks here")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	lockPath := path + ".lock"
	s, err := Open(&Options{StateFile: path, LockTimeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if n := openFDs(t, lockPath); n != 1 {
		t.Fatalf("after Open: %d descriptors on the lock file, want 1", n)
	}
	if err := s.CloseFiles(); err != nil {
		t.Fatal(err)
	}
	if n := openFDs(t, lockPath); n != 0 {
		t.Fatalf("after CloseFiles: %d descriptors on the lock file, want 0", n)
	}
	if err := s.CloseFiles(); err != nil {
		t.Fatalf("second CloseFiles: %v", err)
	}
	if _, err := s.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Fatalf("a call after CloseFiles: %v", err)
	}
	if n := openFDs(t, lockPath); n != 1 {
		t.Fatalf("after another call: %d descriptors on the lock file, want 1", n)
	}

	// Another holder has the lock: a call gives up, leaving a waiter.
	holder := newStore(path, time.Minute)
	unlock, err := holder.lock(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enumerate(hcn.KindNetwork, ""); err == nil {
		t.Fatal("a call under another holder's lock succeeded")
	}
	w := s.store.waiters[0]
	if w == nil {
		t.Fatal("no waiter after a busy call")
	}
	if err := s.CloseFiles(); err != nil {
		t.Fatal(err)
	}
	// The holder's descriptor and the waiter's remain.
	if n := openFDs(t, lockPath); n != 2 {
		t.Errorf("with a waiter: %d descriptors on the lock file, want 2 (holder, waiter)", n)
	}
	unlock()
	holder.closeFiles()
	select {
	case <-w.ended:
	case <-time.After(time.Minute):
		t.Fatal("the waiter did not end after the holder let go")
	}
	if n := openFDs(t, lockPath); n != 0 {
		t.Errorf("after the waiter ended: %d descriptors on the lock file, want 0", n)
	}
	if _, err := s.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Fatalf("a call after the holder let go: %v", err)
	}
	s.CloseFiles()
	if n := openFDs(t, lockPath); n != 0 {
		t.Errorf("at the end: %d descriptors on the lock file, want 0", n)
	}
}
