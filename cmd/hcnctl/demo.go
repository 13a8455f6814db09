package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"text/tabwriter"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/overlay"
	"github.com/spf13/cobra"
)

// The demo's node: owner tag, slice, containers and load balancer.
const (
	demoOwner = "demo"
	demoSlice = "10.200.0.16/28"
	demoVIP   = "10.96.0.10"
)

var demoContainers = []string{"web-1", "web-2", "web-3"}

// demoEventWait bounds the wait for the notifications the demo caused:
// they arrive within microseconds, the bound only guards against a hang.
const demoEventWait = 30 * time.Second

// demoCmd is `hcnctl demo`.
func (a *app) demoCmd() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "demo",
		Short: "Run the node flow on a throwaway in-memory emulator and show each step",
		Long: `demo shows what hcnkit does on a node, on an in-memory emulator made for the run and thrown
away after it: never the host's service or the sim backend's state file, whatever --backend and
--state say. It creates the node's slice network (package overlay, an Internal network on
10.200.0.16/28), attaches three containers (endpoint and namespace each), puts a load balancer over
them (TCP 80 on a VIP to 8080), shows the service's notifications those steps caused, runs doctor
(no problems), then detaches the containers and tears the node down until nothing is left.
Ids are abbreviated to their first 8 characters.`,
		Example: `  hcnctl demo`,
		Args:    cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		return runDemo(ctx, a.out)
	})
}

// runDemo runs the demo on a fresh in-memory emulator, printing to w.
func runDemo(ctx context.Context, w io.Writer) error {
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: hcnsim.New(nil)})
	if err != nil {
		return err
	}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	events, err := c.Watch(wctx)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "1. The node's slice network (package overlay)")
	node, err := overlay.New(overlay.Config{Client: c, OwnerTag: demoOwner, Slice: netip.MustParsePrefix(demoSlice)})
	if err != nil {
		return err
	}
	defer node.Close()
	net, err := node.EnsureNetwork(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   network %s  id %s  type %s  slice %s  gateway %s\n\n", net.Name, short(net.ID), net.Type, node.Slice(), node.Gateway())

	fmt.Fprintln(w, "2. Three containers attached (an endpoint and a namespace each)")
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "   CONTAINER\tIP\tENDPOINT\tNAMESPACE")
	var backends []hcn.ID
	for _, id := range demoContainers {
		at, err := node.Attach(ctx, id, nil)
		if err != nil {
			return err
		}
		backends = append(backends, at.EndpointID)
		fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\n", id, at.Prefix, short(at.EndpointID), short(at.NamespaceID))
	}
	tw.Flush()
	fmt.Fprintln(w)

	fmt.Fprintln(w, "3. A load balancer over them")
	spec := hcn.LoadBalancerSpec{Endpoints: backends, FrontendVIPs: []netip.Addr{netip.MustParseAddr(demoVIP)},
		Ports: []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, ExternalPort: 80, InternalPort: 8080}}}
	lb, err := c.CreateLoadBalancer(ctx, spec.Document())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   load balancer %s  %s tcp 80 -> 8080  backends %d\n\n", short(lb.ID), demoVIP, len(lb.HostComputeEndpoints))

	fmt.Fprintln(w, "4. The service's notifications for those steps (a watch started before step 1)")
	// One network create, then per container a namespace create and an
	// endpoint attach; load balancers send none.
	want := 1 + 2*len(demoContainers)
	got, err := collectEvents(ctx, events, want)
	for _, ev := range got {
		fmt.Fprintf(w, "   %-28s %-10s %s\n", ev.Type, ev.Kind, short(ev.ID))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "5. Doctor")
	rep, err := diagnose(ctx, c, demoOwner)
	if err != nil {
		return err
	}
	if len(rep.Problems) == 0 {
		fmt.Fprintln(w, "   no problems")
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "   %s %s %s: %s\n", p.Class, p.Kind, short(hcn.ID(p.ID)), p.Message)
		}
		return fmt.Errorf("doctor found %d problems on the demo's objects", len(rep.Problems))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "6. Detach and teardown")
	if err := c.DeleteLoadBalancer(ctx, lb.ID, nil); err != nil {
		return err
	}
	fmt.Fprintf(w, "   load balancer %s deleted\n", short(lb.ID))
	for _, id := range demoContainers {
		if err := node.Detach(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s detached\n", id)
	}
	if _, err := node.Teardown(ctx, nil); err != nil {
		return err
	}
	fmt.Fprintf(w, "   network %s deleted\n", net.Name)
	left := 0
	for _, k := range hcn.Kinds {
		objs, err := listObjects(ctx, c, k, nil)
		if err != nil {
			return err
		}
		for _, o := range objs {
			if k == hcn.KindNamespace && o.id.Equal(hcn.HostDefaultNamespaceID) {
				continue
			}
			fmt.Fprintf(w, "   left: %s %s\n", k, o.id)
			left++
		}
	}
	if left > 0 {
		return fmt.Errorf("%d objects left after teardown", left)
	}
	fmt.Fprintln(w, "   nothing left (but the host's default namespace)")
	return nil
}

// collectEvents returns the first n events, waiting at most demoEventWait.
func collectEvents(ctx context.Context, events <-chan hcn.Event, n int) ([]hcn.Event, error) {
	timer := time.NewTimer(demoEventWait)
	defer timer.Stop()
	var got []hcn.Event
	for len(got) < n {
		select {
		case ev, ok := <-events:
			if !ok {
				return got, errors.New("the watch ended early")
			}
			got = append(got, ev)
		case <-timer.C:
			return got, fmt.Errorf("%d of %d notifications after %s", len(got), n, demoEventWait)
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
	return got, nil
}

// short abbreviates an id to its first 8 characters.
func short(id hcn.ID) string {
	s := string(id.Canonical())
	if len(s) > 8 {
		return s[:8]
	}
	return s
}
