package overlay

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/hcnkit/hcn"
)

// ErrNetworkMismatch is what a *MismatchError wraps.
var ErrNetworkMismatch = errors.New("network differs from the node's configuration")

// MismatchError reports an existing network that EnsureNetwork would not
// reuse: its type, slice or uplink differs from the Config.
type MismatchError struct {
	// ID and Name identify the existing network.
	ID   hcn.ID
	Name string
	// Differences say what differs, one per item, e.g.
	// `Type: want Internal, have NAT`.
	Differences []string
}

// Error formats the network and every difference.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("overlay: network %q (%s) does not match the node's configuration (set Config.ReplaceMismatched to replace it): %s",
		e.Name, e.ID, strings.Join(e.Differences, "; "))
}

// Unwrap returns ErrNetworkMismatch.
func (e *MismatchError) Unwrap() error { return ErrNetworkMismatch }

// Node is one node of the overlay: its slice network and the containers
// attached to it. It is safe for concurrent use; operations on one
// container are serialised, operations on different containers run in
// parallel. Several Nodes (in one process or several) may share one
// service and one network: the service arbitrates names and addresses.
type Node struct {
	cfg *configured
	c   *hcn.Client

	// now and sleep are the clock; tests replace them.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	// ensure serialises EnsureNetwork.
	ensure sync.Mutex
	uplink string // the resolved uplink of a bound network

	mu        sync.Mutex
	network   *hcn.Network // the ensured network; nil until EnsureNetwork
	netID     hcn.ID       // the network to record; kept when network is dropped
	createdAt time.Time    // when this Node created the network; zero when it reused one
	alloc     *allocator
	// claimed are the addresses this Node has claimed and not released:
	// in flight and attached. reset keeps them claimed.
	claimed map[netip.Addr]struct{}
	// reserved are addresses the service refused that no endpoint held.
	reserved map[netip.Addr]struct{}
	atts     map[string]*attachment // attached, by container id
	// unfinished are detaches that failed part-way, by container id; the
	// next Detach, Attach or Teardown of the container finishes them.
	unfinished map[string]*attachment
	byID       map[hcn.ID]string // endpoint and namespace ids of atts → container id
	locks      map[string]*keyLock
}

// keyLock serialises the operations on one container.
type keyLock struct {
	ch    chan struct{}
	users int
}

// New returns a Node for cfg. It makes no service call; EnsureNetwork (or
// the first Attach) finds or creates the network. Every field error of
// cfg is reported at once, each naming its field.
func New(cfg Config) (*Node, error) {
	c, err := cfg.check()
	if err != nil {
		return nil, err
	}
	return &Node{
		cfg: c, c: c.Client,
		now: time.Now, sleep: sleepCtx,
		netID:      c.NetworkID,
		alloc:      newAllocator(c.Slice),
		claimed:    map[netip.Addr]struct{}{},
		reserved:   map[netip.Addr]struct{}{},
		atts:       map[string]*attachment{},
		unfinished: map[string]*attachment{},
		byID:       map[hcn.ID]string{},
		locks:      map[string]*keyLock{},
	}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Slice returns the node's slice.
func (n *Node) Slice() netip.Prefix { return n.cfg.Slice }

// Gateway returns the slice's gateway, network+1.
func (n *Node) Gateway() netip.Addr { return n.cfg.gateway }

// NetworkName returns the name of the node's network.
func (n *Node) NetworkName() string { return n.cfg.NetworkName }

// NetworkID returns the id of the node's network to record for the next
// run (Config.NetworkID): the ensured network's, else the recorded one.
func (n *Node) NetworkID() hcn.ID {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.netID
}

// EnsureNetwork returns the node's network, finding or creating it:
//
//  1. the network recorded in Config.NetworkID, while it exists;
//  2. else the network named Config.NetworkName;
//  3. else a new one: an Internal network with no policies, or a
//     Transparent or L2Bridge network bound to the uplink, each with Static
//     IPAM over the slice and a default route via network+1.
//
// A network found in step 1 or 2 whose type, slice or uplink differs from
// the Config is a *MismatchError (nothing is changed), or is deleted and
// re-created with Config.ReplaceMismatched. Creators racing in several
// processes end with one network: the service refuses the second name and
// the loser reuses the winner's network. EnsureNetwork is idempotent; each
// call re-reads the network, so a network deleted behind the node's back
// is created again. It then reads the addresses of the network's
// endpoints, so that the node's allocator resumes where the service is.
func (n *Node) EnsureNetwork(ctx context.Context) (*hcn.Network, error) {
	n.ensure.Lock()
	defer n.ensure.Unlock()
	return n.ensureLocked(ctx)
}

// ensureLocked is EnsureNetwork with n.ensure held.
func (n *Node) ensureLocked(ctx context.Context) (*hcn.Network, error) {
	net, created, err := n.findOrCreate(ctx)
	if err != nil {
		return nil, err
	}
	id := net.ID.Canonical()
	eps, err := n.c.ListEndpoints(ctx, &hcn.ListOptions{Network: id})
	if err != nil {
		return nil, fmt.Errorf("overlay: reading the addresses in use on network %s: %w", id, err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.network == nil || !n.network.ID.Equal(id) || created {
		// Another network: the refusals of the last one do not apply.
		n.createdAt = time.Time{}
		clear(n.reserved)
	}
	if created {
		n.createdAt = n.now()
	}
	n.network, n.netID = net, id
	n.resetLocked(endpointAddrs(eps))
	return net, nil
}

// findOrCreate is EnsureNetwork's lookup: the network and whether this
// call created it.
func (n *Node) findOrCreate(ctx context.Context) (*hcn.Network, bool, error) {
	if n.cfg.bound() && n.uplink == "" {
		u, err := n.cfg.uplink()
		if err != nil {
			return nil, false, err
		}
		n.uplink = u
	}
	want, err := n.cfg.networkDoc(n.uplink)
	if err != nil {
		return nil, false, err
	}
	var net *hcn.Network
	if rec := n.NetworkID(); rec != "" {
		net, err = n.c.GetNetwork(ctx, rec)
		if err != nil && !hcn.IsNotFound(err) {
			return nil, false, err
		}
	}
	if net == nil {
		net, err = n.c.GetNetworkByName(ctx, n.cfg.NetworkName)
		if err != nil && !hcn.IsNotFound(err) {
			return nil, false, err
		}
	}
	for range 2 {
		if net != nil {
			diff := n.differences(net)
			if len(diff) == 0 {
				return net, false, nil
			}
			merr := &MismatchError{ID: net.ID, Name: net.Name, Differences: diff}
			if !n.cfg.ReplaceMismatched {
				return nil, false, merr
			}
			n.forgetNetwork(net.ID)
			if err := n.c.DeleteNetwork(ctx, net.ID, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
				return nil, false, fmt.Errorf("overlay: replacing %w: %w", merr, err)
			}
		}
		var created bool
		net, created, err = n.c.EnsureNetwork(ctx, want)
		if err != nil || created {
			return net, created, err
		}
		// Another creator won the race, or a network of that name
		// appeared after the lookup: check it like any other.
	}
	return nil, false, &MismatchError{ID: net.ID, Name: net.Name, Differences: n.differences(net)}
}

// forgetNetwork drops the node's network when it is id, before the node
// itself deletes it, so that Watch does not report the node's own delete.
func (n *Node) forgetNetwork(id hcn.ID) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.netID.Equal(id) {
		n.network, n.netID = nil, ""
	}
}

// dropNetwork forgets the ensured network when it is id, keeping its
// record, so that the next Attach ensures the network again.
func (n *Node) dropNetwork(id hcn.ID) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.network != nil && n.network.ID.Equal(id) {
		n.network = nil
	}
}

// differences lists how net differs from the Config.
func (n *Node) differences(net *hcn.Network) []string {
	var diff []string
	if !net.Type.Is(n.cfg.Type) {
		have := string(net.Type)
		if have == "" {
			have = string(hcn.NetworkTypeNAT) + " (no Type)"
		}
		diff = append(diff, fmt.Sprintf("Type: want %s, have %s", n.cfg.Type, have))
	}
	var prefixes []string
	found := false
	for _, ipam := range net.Ipams {
		for _, s := range ipam.Subnets {
			prefixes = append(prefixes, s.IpAddressPrefix)
			if p, err := netip.ParsePrefix(s.IpAddressPrefix); err != nil || p.Masked() != n.cfg.Slice {
				continue
			}
			found = true
			for _, r := range s.Routes {
				if gw, err := netip.ParseAddr(r.NextHop); err == nil && n.cfg.Slice.Contains(gw) && gw != n.cfg.gateway {
					diff = append(diff, fmt.Sprintf("gateway: want %s (network+1), have %s", n.cfg.gateway, gw))
				}
			}
		}
	}
	if !found {
		have := strings.Join(prefixes, ", ")
		if have == "" {
			have = "no static subnet"
		}
		diff = append(diff, fmt.Sprintf("subnet: want %s, have %s", n.cfg.Slice, have))
	}
	if n.cfg.bound() {
		if p, ok := net.Policy(hcn.PolicyTypeNetAdapterName); ok {
			if s, ok := p.Settings.(*hcn.NetAdapterNamePolicySetting); ok && !strings.EqualFold(s.NetworkAdapterName, n.uplink) {
				diff = append(diff, fmt.Sprintf("uplink: want %q, have %q", n.uplink, s.NetworkAdapterName))
			}
		}
	}
	return diff
}

// endpointAddrs returns every address of eps.
func endpointAddrs(eps []*hcn.Endpoint) []netip.Addr {
	var out []netip.Addr
	for _, e := range eps {
		for _, c := range e.IpConfigurations {
			if a, err := c.Addr(); err == nil {
				out = append(out, a)
			}
		}
	}
	return out
}

// resetLocked rebuilds the allocator from the addresses in use on the
// service, keeping the node's own claims and the addresses the service
// refused. n.mu is held.
func (n *Node) resetLocked(used []netip.Addr) {
	for ip := range n.claimed {
		used = append(used, ip)
	}
	for ip := range n.reserved {
		used = append(used, ip)
	}
	n.alloc.reset(used)
}

// current returns the ensured network, ensuring it first when there is
// none.
func (n *Node) current(ctx context.Context) (*hcn.Network, error) {
	if net := n.ensured(); net != nil {
		return net, nil
	}
	n.ensure.Lock()
	defer n.ensure.Unlock()
	if net := n.ensured(); net != nil {
		return net, nil // ensured while this call waited
	}
	return n.ensureLocked(ctx)
}

// ensured returns the ensured network, nil when there is none.
func (n *Node) ensured() *hcn.Network {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.network
}

// lock serialises the operations on container id; the returned func
// unlocks. It waits under ctx.
func (n *Node) lock(ctx context.Context, id string) (func(), error) {
	n.mu.Lock()
	l := n.locks[id]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		n.locks[id] = l
	}
	l.users++
	n.mu.Unlock()
	done := func() {
		n.mu.Lock()
		if l.users--; l.users == 0 {
			delete(n.locks, id)
		}
		n.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}
