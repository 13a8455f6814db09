package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/hcnkit/hcn"
	"sigs.k8s.io/yaml"
)

// printObjects prints objs in format: a table (wide adds columns), or the
// service's own documents as JSON or YAML — one document when single,
// else an array.
func printObjects(w io.Writer, format string, objs []object, single bool) error {
	switch format {
	case "json", "yaml":
		var v any = docs(objs)
		if single && len(objs) == 1 {
			v = objs[0].doc
		}
		return printDoc(w, format, v)
	case "table", "wide":
		return printTable(w, objs, format == "wide")
	}
	return usagef("-o %q: want table, wide, json or yaml", format)
}

// docs returns the documents of objs.
func docs(objs []object) []json.Marshaler {
	out := make([]json.Marshaler, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.doc)
	}
	return out
}

// printDoc prints v as indented JSON or as YAML.
func printDoc(w io.Writer, format string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if format == "yaml" {
		if b, err = yaml.JSONToYAML(b); err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// printTable prints objs (all of one kind, or mixed) as aligned columns.
func printTable(w io.Writer, objs []object, wide bool) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	var kind hcn.Kind
	for _, o := range objs {
		if o.kind != kind {
			if kind != 0 {
				fmt.Fprintln(tw)
			}
			kind = o.kind
			fmt.Fprintln(tw, strings.Join(header(kind, wide), "\t"))
		}
		fmt.Fprintln(tw, strings.Join(row(o, wide), "\t"))
	}
	return tw.Flush()
}

// header returns the column names of kind.
func header(kind hcn.Kind, wide bool) []string {
	var h, more []string
	switch kind {
	case hcn.KindNetwork:
		h, more = []string{"NAME", "ID", "TYPE", "SUBNETS"}, []string{"GATEWAYS", "POLICIES", "FLAGS"}
	case hcn.KindEndpoint:
		h, more = []string{"NAME", "ID", "NETWORK", "IP"}, []string{"MAC", "NAMESPACE", "POLICIES"}
	case hcn.KindNamespace:
		h, more = []string{"ID", "TYPE", "COMPARTMENT", "ENDPOINTS"}, []string{"MEMBERS"}
	case hcn.KindLoadBalancer:
		h, more = []string{"ID", "VIPS", "PORTS", "BACKENDS"}, []string{"SOURCEVIP", "FLAGS", "ENDPOINTS"}
	case hcn.KindSDNRoute:
		h, more = []string{"ID", "NETWORK", "DESTINATIONS"}, []string{"NEXTHOPS", "ENDPOINTS"}
	case hcn.KindGuestNetworkService:
		h, more = []string{"ID", "VM", "STATE"}, []string{"FLAGS"}
	}
	if wide {
		h = append(h, more...)
	}
	return h
}

// row returns the cells of o.
func row(o object, wide bool) []string {
	var r, more []string
	switch d := o.doc.(type) {
	case *hcn.Network:
		var subnets, gws []string
		for _, ipam := range d.Ipams {
			for _, s := range ipam.Subnets {
				subnets = append(subnets, s.IpAddressPrefix)
				for _, rt := range s.Routes {
					if rt.NextHop != "" {
						gws = append(gws, rt.NextHop)
					}
				}
			}
		}
		typ := string(d.Type)
		if typ == "" {
			typ = string(hcn.NetworkTypeNAT)
		}
		r = []string{cell(d.Name), string(d.ID), typ, list(subnets)}
		more = []string{list(gws), policyTypes(d.Policies), strconv.FormatUint(uint64(d.Flags), 10)}
	case *hcn.Endpoint:
		var ips []string
		for _, c := range d.IpConfigurations {
			ips = append(ips, c.IpAddress)
		}
		r = []string{cell(d.Name), string(d.ID), string(d.HostComputeNetwork), list(ips)}
		more = []string{cell(d.MacAddress), cell(string(d.HostComputeNamespace)), policyTypes(d.Policies)}
	case *hcn.Namespace:
		var members []string
		for _, res := range d.Resources {
			members = append(members, string(res.Type)+":"+string(res.Data.ID))
		}
		typ := string(d.Type)
		if typ == "" {
			typ = string(hcn.NamespaceTypeHost)
		}
		r = []string{string(d.ID), typ, strconv.FormatUint(uint64(d.NamespaceID), 10), strconv.Itoa(len(d.EndpointIDs()))}
		more = []string{list(members)}
	case *hcn.LoadBalancer:
		var ports, eps []string
		for _, p := range d.PortMappings {
			ports = append(ports, fmt.Sprintf("%s:%d:%d", protocolName(uint32(p.Protocol)), p.ExternalPort, p.InternalPort))
		}
		for _, e := range d.HostComputeEndpoints {
			eps = append(eps, string(e))
		}
		r = []string{string(d.ID), list(d.FrontendVIPs), list(ports), strconv.Itoa(len(d.HostComputeEndpoints))}
		more = []string{cell(d.SourceVIP), strconv.FormatUint(uint64(d.Flags), 10), list(eps)}
	case *hcn.SDNRoute:
		var dst, hops, eps []string
		for _, rt := range d.Routes {
			dst = append(dst, rt.DestinationPrefix)
			hops = append(hops, cell(rt.NextHop))
		}
		for _, e := range d.HostComputeEndpoints {
			eps = append(eps, string(e))
		}
		r = []string{string(d.ID), cell(string(d.HostComputeNetwork)), list(dst)}
		more = []string{list(hops), list(eps)}
	case *hcn.GuestNetworkService:
		r = []string{string(d.ID), cell(d.VirtualMachineID), cell(string(d.State))}
		more = []string{strconv.FormatUint(uint64(d.Flags), 10)}
	default:
		r = []string{string(o.id)}
	}
	if wide {
		r = append(r, more...)
	}
	return r
}

// cell is s, or "-" when empty.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// list joins s with commas, "-" when empty.
func list(s []string) string { return cell(strings.Join(s, ",")) }

// policyTypes lists the policies' types.
func policyTypes(ps []hcn.Policy) string {
	var t []string
	for _, p := range ps {
		t = append(t, string(p.Type))
	}
	return list(t)
}

// protocolName names an IP protocol number.
func protocolName(p uint32) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	}
	return strconv.FormatUint(uint64(p), 10)
}
