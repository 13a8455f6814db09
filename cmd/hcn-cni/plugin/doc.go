// Package plugin is hcn-cni's logic: a CNI 1.1 plugin that attaches
// containers to an HCN network (L2Bridge, Overlay or NAT) through hcnkit,
// for containerd and Kubernetes on Windows nodes.
//
// # Attachments
//
// An attachment is one HCN endpoint named "<containerID>_<network>" on the
// network named by the configuration's name, added to the namespace whose
// bare GUID is CNI_NETNS (containerd creates the namespace; a path or any
// other non-GUID is code 4). The endpoint is the plugin's only state: a
// repeated ADD of an attachment already in that namespace returns its
// result; an endpoint of that name elsewhere or in no namespace (an ADD
// killed midway) is deleted and made again. DEL and GC find endpoints by
// name, so CNI_NETNS may be empty or name a deleted namespace on DEL.
//
// # Configuration
//
// The keys of microsoft/windows-container-networking's sdnbridge,
// sdnoverlay and nat and of win-bridge/win-overlay with apiVersion 2 are
// accepted, matched case-insensitively; any other key is code 7 naming it.
// The network type comes from type: sdnbridge and win-bridge are L2Bridge,
// sdnoverlay and win-overlay Overlay, nat NAT; any other type (hcn-cni)
// needs "mode": "l2bridge", "overlay" or "nat", and a mode given with
// one of those types must agree with it. win-bridge and win-overlay only
// use an existing network; the others create it when absent from the
// ipam subnet (ipam.subnet, or the first range of each ipam.ranges set,
// its gateway or else the subnet's first address), with the
// AdditionalArgs NetworkPolicy entries as network policies (an existing
// network is used as it is, if its type matches). Concurrent creators are
// safe: the service refuses a second network of one name and the loser
// uses the winner's.
//
// Addresses: with ipam.type set, that IPAM plugin is run from CNI_PATH
// with the whole configuration (ADD, DEL, CHECK, STATUS and GC are
// forwarded; its other ipam keys are its own) and the endpoint is created
// with its addresses; with no ipam.type the service assigns the lowest
// free address of the network's subnet (ipam then takes only subnet,
// ranges with subnet and gateway, and routes).
//
// Policies: one PortMapping per runtime port mapping (hostIP as VIP;
// LocalRoutedVIP flag with optionalFlags.localRoutedPortMapping), one
// inbound Switch ACL allowing the container port per mapping (priority
// 1000) with optionalFlags.allowAclPortMapping, the EndpointPolicy entries
// of AdditionalArgs or policies, OutBoundNAT with the ipMasqNetwork
// exception when ipMasq, and with loopbackDSR (optionalFlags or top level)
// an OutBoundNAT whose Destinations is the endpoint's own address.
//
// DNS: the configuration's dns, each of servers, search and options
// replaced by the runtime's dns capability when that has it. When the
// search list is the configuration's and CNI_ARGS has K8S_POD_NAMESPACE,
// "<namespace>.<first suffix>" is put in front of it (sdnbridge's rule;
// the runtime's own list already starts with the pod's suffix).
// Capabilities arrive with containerd's Go field names (HostPort, Servers)
// or the CNI spelling.
//
// Backend: the host service on Windows, always. Elsewhere the emulator
// (hcnsim), the first of: the state file named by $HCNKIT_SIM_STATE; the
// state file named by hcnkit.simState; the emulator served at
// $HCNKIT_SIM_ADDR ("unix:/path" or "tcp:127.0.0.1:port", as hcnsimd
// prints it; a TCP server's token is read from $HCNKIT_SIM_TOKEN_FILE,
// else hcnsim's default token file), connected for the one command and
// disconnected when it ends, so the server runs down any handle the
// command left. A served emulator that cannot be reached is code 50,
// never a fallback. With none of them, every command but VERSION fails
// with code 50 and touches nothing.
//
// # Results
//
// One interface named CNI_IFNAME with the endpoint's MAC (colon form) and
// CNI_NETNS as sandbox; every address on interface 0 with its subnet's
// gateway; the IPAM plugin's routes, else ipam.routes, else a default
// route via each gateway; the endpoint's DNS. Converted to the
// configuration's cniVersion (0.3.0 to 1.1.0).
//
// # Failures
//
// A failing ADD undoes what it did in reverse: the endpoint is deleted
// and the IPAM allocation released. DEL releases the IPAM allocation and
// deletes the endpoint whichever fails, reports the IPAM failure after,
// and succeeds when everything is already gone (an IPAM plugin not
// installed allocated nothing). GC continues past failures and reports
// them together (code 120). Error codes: 4 bad CNI_NETNS or CNI_ARGS, 6
// not JSON, 7 bad configuration (naming the field), 11 the service is
// restarting, 50 no service (or STATUS: the network is unusable), and the
// plugin's own codes 100–120 (see the Err constants); a delegated IPAM
// plugin's error keeps its code.
package plugin
