package overlay

import (
	"context"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// guard bounds the wait for an event that must come. It only turns a
// missing event into a failure instead of a hang; no test asserts speed.
const guard = 10 * time.Second

// watch starts n's Watch for the test's lifetime.
func watch(t *testing.T, n *Node) <-chan Event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := n.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// next returns the next event; a closed channel or the guard fails the
// test.
func next(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("the watch ended")
		}
		return e
	case <-time.After(guard):
		t.Fatalf("no event within %v", guard)
		return Event{}
	}
}

// expect fails unless the next event is typ about id (and container).
func expect(t *testing.T, ch <-chan Event, typ EventType, id hcn.ID, container string) Event {
	t.Helper()
	e := next(t, ch)
	if e.Type != typ || !e.ID.Equal(id) || e.ContainerID != container {
		t.Fatalf("event %v %q container %q, want %v %q container %q", e.Type, e.ID, e.ContainerID, typ, id, container)
	}
	return e
}

// another returns a second Client on sim: changes behind the node's back.
func another(t *testing.T, sim *hcnsim.Sim) *hcn.Client {
	t.Helper()
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWatchNetworkDeleted(t *testing.T) {
	sim, c := newClient(t)
	other := another(t, sim)
	ctx := context.Background()
	n := newNode(t, c, Config{})
	net, err := n.EnsureNetwork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ch := watch(t, n)

	if err := other.DeleteNetwork(ctx, net.ID, nil); err != nil {
		t.Fatal(err)
	}
	expect(t, ch, NetworkDeleted, net.ID, "")

	again, err := n.EnsureNetwork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID.Equal(net.ID) || !n.NetworkID().Equal(again.ID) {
		t.Fatalf("EnsureNetwork after the delete gave %s (deleted %s, recorded %s)", again.ID, net.ID, n.NetworkID())
	}
	if _, err := c.GetNetwork(ctx, again.ID); err != nil {
		t.Fatalf("the network created again: %v", err)
	}
	a, err := n.Attach(ctx, "c1", nil)
	if err != nil || a.IP != ip("10.200.0.18") {
		t.Fatalf("Attach on the network created again = %v, %v", a.IP, err)
	}

	// The node's own Teardown is not reported: the restart after it is
	// the next event.
	rep, err := n.Teardown(ctx, nil)
	if err != nil || len(rep.Networks) != 1 {
		t.Fatalf("Teardown = %+v, %v", rep, err)
	}
	if err := sim.Restart(); err != nil {
		t.Fatal(err)
	}
	expect(t, ch, ServiceRestarted, "", "")
}

func TestWatchEndpointDetached(t *testing.T) {
	sim, c := newClient(t)
	other := another(t, sim)
	ctx := context.Background()
	n := newNode(t, c, Config{})
	as := map[string]Attachment{}
	for _, id := range []string{"c1", "c2", "c3", "c4"} {
		a, err := n.Attach(ctx, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		as[id] = a
	}
	ch := watch(t, n)

	if err := other.RemoveNamespaceEndpoint(ctx, as["c1"].NamespaceID, as["c1"].EndpointID); err != nil {
		t.Fatal(err)
	}
	e := expect(t, ch, EndpointDetached, as["c1"].EndpointID, "c1")
	if e.Raw.Type.Base() != hcn.NotificationNetworkEndpointDetached {
		t.Errorf("raw notification %v", e.Raw.Type)
	}

	// The node's own Detach is not reported: c3's detach behind its back
	// is the next event.
	if err := n.Detach(ctx, "c2"); err != nil {
		t.Fatal(err)
	}
	if err := other.RemoveNamespaceEndpoint(ctx, as["c3"].NamespaceID, as["c3"].EndpointID); err != nil {
		t.Fatal(err)
	}
	expect(t, ch, EndpointDetached, as["c3"].EndpointID, "c3")

	// A namespace deleted behind its back: its endpoint leaves it first.
	if err := other.DeleteNamespace(ctx, as["c4"].NamespaceID, nil); err != nil {
		t.Fatal(err)
	}
	expect(t, ch, EndpointDetached, as["c4"].EndpointID, "c4")
	expect(t, ch, NamespaceDeleted, as["c4"].NamespaceID, "c4")
}

func TestWatchServiceRestarted(t *testing.T) {
	sim, c := newClient(t)
	ctx := context.Background()
	n := newNode(t, c, Config{})
	if _, err := n.Attach(ctx, "c1", nil); err != nil {
		t.Fatal(err)
	}
	ch := watch(t, n)
	if err := sim.Restart(); err != nil {
		t.Fatal(err)
	}
	e := expect(t, ch, ServiceRestarted, "", "")
	if !e.Raw.Disconnected() {
		t.Errorf("raw notification %v is not a disconnect", e.Raw.Type)
	}
	// The node's objects persist; EnsureNetwork finds the network and the
	// next Attach does not reuse c1's address.
	if _, err := n.EnsureNetwork(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := n.Attach(ctx, "c2", nil)
	if err != nil || a.IP != ip("10.200.0.19") {
		t.Fatalf("Attach after the restart = %v, %v; want 10.200.0.19", a.IP, err)
	}
	// Detach after the restart: the held handle is invalid, the detach
	// reopens the namespace and removes everything.
	for _, id := range []string{"c1", "c2"} {
		if err := n.Detach(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if eps, nss := leftovers(t, c); len(eps)+len(nss) != 0 {
		t.Fatalf("left %d endpoints, %d namespaces", len(eps), len(nss))
	}
}

func TestEventTypeString(t *testing.T) {
	for typ, want := range map[EventType]string{NetworkDeleted: "NetworkDeleted", EndpointDetached: "EndpointDetached",
		NamespaceDeleted: "NamespaceDeleted", ServiceRestarted: "ServiceRestarted", 0: "EventType(0)", 9: "EventType(9)"} {
		if got := typ.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(typ), got, want)
		}
	}
}
