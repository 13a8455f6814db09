//go:build !windows

package hcn

import (
	"fmt"
	"runtime"
)

// NewHostService returns the Service over the host's computenetwork.dll
// (HcnEnumerateNetworks, HcnCreateNetwork, ... and vmcompute.dll!HNSCall).
// There is no such service off Windows: this build always fails with an
// error wrapping ErrNotSupported that names GOOS/GOARCH. Use package hcnsim
// for an emulator.
func NewHostService(opts *HostServiceOptions) (Service, error) {
	return nil, &Error{Op: "NewHostService", Err: fmt.Errorf("%w: computenetwork.dll exists only on Windows (this is %s/%s)",
		ErrNotSupported, runtime.GOOS, runtime.GOARCH)}
}
