package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// policyCmd is `hcnctl policy add|remove|update network|endpoint ...`.
func (a *app) policyCmd() *cobra.Command {
	c := a.command(&cobra.Command{
		Use:   "policy add|remove|update network|endpoint ID|NAME (-f FILE | FLAGS)",
		Short: "Add, remove or update the policies of a network or an endpoint",
		Long: `policy changes the policies of one network or endpoint through the service's modify request
(ResourceType Policy, RequestType Add, Remove or Update). The policies come from -f FILE (JSON or
YAML, "-" for standard input: a list of policies, or one policy, each {"Type": ..., "Settings":
{...}}) or from one of the flag forms:

  --outboundnat [--exception CIDR...]                 an OutBoundNAT policy (endpoints)
  --portmapping PROTO:EXT:INT [--vip IP]              a PortMapping policy (endpoints)
  --acl allow|block --direction in|out [--remote CIDR,...] [--local-port N] [--priority N]
                                                      an ACL policy (endpoints), a Switch rule

Every policy is checked before any call: its settings, and whether the object's kind takes its
type (OutBoundNAT, PortMapping and ACL are endpoint policies; a network refuses them). Bad input
exits with status 2 and changes nothing. policy prints the object's policies that changed, read
back from the service: "+ " before each one that appeared, "- " before each one that went.`,
		Example: `  hcnctl policy add endpoint web-1 --outboundnat --exception 10.0.0.0/8
  hcnctl policy add ep web-1 --portmapping tcp:8080:80 --vip 192.168.1.10
  hcnctl policy add ep web-1 --acl block --direction out --remote 10.1.0.0/16 --priority 200
  hcnctl policy remove endpoint web-1 -f nat.json
  hcnctl policy update network web -f policies.yaml`,
		Args:               cobra.ArbitraryArgs,
		FParseErrWhitelist: cobra.FParseErrWhitelist{UnknownFlags: true},
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usagef("policy needs add, remove or update")
		}
		return usagef("policy %q: want add, remove or update", args[0])
	})
	for _, op := range []struct {
		req   hcn.RequestType
		verb  string
		short string
	}{
		{hcn.RequestAdd, "add", "Add policies to a network or an endpoint"},
		{hcn.RequestRemove, "remove", "Remove policies from a network or an endpoint"},
		{hcn.RequestUpdate, "update", "Update (replace) policies of a network or an endpoint"},
	} {
		c.AddCommand(a.policyOpCmd(op.req, op.verb, op.short))
	}
	return c
}

// policyFlags are the flag forms of `hcnctl policy`.
type policyFlags struct {
	file             string
	outboundNAT      bool
	exceptions       []string
	portMapping, vip string
	acl, direction   string
	remote           []string
	localPort        string
	priority         uint16
	localPSet        bool
}

func (a *app) policyOpCmd(req hcn.RequestType, verb, short string) *cobra.Command {
	var f policyFlags
	long := map[string]string{
		"add": `policy add adds the policies to the object (RequestType Add).`,
		"remove": `policy remove removes the policies from the object (RequestType Remove); the service
matches them by their type and settings.`,
		"update": `policy update replaces policies of the object (RequestType Update).`,
	}[verb]
	c := a.command(&cobra.Command{
		Use:   verb + " network|endpoint ID|NAME (-f FILE | FLAGS)",
		Short: short,
		Long: long + ` The policies come from -f FILE (a list of policies or one policy, JSON or
YAML, "-" for standard input) or from one flag form: --outboundnat [--exception CIDR...],
--portmapping PROTO:EXT:INT [--vip IP], or --acl allow|block --direction in|out [--remote CIDR,...]
[--local-port N] [--priority N] (a Switch rule, priority 65500 by default). See "hcnctl policy
--help" for what is checked and printed.`,
		Example: fmt.Sprintf(`  hcnctl policy %[1]s endpoint web-1 --outboundnat --exception 10.0.0.0/8,10.96.0.0/12
  hcnctl policy %[1]s ep web-1 -f policies.json`, verb),
		Args: cobra.ExactArgs(2),
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		kind, err := parseKind(args[0])
		if err != nil {
			return err
		}
		if kind != hcn.KindNetwork && kind != hcn.KindEndpoint {
			return usagef("policy %s: want network or endpoint, not %s", verb, args[0])
		}
		f.localPSet = cmd.Flags().Changed("local-port")
		ps, err := a.policiesFromFlags(&f, cmd)
		if err != nil {
			return err
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		before, err := resolve(ctx, c, kind, args[1])
		if err != nil {
			return err
		}
		switch {
		case kind == hcn.KindNetwork && req == hcn.RequestAdd:
			err = c.AddNetworkPolicies(ctx, before.id, ps...)
		case kind == hcn.KindNetwork && req == hcn.RequestRemove:
			err = c.RemoveNetworkPolicies(ctx, before.id, ps...)
		case kind == hcn.KindNetwork:
			err = c.UpdateNetworkPolicies(ctx, before.id, ps...)
		case req == hcn.RequestAdd:
			err = c.AddEndpointPolicies(ctx, before.id, ps...)
		case req == hcn.RequestRemove:
			err = c.RemoveEndpointPolicies(ctx, before.id, ps...)
		default:
			err = c.UpdateEndpointPolicies(ctx, before.id, ps...)
		}
		if err != nil {
			return err
		}
		after, err := getObject(ctx, c, kind, before.id)
		if err != nil {
			return err
		}
		added, removed := diffLines(policyLines(before), policyLines(after))
		if len(added) == 0 && len(removed) == 0 {
			fmt.Fprintf(a.out, "%s: no policy changed\n", objectLabel(before))
			return nil
		}
		fmt.Fprintf(a.out, "%s: policies changed\n", objectLabel(before))
		for _, l := range removed {
			fmt.Fprintf(a.out, "- %s\n", l)
		}
		for _, l := range added {
			fmt.Fprintf(a.out, "+ %s\n", l)
		}
		return nil
	})
	fl := c.Flags()
	fl.StringVarP(&f.file, "filename", "f", "", `the policies: a list or one policy, JSON or YAML ("-": standard input)`)
	fl.BoolVar(&f.outboundNAT, "outboundnat", false, "an OutBoundNAT policy")
	fl.StringSliceVar(&f.exceptions, "exception", nil, "with --outboundnat: destinations not NATed, CIDR (repeatable, comma-separated)")
	fl.StringVar(&f.portMapping, "portmapping", "", "a PortMapping policy PROTO:EXT:INT, e.g. tcp:8080:80")
	fl.StringVar(&f.vip, "vip", "", "with --portmapping: the host address the mapping is bound to")
	fl.StringVar(&f.acl, "acl", "", "an ACL policy: allow or block")
	fl.StringVar(&f.direction, "direction", "", "with --acl: in or out")
	fl.StringSliceVar(&f.remote, "remote", nil, "with --acl: remote addresses, CIDR (comma-separated)")
	fl.StringVar(&f.localPort, "local-port", "", "with --acl: the local port, 1-65535")
	fl.Uint16Var(&f.priority, "priority", 65500, "with --acl: the rule's priority")
	return c
}

// policiesFromFlags returns the policies of -f or of the one flag form
// given.
func (a *app) policiesFromFlags(f *policyFlags, cmd *cobra.Command) ([]hcn.Policy, error) {
	changed := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if cmd.Flags().Changed(n) {
				out = append(out, "--"+n)
			}
		}
		return out
	}
	forms := changed("filename", "outboundnat", "portmapping", "acl")
	if len(forms) == 0 {
		return nil, usagef("want the policies: -f FILE, --outboundnat, --portmapping or --acl")
	}
	if len(forms) > 1 {
		return nil, usagef("%s exclude each other: give one", strings.Join(forms, " and "))
	}
	form := forms[0]
	var stray []string
	for _, x := range []struct {
		form  string
		flags []string
	}{
		{"--outboundnat", []string{"exception"}},
		{"--portmapping", []string{"vip"}},
		{"--acl", []string{"direction", "remote", "local-port", "priority"}},
	} {
		if x.form != form {
			stray = append(stray, changed(x.flags...)...)
		}
	}
	if len(stray) > 0 {
		return nil, usagef("%s: not with %s", strings.Join(stray, ", "), form)
	}
	switch form {
	case "--filename":
		b, err := a.readInput(f.file)
		if err != nil {
			return nil, err
		}
		return decodePolicies(f.file, b)
	case "--outboundnat":
		var ex []string
		for _, s := range f.exceptions {
			p, err := parsePrefix("--exception", s)
			if err != nil {
				return nil, err
			}
			ex = append(ex, p.String())
		}
		return []hcn.Policy{hcn.NewPolicy(&hcn.OutboundNATPolicySetting{Exceptions: ex})}, nil
	case "--portmapping":
		p, err := parsePort("--portmapping", f.portMapping)
		if err != nil {
			return nil, err
		}
		s := &hcn.PortMappingPolicySetting{Protocol: p.proto, ExternalPort: p.ext, InternalPort: p.int}
		if f.vip != "" {
			ip, err := parseAddr("--vip", f.vip)
			if err != nil {
				return nil, err
			}
			s.VIP = ip.String()
		}
		return []hcn.Policy{hcn.NewPolicy(s)}, nil
	}
	s := &hcn.ACLPolicySetting{RuleType: hcn.RuleTypeSwitch, Priority: f.priority}
	switch strings.ToLower(f.acl) {
	case "allow":
		s.Action = hcn.ActionAllow
	case "block":
		s.Action = hcn.ActionBlock
	default:
		return nil, usagef("--acl %q: want allow or block", f.acl)
	}
	switch strings.ToLower(f.direction) {
	case "in":
		s.Direction = hcn.DirectionIn
	case "out":
		s.Direction = hcn.DirectionOut
	case "":
		return nil, usagef("--acl needs --direction in or out")
	default:
		return nil, usagef("--direction %q: want in or out", f.direction)
	}
	var remote []string
	for _, r := range f.remote {
		p, err := parsePrefix("--remote", r)
		if err != nil {
			return nil, err
		}
		remote = append(remote, p.String())
	}
	s.RemoteAddresses = strings.Join(remote, ",")
	if f.localPSet {
		port, err := parsePortNumber("--local-port", f.localPort)
		if err != nil {
			return nil, err
		}
		s.LocalPorts = fmt.Sprint(port)
	}
	return []hcn.Policy{hcn.NewPolicy(s)}, nil
}

// policyLines describes the policies of a network or an endpoint.
func policyLines(o object) []string {
	var ps []hcn.Policy
	switch d := o.doc.(type) {
	case *hcn.Network:
		ps = d.Policies
	case *hcn.Endpoint:
		ps = d.Policies
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, policyLine(p))
	}
	return out
}

// diffLines returns the lines of after missing from before (added) and
// of before missing from after (removed), counting repeats.
func diffLines(before, after []string) (added, removed []string) {
	count := map[string]int{}
	for _, l := range before {
		count[l]++
	}
	for _, l := range after {
		if count[l] > 0 {
			count[l]--
			continue
		}
		added = append(added, l)
	}
	left := map[string]int{}
	for _, l := range after {
		left[l]++
	}
	for _, l := range before {
		if left[l] > 0 {
			left[l]--
			continue
		}
		removed = append(removed, l)
	}
	return added, removed
}
