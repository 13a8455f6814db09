// Package hcnsim is a pure-Go emulator of the Windows Host Compute Network
// service (HCN v2, computenetwork.dll) behind the hcn.Service seam. It runs
// on any OS, is safe for concurrent use, and behaves as the service does
// where that is known; where it is not, this page states the choice made
// and a test pins it. The conformance suite (package hcntest) runs against
// it with the race detector.
//
//	sim := hcnsim.New(nil)              // in memory, service version 15.4
//	var svc hcn.Service = sim
//
// # Control surface
//
// Besides hcn.Service, a *Sim offers what tests and a stand-in DLL need:
// Stats (calls per operation, open handles per HandleKind, objects per
// kind), Calls, OpenHandles, OpenHandlesOf; InjectFault (an HRESULT for
// the nth call of an operation, or every call), SetLatency, Hang (calls
// block until released), ClearFaults; Restart, Reset; SetServiceVersion
// and ServiceVersion; SetEndpointStats. Operation names are the HCN
// function names (hcn.OpName: "HcnCreateEndpoint"; the Op* constants for
// the others, e.g. "HcnQueryEndpointStats", "HNSCall") or AllOps ("*").
// A fault, latency or hang applies before the call has any effect; a
// faulted call is still counted. The one exception is HcnClose*: a faulted
// close still releases the handle, as an RPC context handle is freed on the
// caller's side whatever the server answers.
//
// # Documents
//
//   - Input keys match case-insensitively ("id", "IPConfigurations") and are
//     returned in the canonical spelling ("ID", "IpConfigurations"). Keys
//     the emulator does not know are kept and returned as sent (the real
//     service drops some unknown fields; echoing them is the choice here).
//   - Query returns the flat document: ids in canonical lower-case form,
//     enum values as canonical names (a number or any-case name is accepted:
//     "Type":2 and "transparent" both give "Transparent"; "static" gives
//     "Static"), zero values (null, "", 0, false, [], {}) omitted at every
//     depth, a NAT network without Type.
//   - Read-only fields a caller sends (Health, State, Version, an
//     endpoint's HostComputeNamespace, a namespace's NamespaceId) are
//     ignored. Networks and endpoints get "State":1 and
//     "Version":Major<<32|Minor of the service version (the form real
//     outputs show, e.g. 64424509444 for 15.4).
//   - The Detailed flag (Flags 1 or "Detailed") adds Health.Extra: for a
//     network SwitchGuid and Resources.EndpointCount, for an endpoint its
//     SwitchGuid and Resources.InstanceId, for a namespace
//     Resources.CompartmentId.
//   - v1-schema documents (SchemaVersion 1.x, "VirtualNetwork", "Subnets")
//     are not translated; their keys are simply kept. A query asking for
//     SchemaVersion 1.x gets the v2 document.
//   - A document that is not one JSON object, or whose known fields have
//     the wrong JSON type, fails with HCN_E_INVALID_JSON.
//
// # Ids and handles
//
//   - Create with GUID_NULL uses the document's ID when it has one (an
//     unparsable one fails with HCN_E_GUID_CONVERSION_FAILURE), else a
//     fresh random id; a non-null id argument wins over the document. An
//     id in use fails with ERROR_ALREADY_EXISTS (0x800700B7).
//   - Ids are parsed in any case, with or without braces, everywhere but
//     the namespace modify EndpointId (below). Enumerate returns a JSON
//     array of bare lower-case GUID strings in creation order.
//   - Handles must be open: a closed handle, one invalidated by Restart, or
//     a handle of another kind gives E_HANDLE. Values are never reused and
//     start at a random base per Sim. A handle to an object deleted since
//     stays open; using it gives the kind's not-found code.
//   - Not found: networks HCN_E_NETWORK_NOT_FOUND, endpoints
//     HCN_E_ENDPOINT_NOT_FOUND, the other kinds ERROR_NOT_FOUND.
//
// # Networks
//
//   - Names are unique, compared case-insensitively
//     (HCN_E_NETWORK_ALREADY_EXISTS); unnamed networks are allowed.
//   - Types: NAT, ICS, Transparent, L2Bridge, L2Tunnel, Overlay, Private,
//     Internal, Mirrored, Infiniband, ConstrainedICS (numbers 0–10 in this
//     order); anything else is HCN_E_INVALID_NETWORK_TYPE. A missing Type is
//     NAT. Ipams Type other than Static/Dhcp is HCN_E_INVALID_NETWORK.
//   - Static subnets: an unparsable IpAddressPrefix or route
//     DestinationPrefix is HCN_E_INVALID_PREFIX (host bits are masked off,
//     not refused); a /0 subnet, overlapping subnets, a default gateway
//     outside its subnet or a route mixing address families is
//     HCN_E_INVALID_SUBNET; an unparsable NextHop is HCN_E_INVALID_IP; an
//     IpSubnet outside its subnet is HCN_E_INVALID_IP_SUBNET; subnet policy
//     types other than VLAN/VSID are HCN_E_INVALID_POLICY_TYPE. Overlap
//     between networks is not checked. Networks get no subnet they did not
//     ask for.
//   - Policy types are checked against the wire-format lists per family
//     (HCN_E_INVALID_POLICY_TYPE) and returned in canonical spelling;
//     settings are not validated.
//   - MacPool: ranges are validated (HCN_E_INVALID_NETWORK); without one the
//     network gets 4096 addresses 00-15-5D-XX-Y0-00..00-15-5D-XX-YF-FF
//     derived from its id, reported in MacPool.
//   - Deleting a network that still has endpoints fails with
//     HCN_E_ENTITY_HAS_REFERENCES. Flags 8 (EnableNonPersistent) marks a
//     network Restart drops.
//
// # Addresses (IPAM)
//
// Each Static subnet reserves: the network address (offset 0) and, for
// IPv4, the broadcast address (for prefixes up to /30 and /126 — /31, /32
// reserve nothing); every route NextHop inside the subnet (the gateway);
// when no NextHop lies inside it, network+1 (the gateway the service picks);
// and for a Transparent network whose subnet has no default route
// (0.0.0.0/0 or ::/0), network+1 and network+2 — so .2 of a /28 fails with
// HCN_E_ADDR_INVALID_OR_RESERVED, and .3 is the first usable address.
// SubnetFlags 1 (DoNotReserveGatewayAddress) reserves no gateway.
//
//   - A static IpAddress must parse and lie in a Static subnet
//     (HCN_E_INVALID_IP; also when the network has none) and be neither
//     reserved nor in use (HCN_E_ADDR_INVALID_OR_RESERVED). PrefixLength is
//     always the subnet's.
//   - Without IpConfigurations an endpoint gets the lowest free address of
//     the first subnet with room, one per address family the subnets
//     cover; an entry with an empty IpAddress gets one from any subnet.
//     Allocation is O(log n) (a per-subnet min-heap of released offsets and
//     a high-water mark), never a scan of the endpoints. No free address is
//     HCN_E_ADDR_INVALID_OR_RESERVED; no Static subnet at all with an empty
//     IpAddress is HCN_E_SUBNET_NOT_FOUND.
//   - MacAddress: given ones must parse (E_INVALIDARG) and, when inside the
//     pool, be free (HCN_E_ADDR_INVALID_OR_RESERVED); else the lowest free
//     MAC of the pool is allocated (exhaustion is
//     HCN_E_ADDR_INVALID_OR_RESERVED).
//   - Remote endpoints (Flags 1) consume no local address or MAC: their
//     addresses are recorded as given, unchecked against the subnets; they
//     cannot join a namespace or take a switch port
//     (HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION).
//   - A failed create releases everything it took.
//
// # Endpoints
//
// The network handle of CreateEndpoint must be open (E_HANDLE) and its
// network exist. Deleting an endpoint detaches it from its namespace
// (NetworkEndpointDetached) and frees its addresses; load balancers and
// SDN routes that reference it keep the dangling id (operators' tooling
// looks for exactly such load balancers). QueryEndpointStats returns every
// counter (zeros included) with EndpointId and InstanceId (a per-endpoint
// GUID); SetEndpointStats sets them. QueryEndpointAddresses returns
// {"IpAddresses":[{"IpAddress","PrefixLength"}],"MacAddress"}.
//
// # Namespaces
//
//   - Type Host (the default), HostDefault, Guest, GuestDefault (numbers
//     0–3). Every Sim starts with the host default namespace
//     910f7d92-ba2d-4c3f-98ae-7c0ac590d2dc (NamespaceId 1), found by the
//     filter {"IsDefault":true}. Creating a HostDefault namespace returns a
//     handle to it (the requested id is ignored, no notification); it cannot
//     be deleted (HCN_E_REQUEST_UNSUPPORTED). Other namespaces get
//     NamespaceId 2, 3, ... GuestDefault is not a singleton.
//   - Modify Endpoint Add/Remove with {"EndpointId":"<bare lower-case
//     guid>"} updates both Resources ([{"Type":"Endpoint","Data":{"ID":..}}],
//     in attach order, then containers) and the endpoint's
//     HostComputeNamespace. The service looks the id text up as is, so a
//     braced or upper-case EndpointId fails with HCN_E_ENDPOINT_NOT_FOUND;
//     an endpoint already in a namespace (this one included) fails with
//     HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS; removing an endpoint that is
//     not in the namespace fails with HCN_E_ENDPOINT_NOT_FOUND. Container
//     Add/Remove with {"ContainerId"} (ERROR_ALREADY_EXISTS /
//     ERROR_NOT_FOUND). Endpoint resources in a create document are
//     attached under the same rules, all or none.
//   - Deleting a namespace detaches its endpoints.
//
// # Load balancers and SDN routes
//
//   - Referenced endpoints (and HostComputeNetwork) must exist
//     (HCN_E_ENDPOINT_NOT_FOUND, HCN_E_NETWORK_NOT_FOUND; unparsable ids
//     HCN_E_GUID_CONVERSION_FAILURE) and are returned canonical; VIPs must
//     parse (HCN_E_INVALID_IP); InternalPort 0 is
//     HCN_E_INVALID_INTERNAL_PORT.
//   - Collisions are keyed by (frontend VIP, protocol, external port) in an
//     index: ExternalPort 0 means the internal port; no FrontendVIPs is one
//     frontend of its own (""); the same key twice, in one load balancer or
//     two, is HCN_E_PORT_ALREADY_EXISTS.
//   - HcnModifyLoadBalancer takes the whole document (validated as a
//     create, its own frontends excepted) and fails with E_NOTIMPL when
//     the service version is below 15.4.
//   - SDN routes: the list is accepted as "Setting" (hcsshim) or "Routes"
//     (schema) and returned under the key sent; DestinationPrefix must parse
//     (HCN_E_INVALID_PREFIX), NextHop too (HCN_E_INVALID_IP). Modify takes
//     the whole document.
//
// # Guest network services and port reservations
//
// A new service has State "Created"; modify {"ResourceType":"State",
// "RequestType":"Update","Settings":{"State":..}} accepts None, Created,
// Bootstrapping, Synchronized, Paused, Desynchronized, Rehydrating,
// Degraded, Destroyed (else E_INVALIDARG) and notifies that service's
// callbacks (GuestNetworkServiceStateChanged). Port reservations are
// host-wide: an exclusive one collides with any other of an overlapping
// protocol (Both covers TCP and UDP) on a port, shared ones coexist;
// collisions are HCN_E_PORT_ALREADY_EXISTS. Ranges are the lowest run of
// free ports of Options.EphemeralPorts (49152–65535), exclusive, Both.
// Protocol, access or port 0 out of range is E_INVALIDARG. Enumerated
// entries: OwningPartitionID the service's id, SharingFlags the access,
// ReservationType 0 (port) or 1 (range). Reservations belong to their
// handle; deleting the service does not release them.
//
// # Queries
//
// {"SchemaVersion","Flags","Filter":"<JSON text>"}: Filter must be a string
// (an object is HCN_E_INVALID_JSON), as must the query itself be JSON.
// Filter keys ID, Name (case-insensitive), VirtualNetwork /
// HostComputeNetwork and VirtualNetworkName (endpoints; for load balancers
// and routes their HostComputeNetwork), IsDefault (namespaces) use the
// indexes. Any other key is compared with the document's top-level field
// of that name (strings case-insensitively): a key no document has matches
// nothing — a mistyped filter selects nothing rather than everything.
//
// # Modify requests
//
// {"ResourceType","RequestType","Settings"}: ResourceType must be a string
// (the integer form is HCN_E_INVALID_JSON, as on a live host); a name no
// family knows is E_INVALIDARG; one of another family (Container on a
// network) is HCN_E_REQUEST_UNSUPPORTED. RequestType is Add, Remove,
// Update, Refresh, Reset or its number 0–4. Settings must be an object:
// a string is HCN_E_INVALID_JSON with "{{Settings: ExpectedObject}}" in the
// record. Per family:
//
//   - Policy (networks, endpoints), Settings {"Policies":[..]}: Add appends
//     (an identical policy: HCN_E_POLICY_ALREADY_EXISTS); Remove deletes the
//     policies of each given type with equal Settings, or of the type when
//     no Settings is given (none: HCN_E_POLICY_NOT_FOUND); Update replaces
//     the policies of each given type; Refresh does nothing; Reset removes
//     all.
//   - DNS (networks): Update replaces Dns; other requests are
//     HCN_E_REQUEST_UNSUPPORTED.
//   - Extension (networks): Add/Update {"Id"|"ExtensionId","IsEnabled"|
//     "Enable"} on the switch's extensions (WFP, VFP, NDIS Capture, by their
//     well-known ids; others HCN_E_SWITCH_EXTENSION_NOT_FOUND), returned in
//     "Extensions".
//   - Subnet (networks): Add a Subnet (or {"Subnets":[..]}) to the Static
//     Ipam, validated as at create; Remove by IpAddressPrefix
//     (HCN_E_SUBNET_NOT_FOUND; a subnet with endpoint addresses is
//     HCN_E_ENTITY_HAS_REFERENCES).
//   - IPSubnet (networks): Add/Remove {"IpAddressPrefix"} in the subnet
//     containing it (HCN_E_INVALID_IP_SUBNET when none).
//   - Port (endpoints): Add attaches to a switch port (twice:
//     HCN_E_ENDPOINT_ALREADY_ATTACHED), Remove detaches (not attached:
//     HCN_E_ENDPOINT_NOT_ATTACHED).
//   - Endpoint, Container (namespaces) and State (guest network services)
//     as above.
//
// # Notifications
//
// NetworkCreate/NetworkDelete, NamespaceCreate/NamespaceDelete,
// GuestNetworkServiceCreate/Delete go to service callbacks with payload
// {"ID":"<guid>","Flags":0}; NetworkEndpointAttached/Detached (namespace
// membership changes, including detach by delete) carry
// "Data":{"HostComputeNetwork","HostComputeNamespace"} with the endpoint's
// ID; GuestNetworkServiceStateChanged goes to that service's callbacks
// with "Data":{"State"}. Pre-create/pre-delete notifications are not sent.
// Each registration has its own goroutine: calls are asynchronous, in the
// order of the operations, never overlapping, never made while the
// emulator holds its lock. Unregister first delivers the notifications
// already queued for the registration (they were sent before it), then
// returns with no call in flight and none to follow (it must not be called
// from inside the callback). So a client that re-registers — new
// registration first, old one dropped after — loses nothing. Restart
// sends ServiceDisconnect (empty payload) and no per-object notifications;
// registrations stay valid.
//
// # HNS v1
//
// HNSCall answers GET /globals/version with {"Success":true,"Output":
// {"Major","Minor"}} and GET /endpointstats/<id> with the stats; paths are
// case-insensitive and may end in "/". Anything else, and a missing
// endpoint, is a {"Success":false,"Error":"<message> ","ErrorCode":..}
// envelope with a nil error; only injected faults are errors.
//
// # Errors
//
// Every failure is an *hcn.Error from hcn.NewError with the HCN function
// name, kind, id and the record {"Success":false,"Error":"<message> ",
// "ErrorCode":<HRESULT as unsigned decimal>}: the service's message (with
// its trailing space), followed by a detail naming the field or value when
// the emulator has one.
//
// # Restart, Reset
//
// Restart: every object handle and port reservation of the Sim becomes
// invalid, networks with EnableNonPersistent vanish with their endpoints
// (detached from their namespaces), every other object stays. Reset:
// back to the initial state, counters zeroed, faults cleared, default
// version; callback registrations survive both.
//
// # Persistence
//
// With Options.StateFile the whole object state (not handles, callbacks or
// port reservations, which are per Sim) lives in one JSON file shared by
// any number of Sims and processes. A mutating call takes an exclusive
// advisory lock on "<file>.lock" (flock on Unix, LockFileEx on Windows, an
// O_EXCL lock file with stale-lock breaking elsewhere), re-reads the file
// when it changed (same file identity, size and modification time means
// unchanged), applies the change, writes a temporary file (mode 0600) in
// the same directory, fsyncs it, renames it over the state file and
// fsyncs the directory. Readers need no lock (except on Windows, where an
// open file cannot be renamed over): they see the old or the new file,
// never a torn one, and a crash before the rename loses only the call
// in progress. A save that fails leaves the call failed (E_FAIL) and makes
// the Sim re-read the file. A corrupt file makes every call fail with
// E_FAIL (Open reports it up front). A mutating call rewrites the whole
// file, so with a state file its cost grows with the number of objects;
// the scale figures below are for the in-memory emulator.
//
// # Scale
//
// Objects are indexed by id and name, endpoints by network, load balancer
// frontends by (VIP, protocol, port), and namespaces' default flag, so
// create, open, query, close, delete and filtered enumerates cost the same
// with 1,000 or 100,000 objects (BenchmarkEndpointLifecycle,
// BenchmarkLoadBalancerLifecycle, BenchmarkEnumerateByName). One RWMutex
// guards the state; queries take it shared.
package hcnsim
