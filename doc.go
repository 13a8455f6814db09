// Package hcn is a Go library for Windows container networking through the
// Host Compute Network service (HCN v2, computenetwork.dll).
//
// # Where to start
//
// Read the API top down; each level has an Example.
//
//  1. Client (NewClient, Client.CreateNetwork, Client.CreateEndpoint,
//     Client.AddNamespaceEndpoint, ...): typed, context-aware calls that
//     validate before they call, retry what is safe to retry and leak
//     nothing. Objects are named by ID, the text the service wrote: the ID
//     member of a document the Client returned passes straight to the next
//     call (c.DeleteEndpoint(ctx, ep.ID, nil)), and a bad id fails before
//     any call with an error naming the argument.
//  2. Documents (Network, Endpoint, Namespace, LoadBalancer, SDNRoute,
//     GuestNetworkService, Query, ModifyRequest): the service's JSON as Go
//     types that round-trip losslessly, keep unknown members in Extra, and
//     Validate naming the member at fault. Builders (InternalNetwork,
//     LoadBalancerSpec) make common documents. A document's own
//     UnmarshalJSON and MarshalJSON are the fast path (json.Unmarshal and
//     json.Marshal work too, but scan the whole text again around them).
//  3. Policies (Policy, the *PolicySetting types, SettingsAs,
//     PolicyType.Info): one registry says where each type applies (network,
//     endpoint, subnet), its minimum schema and the feature that gates it.
//  4. Errors (*Error, *ValidationError, the sentinels such as ErrNotFound,
//     HRESULT): test the class with errors.Is, never the text.
//  5. Service: the seam that mirrors computenetwork.dll call for call (JSON
//     text, opaque handles, HRESULT errors); NewHostService on Windows,
//     hcnsim on any OS, hcntest for conformance. Use it directly only for
//     what the Client does not wrap.
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
// per object, start serial and fan out (up to ListParallelism reads at
// once) only when the service is slow enough for that to pay, and skip
// objects deleted mid-list. Watch delivers the service's notifications; ServiceVersion,
// Features and Supports tell what the host can do, and the Client refuses a
// feature the service lacks with ErrNotSupported.
//
// # Concurrent edits
//
// The Client is safe for concurrent use, and so are its read-modify-write
// helpers. Load balancers and SDN routes are modified whole, so
// AddLoadBalancerEndpoints, RemoveLoadBalancerEndpoints,
// AddSDNRouteEndpoints and RemoveSDNRouteEndpoints read the document,
// change it and write it back; UpdateLoadBalancer and UpdateSDNRoute
// replace it. Every such edit of one object runs under a per-object lock
// shared by all Clients in the process over the same Service value (on
// Windows, every Client of the host service), so within a process an edit
// that reports success is in the result. After each write the Client reads
// the object back on the same handle; an edit missing from the read-back
// (another process overwrote it) is made again, up to five times in all,
// then fails with ErrConflict. What remains unguaranteed against writers
// in other processes: because the service's modify takes the whole
// document and has no revision check, a write by another process that
// lands between this Client's read and its write on one open handle (two
// consecutive service calls) is undone by this Client's write, and an edit
// that reported success can be undone by a later writer elsewhere.
// Coordinate writers across processes when that matters. The other typed
// modifies (policies, namespace endpoints, subnets) are single service
// requests and need no lock.
//
// # Names
//
// Names are case-sensitive: "ingress" and "Ingress" are two networks.
// GetNetworkByName and GetEndpointByName send the service a Name filter, as
// Microsoft's own client does, and keep only exact matches; EnsureNetwork
// reuses a network of exactly the requested name and otherwise creates
// one. Evidence for the rule: Microsoft's answer in
// microsoft/Docker-PowerShell#144 that container network names are
// case-sensitive by design of the Windows networking stack, and hcsshim's
// v1 lookup, which compares names exactly; the emulator follows the same
// rule. An empty name is ErrInvalid before any call.
//
// # Input the Client accepts
//
// Documents are validated before any call, with errors naming the member.
// MAC addresses may be written with dashes or colons (net.HardwareAddr's
// String form) in any case; they are sent as the service writes them,
// upper case with dashes, and the caller's document is not changed. A
// document is checked against the service's version for what it contains,
// not only for its flags: an IPv6 VIP, subnet, route or address needs
// IPv6DualStack, an IPv4 /32 endpoint prefix Slash32EndpointPrefixes. An
// endpoint PrefixLength that differs from its subnet's is refused (see
// CreateEndpoint). A load balancer or SDN route edit drops (and logs)
// backends whose endpoints were deleted elsewhere. The host default
// namespace is never deleted, through DeleteNamespace or Delete.
//
// # Errors
//
// Every failed call returns an *Error carrying the HCN function, the object
// kind and id, the HRESULT and the service's parsed ErrorRecord. Test the
// class with errors.Is against the sentinels (ErrNotFound, ErrAlreadyExists,
// ErrAccessDenied, ErrInvalid, ErrAddressReserved, ErrPortInUse,
// ErrNotSupported, ErrTransient, ErrInvalidHandle, ErrInUse; ErrConflict
// for an edit other writers kept overwriting) or against an
// exact HRESULT (errors.Is(err, hcn.HCN_E_PORT_ALREADY_EXISTS)). A transient
// failure (the service restarting) is never reported as not found.
package hcn
