package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/overlay"
	"github.com/spf13/cobra"
)

// Problem classes.
const (
	classLBMissingEndpoint = "lb-missing-endpoint"        // a load balancer's backend does not exist
	classDuplicateIP       = "duplicate-ip"               // two endpoints of a network share an address
	classNoNamespace       = "no-namespace"               // an endpoint in no namespace (a warning)
	classNSMissingEndpoint = "namespace-missing-endpoint" // a namespace references an endpoint that does not exist
	classOrphan            = "orphan"                     // an owner's endpoint in no namespace
	classSubnetOverlap     = "subnet-overlap"             // two networks' subnets overlap
)

// Severities: only errors make doctor's exit status 3.
const (
	severityError   = "error"
	severityWarning = "warning"
)

// problem is one finding of doctor.
type problem struct {
	Class    string `json:"class"`
	Severity string `json:"severity"`
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Message  string `json:"message"`
	Fixed    bool   `json:"fixed,omitempty"`

	refs      []hcn.ID // the missing endpoints a fix removes
	container string   // an orphan's container id
}

// fixAction is one repair doctor --fix made or tried.
type fixAction struct {
	Class  string `json:"class"`
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Action string `json:"action"`
	Error  string `json:"error,omitempty"`
}

// doctorReport is what doctor found and, with --fix, what it repaired.
type doctorReport struct {
	Problems []problem   `json:"problems"`
	Fixes    []fixAction `json:"fixes,omitempty"`
	// Errors counts the problems of severity error not fixed: doctor's
	// exit status is 3 when it is not zero.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Fixed    int `json:"fixed,omitempty"`

	spare map[string]bool // container ids of the owner's endpoints in a namespace
}

// doctorCmd is `hcnctl doctor`.
func (a *app) doctorCmd() *cobra.Command {
	var f struct {
		fix   bool
		owner string
	}
	c := a.command(&cobra.Command{
		Use:   "doctor",
		Short: "Find inconsistencies between the service's objects, and repair the safe ones",
		Long: `doctor reads every network, endpoint, namespace and load balancer and reports each problem
with its class, the object and what is wrong:

  lb-missing-endpoint         a load balancer's backend endpoint does not exist
  duplicate-ip                endpoints of one network hold the same address
  namespace-missing-endpoint  a namespace references an endpoint that does not exist
  orphan                      an endpoint named OWNER-* in no namespace (with --owner only)
  subnet-overlap              the subnets of two networks overlap
  no-namespace                an endpoint in no namespace (a warning: a fresh endpoint has none)

The exit status is 3 when a problem of severity error remains, 0 otherwise: warnings alone do not
make it 3. Remote endpoints cannot join a namespace and are never reported for having none.

--fix repairs what is safe and reports each action: missing backends are removed from load
balancers, references to missing endpoints are removed from namespaces (never from the host's
default namespace), and the owner's orphan endpoints are deleted (as "hcnctl detach" would, with
the namespace an attach cut short left behind for them). Duplicate addresses and overlapping
subnets are left to the operator. A problem fixed no longer counts for the exit status.`,
		Example: `  hcnctl doctor
  hcnctl doctor -o json
  hcnctl doctor --owner hcnctl --fix`,
		Args: cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput("table", "json"); err != nil {
			return err
		}
		if f.owner != "" {
			if err := checkOwnerTag(f.owner); err != nil {
				return err
			}
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		p := a.progress("doctor: reading every object", -1)
		rep, err := diagnose(ctx, c, f.owner)
		p.done()
		if err != nil {
			return err
		}
		if f.fix {
			rep.fix(ctx, c, f.owner)
		}
		if err := rep.print(a.out, a.output); err != nil {
			return err
		}
		if rep.Errors > 0 {
			return &problemsError{rep.Errors}
		}
		return nil
	})
	a.outputFlag(c, "table", "json")
	fl := c.Flags()
	fl.BoolVar(&f.fix, "fix", false, "repair what is safe to repair, reporting each action")
	fl.StringVar(&f.owner, "owner", "", "report (and with --fix delete) this owner's endpoints that are in no namespace")
	return c
}

// checkOwnerTag checks an owner tag as package overlay wants it: 1–32
// letters, digits, '.' and '_'.
func checkOwnerTag(tag string) error {
	if len(tag) > 32 {
		return usagef("--owner %q: longer than 32 characters", tag)
	}
	for _, r := range tag {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return usagef("--owner %q: character %q: want letters, digits, '.' and '_'", tag, r)
		}
	}
	return nil
}

// diagnose reads the service's objects and returns the problems found.
// owner, when not empty, is the owner tag whose endpoints in no namespace
// are orphans.
func diagnose(ctx context.Context, c *hcn.Client, owner string) (*doctorReport, error) {
	nets, err := c.ListNetworks(ctx, nil)
	if err != nil {
		return nil, err
	}
	eps, err := c.ListEndpoints(ctx, nil)
	if err != nil {
		return nil, err
	}
	nss, err := c.ListNamespaces(ctx, nil)
	if err != nil {
		return nil, err
	}
	lbs, err := c.ListLoadBalancers(ctx, nil)
	if err != nil {
		return nil, err
	}
	rep := &doctorReport{Problems: []problem{}, spare: map[string]bool{}}
	exists := map[hcn.ID]bool{}
	for _, e := range eps {
		exists[e.ID.Canonical()] = true
	}
	// missing reports whether endpoint id does not exist; one the listing
	// did not see is asked for again, so that an endpoint created since is
	// not taken for a missing one.
	missing := func(id hcn.ID) bool {
		if exists[id.Canonical()] {
			return false
		}
		_, err := c.GetEndpoint(ctx, id)
		return hcn.IsNotFound(err)
	}
	netName := map[hcn.ID]string{}
	for _, n := range nets {
		netName[n.ID.Canonical()] = n.Name
	}

	for _, lb := range lbs {
		var gone []hcn.ID
		for _, id := range lb.HostComputeEndpoints {
			if missing(id) {
				gone = append(gone, id)
			}
		}
		if len(gone) > 0 {
			rep.add(problem{Class: classLBMissingEndpoint, Severity: severityError, Kind: hcn.KindLoadBalancer.String(),
				ID: string(lb.ID), Message: fmt.Sprintf("backend endpoints that do not exist: %s", joinIDs(gone)), refs: gone})
		}
	}

	type netIP struct {
		net hcn.ID
		ip  netip.Addr
	}
	holders := map[netIP][]*hcn.Endpoint{}
	var order []netIP
	for _, e := range eps {
		for _, ipc := range e.IpConfigurations {
			ip, err := netip.ParseAddr(ipc.IpAddress)
			if err != nil {
				continue
			}
			k := netIP{e.HostComputeNetwork.Canonical(), ip.Unmap()}
			if len(holders[k]) == 0 {
				order = append(order, k)
			}
			holders[k] = append(holders[k], e)
		}
	}
	for _, k := range order {
		hs := holders[k]
		if len(hs) < 2 {
			continue
		}
		for i, e := range hs {
			var others []string
			for j, o := range hs {
				if j != i {
					others = append(others, endpointRef(o))
				}
			}
			rep.add(problem{Class: classDuplicateIP, Severity: severityError, Kind: hcn.KindEndpoint.String(),
				ID: string(e.ID), Name: e.Name, Message: fmt.Sprintf("address %s on network %s is also held by %s",
					k.ip, cell(netName[k.net]), strings.Join(others, ", "))})
		}
	}

	inNS := map[hcn.ID]bool{}
	for _, ns := range nss {
		for _, id := range ns.EndpointIDs() {
			inNS[id.Canonical()] = true
		}
	}
	for _, e := range eps {
		if owner != "" {
			if cid, ok := strings.CutPrefix(e.Name, owner+"-"); ok && cid != "" && (e.HostComputeNamespace != "" || inNS[e.ID.Canonical()]) {
				rep.spare[cid] = true
			}
		}
	}
	for _, e := range eps {
		if e.Flags&hcn.EndpointFlagRemoteEndpoint != 0 || e.HostComputeNamespace != "" || inNS[e.ID.Canonical()] {
			continue
		}
		if owner != "" {
			if cid, ok := strings.CutPrefix(e.Name, owner+"-"); ok && cid != "" {
				rep.add(problem{Class: classOrphan, Severity: severityError, Kind: hcn.KindEndpoint.String(),
					ID: string(e.ID), Name: e.Name, Message: fmt.Sprintf("endpoint of owner %s (container %s) is in no namespace", owner, cid),
					container: cid})
				continue
			}
		}
		rep.add(problem{Class: classNoNamespace, Severity: severityWarning, Kind: hcn.KindEndpoint.String(),
			ID: string(e.ID), Name: e.Name, Message: "endpoint is in no namespace"})
	}

	for _, ns := range nss {
		var gone []hcn.ID
		for _, id := range ns.EndpointIDs() {
			if missing(id) {
				gone = append(gone, id)
			}
		}
		if len(gone) > 0 {
			rep.add(problem{Class: classNSMissingEndpoint, Severity: severityError, Kind: hcn.KindNamespace.String(),
				ID: string(ns.ID), Message: fmt.Sprintf("references endpoints that do not exist: %s", joinIDs(gone)), refs: gone})
		}
	}

	type subnet struct {
		net    *hcn.Network
		prefix netip.Prefix
	}
	var seen []subnet
	for _, n := range nets {
		var mine []netip.Prefix
		for _, s := range n.Subnets() {
			p, err := netip.ParsePrefix(s.IpAddressPrefix)
			if err != nil {
				continue
			}
			p = p.Masked()
			for _, o := range seen {
				if o.prefix.Overlaps(p) && !o.net.ID.Equal(n.ID) {
					rep.add(problem{Class: classSubnetOverlap, Severity: severityError, Kind: hcn.KindNetwork.String(),
						ID: string(n.ID), Name: n.Name, Message: fmt.Sprintf("subnet %s overlaps subnet %s of network %s",
							p, o.prefix, networkRef(o.net))})
				}
			}
			mine = append(mine, p)
		}
		for _, p := range mine {
			seen = append(seen, subnet{n, p})
		}
	}
	return rep, nil
}

// add records p.
func (r *doctorReport) add(p problem) {
	r.Problems = append(r.Problems, p)
	if p.Severity == severityError {
		r.Errors++
	} else {
		r.Warnings++
	}
}

// fix repairs the problems that are safe to repair, recording each action
// and marking the problems fixed.
func (r *doctorReport) fix(ctx context.Context, c *hcn.Client, owner string) {
	done := func(p *problem, action string, err error) {
		f := fixAction{Class: p.Class, Kind: p.Kind, ID: p.ID, Action: action}
		if err != nil {
			f.Error = err.Error()
		}
		r.Fixes = append(r.Fixes, f)
	}
	fixed := func(p *problem) {
		if p.Fixed {
			return
		}
		if p.Severity == severityError {
			r.Errors--
		}
		p.Fixed = true
		r.Fixed++
	}
	orphans := map[string]bool{}
	for i := range r.Problems {
		p := &r.Problems[i]
		switch p.Class {
		case classLBMissingEndpoint:
			lb, err := c.RemoveLoadBalancerEndpoints(ctx, hcn.ID(p.ID), p.refs...)
			action := "removed missing backends " + joinIDs(p.refs) + " from the load balancer"
			if err == nil && lb != nil && !lb.ID.Equal(hcn.ID(p.ID)) {
				// Below HNS 15.5 the Client replaces the load balancer.
				action += " (replaced: now load balancer " + string(lb.ID) + ")"
			}
			done(p, action, err)
			if err == nil {
				fixed(p)
			}
		case classNSMissingEndpoint:
			ns := hcn.ID(p.ID)
			if ns.Equal(hcn.HostDefaultNamespaceID) {
				done(p, "left alone: the host's default namespace is never changed", nil)
				continue
			}
			var failed bool
			for _, id := range p.refs {
				err := c.RemoveNamespaceEndpoint(ctx, ns, id)
				if hcn.IsNotFound(err) {
					// The reference may be gone already.
					if cur, gerr := c.GetNamespace(ctx, ns); gerr == nil && !hasEndpoint(cur, id) {
						err = nil
					}
				}
				done(p, "removed missing endpoint "+string(id)+" from the namespace", err)
				failed = failed || err != nil
			}
			if !failed {
				fixed(p)
			}
		case classOrphan:
			orphans[p.container] = true
		}
	}
	if len(orphans) == 0 || owner == "" {
		return
	}
	// Sweep works by container id: an orphan's container id that also
	// names an endpoint in a namespace is spared.
	for cid := range r.spare {
		delete(orphans, cid)
	}
	sr, err := overlay.Sweep(ctx, c, owner, func(cid string) bool { return !orphans[cid] }, nil)
	swept := map[hcn.ID]bool{}
	if sr != nil {
		for _, e := range sr.Endpoints {
			swept[e.ID.Canonical()] = true
		}
	}
	for i := range r.Problems {
		p := &r.Problems[i]
		if p.Class != classOrphan {
			continue
		}
		switch {
		case swept[hcn.ID(p.ID).Canonical()]:
			done(p, "deleted the orphan endpoint "+p.Name, nil)
			fixed(p)
		case !orphans[p.container]:
			done(p, "left alone: another endpoint of container "+p.container+" is in a namespace", nil)
		default:
			done(p, "not deleted", err)
		}
	}
	if sr != nil {
		for _, ns := range sr.Namespaces {
			r.Fixes = append(r.Fixes, fixAction{Class: classOrphan, Kind: hcn.KindNamespace.String(), ID: string(ns),
				Action: "deleted the namespace left for the orphan endpoints"})
		}
	}
}

// hasEndpoint reports whether ns references endpoint id.
func hasEndpoint(ns *hcn.Namespace, id hcn.ID) bool {
	for _, e := range ns.EndpointIDs() {
		if e.Equal(id) {
			return true
		}
	}
	return false
}

// print prints the report in format: a table, or JSON.
func (r *doctorReport) print(w io.Writer, format string) error {
	if format == "json" {
		return printDoc(w, "json", r)
	}
	if len(r.Problems) == 0 {
		_, err := fmt.Fprintln(w, "No problems found.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "CLASS\tSEVERITY\tKIND\tOBJECT\tMESSAGE")
	for _, p := range r.Problems {
		obj := p.ID
		if p.Name != "" {
			obj = p.Name + " (" + p.ID + ")"
		}
		sev := p.Severity
		if p.Fixed {
			sev = "fixed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Class, sev, p.Kind, obj, p.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Fixes) > 0 {
		fmt.Fprintln(w)
		for _, f := range r.Fixes {
			if f.Error != "" {
				fmt.Fprintf(w, "fix failed: %s %s: %s: %s\n", f.Kind, f.ID, f.Action, f.Error)
			} else {
				fmt.Fprintf(w, "fix: %s %s: %s\n", f.Kind, f.ID, f.Action)
			}
		}
	}
	if r.Fixed > 0 {
		fmt.Fprintf(w, "\n%d fixed, %s left, %s\n", r.Fixed, plural(r.Errors, "problem"), plural(r.Warnings, "warning"))
		return nil
	}
	_, err := fmt.Fprintf(w, "\n%s, %s\n", plural(r.Errors, "problem"), plural(r.Warnings, "warning"))
	return err
}

// plural is "n thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// joinIDs joins ids with commas.
func joinIDs(ids []hcn.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}

// endpointRef names an endpoint for a message: its name and id.
func endpointRef(e *hcn.Endpoint) string {
	if e.Name == "" {
		return "endpoint " + string(e.ID)
	}
	return fmt.Sprintf("endpoint %s (%s)", e.Name, e.ID)
}

// networkRef names a network for a message: its name and id.
func networkRef(n *hcn.Network) string {
	if n.Name == "" {
		return string(n.ID)
	}
	return fmt.Sprintf("%s (%s)", n.Name, n.ID)
}
