package main

import (
	"github.com/spf13/cobra"
)

// root returns the hcnctl command tree.
func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "hcnctl",
		Short: "Inspect and change Windows container networking (HCN) on the host or its emulator",
		Long: `hcnctl drives the Host Compute Network service: networks, endpoints, namespaces, load
balancers, SDN routes and guest network services, and the overlay node flow (attach and detach
containers on a node's slice network).

On Windows it talks to the host's HCN service (--backend host, the default there). Elsewhere the
default is --backend sim: the hcnkit emulator with its state in a file under the user's state
directory (--state FILE to choose another; several hcnctl processes may share one file).`,
		Example: `  hcnctl demo                              # the node flow on a throwaway emulator
  hcnctl create network web --type nat --subnet 172.20.0.0/24
  hcnctl get networks -o wide
  hcnctl attach c1 --network web
  hcnctl describe endpoint hcnctl-c1`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	pf := root.PersistentFlags()
	pf.StringVar(&a.backend, "backend", "", `"host" (the HCN service; default on Windows) or "sim" (the emulator; default elsewhere)`)
	pf.StringVar(&a.state, "state", "", "the sim backend's state file (default: $XDG_STATE_HOME/hcnkit/sim.state or the OS equivalent)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		a.getCmd(),
		a.describeCmd(),
		a.createCmd(),
		a.deleteCmd(),
		a.policyCmd(),
		a.applyCmd(),
		a.attachCmd(),
		a.detachCmd(),
		a.watchCmd(),
		a.statsCmd(),
		a.versionCmd(),
		a.doctorCmd(),
		a.bundleCmd(),
		a.simCmd(),
		a.demoCmd(),
	)
	// An unknown shell is bad usage, not a request for help.
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Args = cobra.NoArgs
		c.RunE = func(c *cobra.Command, args []string) error {
			return usagef("completion needs a shell: bash, zsh, fish or powershell")
		}
	}
	return root
}

// outputFlag adds -o/--output to c, with the formats it accepts.
func (a *app) outputFlag(c *cobra.Command, formats ...string) {
	if len(formats) == 0 {
		formats = []string{"table", "wide", "json", "yaml"}
	}
	c.Flags().StringVarP(&a.output, "output", "o", formats[0], "output format: "+joinOr(formats))
	c.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return formats, cobra.ShellCompDirectiveNoFileComp
	})
}

// checkOutput refuses an -o value not among formats.
func (a *app) checkOutput(formats ...string) error {
	if len(formats) == 0 {
		formats = []string{"table", "wide", "json", "yaml"}
	}
	for _, f := range formats {
		if a.output == f {
			return nil
		}
	}
	return usagef("-o %q: want %s", a.output, joinOr(formats))
}

func joinOr(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := ""
	for i, x := range s[:len(s)-1] {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out + " or " + s[len(s)-1]
}
