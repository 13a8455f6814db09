package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// createCmd is `hcnctl create KIND ...`.
func (a *app) createCmd() *cobra.Command {
	c := a.command(&cobra.Command{
		Use:   "create KIND (-f FILE | FLAGS)",
		Short: "Create a network, endpoint, namespace, load balancer, route or guest network service",
		Long: `create makes one object, either from the service's own document (-f FILE, or -f - for
standard input; JSON or YAML) or from flags (see each kind's help). The document is decoded into
the object's type and checked by the library before anything is sent: a document or a flag that
is wrong is refused with exit status 2, and nothing is created. create prints the object as the
service reports it (-o table, json or yaml).`,
		Example: `  hcnctl create network web --type nat --subnet 172.20.0.0/24
  hcnctl create endpoint web-1 --network web --ip 172.20.0.5 --port tcp:8080:80
  hcnctl create namespace
  hcnctl create loadbalancer --vip 10.96.0.10 --port tcp:80:8080 --endpoint web-1
  hcnctl create route --network web --dest 10.244.0.0/16 --endpoint web-1
  hcnctl create network -f network.yaml -o json`,
		Args:               cobra.ArbitraryArgs,
		FParseErrWhitelist: cobra.FParseErrWhitelist{UnknownFlags: true},
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usagef("create needs a kind: %s", joinOr(createKinds()))
		}
		if _, err := parseKind(args[0]); err != nil {
			return err
		}
		return usagef("create %s: unknown subcommand", args[0])
	})
	c.AddCommand(
		a.createNetworkCmd(),
		a.createEndpointCmd(),
		a.createNamespaceCmd(),
		a.createLoadBalancerCmd(),
		a.createRouteCmd(),
		a.createGuestNetworkServiceCmd(),
	)
	return c
}

// createKinds are the kinds create takes.
func createKinds() []string {
	return []string{"network", "endpoint", "namespace", "loadbalancer", "route", "guestnetworkservice"}
}

// createRun is what the create subcommands share: -f, -o, and the choice
// between the document and the flags.
type createRun struct {
	a     *app
	kind  hcn.Kind
	file  string
	flags []string // the flags of the flag form, refused with -f
	named bool     // the flag form takes NAME
	// build checks the flags and returns the calls that create the object;
	// every usage error comes from build, before any call.
	build func(args []string) (func(ctx context.Context, c *hcn.Client) (object, error), error)
}

// command finishes c: its flags -f and -o, and its run.
func (r *createRun) command(c *cobra.Command) *cobra.Command {
	a := r.a
	if r.named {
		c.Args = cobra.MaximumNArgs(1)
	} else {
		c.Args = cobra.NoArgs
	}
	c = a.command(c, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput("table", "json", "yaml"); err != nil {
			return err
		}
		var do func(ctx context.Context, c *hcn.Client) (object, error)
		if r.file != "" {
			for _, f := range r.flags {
				if cmd.Flags().Changed(f) {
					return usagef("-f and --%s exclude each other: the document gives every setting", f)
				}
			}
			if len(args) > 0 {
				return usagef("-f and NAME exclude each other: the document gives the name")
			}
			b, err := a.readInput(r.file)
			if err != nil {
				return err
			}
			doc, err := decodeDoc(r.kind, r.file, b)
			if err != nil {
				return err
			}
			do = func(ctx context.Context, c *hcn.Client) (object, error) { return createDoc(ctx, c, doc) }
		} else {
			if r.build == nil {
				return usagef("create %s takes -f FILE", kindSingular[r.kind])
			}
			if r.named && len(args) == 0 {
				return usagef("create %s needs NAME (or -f FILE)", kindSingular[r.kind])
			}
			var err error
			if do, err = r.build(args); err != nil {
				return err
			}
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		o, err := do(ctx, c)
		if err != nil {
			return err
		}
		return printObjects(a.out, a.output, []object{o}, true)
	})
	c.Flags().StringVarP(&r.file, "filename", "f", "", `the object's document, JSON or YAML ("-": standard input)`)
	a.outputFlag(c, "table", "json", "yaml")
	return c
}

// createDoc creates the object of a document and returns it as the
// service reports it.
func createDoc(ctx context.Context, c *hcn.Client, doc hcn.Document) (object, error) {
	switch d := doc.(type) {
	case *hcn.Network:
		n, err := c.CreateNetwork(ctx, d)
		if err != nil {
			return object{}, err
		}
		return object{kind: hcn.KindNetwork, id: n.ID, name: n.Name, doc: n}, nil
	case *hcn.Endpoint:
		e, err := c.CreateEndpoint(ctx, d)
		if err != nil {
			return object{}, err
		}
		return object{kind: hcn.KindEndpoint, id: e.ID, name: e.Name, doc: e}, nil
	case *hcn.Namespace:
		ns, err := c.CreateNamespace(ctx, d)
		if err != nil {
			return object{}, err
		}
		return object{kind: hcn.KindNamespace, id: ns.ID, doc: ns}, nil
	case *hcn.LoadBalancer:
		lb, err := c.CreateLoadBalancer(ctx, d)
		if err != nil {
			return object{}, err
		}
		return object{kind: hcn.KindLoadBalancer, id: lb.ID, doc: lb}, nil
	case *hcn.SDNRoute:
		rt, err := c.CreateSDNRoute(ctx, d)
		if err != nil {
			return object{}, err
		}
		return object{kind: hcn.KindSDNRoute, id: rt.ID, doc: rt}, nil
	case *hcn.GuestNetworkService:
		g, err := c.CreateGuestNetworkService(ctx, d)
		if err != nil {
			return object{}, err
		}
		return object{kind: hcn.KindGuestNetworkService, id: g.ID, doc: g}, nil
	}
	return object{}, fmt.Errorf("%T cannot be created", doc)
}

// networkTypes are the network types of `create network --type`.
var networkTypes = []struct {
	flag string
	typ  hcn.NetworkType
}{
	{"nat", hcn.NetworkTypeNAT}, {"internal", hcn.NetworkTypeInternal}, {"transparent", hcn.NetworkTypeTransparent},
	{"l2bridge", hcn.NetworkTypeL2Bridge}, {"overlay", hcn.NetworkTypeOverlay}, {"ics", hcn.NetworkTypeICS},
	{"private", hcn.NetworkTypePrivate},
}

func networkTypeNames() []string {
	var s []string
	for _, t := range networkTypes {
		s = append(s, t.flag)
	}
	return s
}

func (a *app) createNetworkCmd() *cobra.Command {
	var f struct {
		typ, subnet, gateway, adapter string
		vlan                          uint32
	}
	r := &createRun{a: a, kind: hcn.KindNetwork, named: true,
		flags: []string{"type", "subnet", "gateway", "adapter", "vlan"}}
	r.build = func(args []string) (func(context.Context, *hcn.Client) (object, error), error) {
		n, err := networkFromFlags(args[0], f.typ, f.subnet, f.gateway, f.adapter, f.vlan)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *hcn.Client) (object, error) { return createDoc(ctx, c, n) }, nil
	}
	c := r.command(&cobra.Command{
		Use:     "network (NAME --type TYPE --subnet CIDR [flags] | -f FILE)",
		Aliases: []string{"networks", "net"},
		Short:   "Create a network",
		Long: `create network makes a network named NAME of --type nat, internal, transparent, l2bridge,
overlay, ics or private with Static IPAM on one subnet (--subnet, a network prefix such as
172.20.0.0/24). The subnet holds a default route (0.0.0.0/0, or ::/0 for IPv6) via the gateway:
--gateway, an address in the subnet, by default the network address + 1. --adapter binds the
network to the uplink adapter of that name (a NetAdapterName policy); transparent and l2bridge
networks need it. --vlan puts a VLAN policy on the subnet. With -f FILE the network is the
document instead (JSON or YAML, "-" for standard input).`,
		Example: `  hcnctl create network web --type nat --subnet 172.20.0.0/24
  hcnctl create network lan --type transparent --subnet 192.168.1.0/24 --gateway 192.168.1.254 --adapter Ethernet
  hcnctl create network -f network.json -o yaml`,
	})
	fl := c.Flags()
	fl.StringVar(&f.typ, "type", "", "the network type: "+joinOr(networkTypeNames()))
	fl.StringVar(&f.subnet, "subnet", "", "the subnet, a network prefix in CIDR notation")
	fl.StringVar(&f.gateway, "gateway", "", "the gateway, an address in the subnet (default: the network address + 1)")
	fl.StringVar(&f.adapter, "adapter", "", "the uplink adapter's name (required for transparent and l2bridge)")
	fl.Uint32Var(&f.vlan, "vlan", 0, "a VLAN id for the subnet, 1-4094 (0: none)")
	return c
}

// networkFromFlags builds the network of `create network NAME ...`.
func networkFromFlags(name, typ, subnet, gateway, adapter string, vlan uint32) (*hcn.Network, error) {
	var t hcn.NetworkType
	for _, nt := range networkTypes {
		if strings.EqualFold(typ, nt.flag) {
			t = nt.typ
		}
	}
	switch {
	case typ == "":
		return nil, usagef("--type is required: %s", joinOr(networkTypeNames()))
	case t == "":
		return nil, usagef("--type %q: want %s", typ, joinOr(networkTypeNames()))
	case subnet == "":
		return nil, usagef("--subnet is required (a network prefix, e.g. 172.20.0.0/24)")
	}
	slice, err := hcn.ParseSlice(subnet)
	if err != nil {
		return nil, usagef("--subnet %q: %s", subnet, reason(err))
	}
	gw, err := hcn.GatewayFor(slice)
	if err != nil {
		return nil, usagef("--subnet %q: %s", subnet, reason(err))
	}
	if gateway != "" {
		if gw, err = parseAddr("--gateway", gateway); err != nil {
			return nil, err
		}
		if !slice.Contains(gw) || gw == slice.Addr() {
			return nil, usagef("--gateway %s: not a host address of the subnet %s", gw, slice)
		}
	}
	if (t == hcn.NetworkTypeTransparent || t == hcn.NetworkTypeL2Bridge) && adapter == "" {
		return nil, usagef("--type %s needs --adapter: the name of the uplink adapter the network binds to", typ)
	}
	if vlan > 4094 {
		return nil, usagef("--vlan %d: want 1 to 4094", vlan)
	}
	dst := "0.0.0.0/0"
	if gw.Is6() {
		dst = "::/0"
	}
	s := hcn.Subnet{IpAddressPrefix: slice.String(), Routes: []hcn.Route{{NextHop: gw.String(), DestinationPrefix: dst}}}
	if vlan != 0 {
		s.Policies = []hcn.Policy{hcn.VLANPolicy(vlan)}
	}
	n := &hcn.Network{
		Name:          name,
		Type:          t,
		Ipams:         []hcn.IPAM{{Type: hcn.IPAMTypeStatic, Subnets: []hcn.Subnet{s}}},
		SchemaVersion: hcn.V2(),
	}
	if adapter != "" {
		n.Policies = []hcn.Policy{hcn.NetAdapterNamePolicy(adapter)}
	}
	return n, nil
}

// reason is the reason of a validation error, else the error's text.
func reason(err error) string {
	var ve *hcn.ValidationError
	if errors.As(err, &ve) {
		return ve.Reason
	}
	return err.Error()
}

func (a *app) createEndpointCmd() *cobra.Command {
	var f struct {
		network, ip, mac, domain string
		dns, search, ports       []string
	}
	r := &createRun{a: a, kind: hcn.KindEndpoint, named: true,
		flags: []string{"network", "ip", "mac", "dns", "dns-domain", "dns-search", "port"}}
	r.build = func(args []string) (func(context.Context, *hcn.Client) (object, error), error) {
		e := &hcn.Endpoint{Name: args[0], SchemaVersion: hcn.V2()}
		if f.network == "" {
			return nil, usagef("--network is required (the network's id or name)")
		}
		if f.ip != "" {
			ip, err := parseAddr("--ip", f.ip)
			if err != nil {
				return nil, err
			}
			e.IpConfigurations = []hcn.IPConfig{{IpAddress: ip.String()}}
		}
		if f.mac != "" {
			hw, err := hcn.ParseMAC(f.mac)
			if err != nil {
				return nil, usagef("--mac %q: not a MAC address (want e.g. 00-15-5D-52-C0-01)", f.mac)
			}
			e.MacAddress = hcn.FormatMAC(hw)
		}
		for _, s := range f.dns {
			ip, err := parseAddr("--dns", s)
			if err != nil {
				return nil, err
			}
			e.Dns.ServerList = append(e.Dns.ServerList, ip.String())
		}
		e.Dns.Domain, e.Dns.Search = f.domain, f.search
		for _, s := range f.ports {
			p, err := parsePort("--port", s)
			if err != nil {
				return nil, err
			}
			e.Policies = append(e.Policies, hcn.PortMappingPolicy(p.proto, p.int, p.ext))
		}
		return func(ctx context.Context, c *hcn.Client) (object, error) {
			n, err := resolve(ctx, c, hcn.KindNetwork, f.network)
			if err != nil {
				return object{}, err
			}
			e.HostComputeNetwork = n.id
			return createDoc(ctx, c, e)
		}, nil
	}
	c := r.command(&cobra.Command{
		Use:     "endpoint (NAME --network NET [flags] | -f FILE)",
		Aliases: []string{"endpoints", "ep"},
		Short:   "Create an endpoint on a network",
		Long: `create endpoint makes an endpoint named NAME on the network NET (id or name). Without --ip
the network's IPAM chooses the address, without --mac its MAC pool the MAC. --dns, --dns-domain and
--dns-search set the endpoint's DNS; each --port PROTO:EXT:INT (tcp or udp, host port EXT to
endpoint port INT) adds a PortMapping policy. The endpoint is in no namespace. With -f FILE the
endpoint is the document instead (its HostComputeNetwork is the network's id).`,
		Example: `  hcnctl create endpoint web-1 --network web
  hcnctl create endpoint web-2 --network web --ip 172.20.0.10 --dns 10.0.0.10 --port tcp:8080:80 --port udp:5353:53
  hcnctl create endpoint -f endpoint.yaml`,
	})
	fl := c.Flags()
	fl.StringVar(&f.network, "network", "", "the network (id or name)")
	fl.StringVar(&f.ip, "ip", "", "a static address (default: the network's IPAM chooses)")
	fl.StringVar(&f.mac, "mac", "", "a MAC address, 00-15-5D-52-C0-01 or 00:15:5d:52:c0:01")
	fl.StringSliceVar(&f.dns, "dns", nil, "DNS servers, in order")
	fl.StringVar(&f.domain, "dns-domain", "", "the DNS suffix of the endpoint's interface")
	fl.StringSliceVar(&f.search, "dns-search", nil, "the DNS search list, in order")
	fl.StringArrayVar(&f.ports, "port", nil, "a port mapping PROTO:EXT:INT, e.g. tcp:8080:80 (repeatable)")
	return c
}

// namespaceTypes are the namespace types of `create namespace --type`.
var namespaceTypes = []struct {
	flag string
	typ  hcn.NamespaceType
}{
	{"host", hcn.NamespaceTypeHost}, {"hostdefault", hcn.NamespaceTypeHostDefault},
	{"guest", hcn.NamespaceTypeGuest}, {"guestdefault", hcn.NamespaceTypeGuestDefault},
}

func (a *app) createNamespaceCmd() *cobra.Command {
	var typ string
	r := &createRun{a: a, kind: hcn.KindNamespace, flags: []string{"type"}}
	r.build = func([]string) (func(context.Context, *hcn.Client) (object, error), error) {
		var names []string
		ns := &hcn.Namespace{SchemaVersion: hcn.V2()}
		for _, t := range namespaceTypes {
			names = append(names, t.flag)
			if strings.EqualFold(typ, t.flag) {
				ns.Type = t.typ
			}
		}
		if ns.Type == "" {
			return nil, usagef("--type %q: want %s", typ, joinOr(names))
		}
		return func(ctx context.Context, c *hcn.Client) (object, error) { return createDoc(ctx, c, ns) }, nil
	}
	c := r.command(&cobra.Command{
		Use:     "namespace [--type TYPE | -f FILE]",
		Aliases: []string{"namespaces", "ns"},
		Short:   "Create a namespace",
		Long: `create namespace makes an empty namespace of --type host (a new compartment, the default),
hostdefault, guest or guestdefault; the service assigns its id. Add endpoints to it with attach, or
create it from a document with -f FILE.`,
		Example: `  hcnctl create namespace
  hcnctl create ns --type guest -o json`,
	})
	c.Flags().StringVar(&typ, "type", "host", "the namespace type: host, hostdefault, guest or guestdefault")
	return c
}

func (a *app) createLoadBalancerCmd() *cobra.Command {
	var f struct {
		vips, ports, backends []string
		sourceVIP, network    string
		dsr                   bool
	}
	r := &createRun{a: a, kind: hcn.KindLoadBalancer,
		flags: []string{"vip", "port", "endpoint", "source-vip", "dsr", "network"}}
	r.build = func([]string) (func(context.Context, *hcn.Client) (object, error), error) {
		spec := &hcn.LoadBalancerSpec{DSR: f.dsr}
		switch {
		case len(f.vips) == 0:
			return nil, usagef("--vip is required (a frontend address)")
		case len(f.ports) == 0:
			return nil, usagef("--port is required (PROTO:EXT:INT)")
		case len(f.backends) == 0:
			return nil, usagef("--endpoint is required (a backend endpoint's id or name)")
		}
		for _, s := range f.vips {
			ip, err := parseAddr("--vip", s)
			if err != nil {
				return nil, err
			}
			spec.FrontendVIPs = append(spec.FrontendVIPs, ip)
		}
		for _, s := range f.ports {
			p, err := parsePort("--port", s)
			if err != nil {
				return nil, err
			}
			spec.Ports = append(spec.Ports, hcn.LoadBalancerPort{Protocol: p.proto, ExternalPort: p.ext, InternalPort: p.int})
		}
		if f.sourceVIP != "" {
			ip, err := parseAddr("--source-vip", f.sourceVIP)
			if err != nil {
				return nil, err
			}
			spec.SourceVIP = ip
		}
		return func(ctx context.Context, c *hcn.Client) (object, error) {
			if f.network != "" {
				n, err := resolve(ctx, c, hcn.KindNetwork, f.network)
				if err != nil {
					return object{}, err
				}
				spec.Network = n.id
			}
			ids, err := resolveEndpoints(ctx, c, f.backends)
			if err != nil {
				return object{}, err
			}
			spec.Endpoints = ids
			return createDoc(ctx, c, spec.Document())
		}, nil
	}
	c := r.command(&cobra.Command{
		Use:     "loadbalancer (--vip IP --port PROTO:EXT:INT --endpoint EP [flags] | -f FILE)",
		Aliases: []string{"loadbalancers", "lb"},
		Short:   "Create a load balancer",
		Long: `create loadbalancer makes a load balancer serving the frontend addresses (--vip, repeatable)
on the ports (--port PROTO:EXT:INT, repeatable: tcp or udp, frontend port EXT to backend port INT)
and spreading the traffic over the backend endpoints (--endpoint, ids or names, repeatable or
comma-separated; --backend remains hcnctl's choice of service). --source-vip is the address
backends see traffic come from, --dsr enables direct server return, --network names the load
balancer's network (schema 2.5). An IPv6 VIP sets the IPv6 flag. With -f FILE the load balancer
is the document instead.`,
		Example: `  hcnctl create loadbalancer --vip 10.96.0.10 --port tcp:80:8080 --endpoint web-1,web-2
  hcnctl create lb --vip 10.96.0.11 --port udp:53:53 --endpoint dns-1 --source-vip 172.20.0.2 --dsr`,
	})
	fl := c.Flags()
	fl.StringArrayVar(&f.vips, "vip", nil, "a frontend address (repeatable)")
	fl.StringArrayVar(&f.ports, "port", nil, "a port mapping PROTO:EXT:INT, e.g. tcp:80:8080 (repeatable)")
	fl.StringSliceVar(&f.backends, "endpoint", nil, "backend endpoints, ids or names (repeatable, comma-separated)")
	fl.StringVar(&f.sourceVIP, "source-vip", "", "the source address backends see")
	fl.BoolVar(&f.dsr, "dsr", false, "direct server return")
	fl.StringVar(&f.network, "network", "", "the load balancer's network (id or name)")
	return c
}

// resolveEndpoints returns the ids of endpoint references (ids or names).
func resolveEndpoints(ctx context.Context, c *hcn.Client, refs []string) ([]hcn.ID, error) {
	var ids []hcn.ID
	for _, ref := range refs {
		o, err := resolve(ctx, c, hcn.KindEndpoint, ref)
		if err != nil {
			return nil, err
		}
		ids = append(ids, o.id)
	}
	return ids, nil
}

func (a *app) createRouteCmd() *cobra.Command {
	var f struct {
		network, dest, nextHop string
		encap                  bool
		endpoints              []string
	}
	r := &createRun{a: a, kind: hcn.KindSDNRoute, flags: []string{"network", "dest", "next-hop", "encap", "endpoint"}}
	r.build = func([]string) (func(context.Context, *hcn.Client) (object, error), error) {
		switch {
		case f.network == "":
			return nil, usagef("--network is required (the network's id or name)")
		case f.dest == "":
			return nil, usagef("--dest is required (a destination in CIDR notation)")
		case len(f.endpoints) == 0:
			return nil, usagef("--endpoint is required (an endpoint id or name)")
		}
		dst, err := parsePrefix("--dest", f.dest)
		if err != nil {
			return nil, err
		}
		setting := hcn.SDNRoutePolicySetting{DestinationPrefix: dst.String(), NeedEncap: f.encap}
		if f.nextHop != "" {
			hop, err := parseAddr("--next-hop", f.nextHop)
			if err != nil {
				return nil, err
			}
			setting.NextHop = hop.String()
		}
		return func(ctx context.Context, c *hcn.Client) (object, error) {
			n, err := resolve(ctx, c, hcn.KindNetwork, f.network)
			if err != nil {
				return object{}, err
			}
			ids, err := resolveEndpoints(ctx, c, f.endpoints)
			if err != nil {
				return object{}, err
			}
			rt := &hcn.SDNRoute{HostComputeNetwork: n.id, HostComputeEndpoints: ids,
				Routes: []hcn.SDNRoutePolicySetting{setting}, SchemaVersion: hcn.V2()}
			return createDoc(ctx, c, rt)
		}, nil
	}
	c := r.command(&cobra.Command{
		Use:     "route (--network NET --dest CIDR --endpoint EP [flags] | -f FILE)",
		Aliases: []string{"routes", "rt"},
		Short:   "Create an SDN route",
		Long: `create route makes an SDN route on the network NET (id or name) to --dest (CIDR) via
--next-hop (an address; none leaves the choice to the service), for the endpoints named by
--endpoint (ids or names, repeatable or comma-separated). --encap asks for the traffic to be
encapsulated (VXLAN overlay). With -f FILE the route is the document instead.`,
		Example: `  hcnctl create route --network web --dest 10.244.0.0/16 --endpoint web-1
  hcnctl create rt --network web --dest 10.245.0.0/16 --next-hop 172.20.0.1 --encap --endpoint web-1,web-2`,
	})
	fl := c.Flags()
	fl.StringVar(&f.network, "network", "", "the route's network (id or name)")
	fl.StringVar(&f.dest, "dest", "", "the destination in CIDR notation")
	fl.StringVar(&f.nextHop, "next-hop", "", "the next-hop address")
	fl.BoolVar(&f.encap, "encap", false, "encapsulate the routed traffic")
	fl.StringSliceVar(&f.endpoints, "endpoint", nil, "the endpoints the route applies to, ids or names (repeatable, comma-separated)")
	return c
}

func (a *app) createGuestNetworkServiceCmd() *cobra.Command {
	r := &createRun{a: a, kind: hcn.KindGuestNetworkService}
	return r.command(&cobra.Command{
		Use:     "guestnetworkservice -f FILE",
		Aliases: []string{"guestnetworkservices", "gns"},
		Short:   "Create a guest network service from its document",
		Long: `create guestnetworkservice makes a guest network service from its document (-f FILE, JSON or
YAML, "-" for standard input); it has no flag form.`,
		Example: `  hcnctl create gns -f gns.json`,
	})
}
