// Package overlay is the node flow of an overlay network on Windows: a
// node owns a slice of the cluster CIDR (a /28 by default), its Windows
// containers get addresses of that slice on an HCN network, reach the rest
// of the cluster through the host, and are cleaned up when they stop.
//
//	c, _ := hcn.NewClient(nil) // the host service on Windows
//	node, _ := overlay.New(overlay.Config{Client: c, OwnerTag: "zlayer",
//		Slice: netip.MustParsePrefix("10.200.0.16/28")})
//	node.EnsureNetwork(ctx)                    // find or create the slice network
//	a, _ := node.Attach(ctx, containerID, nil) // endpoint + namespace: a.IP, a.NamespaceID
//	...                                        // HCS starts the container in a.NamespaceID
//	node.Detach(ctx, containerID)              // when it stops
//
// # The network
//
// EnsureNetwork reuses the network recorded from an earlier run
// (Config.NetworkID, read back with Node.NetworkID), else the one named
// Config.NetworkName, else creates one. The default is an Internal network:
// HCN builds an internal vSwitch and gives the host a vNIC at network+1, so
// container traffic never touches the operator's physical NIC. Config.Type
// Transparent (or L2Bridge) binds the network to the uplink adapter
// (Config.Uplink, else package adapter's choice: the HCNKIT_UPLINK_ADAPTER
// override, else the default route's adapter). Every network declares a
// default route via network+1: without it the Transparent driver picks a
// gateway itself and reserves more low addresses. A network of that name
// with another type, slice or uplink is never reused silently: it is a
// *MismatchError (so is one whose slice route names another gateway than
// network+1), or is replaced with Config.ReplaceMismatched.
//
// # Policies per network type
//
// An endpoint gets no policy unless the caller opts in, and an option the
// network type does not take is refused before any call:
//
//	network type   OutBoundNAT   SDNRoute   InboundACL
//	Internal       refused       refused    refused
//	Transparent    refused       refused    refused
//	NAT            refused       refused    refused
//	L2Bridge       allowed       allowed    allowed
//
// On Internal and Transparent networks the service accepts OutBoundNAT, ACL
// and SDNRoute policies at endpoint create, but HCS then fails to start the
// container with E_INVALIDARG, and a Transparent network refuses SDNRoute
// outright; containerd sends no policies there. Those containers reach the
// cluster through the host's routes (the slice's gateway). L2Bridge
// networks take all three, as the Kubernetes bridge plugins use them. A
// NAT network (Config.Type NAT, the network Windows containers get by
// default) NATs by itself and gets none either.
//
// # Attach and Detach
//
// Attach creates, in this order, the endpoint "<OwnerTag>-<containerID>"
// (static or next free address, the slice's prefix length, a default
// route via the gateway, DNS when given), a Host namespace whose id is
// derived from the endpoint's (fresh for every attach, and findable by
// Sweep if the attach is cut short), and adds the endpoint to it. The
// namespace handle stays open until Detach: closing it early makes the
// container fail to start (0x80070490). Attachment.NamespaceID is the bare
// lower-case GUID HCS wants. Any failure removes what was created.
//
// Detach removes the endpoint from the namespace, closes the handle,
// deletes the endpoint, then the namespace; "already gone" is done at
// every step, and the host's default namespace is never touched.
//
// Service calls, when nothing fails and whatever the number of containers
// on the node: an Attach makes 8 (the name check, 5 for the endpoint
// create and read-back, 1 namespace create, 1 namespace modify), a Detach
// 4 (modify, close, and the two deletes).
//
// # Addresses
//
// Network+1 is the gateway; containers get network+2 upward, lowest free
// first; an exhausted slice is ErrSliceExhausted, found before any call.
// The allocator is not a second source of truth: EnsureNetwork reads the
// addresses of the network's endpoints from the service, so a node that
// restarts resumes where the service is, and the lowest address a detach
// freed is handed out again. When the service refuses an address
// (HCN_E_ADDR_INVALID_OR_RESERVED), the node reads the network's endpoints
// again: an address another process took is traded for the next free one;
// one nobody holds is retried with backoff while the node's new network
// settles (Config.SettleTime), under the caller's context, and skipped
// after that. IPv6 slices work the same way.
//
// # Leftovers and events
//
// Sweep removes what an agent that crashed left behind: the owner's
// endpoints whose container is no longer alive, their namespaces, and
// namespaces that reference only endpoints that no longer exist (HCS
// cannot start a container in one); SweepOptions.DryRun only reports.
// Teardown detaches every container and deletes the node's networks, by
// record and then by name. Watch reports changes the node did not make:
// its network deleted, a container's endpoint detached or namespace
// deleted, a service restart.
//
// The package imports only package hcn, package adapter and the standard
// library.
package overlay
