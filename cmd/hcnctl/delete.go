package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// deleteCmd is `hcnctl delete KIND ID|NAME...`.
func (a *app) deleteCmd() *cobra.Command {
	var ignoreNotFound bool
	c := a.command(&cobra.Command{
		Use:   "delete KIND ID|NAME...",
		Short: "Delete objects by id (or, for networks and endpoints, by name)",
		Long: `delete deletes each object named, in order, and prints "KIND ID deleted" for each. An object
that does not exist fails the command (exit status 1) after the others have been tried, unless
--ignore-not-found makes it a success (noted on stderr). The host's default namespace
(910f7d92-ba2d-4c3f-98ae-7c0ac590d2dc) is never deleted: naming it is bad usage (exit status 2) and
nothing is deleted. What becomes of objects that depend on a deleted one (a network's endpoints) is
the service's rule; load balancers and routes keep naming a deleted endpoint (describe shows it as
missing).`,
		Example: `  hcnctl delete endpoint web-1 web-2
  hcnctl delete network web
  hcnctl delete ns 0e8d6c3a-3f0a-4f37-9d6c-92c0c0a1e5b1 --ignore-not-found`,
		Args:              cobra.MinimumNArgs(2),
		ValidArgsFunction: completeKinds,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		kind, err := parseKind(args[0])
		if err != nil {
			return err
		}
		refs := args[1:]
		for _, ref := range refs {
			g, err := hcn.ParseGUID(ref)
			if err != nil {
				if kind != hcn.KindNetwork && kind != hcn.KindEndpoint {
					return usagef("%q is not an id (a %s has no name)", ref, kindSingular[kind])
				}
				continue
			}
			if kind == hcn.KindNamespace && g.ID().Equal(hcn.HostDefaultNamespaceID) {
				return usagef("%s is the host's default namespace: deleting it breaks host networking; nothing deleted", ref)
			}
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		var errs []error
		for _, ref := range refs {
			id := hcn.ID(ref)
			if _, err := hcn.ParseGUID(ref); err != nil {
				o, err := resolve(ctx, c, kind, ref)
				if err != nil {
					errs = append(errs, a.notFound(kind, ref, err, ignoreNotFound)...)
					continue
				}
				id = o.id
			}
			if err := c.Delete(ctx, kind, id, nil); err != nil {
				errs = append(errs, a.notFound(kind, ref, err, ignoreNotFound)...)
				continue
			}
			fmt.Fprintf(a.out, "%s %s deleted\n", kindSingular[kind], id.Canonical())
		}
		return errors.Join(errs...)
	})
	c.Flags().BoolVar(&ignoreNotFound, "ignore-not-found", false, "treat an object that does not exist as deleted")
	return c
}

// notFound returns err, or notes on stderr and drops it when it says the
// object does not exist and ignore is set.
func (a *app) notFound(kind hcn.Kind, ref string, err error, ignore bool) []error {
	if ignore && hcn.IsNotFound(err) {
		fmt.Fprintf(a.err, "%s %s not found; ignored\n", kindSingular[kind], ref)
		return nil
	}
	return []error{err}
}
