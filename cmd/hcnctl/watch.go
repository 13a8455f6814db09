package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// watchKinds are the kinds notifications are about, by --kind name.
var watchKinds = map[string]hcn.Kind{
	"network": hcn.KindNetwork, "namespace": hcn.KindNamespace, "endpoint": hcn.KindEndpoint,
	"gns": hcn.KindGuestNetworkService,
}

// watchCmd is `hcnctl watch`.
func (a *app) watchCmd() *cobra.Command {
	var f struct {
		kinds []string
		count int
	}
	c := a.command(&cobra.Command{
		Use:   "watch",
		Short: "Print the service's notifications as they happen, until interrupted",
		Long: `watch registers for the service's notifications and prints each as it arrives: a line with
the time it arrived, the notification type, the kind of object and its id, or with -o json one JSON
object per line (with the flags, status and data the service sent). It runs until interrupted
(Ctrl-C). --kind keeps only the notifications about those kinds (networks, namespaces, endpoints
attached to or detached from a namespace, guest network services); a service disconnect is always
shown.

The service notifies about networks, namespaces, endpoints joining or leaving namespaces and guest
network services; it sends nothing for load balancers or routes. On the sim backend with a state
file, notifications are per process: watch sees only what its own process does. To watch other
hcnctl processes, run an hcnsimd server and point every process at it with $HCNKIT_SIM_ADDR.`,
		Example: `  hcnctl watch
  hcnctl watch --kind network --kind endpoint
  HCNKIT_SIM_ADDR=unix:///run/user/1000/hcnkit/sim.sock hcnctl watch -o json`,
		Args: cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput("table", "json"); err != nil {
			return err
		}
		var kinds []hcn.Kind
		for _, k := range f.kinds {
			kind, ok := watchKinds[strings.ToLower(k)]
			if !ok {
				return usagef("--kind %q: want network, namespace, endpoint or gns", k)
			}
			kinds = append(kinds, kind)
		}
		if f.count < 0 {
			return usagef("--count %d: want 0 (no limit) or more", f.count)
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		events, err := c.Watch(ctx)
		if err != nil {
			return err
		}
		if a.output == "table" {
			fmt.Fprintf(a.out, watchLine, "TIME", "TYPE", "KIND", "ID")
		}
		n := 0
		for ev := range events {
			if len(kinds) > 0 && ev.Kind != 0 && !slices.Contains(kinds, ev.Kind) {
				continue
			}
			if err := a.printEvent(time.Now(), ev); err != nil {
				return err
			}
			if n++; f.count > 0 && n == f.count {
				return nil
			}
		}
		return nil
	})
	a.outputFlag(c, "table", "json")
	fl := c.Flags()
	fl.StringSliceVar(&f.kinds, "kind", nil, "only notifications about this kind: network, namespace, endpoint or gns (repeatable)")
	fl.IntVar(&f.count, "count", 0, "stop after this many notifications (0: until interrupted)")
	fl.MarkHidden("count")
	c.RegisterFlagCompletionFunc("kind", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"network", "namespace", "endpoint", "gns"}, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

// watchLine is the format of a table line of watch.
const watchLine = "%-12s  %-28s  %-9s  %s\n"

// eventJSON is a notification as watch -o json prints it.
type eventJSON struct {
	Time   string          `json:"time"`
	Type   string          `json:"type"`
	Kind   string          `json:"kind,omitempty"`
	ID     string          `json:"id,omitempty"`
	Flags  uint32          `json:"flags,omitempty"`
	Status string          `json:"status,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// printEvent prints one notification in the -o format.
func (a *app) printEvent(at time.Time, ev hcn.Event) error {
	kind := ""
	if ev.Kind != 0 {
		kind = ev.Kind.String()
	}
	if a.output == "json" {
		j := eventJSON{Time: at.Format(time.RFC3339Nano), Type: ev.Type.String(), Kind: kind, ID: string(ev.ID),
			Flags: ev.Flags, Data: ev.Data}
		if ev.Status != 0 {
			j.Status = ev.Status.String()
		}
		if len(j.Data) > 0 && !json.Valid(j.Data) {
			j.Data = nil
		}
		b, err := json.Marshal(j)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(a.out, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintf(a.out, watchLine, at.Format("15:04:05.000"), ev.Type.String(), cell(kind), cell(string(ev.ID)))
	return err
}
