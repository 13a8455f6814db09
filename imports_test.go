package hcn

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLibraryImports fails when a library package imports anything outside
// the standard library, golang.org/x/sys and the module itself. Commands
// (cmd/...) and test files may use more.
func TestLibraryImports(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	list := exec.Command("go", "list", "./...")
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var roots []string
	for _, p := range strings.Fields(string(out)) {
		if !strings.Contains(p, "/cmd/") {
			roots = append(roots, p)
		}
	}
	for _, goos := range []string{"linux", "windows", "darwin"} {
		args := append([]string{"list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}"}, roots...)
		cmd := exec.Command("go", args...)
		cmd.Dir = "."
		cmd.Env = append(cmd.Environ(), "GOOS="+goos, "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (GOOS=%s): %v", goos, err)
		}
		for _, p := range strings.Fields(string(out)) {
			switch {
			case p == "github.com/hcnkit/hcn", strings.HasPrefix(p, "github.com/hcnkit/hcn/"):
				if strings.Contains(p, "/cmd/") {
					t.Errorf("library depends on command package %s", p)
				}
			case strings.HasPrefix(p, "golang.org/x/sys/"):
			default:
				t.Errorf("GOOS=%s: a library package depends on %s (only the standard library and golang.org/x/sys are allowed)", goos, p)
			}
		}
	}
}
