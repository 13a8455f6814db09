package main

import (
	"context"
	"fmt"
	"net/netip"
	"text/tabwriter"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/overlay"
	"github.com/spf13/cobra"
)

// defaultOwner is the owner tag of the containers hcnctl attaches.
const defaultOwner = "hcnctl"

// attachCmd is `hcnctl attach CONTAINER --network NET`.
func (a *app) attachCmd() *cobra.Command {
	var f struct {
		network, ip, owner, domain string
		dns, search                []string
	}
	c := a.command(&cobra.Command{
		Use:   "attach CONTAINER --network NET",
		Short: "Attach a container to a network: an endpoint and a Host namespace (the node flow)",
		Long: `attach gives a container an endpoint named OWNER-CONTAINER on the network (the next free
address of the network's subnet, network+2 upward, or --ip) and a Host namespace holding it, as
package overlay does for a node: no policies, a default route via network+1, every failure rolled
back. It prints the namespace id in the form HCS wants. The network is an Internal, Transparent,
L2Bridge or NAT network whose subnet's gateway is network+1.`,
		Example: `  hcnctl attach c1 --network web
  hcnctl attach c2 --network web --ip 172.20.0.10 --dns 10.0.0.10 --dns-search svc.local -o json`,
		Args: cobra.ExactArgs(1),
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput("table", "json", "yaml"); err != nil {
			return err
		}
		var opts overlay.AttachOptions
		if f.ip != "" {
			ip, err := netip.ParseAddr(f.ip)
			if err != nil {
				return usagef("--ip %q: not an IP address", f.ip)
			}
			opts.IP = ip
		}
		for _, s := range f.dns {
			ip, err := netip.ParseAddr(s)
			if err != nil {
				return usagef("--dns %q: not an IP address", s)
			}
			opts.DNS.Servers = append(opts.DNS.Servers, ip)
		}
		opts.DNS.Domain, opts.DNS.Search = f.domain, f.search
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		net, err := resolve(ctx, c, hcn.KindNetwork, f.network)
		if err != nil {
			return err
		}
		node, err := nodeFor(c, f.owner, net.doc.(*hcn.Network))
		if err != nil {
			return err
		}
		at, err := node.Attach(ctx, args[0], &opts)
		if err != nil {
			return err
		}
		return a.printAttachment(at)
	})
	a.outputFlag(c, "table", "json", "yaml")
	fl := c.Flags()
	fl.StringVar(&f.network, "network", "", "the network (id or name)")
	c.MarkFlagRequired("network")
	fl.StringVar(&f.ip, "ip", "", "a static address (default: the next free one)")
	fl.StringSliceVar(&f.dns, "dns", nil, "DNS servers, in order")
	fl.StringVar(&f.domain, "dns-domain", "", "the DNS suffix of the container's interface")
	fl.StringSliceVar(&f.search, "dns-search", nil, "the DNS search list, in order")
	fl.StringVar(&f.owner, "owner", defaultOwner, "the owner tag the endpoint's name starts with")
	return c
}

// detachCmd is `hcnctl detach CONTAINER`.
func (a *app) detachCmd() *cobra.Command {
	var owner string
	c := a.command(&cobra.Command{
		Use:   "detach CONTAINER",
		Short: "Detach a container: remove its endpoint from its namespace, delete both",
		Long: `detach undoes attach: the endpoint OWNER-CONTAINER leaves its namespace, then the endpoint
and the namespace are deleted, each step treating "already gone" as done. The host's default
namespace is never touched. Detaching a container that is not attached is a success.`,
		Example: `  hcnctl detach c1`,
		Args:    cobra.ExactArgs(1),
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		name := owner + "-" + args[0]
		eps, err := c.ListEndpoints(ctx, &hcn.ListOptions{Name: name})
		if err != nil {
			return err
		}
		if len(eps) == 0 {
			fmt.Fprintf(a.out, "%s is not attached\n", args[0])
			return nil
		}
		for _, ep := range eps {
			net, err := c.GetNetwork(ctx, ep.HostComputeNetwork)
			if err != nil {
				return err
			}
			node, err := nodeFor(c, owner, net)
			if err != nil {
				return err
			}
			if err := node.Detach(ctx, args[0]); err != nil {
				return err
			}
		}
		fmt.Fprintf(a.out, "%s detached\n", args[0])
		return nil
	})
	c.Flags().StringVar(&owner, "owner", defaultOwner, "the owner tag the endpoint's name starts with")
	return c
}

// nodeFor returns the overlay node of an existing network: its first
// static subnet is the slice.
func nodeFor(c *hcn.Client, owner string, net *hcn.Network) (*overlay.Node, error) {
	var slice netip.Prefix
	for _, ipam := range net.Ipams {
		for _, s := range ipam.Subnets {
			if p, err := netip.ParsePrefix(s.IpAddressPrefix); err == nil && !slice.IsValid() {
				slice = p.Masked()
			}
		}
	}
	if !slice.IsValid() {
		return nil, usagef("network %q has no static subnet to take addresses from", net.Name)
	}
	typ := net.Type
	if typ == "" {
		typ = hcn.NetworkTypeNAT
	}
	cfg := overlay.Config{Client: c, OwnerTag: owner, Slice: slice, NetworkName: net.Name, NetworkID: net.ID, Type: typ}
	if p, ok := net.Policy(hcn.PolicyTypeNetAdapterName); ok {
		if s, ok := p.Settings.(*hcn.NetAdapterNamePolicySetting); ok {
			cfg.Uplink = s.NetworkAdapterName
		}
	}
	node, err := overlay.New(cfg)
	if err != nil {
		return nil, &usageError{fmt.Errorf("network %q cannot take containers: %w", net.Name, err)}
	}
	return node, nil
}

// attachmentJSON is an attachment as -o json and -o yaml print it.
type attachmentJSON struct {
	ContainerID string `json:"containerID"`
	EndpointID  string `json:"endpointID"`
	NamespaceID string `json:"namespaceID"`
	NetworkID   string `json:"networkID"`
	IP          string `json:"ip"`
	Prefix      string `json:"prefix"`
	Gateway     string `json:"gateway"`
	MacAddress  string `json:"macAddress,omitempty"`
	Adopted     bool   `json:"adopted,omitempty"`
}

// printAttachment prints an attachment in the -o format.
func (a *app) printAttachment(at overlay.Attachment) error {
	if a.output != "table" {
		return printDoc(a.out, a.output, attachmentJSON{
			ContainerID: at.ContainerID, EndpointID: string(at.EndpointID), NamespaceID: string(at.NamespaceID),
			NetworkID: string(at.NetworkID), IP: at.IP.String(), Prefix: at.Prefix.String(),
			Gateway: at.Gateway.String(), MacAddress: at.MacAddress, Adopted: at.Adopted,
		})
	}
	tw := tabwriter.NewWriter(a.out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "CONTAINER\tIP\tGATEWAY\tENDPOINT\tNAMESPACE")
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", at.ContainerID, at.Prefix, at.Gateway, at.EndpointID, at.NamespaceID)
	return tw.Flush()
}
