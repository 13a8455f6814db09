package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"text/tabwriter"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/spf13/cobra"
)

// versionCmd is `hcnctl version`.
func (a *app) versionCmd() *cobra.Command {
	c := a.command(&cobra.Command{
		Use:   "version",
		Short: "Show hcnctl's version, the backend, the service version and its features",
		Long: `version prints hcnctl's own version (the module version it was built from, "(devel)" for a
build from a source tree), the backend it talks to, the HNS service version that backend reports
and every feature the library keys on that version, each supported or not.`,
		Example: `  hcnctl version
  hcnctl version -o json
  hcnctl --backend sim --state ./lab.state version -o yaml`,
		Args: cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.checkOutput("table", "json", "yaml"); err != nil {
			return err
		}
		info := versionInfo{Client: clientVersion(), Go: runtime.Version()}
		info.Backend, info.State, info.Server = a.backendInfo()
		c, err := a.client(ctx)
		if err == nil {
			err = info.fill(ctx, c)
		}
		if err != nil {
			if a.output == "table" {
				fmt.Fprintf(a.out, "Client version:   %s (%s)\n", info.Client, info.Go)
			}
			return err
		}
		if a.output != "table" {
			return printDoc(a.out, a.output, info)
		}
		return info.printTable(a)
	})
	a.outputFlag(c, "table", "json", "yaml")
	return c
}

// versionInfo is what `hcnctl version` reports (and bundles keep as
// version.json).
type versionInfo struct {
	Client         string        `json:"clientVersion"`
	Go             string        `json:"goVersion"`
	Backend        string        `json:"backend"`
	State          string        `json:"stateFile,omitempty"`
	Server         string        `json:"server,omitempty"`
	ServiceVersion string        `json:"serviceVersion"`
	Features       []featureInfo `json:"features"`
}

// featureInfo is one feature and whether the service has it.
type featureInfo struct {
	Name      string `json:"name"`
	Supported bool   `json:"supported"`
}

// fill asks the service for its version and features.
func (v *versionInfo) fill(ctx context.Context, c *hcn.Client) error {
	sv, err := c.ServiceVersion(ctx)
	if err != nil {
		return err
	}
	fs, err := c.Features(ctx)
	if err != nil {
		return err
	}
	v.ServiceVersion = sv.String()
	v.Features = make([]featureInfo, 0, len(hcn.AllFeatures()))
	for _, f := range hcn.AllFeatures() {
		v.Features = append(v.Features, featureInfo{Name: f.String(), Supported: fs.Has(f)})
	}
	return nil
}

// printTable prints v as labelled lines and a feature table.
func (v *versionInfo) printTable(a *app) error {
	backend := v.Backend
	switch {
	case v.Server != "":
		backend += " (server " + v.Server + ")"
	case v.State != "":
		backend += " (state file " + v.State + ")"
	}
	fmt.Fprintf(a.out, "Client version:   %s (%s)\n", v.Client, v.Go)
	fmt.Fprintf(a.out, "Backend:          %s\n", backend)
	fmt.Fprintf(a.out, "Service version:  %s\n\n", v.ServiceVersion)
	tw := tabwriter.NewWriter(a.out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "FEATURE\tSUPPORTED")
	for _, f := range v.Features {
		yes := "no"
		if f.Supported {
			yes = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\n", f.Name, yes)
	}
	return tw.Flush()
}

// clientVersion is the module version hcnctl was built from, "(devel)"
// when there is none.
func clientVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// backendInfo names the backend and, for the emulator, its state file or
// the server it uses (as connect chooses them).
func (a *app) backendInfo() (backend, state, server string) {
	backend = a.backendName()
	if backend != backendSim {
		return backend, "", ""
	}
	if a.state == "" {
		if addr := os.Getenv(hcnsim.EnvAddr); addr != "" {
			return backend, "", addr
		}
	}
	state, _ = a.statePath()
	return backend, state, ""
}
