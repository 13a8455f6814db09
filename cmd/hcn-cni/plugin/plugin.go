package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/containernetworking/cni/pkg/invoke"
	"github.com/containernetworking/cni/pkg/skel"
	"github.com/containernetworking/cni/pkg/types"
	types100 "github.com/containernetworking/cni/pkg/types/100"
	"github.com/containernetworking/cni/pkg/version"
	"github.com/hcnkit/hcn"
)

// Plugin runs the CNI commands. The zero value uses OpenClient and runs
// delegated IPAM plugins from CNI_PATH.
type Plugin struct {
	// Open returns the Client for a configuration and the function that
	// releases it (nil: nothing to release), called when the command
	// ends; nil means OpenClient.
	Open func(*NetConf) (*hcn.Client, func(), *types.Error)
	// Exec runs delegated IPAM plugins; nil means the default.
	Exec invoke.Exec
	// Stdout receives the result; nil means os.Stdout.
	Stdout io.Writer
}

func (p *Plugin) client(c *NetConf) (*hcn.Client, func(), *types.Error) {
	if p.Open == nil {
		return OpenClient(c)
	}
	cl, release, e := p.Open(c)
	if release == nil {
		release = func() {}
	}
	return cl, release, e
}

// open parses the configuration of a command and opens its backend; the
// caller calls release when done.
func (p *Plugin) open(args *skel.CmdArgs) (*NetConf, *hcn.Client, func(), *types.Error) {
	c, e := ParseConfig(args.StdinData)
	if e != nil {
		return nil, nil, nil, e
	}
	cl, release, e := p.client(c)
	if e != nil {
		return nil, nil, nil, e
	}
	return c, cl, release, nil
}

// EndpointName is the name of the endpoint of a container on a network.
func EndpointName(containerID, network string) string { return containerID + "_" + network }

// parseNetns parses CNI_NETNS, a bare namespace GUID (braces tolerated).
// Anything else, a path included, is code 4.
func parseNetns(s string) (hcn.ID, *types.Error) {
	if s == "" {
		return "", types.NewError(types.ErrInvalidEnvironmentVariables, "CNI_NETNS: required: the HCN namespace GUID", "")
	}
	g, err := hcn.ParseGUID(strings.Trim(s, "{}"))
	if err != nil {
		return "", types.NewError(types.ErrInvalidEnvironmentVariables,
			fmt.Sprintf("CNI_NETNS: %q is not an HCN namespace GUID", s), "")
	}
	return hcn.ID(g.String()), nil
}

// podNamespace returns K8S_POD_NAMESPACE from CNI_ARGS ("K=V;K2=V2").
func podNamespace(args string) (string, *types.Error) {
	if args == "" {
		return "", nil
	}
	for _, kv := range strings.Split(args, ";") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return "", types.NewError(types.ErrInvalidEnvironmentVariables, fmt.Sprintf("CNI_ARGS: %q is not KEY=VALUE", kv), "")
		}
		if k == "K8S_POD_NAMESPACE" {
			return v, nil
		}
	}
	return "", nil
}

// dnsFor is the endpoint's DNS: the configuration's, each member
// overridden by the runtime's dns capability when that has it. When the
// search list comes from the configuration and the pod's namespace is
// known, "<namespace>.<first suffix>" is put in front of it, as sdnbridge
// does (the runtime's list already starts with the pod's own suffix).
func dnsFor(c *NetConf, podNS string) hcn.DNS {
	d := hcn.DNS{
		Domain:     c.DNS.Domain,
		Search:     append([]string(nil), c.DNS.Search...),
		ServerList: append([]string(nil), c.DNS.Nameservers...),
		Options:    append([]string(nil), c.DNS.Options...),
	}
	rt := c.Runtime.DNS
	if len(rt.Servers) > 0 {
		d.ServerList = append([]string(nil), rt.Servers...)
	}
	if len(rt.Searches) > 0 {
		d.Search = append([]string(nil), rt.Searches...)
	} else if podNS != "" && len(d.Search) > 0 && !strings.HasPrefix(d.Search[0], podNS+".") {
		d.Search = append([]string{podNS + "." + d.Search[0]}, d.Search...)
	}
	if len(rt.Options) > 0 {
		d.Options = append([]string(nil), rt.Options...)
	}
	return d
}

// portPolicies are the PortMapping (and, with allowAclPortMapping,
// inbound ACL) policies of the runtime's port mappings.
func portPolicies(c *NetConf) []hcn.Policy {
	var out []hcn.Policy
	for _, pm := range c.Runtime.PortMappings {
		proto, _ := protocolOf(pm.Protocol)
		s := &hcn.PortMappingPolicySetting{
			Protocol:     proto,
			InternalPort: uint16(pm.ContainerPort),
			ExternalPort: uint16(pm.HostPort),
			VIP:          pm.HostIP,
		}
		if c.LocalRouted {
			s.Flags |= hcn.NatFlagLocalRoutedVIP
		}
		out = append(out, hcn.NewPolicy(s))
	}
	if c.AllowACL {
		for _, pm := range c.Runtime.PortMappings {
			proto, _ := protocolOf(pm.Protocol)
			out = append(out, hcn.NewPolicy(&hcn.ACLPolicySetting{
				Protocols:  strconv.Itoa(int(proto)),
				Action:     hcn.ActionAllow,
				Direction:  hcn.DirectionIn,
				LocalPorts: strconv.Itoa(pm.ContainerPort),
				RuleType:   hcn.RuleTypeSwitch,
				Priority:   1000,
			}))
		}
	}
	return out
}

// loopbackPolicy is the OutBoundNAT policy of loopback DSR: traffic to the
// endpoint's own address is NATed.
func loopbackPolicy(ip netip.Addr) hcn.Policy {
	return hcn.NewPolicy(&hcn.OutboundNATPolicySetting{Destinations: []string{ip.String()}})
}

// network returns the configured network, creating it when absent and
// the configuration allows (a subnet is known and the type may create).
func (p *Plugin) network(ctx context.Context, cl *hcn.Client, c *NetConf) (*hcn.Network, *types.Error) {
	n, err := cl.GetNetworkByName(ctx, c.Name)
	if err != nil && !hcn.IsNotFound(err) {
		return nil, svcErr("network "+c.Name, err)
	}
	if err != nil {
		doc, e := c.networkDoc()
		if e != nil {
			return nil, e
		}
		// EnsureNetwork returns the winner's network when another process
		// creates the same name first (ErrAlreadyExists).
		if n, _, err = cl.EnsureNetwork(ctx, doc); err != nil {
			return nil, svcErr("create network "+c.Name, err)
		}
	}
	if !sameType(n.Type, c.NetworkType) {
		return nil, types.NewError(ErrNetwork, fmt.Sprintf("network %s is of type %s; the configuration asks for %s", c.Name, typeName(n.Type), c.NetworkType), "")
	}
	return n, nil
}

func typeName(t hcn.NetworkType) hcn.NetworkType {
	if t == "" {
		return hcn.NetworkTypeNAT
	}
	return t
}

func sameType(a, b hcn.NetworkType) bool { return typeName(a).Is(typeName(b)) }

// networkDoc is the network to create when none of the name exists.
func (c *NetConf) networkDoc() (*hcn.Network, *types.Error) {
	if !c.Create {
		return nil, types.NewError(ErrNetwork, fmt.Sprintf("network %s not found (type %s uses an existing network only)", c.Name, c.Type), "")
	}
	if len(c.IPAM.Subnets) == 0 {
		return nil, types.NewError(ErrNetwork, fmt.Sprintf("network %s not found, and ipam has no subnet to create it from", c.Name), "")
	}
	n := &hcn.Network{Name: c.Name, Type: c.NetworkType, Policies: c.NetworkPols, SchemaVersion: hcn.V2()}
	ipam := hcn.IPAM{Type: hcn.IPAMTypeStatic}
	for _, s := range c.IPAM.Subnets {
		dst := "0.0.0.0/0"
		if s.Prefix.Addr().Is6() {
			dst = "::/0"
		}
		ipam.Subnets = append(ipam.Subnets, hcn.Subnet{
			IpAddressPrefix: s.Prefix.String(),
			Routes:          []hcn.Route{{NextHop: s.Gateway.String(), DestinationPrefix: dst}},
		})
	}
	n.Ipams = []hcn.IPAM{ipam}
	return n, nil
}

// Add is CNI ADD.
func (p *Plugin) Add(args *skel.CmdArgs) error {
	c, e := ParseConfig(args.StdinData)
	if e != nil {
		return e
	}
	podNS, e := podNamespace(args.Args)
	if e != nil {
		return e
	}
	ns, e := parseNetns(args.Netns)
	if e != nil {
		return e
	}
	cl, release, e := p.client(c)
	if e != nil {
		return e
	}
	defer release()
	ctx := context.Background()
	name := EndpointName(args.ContainerID, c.Name)

	// A repeated ADD of an attachment that exists returns it; an endpoint
	// of that name elsewhere (an ADD killed midway) is replaced.
	if ep, err := cl.GetEndpointByName(ctx, name); err == nil {
		if hcn.EqualFoldGUID(string(ep.HostComputeNamespace), string(ns)) {
			n, err := cl.GetNetwork(ctx, ep.HostComputeNetwork)
			if err != nil {
				return svcErr("network of endpoint "+name, err)
			}
			return p.print(c, args, ep, n, nil)
		}
		if e := removeEndpoint(ctx, cl, ep); e != nil {
			return e
		}
	} else if !hcn.IsNotFound(err) {
		return svcErr("endpoint "+name, err)
	}
	if _, err := cl.GetNamespace(ctx, ns); err != nil {
		if hcn.IsNotFound(err) {
			return types.NewError(ErrNamespace, fmt.Sprintf("CNI_NETNS: namespace %s not found", ns), "")
		}
		return svcErr("namespace "+string(ns), err)
	}
	n, e := p.network(ctx, cl, c)
	if e != nil {
		return e
	}

	var undo []func()
	ok := false
	defer func() {
		if !ok {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		}
	}()

	ep := &hcn.Endpoint{
		Name:               name,
		HostComputeNetwork: n.ID,
		Dns:                dnsFor(c, podNS),
		SchemaVersion:      hcn.V2(),
	}
	ep.Policies = append(ep.Policies, portPolicies(c)...)
	ep.Policies = append(ep.Policies, c.EndpointPols...)

	var ipamRes *types100.Result
	if c.Delegated() {
		r, e := p.ipamAdd(ctx, c, args)
		if e != nil {
			return e
		}
		undo = append(undo, func() { _ = p.ipamDel(ctx, c, args) })
		ipamRes = r
		for _, ip := range r.IPs {
			a, _ := netip.AddrFromSlice(ip.Address.IP)
			a = a.Unmap()
			ones, _ := ip.Address.Mask.Size()
			ep.IpConfigurations = append(ep.IpConfigurations, hcn.IPConfig{IpAddress: a.String(), PrefixLength: uint8(ones)})
			if ip.Gateway != nil {
				dst := "0.0.0.0/0"
				if a.Is6() {
					dst = "::/0"
				}
				ep.Routes = append(ep.Routes, hcn.Route{NextHop: ip.Gateway.String(), DestinationPrefix: dst})
			}
			if c.LoopbackDSRon {
				ep.Policies = append(ep.Policies, loopbackPolicy(a))
			}
		}
	}

	created, err := cl.CreateEndpoint(ctx, ep)
	if err != nil {
		return svcErr("create endpoint "+name, err)
	}
	undo = append(undo, func() { _ = cl.DeleteEndpoint(ctx, created.ID, &hcn.DeleteOptions{IgnoreNotFound: true}) })

	if c.LoopbackDSRon && !c.Delegated() {
		var pols []hcn.Policy
		for _, ipc := range created.IpConfigurations {
			if a, err := ipc.Addr(); err == nil {
				pols = append(pols, loopbackPolicy(a))
			}
		}
		if len(pols) > 0 {
			if err := cl.AddEndpointPolicies(ctx, created.ID, pols...); err != nil {
				return svcErr("loopback DSR policy of endpoint "+name, err)
			}
			created.Policies = append(created.Policies, pols...)
		}
	}

	if err := cl.AddNamespaceEndpoint(ctx, ns, created.ID); err != nil {
		if hcn.IsNotFound(err) {
			return types.NewError(ErrNamespace, fmt.Sprintf("add endpoint %s to namespace %s: %v", name, ns, err), "")
		}
		return svcErr(fmt.Sprintf("add endpoint %s to namespace %s", name, ns), err)
	}
	created.HostComputeNamespace = ns
	if err := p.print(c, args, created, n, ipamRes); err != nil {
		return err
	}
	ok = true
	return nil
}

// result is the CNI result of an endpoint: one interface named CNI_IFNAME
// with the endpoint's MAC, every address on it, the gateway of its subnet,
// the routes of IPAM (or ipam.routes, or a default route via the gateway)
// and the endpoint's DNS.
func result(c *NetConf, args *skel.CmdArgs, ep *hcn.Endpoint, n *hcn.Network, ipamRes *types100.Result) *types100.Result {
	r := &types100.Result{CNIVersion: types100.ImplementedSpecVersion}
	iface := &types100.Interface{Name: args.IfName, Sandbox: args.Netns}
	if hw, err := hcn.ParseMAC(ep.MacAddress); err == nil {
		iface.Mac = hw.String()
	}
	r.Interfaces = []*types100.Interface{iface}
	zero := 0
	for _, ipc := range ep.IpConfigurations {
		a, err := ipc.Addr()
		if err != nil {
			continue
		}
		bits := int(ipc.PrefixLength)
		if bits == 0 {
			bits = a.BitLen()
		}
		ipc := &types100.IPConfig{
			Interface: &zero,
			Address:   net.IPNet{IP: net.IP(a.AsSlice()), Mask: net.CIDRMask(bits, a.BitLen())},
		}
		if gw, ok := gatewayOf(a, ep, n, ipamRes); ok {
			ipc.Gateway = net.IP(gw.AsSlice())
		}
		r.IPs = append(r.IPs, ipc)
	}
	switch {
	case ipamRes != nil && len(ipamRes.Routes) > 0:
		r.Routes = ipamRes.Routes
	case len(c.IPAM.Routes) > 0:
		for _, rt := range c.IPAM.Routes {
			_, dst, _ := net.ParseCIDR(rt.Dst)
			route := &types.Route{Dst: *dst}
			if rt.GW != "" {
				route.GW = net.ParseIP(rt.GW)
			}
			r.Routes = append(r.Routes, route)
		}
	default:
		for _, ip := range r.IPs {
			if ip.Gateway == nil {
				continue
			}
			dst := net.IPNet{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)}
			if ip.Gateway.To4() == nil {
				dst = net.IPNet{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)}
			}
			r.Routes = append(r.Routes, &types.Route{Dst: dst, GW: ip.Gateway})
		}
	}
	r.DNS = types.DNS{
		Nameservers: ep.Dns.ServerList,
		Domain:      ep.Dns.Domain,
		Search:      ep.Dns.Search,
		Options:     ep.Dns.Options,
	}
	return r
}

// gatewayOf finds the gateway of an address: IPAM's, the endpoint's
// default route, or its subnet's on the network.
func gatewayOf(a netip.Addr, ep *hcn.Endpoint, n *hcn.Network, ipamRes *types100.Result) (netip.Addr, bool) {
	if ipamRes != nil {
		for _, ip := range ipamRes.IPs {
			if ip.Address.IP.Equal(net.IP(a.AsSlice())) && ip.Gateway != nil {
				g, ok := netip.AddrFromSlice(ip.Gateway)
				return g.Unmap(), ok
			}
		}
	}
	for _, rt := range ep.Routes {
		if g, err := rt.NextHopAddr(); err == nil && rt.IsDefault() && g.Is4() == a.Is4() {
			return g, true
		}
	}
	if n != nil {
		for _, s := range n.Subnets() {
			if p, err := s.Prefix(); err == nil && p.Contains(a) {
				return s.Gateway()
			}
		}
	}
	return netip.Addr{}, false
}

func (p *Plugin) print(c *NetConf, args *skel.CmdArgs, ep *hcn.Endpoint, n *hcn.Network, ipamRes *types100.Result) error {
	r, err := result(c, args, ep, n, ipamRes).GetAsVersion(c.CNIVersion)
	if err != nil {
		return types.NewError(types.ErrIncompatibleCNIVersion, err.Error(), "")
	}
	w := p.Stdout
	if w == nil {
		w = os.Stdout
	}
	return r.PrintTo(w)
}

// removeEndpoint takes an endpoint out of its namespace (one already gone
// is fine) and deletes it (one already gone is fine).
func removeEndpoint(ctx context.Context, cl *hcn.Client, ep *hcn.Endpoint) *types.Error {
	if ep.HostComputeNamespace != "" {
		if err := cl.RemoveNamespaceEndpoint(ctx, ep.HostComputeNamespace, ep.ID); err != nil && !hcn.IsNotFound(err) {
			return svcErr(fmt.Sprintf("remove endpoint %s from namespace %s", ep.Name, ep.HostComputeNamespace), err)
		}
	}
	if err := cl.DeleteEndpoint(ctx, ep.ID, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
		return svcErr("delete endpoint "+ep.Name, err)
	}
	return nil
}

// Del is CNI DEL: it releases the delegated IPAM allocation and deletes the
// endpoint, whichever of the two fails, whatever CNI_NETNS says (it may be
// empty, or name a namespace already deleted). What is already gone is a
// success.
func (p *Plugin) Del(args *skel.CmdArgs) error {
	c, cl, release, e := p.open(args)
	if e != nil {
		return e
	}
	defer release()
	ctx := context.Background()
	// An IPAM plugin that is not installed allocated nothing.
	var ipamErr *types.Error
	if c.Delegated() && p.ipamInstalled(c.IPAM.Type) {
		ipamErr = p.ipamDel(ctx, c, args)
	}
	name := EndpointName(args.ContainerID, c.Name)
	ep, err := cl.GetEndpointByName(ctx, name)
	switch {
	case hcn.IsNotFound(err):
	case err != nil:
		return svcErr("endpoint "+name, err)
	default:
		if e := removeEndpoint(ctx, cl, ep); e != nil {
			return e
		}
	}
	if ipamErr != nil {
		return ipamErr
	}
	return nil
}

// Check is CNI CHECK: the endpoint exists, is in CNI_NETNS, holds every
// address of prevResult and the policies the configuration asks for.
func (p *Plugin) Check(args *skel.CmdArgs) error {
	c, e := ParseConfig(args.StdinData)
	if e != nil {
		return e
	}
	ns, e := parseNetns(args.Netns)
	if e != nil {
		return e
	}
	var prev *types100.Result
	if len(c.PrevResult) > 0 {
		pc := &types.PluginConf{CNIVersion: c.CNIVersion, RawPrevResult: map[string]any{}}
		if err := json.Unmarshal(c.PrevResult, &pc.RawPrevResult); err != nil {
			return decodeErr("prevResult", err)
		}
		if err := version.ParsePrevResult(pc); err != nil {
			return types.NewError(types.ErrDecodingFailure, "prevResult: "+err.Error(), "")
		}
		r, err := types100.NewResultFromResult(pc.PrevResult)
		if err != nil {
			return types.NewError(types.ErrDecodingFailure, "prevResult: "+err.Error(), "")
		}
		prev = r
	}
	cl, release, e := p.client(c)
	if e != nil {
		return e
	}
	defer release()
	ctx := context.Background()
	if c.Delegated() {
		if err := invoke.DelegateCheck(ctx, c.IPAM.Type, args.StdinData, p.Exec); err != nil {
			return ipamErr("CHECK", c.IPAM.Type, err)
		}
	}
	name := EndpointName(args.ContainerID, c.Name)
	ep, err := cl.GetEndpointByName(ctx, name)
	if hcn.IsNotFound(err) {
		return types.NewError(ErrCheckEndpoint, fmt.Sprintf("endpoint %s not found", name), "")
	}
	if err != nil {
		return svcErr("endpoint "+name, err)
	}
	if !hcn.EqualFoldGUID(string(ep.HostComputeNamespace), string(ns)) {
		return types.NewError(ErrCheckNamespace, fmt.Sprintf("endpoint %s is in namespace %q, not %s", name, ep.HostComputeNamespace, ns), "")
	}
	if prev != nil {
		for _, ip := range prev.IPs {
			want, _ := netip.AddrFromSlice(ip.Address.IP)
			want = want.Unmap()
			found := false
			for _, ipc := range ep.IpConfigurations {
				if a, err := ipc.Addr(); err == nil && a == want {
					found = true
				}
			}
			if !found {
				return types.NewError(ErrCheckAddress, fmt.Sprintf("endpoint %s does not have address %s of the previous result", name, want), "")
			}
		}
	}
	for _, want := range append(portPolicies(c), c.EndpointPols...) {
		if !hasPolicy(ep, want) {
			b, _ := json.Marshal(want)
			return types.NewError(ErrCheckPolicy, fmt.Sprintf("endpoint %s lacks policy %s", name, b), "")
		}
	}
	return nil
}

// hasPolicy reports whether the endpoint holds a policy of want's type
// whose settings hold want's members.
func hasPolicy(ep *hcn.Endpoint, want hcn.Policy) bool {
	wb, err := json.Marshal(want.Settings)
	if err != nil {
		return false
	}
	var wm map[string]any
	_ = json.Unmarshal(wb, &wm)
	for _, got := range ep.Policies {
		if !strings.EqualFold(string(got.Type), string(want.Type)) {
			continue
		}
		gb, err := json.Marshal(got.Settings)
		if err != nil {
			continue
		}
		var gm map[string]any
		_ = json.Unmarshal(gb, &gm)
		if contains(gm, wm) {
			return true
		}
	}
	return false
}

// contains reports whether every member of want is in got with the same
// value, comparing keys case-insensitively.
func contains(got, want map[string]any) bool {
	for k, wv := range want {
		found := false
		for gk, gv := range got {
			if strings.EqualFold(gk, k) {
				wb, _ := json.Marshal(wv)
				gb, _ := json.Marshal(gv)
				found = strings.EqualFold(string(wb), string(gb))
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Status is CNI STATUS: the service answers, the network exists with the
// configured type or can be created, and the delegated IPAM plugin is
// ready.
func (p *Plugin) Status(args *skel.CmdArgs) error {
	c, cl, release, e := p.open(args)
	if e != nil {
		return e
	}
	defer release()
	ctx := context.Background()
	if _, err := cl.ServiceVersion(ctx); err != nil {
		return types.NewError(types.ErrPluginNotAvailable, "the HCN service does not answer: "+err.Error(), "")
	}
	n, err := cl.GetNetworkByName(ctx, c.Name)
	switch {
	case hcn.IsNotFound(err):
		if _, e := c.networkDoc(); e != nil {
			return types.NewError(types.ErrPluginNotAvailable, e.Msg, "")
		}
	case err != nil:
		return types.NewError(types.ErrPluginNotAvailable, fmt.Sprintf("network %s: %v", c.Name, err), "")
	case !sameType(n.Type, c.NetworkType):
		return types.NewError(types.ErrPluginNotAvailable, fmt.Sprintf("network %s is of type %s; the configuration asks for %s", c.Name, typeName(n.Type), c.NetworkType), "")
	}
	if c.Delegated() {
		if err := invoke.DelegateStatus(ctx, c.IPAM.Type, args.StdinData, p.Exec); err != nil {
			return ipamErr("STATUS", c.IPAM.Type, err)
		}
	}
	return nil
}

// GC is CNI GC: it deletes this plugin's endpoints on the configured
// network ("<containerID>_<network>") whose container is not among
// cni.dev/valid-attachments, continuing past failures, then forwards GC to
// the delegated IPAM plugin, which releases the allocations of the
// attachments not listed.
func (p *Plugin) GC(args *skel.CmdArgs) error {
	c, cl, release, e := p.open(args)
	if e != nil {
		return e
	}
	defer release()
	ctx := context.Background()
	valid := map[string]bool{}
	for _, a := range c.ValidAttach {
		valid[a.ContainerID] = true
	}
	var errs errorList
	n, err := cl.GetNetworkByName(ctx, c.Name)
	switch {
	case hcn.IsNotFound(err):
	case err != nil:
		errs.add("network %s: %v", c.Name, err)
	default:
		eps, err := cl.ListEndpoints(ctx, &hcn.ListOptions{Network: n.ID})
		if err != nil {
			errs.add("list endpoints of network %s: %v", c.Name, err)
		}
		suffix := "_" + c.Name
		for _, ep := range eps {
			cid, ok := strings.CutSuffix(ep.Name, suffix)
			if !ok || cid == "" || valid[cid] {
				continue
			}
			if e := removeEndpoint(ctx, cl, ep); e != nil {
				errs.add("%s", e.Msg)
			}
		}
	}
	if c.Delegated() {
		if err := invoke.DelegateGC(ctx, c.IPAM.Type, args.StdinData, p.Exec); err != nil {
			errs.add("IPAM %s GC: %v", c.IPAM.Type, err)
		}
	}
	if len(errs) > 0 {
		return types.NewError(ErrGC, "GC: "+strings.Join(errs, "; "), "")
	}
	return nil
}

// ipamAdd runs the delegated IPAM plugin's ADD; a failure after it ran
// releases what it allocated.
func (p *Plugin) ipamAdd(ctx context.Context, c *NetConf, args *skel.CmdArgs) (*types100.Result, *types.Error) {
	res, err := invoke.DelegateAdd(ctx, c.IPAM.Type, args.StdinData, p.Exec)
	if err != nil {
		return nil, ipamErr("ADD", c.IPAM.Type, err)
	}
	r, err := types100.NewResultFromResult(res)
	if err == nil && len(r.IPs) == 0 {
		err = errors.New("no addresses")
	}
	if err != nil {
		_ = p.ipamDel(ctx, c, args)
		return nil, types.NewError(ErrIPAM, fmt.Sprintf("IPAM %s ADD: %v", c.IPAM.Type, err), "")
	}
	return r, nil
}

func (p *Plugin) ipamDel(ctx context.Context, c *NetConf, args *skel.CmdArgs) *types.Error {
	if err := invoke.DelegateDel(ctx, c.IPAM.Type, args.StdinData, p.Exec); err != nil {
		return ipamErr("DEL", c.IPAM.Type, err)
	}
	return nil
}

// ipamInstalled reports whether the IPAM plugin is in CNI_PATH.
func (p *Plugin) ipamInstalled(name string) bool {
	paths := filepath.SplitList(os.Getenv("CNI_PATH"))
	if p.Exec != nil {
		_, err := p.Exec.FindInPath(name, paths)
		return err == nil
	}
	_, err := invoke.FindInPath(name, paths)
	return err == nil
}

// ipamErr keeps the IPAM plugin's own error code and names the plugin.
func ipamErr(verb, plugin string, err error) *types.Error {
	var te *types.Error
	if errors.As(err, &te) {
		return types.NewError(te.Code, fmt.Sprintf("IPAM %s %s: %s", plugin, verb, te.Msg), te.Details)
	}
	return types.NewError(ErrIPAM, fmt.Sprintf("IPAM %s %s: %v", plugin, verb, err), "")
}
