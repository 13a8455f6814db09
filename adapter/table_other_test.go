//go:build !windows

package adapter

import (
	"errors"
	"testing"

	"github.com/hcnkit/hcn"
)

func TestUplinkNotSupported(t *testing.T) {
	t.Setenv(EnvOverride, "")
	if _, err := Uplink(); !errors.Is(err, hcn.ErrNotSupported) {
		t.Fatalf("Uplink: %v, want hcn.ErrNotSupported", err)
	}
}
