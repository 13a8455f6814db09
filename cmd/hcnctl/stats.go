package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// statsCmd is `hcnctl stats ENDPOINT`.
func (a *app) statsCmd() *cobra.Command {
	c := a.command(&cobra.Command{
		Use:   "stats ENDPOINT",
		Short: "Show an endpoint's traffic counters",
		Long: `stats prints the traffic counters the service keeps for an endpoint (id or name): bytes and
packets sent and received, and packets dropped each way. -o json and -o yaml print the service's
own document, every member kept.`,
		Example: `  hcnctl stats hcnctl-c1
  hcnctl stats 0e8d6c3a-3f0a-4f37-9d6c-92c0c0a1e5b1 -o json`,
		Args: cobra.ExactArgs(1),
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput("table", "json", "yaml"); err != nil {
			return err
		}
		c, err := a.client(ctx)
		if err != nil {
			return err
		}
		ep, err := resolve(ctx, c, hcn.KindEndpoint, args[0])
		if err != nil {
			return err
		}
		st, err := c.EndpointStats(ctx, ep.id)
		if err != nil {
			return err
		}
		if a.output != "table" {
			return printDoc(a.out, a.output, st)
		}
		fmt.Fprintf(a.out, "Endpoint %s (%s)\n", cell(ep.name), ep.id)
		tw := tabwriter.NewWriter(a.out, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "COUNTER\tRECEIVED\tSENT")
		fmt.Fprintf(tw, "bytes\t%d\t%d\n", st.BytesReceived, st.BytesSent)
		fmt.Fprintf(tw, "packets\t%d\t%d\n", st.PacketsReceived, st.PacketsSent)
		fmt.Fprintf(tw, "dropped packets\t%d\t%d\n", st.DroppedPacketsIncoming, st.DroppedPacketsOutgoing)
		return tw.Flush()
	})
	a.outputFlag(c, "table", "json", "yaml")
	return c
}
