// Package hcn is a Go library for Windows container networking through the
// Host Compute Network service (HCN v2, computenetwork.dll).
//
// # Layers
//
// The package holds the HCN document model (networks, endpoints,
// namespaces, load balancers, SDN routes, guest network services, their
// policies, queries and modify requests), GUIDs, HRESULTs and errors — all
// portable, tested on every OS — and the Service seam: one interface that
// mirrors computenetwork.dll call for call. The host service implements it
// over the DLL on Windows; package hcnsim implements it in pure Go on any OS;
// package hcntest is the conformance suite every implementation passes.
//
// # Errors
//
// Every failed call returns an *Error carrying the HCN function, the object
// kind and id, the HRESULT and the service's parsed ErrorRecord. Test the
// class with errors.Is against the sentinels (ErrNotFound, ErrAlreadyExists,
// ErrAccessDenied, ErrInvalid, ErrAddressReserved, ErrPortInUse,
// ErrNotSupported, ErrTransient, ErrInvalidHandle, ErrInUse) or against an
// exact HRESULT (errors.Is(err, hcn.HCN_E_PORT_ALREADY_EXISTS)). A transient
// failure (the service restarting) is never reported as not found.
package hcn
