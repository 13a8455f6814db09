//go:build windows && cgo

package main

import (
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// backend is the service behind the exports: one per process, replaced by
// HcnSimReset. It is an emulator in the process (a *hcnsim.Sim), or, when
// HCNSIM_ADDR is set, a client of a served one (see remote_windows.go).
type backend interface {
	hcn.Service
}

// simControl is what the control surface needs of an emulator in the
// process; a client of a served one has none of it.
type simControl interface {
	OpenHandles() int
	Restart() error
	SetServiceVersion(major, minor uint32)
}

var _ simControl = (*hcnsim.Sim)(nil)

func newBackend() backend {
	if r := remoteFromEnv(); r != nil {
		return r
	}
	return hcnsim.New(nil)
}

// isRemote reports whether the DLL is a client of a served emulator.
func isRemote() bool { return remoteFromEnv() != nil }

func restartBackend(b backend) hcn.HRESULT {
	c, ok := b.(simControl)
	if !ok {
		return hcn.E_NOTIMPL
	}
	if err := c.Restart(); err != nil {
		hr, _ := hrOf(err)
		return hr
	}
	return 0
}

func setBackendVersion(b backend, major, minor uint32) hcn.HRESULT {
	c, ok := b.(simControl)
	if !ok {
		return hcn.E_NOTIMPL
	}
	c.SetServiceVersion(major, minor)
	return 0
}

// backendOpenHandles is the emulator's count of open handles, or ^0 when
// the emulator is not in the process.
func backendOpenHandles(b backend) uint32 {
	c, ok := b.(simControl)
	if !ok {
		return ^uint32(0)
	}
	return uint32(c.OpenHandles())
}
