package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// describeCmd is `hcnctl describe KIND ID|NAME`.
func (a *app) describeCmd() *cobra.Command {
	c := a.command(&cobra.Command{
		Use:   "describe KIND ID|NAME",
		Short: "Show one object in detail, with its policies and related objects",
		Long: `describe shows one object: its key fields, its policies one per line with their settings
(e.g. "OutBoundNAT  Exceptions=10.0.0.0/8"), and the objects related to it:

  network        its endpoints
  endpoint       its network (name), its namespace, the load balancers and routes that use it
  namespace      its endpoints (names and addresses) and containers
  loadbalancer   its backend endpoints ("missing" for ids that no longer exist)
  route          its network and endpoints ("missing" likewise)

-o json and -o yaml print {"object": DOC, "related": {...}}: DOC is the service's own document,
every field kept; "related" holds, by kind:

  network        "endpoints": [ENDPOINT...]
  endpoint       "network": {"id", "name"}, "namespace": {"id"} or null,
                 "loadBalancers": [{"id", "vips"}...], "routes": [{"id", "destinations"}...]
  namespace      "endpoints": [ENDPOINT...], "containers": [ID...]
  loadbalancer   "endpoints": [ENDPOINT...]
  route          "network": {"id", "name"}, "endpoints": [ENDPOINT...]
  guestnetworkservice  nothing

where ENDPOINT is {"id", "name", "ips": [...]} (name and ips left out when empty), or {"id",
"missing": true} for an id that names no endpoint. Lists are never null.`,
		Example: `  hcnctl describe network web
  hcnctl describe ep web-1 -o json
  hcnctl describe lb 6f3c1a52-0e9b-4c1f-a8f2-9d1e2b3c4d5e -o yaml`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeKinds,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput("table", "json", "yaml"); err != nil {
			return err
		}
		kind, err := parseKind(args[0])
		if err != nil {
			return err
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		o, err := resolve(ctx, c, kind, args[1])
		if err != nil {
			return err
		}
		rel, err := related(ctx, c, o)
		if err != nil {
			return err
		}
		if a.output != "table" {
			return printDoc(a.out, a.output, struct {
				Object  json.Marshaler `json:"object"`
				Related map[string]any `json:"related"`
			}{o.doc, rel.json()})
		}
		return describeTable(a.out, o, rel)
	})
	a.outputFlag(c, "table", "json", "yaml")
	return c
}

// relEndpoint is an endpoint related to the described object.
type relEndpoint struct {
	ID      hcn.ID   `json:"id"`
	Name    string   `json:"name,omitempty"`
	IPs     []string `json:"ips,omitempty"`
	Missing bool     `json:"missing,omitempty"`
}

type relNetwork struct {
	ID   hcn.ID `json:"id"`
	Name string `json:"name,omitempty"`
}

type relNamespace struct {
	ID hcn.ID `json:"id"`
}

type relLoadBalancer struct {
	ID   hcn.ID   `json:"id"`
	VIPs []string `json:"vips"`
}

type relRoute struct {
	ID           hcn.ID   `json:"id"`
	Destinations []string `json:"destinations"`
}

// relations are the objects related to the described one.
type relations struct {
	kind          hcn.Kind
	network       *relNetwork
	namespace     *relNamespace
	endpoints     []relEndpoint
	containers    []string
	loadBalancers []relLoadBalancer
	routes        []relRoute
}

// json returns the "related" member of -o json and -o yaml.
func (r *relations) json() map[string]any {
	m := map[string]any{}
	eps := orEmpty(r.endpoints)
	switch r.kind {
	case hcn.KindNetwork, hcn.KindLoadBalancer:
		m["endpoints"] = eps
	case hcn.KindEndpoint:
		m["network"] = r.network
		m["namespace"] = r.namespace
		m["loadBalancers"] = orEmpty(r.loadBalancers)
		m["routes"] = orEmpty(r.routes)
	case hcn.KindNamespace:
		m["endpoints"] = eps
		m["containers"] = orEmpty(r.containers)
	case hcn.KindSDNRoute:
		m["network"] = r.network
		m["endpoints"] = eps
	}
	return m
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// related finds the objects related to o.
func related(ctx context.Context, c *hcn.Client, o object) (*relations, error) {
	r := &relations{kind: o.kind}
	var err error
	switch d := o.doc.(type) {
	case *hcn.Network:
		eps, err := c.ListEndpoints(ctx, &hcn.ListOptions{Network: d.ID})
		if err != nil {
			return nil, err
		}
		for _, e := range eps {
			r.endpoints = append(r.endpoints, endpointRel(e))
		}
	case *hcn.Endpoint:
		if r.network, err = networkRel(ctx, c, d.HostComputeNetwork); err != nil {
			return nil, err
		}
		if d.HostComputeNamespace != "" {
			r.namespace = &relNamespace{ID: d.HostComputeNamespace}
		}
		lbs, err := c.ListLoadBalancers(ctx, nil)
		if err != nil {
			return nil, err
		}
		for _, lb := range lbs {
			if hasID(lb.HostComputeEndpoints, d.ID) {
				r.loadBalancers = append(r.loadBalancers, relLoadBalancer{ID: lb.ID, VIPs: orEmpty(lb.FrontendVIPs)})
			}
		}
		rts, err := c.ListSDNRoutes(ctx, nil)
		if err != nil {
			return nil, err
		}
		for _, rt := range rts {
			if hasID(rt.HostComputeEndpoints, d.ID) {
				var dst []string
				for _, s := range rt.Routes {
					dst = append(dst, s.DestinationPrefix)
				}
				r.routes = append(r.routes, relRoute{ID: rt.ID, Destinations: orEmpty(dst)})
			}
		}
	case *hcn.Namespace:
		if r.endpoints, err = endpointRels(ctx, c, d.EndpointIDs()); err != nil {
			return nil, err
		}
		for _, res := range d.Resources {
			if res.Type.Is(hcn.NamespaceResourceContainer) {
				r.containers = append(r.containers, string(res.Data.ID))
			}
		}
	case *hcn.LoadBalancer:
		if r.endpoints, err = endpointRels(ctx, c, d.HostComputeEndpoints); err != nil {
			return nil, err
		}
	case *hcn.SDNRoute:
		if r.network, err = networkRel(ctx, c, d.HostComputeNetwork); err != nil {
			return nil, err
		}
		if r.endpoints, err = endpointRels(ctx, c, d.HostComputeEndpoints); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// networkRel returns the network with id, its name empty when it is gone
// (nil when id is empty).
func networkRel(ctx context.Context, c *hcn.Client, id hcn.ID) (*relNetwork, error) {
	if id == "" {
		return nil, nil
	}
	n, err := c.GetNetwork(ctx, id)
	if hcn.IsNotFound(err) {
		return &relNetwork{ID: id}, nil
	}
	if err != nil {
		return nil, err
	}
	return &relNetwork{ID: n.ID, Name: n.Name}, nil
}

// endpointRels returns the endpoints with ids, marking the ones that no
// longer exist.
func endpointRels(ctx context.Context, c *hcn.Client, ids []hcn.ID) ([]relEndpoint, error) {
	var out []relEndpoint
	for _, id := range ids {
		e, err := c.GetEndpoint(ctx, id)
		if hcn.IsNotFound(err) {
			out = append(out, relEndpoint{ID: id, Missing: true})
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, endpointRel(e))
	}
	return out, nil
}

func endpointRel(e *hcn.Endpoint) relEndpoint {
	r := relEndpoint{ID: e.ID, Name: e.Name}
	for _, c := range e.IpConfigurations {
		r.IPs = append(r.IPs, c.IpAddress)
	}
	return r
}

func hasID(ids []hcn.ID, id hcn.ID) bool {
	return slices.ContainsFunc(ids, id.Equal)
}

// describeTable prints o and its relations as readable lines.
func describeTable(w io.Writer, o object, r *relations) error {
	d := &describer{w: w}
	d.field("Kind", kindSingular[o.kind])
	if o.kind == hcn.KindNetwork || o.kind == hcn.KindEndpoint {
		d.field("Name", cell(o.name))
	}
	d.field("ID", string(o.id))
	switch x := o.doc.(type) {
	case *hcn.Network:
		typ := x.Type
		if typ == "" {
			typ = hcn.NetworkTypeNAT
		}
		d.field("Type", string(typ))
		d.field("Flags", strconv.FormatUint(uint64(x.Flags), 10))
		var subnets []string
		for _, ipam := range x.Ipams {
			for _, s := range ipam.Subnets {
				line := string(ipam.Type) + " " + s.IpAddressPrefix
				for _, rt := range s.Routes {
					line += fmt.Sprintf(", route %s via %s", rt.DestinationPrefix, cell(rt.NextHop))
				}
				for _, p := range s.Policies {
					line += ", " + policyLine(p)
				}
				subnets = append(subnets, line)
			}
		}
		d.list("Subnets", subnets)
		d.dns(x.Dns)
		d.policies(x.Policies)
		d.endpoints("Endpoints", r.endpoints)
	case *hcn.Endpoint:
		net := "-"
		if r.network != nil {
			net = cell(r.network.Name) + " (" + string(r.network.ID) + ")"
		}
		d.field("Network", net)
		ns := "-"
		if r.namespace != nil {
			ns = string(r.namespace.ID)
		}
		d.field("Namespace", ns)
		var ips []string
		for _, c := range x.IpConfigurations {
			ips = append(ips, fmt.Sprintf("%s/%d", c.IpAddress, c.PrefixLength))
		}
		d.field("IPs", list(ips))
		d.field("MAC", cell(x.MacAddress))
		var routes []string
		for _, rt := range x.Routes {
			routes = append(routes, rt.DestinationPrefix+" via "+cell(rt.NextHop))
		}
		d.field("Routes", list(routes))
		d.field("Flags", strconv.FormatUint(uint64(x.Flags), 10))
		d.dns(x.Dns)
		d.policies(x.Policies)
		var lbs []string
		for _, lb := range r.loadBalancers {
			lbs = append(lbs, string(lb.ID)+"  VIPs="+list(lb.VIPs))
		}
		d.list("LoadBalancers", lbs)
		var rts []string
		for _, rt := range r.routes {
			rts = append(rts, string(rt.ID)+"  Destinations="+list(rt.Destinations))
		}
		d.list("Routes (SDN)", rts)
	case *hcn.Namespace:
		typ := x.Type
		if typ == "" {
			typ = hcn.NamespaceTypeHost
		}
		d.field("Type", string(typ))
		d.field("Compartment", strconv.FormatUint(uint64(x.NamespaceID), 10))
		d.endpoints("Endpoints", r.endpoints)
		d.list("Containers", r.containers)
	case *hcn.LoadBalancer:
		d.field("Network", cell(string(x.HostComputeNetwork)))
		d.field("VIPs", list(x.FrontendVIPs))
		d.field("SourceVIP", cell(x.SourceVIP))
		var flags []string
		if x.Flags&hcn.LoadBalancerFlagEnableDirectServerReturn != 0 {
			flags = append(flags, "DSR")
		}
		if x.Flags&hcn.LoadBalancerFlagIPv6 != 0 {
			flags = append(flags, "IPv6")
		}
		d.field("Flags", strings.TrimSpace(fmt.Sprintf("%d %s", x.Flags, strings.Join(flags, ","))))
		var ports []string
		for _, p := range x.PortMappings {
			ports = append(ports, fmt.Sprintf("%s:%d:%d  Flags=%d Distribution=%d",
				protocolName(uint32(p.Protocol)), p.ExternalPort, p.InternalPort, p.Flags, p.DistributionType))
		}
		d.list("Ports", ports)
		d.endpoints("Backends", r.endpoints)
	case *hcn.SDNRoute:
		net := "-"
		if r.network != nil {
			net = cell(r.network.Name) + " (" + string(r.network.ID) + ")"
		}
		d.field("Network", net)
		var routes []string
		for _, s := range x.Routes {
			routes = append(routes, fmt.Sprintf("%s via %s  NeedEncap=%t", s.DestinationPrefix, cell(s.NextHop), s.NeedEncap))
		}
		d.list("Routes", routes)
		d.endpoints("Endpoints", r.endpoints)
	case *hcn.GuestNetworkService:
		d.field("VM", cell(x.VirtualMachineID))
		d.field("State", cell(string(x.State)))
		d.field("Flags", strconv.FormatUint(uint64(x.Flags), 10))
	}
	return d.err
}

// describer writes the lines of a description: "Key:  value" fields,
// and lists with one indented item per line.
type describer struct {
	w   io.Writer
	err error
}

const keyWidth = 15

func (d *describer) printf(format string, args ...any) {
	if d.err == nil {
		_, d.err = fmt.Fprintf(d.w, format, args...)
	}
}

func (d *describer) field(key, value string) { d.printf("%-*s%s\n", keyWidth, key+":", value) }

// list prints items under key, "<none>" when there are none.
func (d *describer) list(key string, items []string) {
	if len(items) == 0 {
		d.field(key, "<none>")
		return
	}
	d.printf("%s:\n", key)
	for _, it := range items {
		d.printf("  %s\n", it)
	}
}

func (d *describer) dns(dns hcn.DNS) {
	var parts []string
	if len(dns.ServerList) > 0 {
		parts = append(parts, "Servers="+strings.Join(dns.ServerList, ","))
	}
	if dns.Domain != "" {
		parts = append(parts, "Domain="+dns.Domain)
	}
	if len(dns.Search) > 0 {
		parts = append(parts, "Search="+strings.Join(dns.Search, ","))
	}
	if len(dns.Options) > 0 {
		parts = append(parts, "Options="+strings.Join(dns.Options, ","))
	}
	d.field("DNS", cell(strings.Join(parts, " ")))
}

func (d *describer) policies(ps []hcn.Policy) {
	var lines []string
	for _, p := range ps {
		lines = append(lines, policyLine(p))
	}
	d.list("Policies", lines)
}

// endpoints prints related endpoints as a table under key.
func (d *describer) endpoints(key string, eps []relEndpoint) {
	if len(eps) == 0 {
		d.field(key, "<none>")
		return
	}
	d.printf("%s:\n", key)
	if d.err != nil {
		return
	}
	tw := tabwriter.NewWriter(d.w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tID\tIP")
	for _, e := range eps {
		if e.Missing {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", "missing", e.ID, "-")
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", cell(e.Name), e.ID, list(e.IPs))
	}
	d.err = tw.Flush()
}
