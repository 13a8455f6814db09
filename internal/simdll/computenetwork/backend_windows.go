//go:build windows && cgo

package main

import (
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// backend is the emulator behind the exports: one per process, replaced by
// HcnSimReset.
type backend = *hcnsim.Sim

func newBackend() backend { return hcnsim.New(nil) }

func restartBackend(b backend) hcn.HRESULT {
	if err := b.Restart(); err != nil {
		hr, _ := hrOf(err)
		return hr
	}
	return 0
}

func setBackendVersion(b backend, major, minor uint32) hcn.HRESULT {
	b.SetServiceVersion(major, minor)
	return 0
}
