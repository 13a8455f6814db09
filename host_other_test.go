//go:build !windows

package hcn

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

func TestNewHostServiceNotSupported(t *testing.T) {
	for _, opts := range []*HostServiceOptions{nil, {SkipLoadCheck: true}} {
		svc, err := NewHostService(opts)
		if svc != nil {
			t.Errorf("NewHostService(%+v) returned a service off Windows", opts)
		}
		if !errors.Is(err, ErrNotSupported) {
			t.Fatalf("NewHostService(%+v) error = %v, want ErrNotSupported", opts, err)
		}
		if want := runtime.GOOS + "/" + runtime.GOARCH; !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}
