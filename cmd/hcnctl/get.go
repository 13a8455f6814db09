package main

import (
	"context"
	"net/netip"
	"strings"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// getCmd is `hcnctl get KIND [ID|NAME...]`.
func (a *app) getCmd() *cobra.Command {
	var f struct {
		network, name, ip, namespace, endpoint string
		detailed                               bool
	}
	c := a.command(&cobra.Command{
		Use:   "get KIND [ID|NAME...]",
		Short: "List objects of a kind, or show the ones named",
		Long: `get lists the objects of a kind: networks (net), endpoints (ep), namespaces (ns),
loadbalancers (lb), routes (rt) or guestnetworkservices (gns). With ids or names it shows those
objects only. -o json and -o yaml print the service's own documents, every field kept.`,
		Example: `  hcnctl get networks
  hcnctl get ep --network web -o wide
  hcnctl get endpoints --ip 172.20.0.5 -o json
  hcnctl get lb --endpoint web-1
  hcnctl get ns 0e8d6c3a-3f0a-4f37-9d6c-92c0c0a1e5b1 -o yaml`,
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeKinds,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput(); err != nil {
			return err
		}
		kind, err := parseKind(args[0])
		if err != nil {
			return err
		}
		opts := &hcn.ListOptions{Name: f.name, Detailed: f.detailed}
		if f.ip != "" {
			if opts.IP, err = netip.ParseAddr(f.ip); err != nil {
				return usagef("--ip %q: not an IP address", f.ip)
			}
		}
		if (f.network != "" || f.ip != "") && kind != hcn.KindEndpoint && kind != hcn.KindLoadBalancer && kind != hcn.KindSDNRoute {
			return usagef("--network and --ip filter endpoints, load balancers and routes, not %s", kindPlural[kind])
		}
		if f.namespace != "" && kind != hcn.KindEndpoint {
			return usagef("--namespace filters endpoints, not %s", kindPlural[kind])
		}
		if f.name != "" && kind != hcn.KindNetwork && kind != hcn.KindEndpoint {
			return usagef("--name filters networks and endpoints, not %s", kindPlural[kind])
		}
		if f.endpoint != "" && kind != hcn.KindLoadBalancer && kind != hcn.KindSDNRoute {
			return usagef("--endpoint filters load balancers and routes, not %s", kindPlural[kind])
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		if f.network != "" {
			n, err := resolve(ctx, c, hcn.KindNetwork, f.network)
			if err != nil {
				return err
			}
			opts.Network = n.id
		}
		if f.endpoint != "" {
			e, err := resolve(ctx, c, hcn.KindEndpoint, f.endpoint)
			if err != nil {
				return err
			}
			opts.Endpoint = e.id
		}
		if f.namespace != "" {
			if _, err := hcn.ParseGUID(f.namespace); err != nil {
				return usagef("--namespace %q: not a namespace id", f.namespace)
			}
			opts.Namespace = hcn.ID(f.namespace)
		}
		var objs []object
		if len(args) > 1 {
			for _, ref := range args[1:] {
				o, err := resolve(ctx, c, kind, ref)
				if err != nil {
					return err
				}
				objs = append(objs, o)
			}
		} else {
			p := a.progress("listing "+kindPlural[kind], -1)
			objs, err = listObjects(ctx, c, kind, opts)
			p.done()
			if err != nil {
				return err
			}
		}
		if len(objs) == 0 && (a.output == "table" || a.output == "wide") {
			cmd.PrintErrf("No %s found.\n", kindPlural[kind])
			return nil
		}
		return printObjects(a.out, a.output, objs, len(args) == 2)
	})
	a.outputFlag(c)
	fl := c.Flags()
	fl.StringVar(&f.network, "network", "", "only objects on this network (id or name)")
	fl.StringVar(&f.name, "name", "", "only objects with this exact name")
	fl.StringVar(&f.ip, "ip", "", "only endpoints with this address, load balancers with this VIP")
	fl.StringVar(&f.namespace, "namespace", "", "only endpoints in this namespace (id)")
	fl.StringVar(&f.endpoint, "endpoint", "", "only load balancers and routes with this endpoint (id or name)")
	fl.BoolVar(&f.detailed, "detailed", false, "ask the service for its detailed documents")
	return c
}

// completeKinds completes the first argument with the kind names.
func completeKinds(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, k := range kindList() {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
