package overlay

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/hcnkit/hcn"
)

// A network deleted behind the node's back fails the next Attach with
// HCN_E_NETWORK_NOT_FOUND and leaves nothing; the Attach after it creates
// the network again and the container gets network+2.
func TestAttachAfterNetworkDeletedBehindTheNode(t *testing.T) {
	_, c := newClient(t)
	ctx := context.Background()
	n := newNode(t, c, Config{Slice: netip.MustParsePrefix("10.200.0.16/28")})
	net, err := n.EnsureNetwork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c1, err := n.Attach(ctx, "c1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteNetwork(ctx, net.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Attach(ctx, "c2", nil); !errors.Is(err, hcn.HCN_E_NETWORK_NOT_FOUND) {
		t.Fatalf("Attach on a deleted network = %v, want HCN_E_NETWORK_NOT_FOUND", err)
	}
	// c1's namespace is all there is: its endpoint went with the network.
	if eps, nss := leftovers(t, c); len(eps) != 0 || len(nss) != 1 || !nss[0].ID.Equal(c1.NamespaceID) {
		t.Fatalf("after the failed attach: %d endpoints, %d namespaces; want only c1's namespace", len(eps), len(nss))
	}
	a, err := n.Attach(ctx, "c2", nil)
	if err != nil {
		t.Fatalf("Attach after the failed one: %v", err)
	}
	if a.NetworkID.Equal(net.ID) || a.IP != netip.MustParseAddr("10.200.0.19") {
		t.Fatalf("Attach = network %s ip %s; want a new network and 10.200.0.19 (c1 still holds .18 until its Detach)", a.NetworkID, a.IP)
	}
	if !n.NetworkID().Equal(a.NetworkID) {
		t.Fatalf("NetworkID = %s, want the new network %s", n.NetworkID(), a.NetworkID)
	}
	for _, id := range []string{"c1", "c2"} {
		if err := n.Detach(ctx, id); err != nil {
			t.Fatalf("Detach %s: %v", id, err)
		}
	}
	if eps, nss := leftovers(t, c); len(eps) != 0 || len(nss) != 0 {
		t.Fatalf("after detach: %d endpoints, %d namespaces left", len(eps), len(nss))
	}
}

// A NAT node network is created with Type NAT (no Type member, as the
// service writes NAT) and takes containers like any other.
func TestNATNodeNetwork(t *testing.T) {
	_, c := newClient(t)
	ctx := context.Background()
	n := newNode(t, c, Config{Type: hcn.NetworkTypeNAT})
	net, err := n.EnsureNetwork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !net.Type.Is(hcn.NetworkTypeNAT) && net.Type != "" {
		t.Fatalf("network type %q, want NAT", net.Type)
	}
	if len(net.Policies) != 0 {
		t.Fatalf("a NAT node network has policies: %v", net.Policies)
	}
	a, err := n.Attach(ctx, "c1", nil)
	if err != nil || a.IP != netip.MustParseAddr("10.200.0.18") {
		t.Fatalf("Attach = %v, %v; want 10.200.0.18", a.IP, err)
	}
	if err := n.Detach(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	// The same name asked for as Internal is a mismatch.
	m := newNode(t, c, Config{})
	var merr *MismatchError
	if _, err := m.EnsureNetwork(ctx); !errors.As(err, &merr) || len(merr.Differences) != 1 {
		t.Fatalf("EnsureNetwork of an Internal node over the NAT network = %v, want one difference", err)
	}
}

// A network of the node's name whose slice route names another gateway
// than network+1 is a mismatch: the node's containers would route via a
// gateway the network does not have.
func TestMismatchedGateway(t *testing.T) {
	_, c := newClient(t)
	ctx := context.Background()
	n := newNode(t, c, Config{})
	doc, err := hcn.InternalNetwork(n.NetworkName(), slice28)
	if err != nil {
		t.Fatal(err)
	}
	doc.Ipams[0].Subnets[0].Routes[0].NextHop = "10.200.0.30"
	if _, err := c.CreateNetwork(ctx, doc); err != nil {
		t.Fatal(err)
	}
	var merr *MismatchError
	if _, err := n.EnsureNetwork(ctx); !errors.As(err, &merr) || len(merr.Differences) != 1 ||
		merr.Differences[0] != "gateway: want 10.200.0.17 (network+1), have 10.200.0.30" {
		t.Fatalf("EnsureNetwork = %v, want the gateway named as the one difference", err)
	}
}
