package winetest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"golang.org/x/sys/windows"
)

// TestSimCloseFiles: on Windows a file that is open cannot be deleted, so
// the lock file a Sim with a state file keeps open between calls blocks
// removing the state's directory until Sim.CloseFiles closes it. The Sim
// stays usable after it.
func TestSimCloseFiles(t *testing.T) {
	dir, err := os.MkdirTemp("", "hcnsim-closefiles-")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "state.json")
	lock := path + ".lock"
	// Not os.RemoveAll: under Wine 8 it fails on every file with Go 1.26.
	defer func() {
		for _, f := range []string{lock, path + ".journal", path, dir} {
			os.Remove(f)
		}
	}()
	s, err := hcnsim.Open(&hcnsim.Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(lock); !errors.Is(err, windows.ERROR_SHARING_VIOLATION) && !errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		t.Fatalf("removing the lock file of a Sim in use: %v, want a sharing violation", err)
	}
	if err := s.CloseFiles(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{lock, path + ".journal", path} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("after CloseFiles: %v", err)
		}
	}
	// Usable again: the next call makes the state and the lock file anew.
	if _, err := s.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Fatalf("a call after CloseFiles: %v", err)
	}
	if err := s.CloseFiles(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(lock); err != nil {
		t.Errorf("the lock file after the second CloseFiles: %v", err)
	}
}
