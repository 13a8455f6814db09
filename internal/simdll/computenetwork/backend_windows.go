//go:build windows && cgo

package main

import "github.com/hcnkit/hcn"

// TEMPORARY stub backend until hcnsim exists.
type backend = hcn.Service

type stub struct{ hcn.Service }

func (stub) Enumerate(kind hcn.Kind, query string) (string, error) { return "[]", nil }
func (stub) Delete(kind hcn.Kind, id hcn.GUID) error {
	return &hcn.Error{Op: "x", HRESULT: hcn.HCN_E_NETWORK_NOT_FOUND}
}

func newBackend() backend                                       { return stub{} }
func restartBackend(b backend) hcn.HRESULT                      { return hcn.E_NOTIMPL }
func setBackendVersion(b backend, major, minor uint32) hcn.HRESULT { return hcn.E_NOTIMPL }
