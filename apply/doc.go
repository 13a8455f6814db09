// Package apply converges a host's HCN objects to a desired state: Plan
// compares a Desired set of documents with what exists and lists the
// actions that close the gap; Apply carries them out through an
// hcn.Client. It serves kube-proxy-like programs, which re-apply their
// whole view on every change, and the `hcnctl apply` command.
//
//	d := &apply.Desired{Networks: ..., Endpoints: ..., LoadBalancers: ...}
//	o := &apply.Options{Owner: "proxy", Prune: true}
//	plan, err := apply.Plan(ctx, c, d, o)
//	fmt.Print(plan)                 // + network web, ~ endpoint web-1: Policies, ...
//	_, err = apply.Apply(ctx, c, plan, o)
//	o.Observed = plan.Observed      // the next Plan costs calls in proportion to change
//
// # Desired state
//
// Each entry of Desired is the service's own document (hcn.Network,
// hcn.Endpoint, ...), the shape `hcnctl get -o json` prints, with JSON keys
// networks, endpoints, namespaces, loadBalancers and routes. Where the
// service wants an id an entry may give a name: an endpoint's, load
// balancer's or route's HostComputeNetwork may name a network, and load
// balancer and route HostComputeEndpoints and namespace endpoint resources
// may name endpoints — of the desired set or of the host. Input that cannot
// be used is an *InputError naming the entry ("endpoints[2].HostComputeNetwork
// "web2": no such network"): invalid documents, duplicate names or ids,
// owner tags that disagree are found before any service call; references
// to nothing are found after the reads, before any change.
//
// # Matching
//
// An entry that gives an ID means the object with that id. Otherwise:
//
//   - networks and endpoints are matched by Name (exact; an object carrying
//     the owner tag is preferred when several share it);
//   - a load balancer is matched by its frontends — the set of (VIP,
//     protocol, external port) — among objects carrying the owner tag;
//   - a route by its network and the set of its destination prefixes,
//     among objects carrying the owner tag;
//   - a namespace by its endpoints: the owner's namespace holding most of
//     the entry's endpoints (an endpoint is in one namespace at most), or,
//     for an entry with none, an owner's namespace with none.
//
// The keys are computed from the documents each time, never stored, so
// they survive a service that drops members it does not know; what marks
// an object as Apply's is the base member Owner, which Apply sets to
// Options.Owner on every object it creates (the emulator keeps it, and
// real outputs carry it). Limits: changing a load balancer's frontends or
// a route's destinations makes a new object, and the old one is removed
// only by Prune; an object whose Owner the service did not keep is never
// pruned (the safe side) and, for the families matched by key, not
// recognised, so a second create of a load balancer fails with
// ErrPortInUse rather than making a duplicate. Objects that exist but do
// not carry the tag are adopted when matched by name or id (changed, never
// pruned, their Owner left as it was). The host's default namespace is
// never matched by key nor deleted.
//
// # Comparison and updates
//
// Only the members an entry sets are compared — the service adds State,
// Version, Health, MacAddress, allocated addresses — recursively: objects
// member by member on the entry's side, lists as multisets, strings without
// regard to case (enum values), GUIDs, MACs, addresses and prefixes by
// value; an empty value matches an absent one, a network Type NAT an
// absent Type. Ids, SchemaVersion and the base members (Owner, Version,
// State, Health, AdditionalParams) and read-only members
// (HostComputeNamespace, NamespaceId) are never compared.
//
// What differs is changed in place where the service has a request for it
// — network Policies and Dns, endpoint Policies, namespace endpoints,
// load balancers through HcnModifyLoadBalancer where the service version
// has it (hcn.FeatureModifyLoadBalancer, HNS 15.5), routes through
// HcnModifySdnRoute — and otherwise replaced: deleted and created again
// under the same id, so references to it stay valid. The plan says which
// and why. A replaced network takes its endpoints with it; the plan
// recreates the desired ones under their ids and re-adds them to their
// namespaces.
//
// # Plans
//
// A plan (Changes) lists deletes first, in reverse dependency order (routes,
// load balancers, namespaces, endpoints, networks), then creates, updates
// and replacements in dependency order, each with the members that differ
// (old and new values as JSON text). Its String prints
//
//	-/+ network web: Type (Type cannot be modified in place)
//	    Type: "Internal" -> "NAT"
//	+ endpoint web-1
//	~ endpoint web-3: Policies
//	    Policies: [...] -> [...]
//	- loadbalancer 5f0c1c6e-...
//
// or "no changes". Apply of an empty plan makes no call.
//
// # Interrupted applies
//
// Apply stops at the first failure or when its context ends. Every object
// it creates carries the owner tag and is found again by its name or key,
// every create uses an id chosen by the plan, and deletes of what is
// already gone succeed, so a next Plan and Apply converge from whatever
// state an interrupted one left (tests fail each mutating call in turn).
//
// # The State cache
//
// Without Options.Observed, Plan reads every object of the families it
// needs (1+3N calls). With it, Plan enumerates each family it needs once,
// reads only the objects the cache lacks and drops those that are gone;
// Apply records what it did in the plan's State (Plan.Observed, the same
// State given as Observed). Converging 5,000 load balancers of which 50
// changed then costs one enumerate and at most three calls per changed load
// balancer (BenchmarkConverge). The families Plan needs are those with
// entries, those named by a name reference, and all five when pruning.
//
// An enumerate does not see another writer's change to an object the
// cache holds. A caller sharing the host keeps the cache current with
// State.Observe for each event of hcn.Client.Watch, State.Forget for an
// object it knows changed, or State.Refresh.
package apply
