package computenetwork

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedCodeIsFresh regenerates zsyscall_windows.go from the //sys
// lines into a temporary directory and fails on any difference from the
// committed file. It runs on any OS that has the go command.
func TestGeneratedCodeIsFresh(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out := filepath.Join(t.TempDir(), "zsyscall_windows.go")
	cmd := exec.Command(goCmd, "tool", "mkwinsyscall", "-output", out, "syscall_windows.go")
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mkwinsyscall: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zsyscall_windows.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("zsyscall_windows.go is stale: run scripts/generate.sh (it differs from mkwinsyscall's output for syscall_windows.go)")
	}
}
