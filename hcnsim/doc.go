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
// # Service version
//
// A Sim reports HNS 15.4 (DefaultServiceVersion) unless told otherwise:
// the version Windows Server 2025 hosts report (the Kubernetes bug report
// of April 2025 on kube-proxy's load balancer updates, from an AKS Windows
// Server 2025 node: "HNS version 15.4"). No later version of a Server 2025
// host has been seen reported. At 15.4 Microsoft's clients disagree about
// HcnModifyLoadBalancer: hcsshim v0.15.0 enables it from 15.4, hnslib
// v0.1.3 only for 15.5–15.x and from 16.0, because on that 15.4 host the
// modify did not update the endpoints (same report; kube-proxy then
// deletes and recreates; kubernetes/kubernetes#131466 and #131506). The
// emulator implements the modify correctly from 15.4 and refuses it below
// (E_NOTIMPL); it does not reproduce the 15.4 defect. The hcn Client
// follows hnslib and does not use the modify before 15.5. Microsoft's
// feature tests (hcnsupport_test) check only that each feature check
// agrees with the feature table for the version reported, so they pass at
// any version.
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
//     Resources.CompartmentId, merged with what Health.Extra already holds
//     (an endpoint's SharedContainers).
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
//   - Names are unique (HCN_E_NETWORK_ALREADY_EXISTS); unnamed networks
//     are allowed. Names are case-sensitive everywhere — uniqueness, the
//     Name and VirtualNetworkName filters, v1 VirtualNetworkName — so
//     "ingress" and "Ingress" are two networks. Evidence: Microsoft's
//     answer in microsoft/Docker-PowerShell#144 (2016) that container
//     network names are case-sensitive by design of the Windows networking
//     stack below Docker; hcsshim's v1 by-name lookup compares names
//     exactly. No source says otherwise.
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
//   - Deleting a network that still has endpoints succeeds and deletes
//     them first, in creation order, exactly as HcnDeleteEndpoint would
//     (NetworkEndpointDetached for those in a namespace, addresses and
//     host ports freed, load balancers and routes keep the dangling ids),
//     then sends NetworkDelete. Evidence: Microsoft's integration tests
//     delete networks that still have endpoints and expect success
//     (hcsshim and hnslib hcn TestRouteAddRemoveEndpoint leaves its second
//     endpoint; hnsv1_test TestEndpointStatsAll leaves its endpoint), and
//     the same suites list every endpoint of the host and query each
//     one's stats (TestEndpointStatsAll), which works only if no endpoint
//     of a deleted network lingers; Azure's node cleanup scripts (AKS
//     windowsnodecleanup.ps1, Azure CNI cleanupnetwork.ps1) remove the HNS
//     network without deleting its endpoints first. HcnDeleteNetwork, the
//     HNS v1 DELETE and Restart (which drops the networks created with
//     Flags 8, EnableNonPersistent) all take this one path.
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
// network exist. PortMapping policies take host ports (see Host ports).
// Deleting an endpoint detaches it from its namespace
// (NetworkEndpointDetached) and frees its addresses and host ports; load
// balancers and
// SDN routes that reference it keep the dangling id (operators' tooling
// looks for exactly such load balancers). QueryEndpointStats returns every
// counter (zeros included) with EndpointId and InstanceId (a per-endpoint
// GUID); SetEndpointStats sets them. QueryEndpointAddresses returns
// {"IpAddresses":[{"IpAddress","PrefixLength"}],"MacAddress"}.
//
// # Namespaces
//
//   - Type Host (the default), HostDefault, Guest, GuestDefault (numbers
//     0–3). Every Sim starts with the host's own default namespace
//     910f7d92-ba2d-4c3f-98ae-7c0ac590d2dc (HostDefaultNamespaceID, Type
//     HostDefault, NamespaceId 1), which cannot be deleted
//     (HCN_E_REQUEST_UNSUPPORTED; the Client refuses it before any call).
//   - Creating a HostDefault namespace makes a new object like any other
//     create: the requested id is honoured (one in use is
//     ERROR_ALREADY_EXISTS), NamespaceCreate is sent, endpoints attach and
//     detach, and it deletes normally. It shares the host's default
//     compartment: NamespaceId (and the Detailed CompartmentId) is 1, the
//     NamespaceId sent being read-only. Evidence: Microsoft's integration
//     tests (hcsshim and hnslib hcn, HcnCreateTestNamespace) create
//     {"Type":"HostDefault","NamespaceId":5}, attach endpoints to it,
//     query, list and modify it, then delete it and expect success; their
//     TestSyncNamespaceHostDefault makes no HCN call for Sync (the client
//     syncs Guest namespaces only). Other types get a compartment of their
//     own: NamespaceId 2, 3, ... GuestDefault is not a singleton.
//   - {"IsDefault":true} lists every HostDefault namespace in creation
//     order, so the host's own comes first; {"IsDefault":false} every
//     other.
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
//   - Each frontend (VIP, protocol, external port; ExternalPort 0 means the
//     internal port, no FrontendVIPs the host's own addresses) takes a host
//     port (see Host ports): the same one twice, in one load balancer or
//     two, or one an endpoint port mapping holds, is
//     HCN_E_PORT_ALREADY_EXISTS.
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
// collisions are HCN_E_PORT_ALREADY_EXISTS, as are collisions with host
// ports (below). Ranges are the lowest run of free ports of
// Options.EphemeralPorts (49152–65535), exclusive, Both.
// Protocol, access or port 0 out of range is E_INVALIDARG. Enumerated
// entries: OwningPartitionID the service's id, SharingFlags the access,
// ReservationType 0 (port) or 1 (range). Reservations belong to their
// handle; deleting the service does not release them.
//
// # Host ports
//
// Load balancer frontends, endpoint port mappings and port reservations
// share the host's ports, as on a real host where all three end up as NAT
// rules and port reservations of the one host stack. A PortMapping
// endpoint policy {"Protocol","InternalPort","ExternalPort","VIP","Flags"}
// takes the key (VIP, IP protocol, external port), ExternalPort 0 meaning
// the internal port (both 0 take nothing). No VIP, or an unspecified one,
// is the host's own addresses: "0.0.0.0" and no VIP are the same key, and
// with NatFlags IPv6 (2) or VIP "::" the IPv6 ones, a key of its own. VIP
// must parse (HCN_E_INVALID_IP); Settings of the wrong JSON types are
// HCN_E_INVALID_JSON. Rules, each failure HCN_E_PORT_ALREADY_EXISTS:
//
//   - One index holds frontends and mappings: a key is taken once, whoever
//     holds it. A second endpoint mapping the same protocol and external
//     port (and the same VIP, or both none) fails, as Microsoft's
//     TestEndpointAlreadyExistsError expects (UDP 56789 twice on an
//     Overlay network); so do a mapping on a frontend's key, a frontend on
//     a mapping's, and one endpoint mapping a key twice. Different VIPs, a
//     VIP and none, different protocols or external ports coexist.
//   - A key on the host's own addresses also excludes every port
//     reservation of an overlapping protocol (TCP 6, UDP 17; Both covers
//     both), exclusive or shared, whichever came first; keys with a VIP do
//     not touch reservations; range reservations skip such ports.
//   - Remote endpoints (Flags 1) take no host port: their mappings are
//     recorded as sent.
//   - Keys are freed when the endpoint or load balancer is deleted (a
//     network delete included). Policy modify requests keep them in step:
//     after Add, Remove, Update or Reset the endpoint holds exactly the
//     keys of its PortMapping policies; a request whose result collides
//     fails and changes nothing.
//
// Every check is a map lookup; the index is rebuilt from the state file.
//
// # Queries
//
// {"SchemaVersion","Flags","Filter":"<JSON text>"}: Filter must be a string
// (an object is HCN_E_INVALID_JSON), as must the query itself be JSON.
// Filter keys ID, Name (exact, as names are case-sensitive), VirtualNetwork /
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
// HNSCall (vmcompute.dll) is HNS v1's REST-like call over the same state
// as the v2 calls: an object created through either API is seen by the
// other under the same id, and v1 creates are translated to v2 documents
// and go through the v2 rules (names, IPAM, MAC pools, frontend
// collisions, notifications). Paths are case-insensitive, may end in "/"
// and are /<collection>[/<id>[/<action>]]; methods any case. Answers are
// {"Output":..,"Success":true} (no Output for DELETE, attach, detach);
// refusals {"Success":false,"Error":"<message> ","ErrorCode":<hr>} with a
// nil error; only injected faults are errors. The paths and documents are
// those of hcsshim's and hnslib's internal/hns package:
//
//   - GET /globals/version: {"Major","Minor"}.
//   - /networks: GET lists, GET <id>, POST creates from an HNSNetwork,
//     DELETE <id> is HcnDeleteNetwork (endpoints go with the network).
//     Subnets[{AddressPrefix,GatewayAddress,Policies}] become one Static
//     Ipam whose subnets route 0.0.0.0/0 (::/0) via GatewayAddress;
//     MacPools become MacPool.Ranges; NetworkAdapterName and SourceMac the
//     NetAdapterName and SourceMacAddress policies; DNSSuffix and the
//     comma-separated DNSServerList the Dns Domain and ServerList;
//     network VLAN/VSID policies go to every subnet. The view gives ids in
//     upper case and Type in lower case ("nat", "overlay"), as real v1
//     outputs do, GatewayAddress from a subnet's default route (else its
//     first next hop), CurrentEndpointCount/TotalEndpoints.
//   - /endpoints: GET lists, GET <id>, POST creates from an HNSEndpoint on
//     VirtualNetwork (else VirtualNetworkName; neither is
//     HCN_E_INVALID_ENDPOINT), POST <id> replaces the Policies (what
//     HNSEndpoint.Update and ApplyACLPolicy send; other fields ignored),
//     DELETE <id>. IPAddress/IPv6Address become IpConfigurations (their
//     PrefixLength is the subnet's, as for v2), IsRemoteEndpoint,
//     DisableICC, EnableLowMetric the Flags 1, 2, 8. The view adds
//     VirtualNetworkName, PrefixLength, GatewayAddress(V6), Namespace
//     {ID,CompartmentId,IsDefault} and State (1 Created; 2 Attached when in
//     a namespace, on a switch port or shared with a container; 3
//     AttachedSharing with several containers).
//   - POST /endpoints/<id>/attach and /detach take an
//     EndpointAttachDetachRequest: SystemType Host joins the namespace of
//     CompartmentId (0 or absent is 1, the host default namespace) and
//     leaves whatever namespace on detach (none:
//     HCN_E_ENDPOINT_NOT_ATTACHED); Container adds/removes ContainerId in
//     SharedContainers, kept in the v2 document under
//     Health.Extra.SharedContainers where v2 reports it (twice:
//     ERROR_ALREADY_EXISTS; absent: ERROR_NOT_FOUND); VirtualMachine is the
//     endpoint Port Add/Remove.
//   - /policylists: a list of ELB policies is a load balancer (first
//     policy's SourceVIP, VIPs → FrontendVIPs, IsDSR → Flags 1; one
//     PortMapping per policy, ILB → its Flags 1), a list of ROUTE policies
//     an SDN route ("Setting"); References "/endpoints/<id>" are its
//     HostComputeEndpoints. Empty or mixed lists are HCN_E_INVALID_POLICY.
//     GET lists both families in creation order (kube-proxy refuses to
//     start when GET /policylists/ fails).
//   - /namespaces: POST {"IsDefault"} creates a Host (HostDefault)
//     namespace; GET, DELETE; POST <id>/addresource and /removeresource
//     {"Type":"Endpoint"|"Container","Data":{"Id"}} are the namespace
//     Endpoint/Container Add/Remove (the id in any case). The view is
//     {ID,IsDefault,CompartmentId,ResourceList[{Type,Data:{Id}}]}.
//   - /accelnet: POST sets the NNV management MAC list
//     {"MacAddressList":[{"MacAddress"}]} (each must parse, E_INVALIDARG;
//     kept upper case with dashes) and returns it, GET returns it, DELETE
//     clears it and returns the empty list. It belongs to the Sim (not
//     the state file): Reset clears it, Restart keeps it.
//   - GET /endpointstats/<id>: the counters, EndpointId and InstanceId.
//
// Policies are flat in v1 and keep their fields under Settings in v2;
// NAT ↔ PortMapping (Protocol "TCP"/"UDP" ↔ 6/17), PA ↔ ProviderAddress
// (PA ↔ ProviderAddress), ROUTE ↔ SDNRoute, PROXY ↔ L4Proxy (ExceptionList
// ↔ Exceptions, OutboundNat ↔ OutboundNAT), OutBoundNAT's ExceptionList ↔
// Exceptions, VLAN/VSID ↔ IsolationId; other types keep their names and
// fields (the v2 type check then applies). v1 fields with no v2 home
// (ManagementIP, DNSServerCompartment, AutomaticDNS, EncapOverhead,
// DNSDomain, EnableInternalDNS, an endpoint's GatewayAddress and
// Namespace) are dropped.
//
// A path id that names nothing, or is no GUID, is ERROR_NOT_FOUND, whose
// text "Element not found." is what hcsshim's v1 namespace calls match to
// report os.ErrNotExist. A path no route has is E_INVALIDARG; a known
// path with another method is HCN_E_REQUEST_UNSUPPORTED; a body that is
// not a JSON object, or whose fields have the wrong JSON type, is
// HCN_E_INVALID_JSON. v1 view and create by the v2 rules are pinned by
// Microsoft's own integration tests run under Wine against the stand-in
// DLLs (TestEndpoint, TestEndpointStatsAll, TestNetwork, TestNetworkGetAll,
// TestEndpointGetAll, TestAccelnetNnvManagementMacAddresses).
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
// port reservations, which are per Sim) is shared by any number of Sims
// and processes through three files, all mode 0600: the snapshot at
// StateFile (JSON: the whole state, the lineage of the state file, a GUID
// chosen when it is created, and the snapshot's generation), the journal
// StateFile+".journal" (a header naming the lineage and the generation it
// extends, then one record per write: its length, a CRC-32C, and the
// objects the write put and dropped) and the lock StateFile+".lock".
//
// A mutating call takes the lock exclusively (flock on Unix, LockFileEx on
// Windows, elsewhere an O_EXCL lock file), reads the records appended
// since the Sim's position (the snapshot's generation and the journal's
// offset and record number, never file identity, size or times; on a new
// generation the snapshot and then the whole journal), applies its change,
// appends one record of what it changed and fsyncs the journal before it
// returns, so its cost does not grow with the number of objects
// (BenchmarkStateFileMutation). A call whose append fails fails (E_FAIL):
// the record is cut off again and the Sim re-reads the state on its next
// call. A reading call takes the lock shared and catches up the same way.
// Lock waits are bounded by Options.LockTimeout (DefaultLockTimeout,
// 30s): past it the call fails with ERROR_NOT_READY (ErrTransient). A busy
// flock or LockFileEx lock is waited for in the kernel, not polled, so
// fifty processes queued on one state file cost no CPU while they wait
// and one of them has the lock as soon as it is free; a wait given up
// (timeout, cancelled context) lets the lock go at once if it is granted
// later (BenchmarkStateFileContention). The O_EXCL lock file is polled.
// The Sim keeps the lock file open between calls; Sim.CloseFiles closes it
// (the next call opens it again), so that a test on Windows, which cannot
// delete an open file, can remove the state file's directory.
//
// A writer that finds the journal longer than 1 MiB and than the snapshot
// compacts: it writes the state as the snapshot of the next generation
// (temporary file, fsync, rename, fsync of the directory), then replaces
// the journal by an empty one of that generation the same way. Other Sims
// see the new generation and reload.
//
// Recovery is done under the lock by the next call of any Sim (Open does
// it at once); opening replays the snapshot and the journal
// (BenchmarkStateFileOpen):
//   - A torn final record, the append a crash interrupted and never
//     acknowledged, is ignored by readers and cut off by the next writer.
//     A record failing its checksum with intact records after it is
//     damage, not a crash: calls fail with E_FAIL rather than drop
//     acknowledged records.
//   - A journal of an older generation than the snapshot (a compaction
//     interrupted between its two renames) is obsolete, the snapshot
//     holding everything; the next writer replaces it. A journal of
//     another lineage, of a newer generation or without its snapshot fails
//     every call (E_FAIL).
//   - Temporary files a killed writer left ("<file>.tmp-<digits>") are
//     removed by the next writer.
//   - flock and LockFileEx locks die with their holder. An O_EXCL lock file
//     ("<file>.lock.excl") left by a process killed holding it is never
//     broken, as no waiter can tell it from a live holder's without a race:
//     calls fail with ERROR_NOT_READY until it is removed by hand, once no
//     process uses the state file.
//   - A state file of the earlier whole-file format (Format 1) is read as
//     is and rewritten as snapshot and journal by the first writer.
//
// A corrupt snapshot makes every call fail with E_FAIL (Open reports it up
// front). Removing the three files starts afresh.
//
// # Serving one emulated host to many processes
//
// On Windows HCN is a service and computenetwork.dll only its RPC client:
// every process sees the same objects and notifications and loses its
// handles when it dies. Serve gives a Sim the same shape: it serves the
// whole hcn.Service seam (HNSCall, callbacks and port reservations
// included) over a Unix socket or loopback TCP, and Dial returns a *Conn,
// an hcn.Service whose every call runs on the served Sim. Several Serve
// loops may share one Sim.
//
//	l, err := hcnsim.Listen("", "")      // DefaultSocketPath()
//	go hcnsim.Serve(ctx, l, sim, nil)
//	conn, err := hcnsim.Dial(ctx, "", nil) // in any process of the user
//	client, err := hcn.NewClient(&hcn.ClientOptions{Service: conn})
//
// Transports. A Unix socket by default: hcnsim.sock in $XDG_RUNTIME_DIR,
// else in hcnsim-<uid> (mode 0700, created by Listen, refused when it is
// not the user's own) under os.TempDir(). Listen binds the socket under a
// temporary name, gives it mode 0600 and renames it into place, so it is
// never reachable with a wider mode; a stale socket left by a dead server
// is replaced, a live one is an error, and closing the listener removes
// it. On Windows AF_UNIX sockets work the same but file modes do not
// apply: the default directory is %TEMP%\hcnsim, which the user profile's
// ACL protects. For clients that cannot reach a Unix socket (programs
// under Wine), loopback TCP: Listen and Serve refuse any other address
// and Serve drops connections from non-loopback peers. Dial addresses are
// "unix:/path", "tcp:127.0.0.1:port", "tcp:[::1]:port", a plain path (a
// Unix socket) or "" (DefaultSocketPath()).
//
// The token. A TCP connection's first frame must carry the server's token,
// compared in constant time, or it is refused (E_ACCESSDENIED, the
// connection closed) before any call: 32 bytes from crypto/rand in hex,
// kept in a file of mode 0600 next to the socket (DefaultTokenPath(),
// hcnsim.token, or ServeOptions.TokenFile) and reused by the next server
// when the file is the user's own, or given in ServeOptions.Token. A Conn
// reads the file at every dial. A Unix socket connection needs no token
// (the socket's mode protects it); a wrong one is refused all the same.
//
// The protocol (see ProtocolVersion): length-prefixed frames of JSON, at
// most 16 MiB (DefaultMaxFrame; a bigger frame ends the connection); each
// call carries the client's id and its reply the same id, so calls from
// many goroutines share one connection; the server pushes notification
// frames.
// Errors cross losslessly: a Conn returns the *hcn.Error the Sim gave,
// with its Op, Kind, ID, HRESULT and parsed record, so errors.Is and
// errors.As work as in process. Failures of the connection itself are
// *hcn.Error values too: RPC_S_SERVER_UNAVAILABLE when no server can be
// reached (or the call was not sent), RPC_S_CALL_FAILED when the
// connection was lost with the call in flight (it may have run), both
// hcn.ErrTransient; E_INVALIDARG for a call over the frame limit (not
// sent); E_FAIL for a reply over it; E_HANDLE wrapping net.ErrClosed after
// Disconnect.
//
// Handles and rundown. Handles are per connection, as RPC context handles
// are: the server keeps each connection's table, and a handle from another
// connection (or of another kind) is refused with E_HANDLE exactly as the
// Sim refuses any invalid handle. When a connection ends — Disconnect
// (the server runs it down before it answers), a dropped connection, or
// the server stopping — its object handles are closed, its callback
// registrations removed and its port reservations released, without
// counting calls or applying injected faults. A call still running when
// its connection ends releases the handle it obtains at once.
//
// Notifications. Each registration's notifications are pushed in the
// service's order; the Conn calls the callback on its own goroutine, one
// call at a time, from an unbounded queue, so the connection never waits
// for a callback. A slow client never blocks the service: a connection's
// queue holds at most ServeOptions.NotifyQueue (4096) unwritten
// notifications; on overflow the notification is dropped, every
// registration of that connection is removed, and each receives
// ServiceDisconnect after what was queued — the client registers again,
// as the hcn Client's Watch does after a ServiceDisconnect. Unregister
// delivers what the server sent before it and returns with no call of the
// callback in flight and none to follow.
//
// Restart. When the server goes away, calls in flight fail with
// RPC_S_CALL_FAILED, registered callbacks receive ServiceDisconnect, and
// the next call dials again (within DialOptions.DialTimeout), failing with
// RPC_S_SERVER_UNAVAILABLE while no server listens. The new connection
// owns no handles: old ones fail with E_HANDLE, and unregistering an old
// registration fails with E_HANDLE without a call. So the hcn Client's
// retries and its Watch's re-registration carry over a server restart.
// Calls take no context (the seam has none); the hcn Client abandons a
// call by its context, and the call's late reply goes to the Client's
// cleanup, which closes the handle over the same connection. Serve, when
// its context ends, closes the listener and every connection, runs them
// down, waits for the calls still running (one held by Hang keeps it
// waiting until released) and returns nil. Sim.Restart on a served Sim
// behaves as in process: ServiceDisconnect is pushed and registrations
// stay.
//
// A served call costs a round trip on the socket, tens of microseconds,
// against about a microsecond in process (BenchmarkServeOpenQueryClose);
// BenchmarkServeLoad reports throughput and latency percentiles for 32
// clients.
//
// Finding the host. Connect picks what a tool should use: the service at
// $HCNKIT_SIM_ADDR (a token file in $HCNKIT_SIM_TOKEN_FILE; one that
// cannot be reached is an error), else a server answering on
// DefaultSocketPath(), else an embedded Sim. The command cmd/hcnsimd
// serves one Sim until SIGINT or SIGTERM and prints its address when
// ready. Windows programs under Wine reach it through the stand-in
// computenetwork.dll, which forwards every call over loopback TCP when
// HCNSIM_ADDR (with HCNSIM_TOKEN_FILE or HCNSIM_TOKEN) is set.
//
// # Scale
//
// Objects are indexed by id and name, endpoints by network, host ports
// (frontends and port mappings) by (VIP, protocol, port), and the
// HostDefault namespaces, so
// create, open, query, close, delete and filtered enumerates cost the same
// with 1,000 or 100,000 objects (BenchmarkEndpointLifecycle,
// BenchmarkLoadBalancerLifecycle, BenchmarkEnumerateByName). One RWMutex
// guards the state; queries take it shared.
package hcnsim
