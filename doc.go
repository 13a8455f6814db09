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
// # Client
//
// Client is the surface to program against: NewClient(nil) uses the host
// service on Windows; any Service can be given instead (hcnsim.New(nil) on
// any OS). Every call takes a context. Objects come two ways: handle level
// (OpenNetwork, CreateEndpointHandle, ... returning owned handles with
// Query, Modify and an idempotent Close that never deletes) and object level
// (CreateNetwork, GetEndpoint, ListEndpoints with filters, DeleteNamespace,
// typed modify helpers). Lists cost one enumerate plus open, query and close
// per object, run with bounded parallelism, and skip objects deleted
// mid-list. Watch delivers the service's notifications; ServiceVersion,
// Features and Supports tell what the host can do, and the Client refuses a
// feature the service lacks with ErrNotSupported.
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
