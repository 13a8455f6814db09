package overlay_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/overlay"
)

// A node's lifecycle on the emulator: the slice network, two containers,
// their detach, and the node's removal.
func Example() {
	sim := hcnsim.New(nil) // on Windows: hcn.NewClient(nil), the host service
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		log.Fatal(err)
	}
	node, err := overlay.New(overlay.Config{Client: c, OwnerTag: "zlayer",
		Slice: netip.MustParsePrefix("10.200.0.16/28")})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	net, err := node.EnsureNetwork(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("network", net.Name, net.Type)
	for _, id := range []string{"web", "db"} {
		a, err := node.Attach(ctx, id, nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(id, a.IP, a.Prefix, "via", a.Gateway)
	}
	for _, id := range []string{"web", "db"} {
		if err := node.Detach(ctx, id); err != nil {
			log.Fatal(err)
		}
	}
	rep, err := node.Teardown(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("networks deleted:", len(rep.Networks))
	// Output:
	// network zlayer-10.200.0.16_28 Internal
	// web 10.200.0.18 10.200.0.18/28 via 10.200.0.17
	// db 10.200.0.19 10.200.0.19/28 via 10.200.0.17
	// networks deleted: 1
}

// An agent that crashed left two containers attached; the one that is
// still running is taken over, the other is swept.
func ExampleNode_Sweep() {
	sim := hcnsim.New(nil)
	c, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	cfg := overlay.Config{Client: c, OwnerTag: "zlayer", Slice: netip.MustParsePrefix("10.200.0.16/28")}
	ctx := context.Background()

	before, _ := overlay.New(cfg)
	for _, id := range []string{"web", "db"} {
		if _, err := before.Attach(ctx, id, nil); err != nil {
			log.Fatal(err)
		}
	}
	before.Close() // the crash: handles gone, objects left on the service

	node, _ := overlay.New(cfg)
	alive := func(containerID string) bool { return containerID == "db" }
	rep, err := node.Sweep(ctx, alive, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range rep.Endpoints {
		fmt.Println("swept", e.Name, e.IPs)
	}
	fmt.Println("namespaces swept:", len(rep.Namespaces))
	a, err := node.Attach(ctx, "db", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("db", a.IP, "adopted:", a.Adopted)
	// Output:
	// swept zlayer-web [10.200.0.18]
	// namespaces swept: 1
	// db 10.200.0.19 adopted: true
}

// Reacting to changes made behind the node's back: a container's endpoint
// taken out of its namespace, the network deleted and created again.
func ExampleNode_Watch() {
	sim := hcnsim.New(nil)
	c, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	node, _ := overlay.New(overlay.Config{Client: c, OwnerTag: "zlayer",
		Slice: netip.MustParsePrefix("10.200.0.16/28")})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	web, err := node.Attach(ctx, "web", nil)
	if err != nil {
		log.Fatal(err)
	}
	events, err := node.Watch(ctx)
	if err != nil {
		log.Fatal(err)
	}

	// Someone else, through a client of their own.
	other, _ := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err := other.RemoveNamespaceEndpoint(ctx, web.NamespaceID, web.EndpointID); err != nil {
		log.Fatal(err)
	}
	if err := other.DeleteNetwork(ctx, node.NetworkID(), nil); err != nil {
		log.Fatal(err)
	}

	for e := range events {
		switch e.Type {
		case overlay.EndpointDetached:
			fmt.Println("container", e.ContainerID, "lost its network")
		case overlay.NetworkDeleted:
			net, err := node.EnsureNetwork(ctx)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println("network deleted; created again:", net.Name)
			cancel()
		}
	}
	// Output:
	// container web lost its network
	// network deleted; created again: zlayer-10.200.0.16_28
}
