package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/apply"
	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"
)

// applyCmd is `hcnctl apply -f FILE`.
func (a *app) applyCmd() *cobra.Command {
	var f struct {
		file, owner   string
		dryRun, prune bool
	}
	c := a.command(&cobra.Command{
		Use:   "apply -f FILE|-",
		Short: "Make the host's objects match a desired state file (YAML or JSON)",
		Long: `apply reads a desired state — one object with the lists networks, endpoints, namespaces,
loadBalancers and routes, each entry the service's own document (the shape get -o yaml prints) — and
prints the plan: + create, ~ update, -/+ replace, - delete, with the members that differ, or
"no changes". It then applies the plan in dependency order (--dry-run stops after the plan). Entries
may refer to each other by name where the service wants an id, e.g. an endpoint's
HostComputeNetwork: web. Objects apply creates carry the owner tag (--owner); with --prune the
objects carrying it that the file no longer lists are deleted, and no other object ever is. A second
apply of the same file plans nothing and changes nothing.`,
		Example: `  hcnctl apply -f desired.yaml --dry-run
  hcnctl apply -f desired.yaml --owner web --prune
  hcnctl get networks -o yaml | hcnctl apply -f -`,
		Args: cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if f.prune && f.owner == "" {
			return usagef("--prune needs --owner: only objects carrying the owner tag are pruned")
		}
		d, err := a.readDesired(f.file)
		if err != nil {
			return err
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		opts := &apply.Options{Owner: f.owner, Prune: f.prune}
		plan, err := apply.Plan(ctx, c, d, opts)
		if err != nil {
			return inputOrFailure(err)
		}
		fmt.Fprint(a.out, plan)
		if f.dryRun || plan.Empty() {
			return nil
		}
		p := a.progress("applying", len(plan.Actions))
		opts.Progress = func(done, _ int) { p.set(done) }
		res, err := apply.Apply(ctx, c, plan, opts)
		p.done()
		if err != nil {
			if res != nil && res.Failed != nil {
				return fmt.Errorf("applying %s %s: %w (%d of %d actions done; apply again to converge)",
					res.Failed.Op, res.Failed.Kind, err, len(res.Done), len(plan.Actions))
			}
			return err
		}
		fmt.Fprintf(a.out, "applied: %d actions\n", len(res.Done))
		return nil
	})
	fl := c.Flags()
	fl.StringVarP(&f.file, "filename", "f", "", "the desired state file, YAML or JSON (- for stdin)")
	c.MarkFlagRequired("filename")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan, change nothing")
	fl.BoolVar(&f.prune, "prune", false, "delete the objects carrying --owner that the file does not list")
	fl.StringVar(&f.owner, "owner", "", "the owner tag that the objects apply creates carry, and that --prune looks for")
	return c
}

// readDesired reads and decodes a desired state file (YAML or JSON; "-"
// is stdin). Unknown top-level keys are refused, naming the key.
func (a *app) readDesired(name string) (*apply.Desired, error) {
	var (
		b   []byte
		err error
	)
	if name == "-" {
		b, err = io.ReadAll(a.in)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, &usageError{err}
	}
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, usagef("%s: not YAML or JSON: %v", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	var d apply.Desired
	if err := dec.Decode(&d); err != nil {
		return nil, usagef("%s: %v (want an object with networks, endpoints, namespaces, loadBalancers and routes)", name, err)
	}
	return &d, nil
}

// inputOrFailure maps apply's input errors (and hcn's validation errors)
// to bad input, exit status 2.
func inputOrFailure(err error) error {
	var ie *apply.InputError
	var ve *hcn.ValidationError
	if errors.As(err, &ie) || errors.As(err, &ve) {
		return &usageError{err}
	}
	return err
}
