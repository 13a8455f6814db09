package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hcnkit/hcn/hcnsim"
	"github.com/spf13/cobra"
)

// simCmd is `hcnctl sim`: the emulator's controls.
func (a *app) simCmd() *cobra.Command {
	c := a.command(&cobra.Command{
		Use:   "sim",
		Short: "Control the emulator of the sim backend: reset it, show or set its service version",
		Long: `sim controls the hcnkit emulator behind --backend sim: its state file (--state, or the
default under the user's state directory) and the HNS service version it reports. These commands
refuse any other backend. An emulator served by hcnsimd ($HCNKIT_SIM_ADDR without --state) keeps
its own state and version: reset it and choose its version on the server.`,
		Example: `  hcnctl sim reset
  hcnctl sim version
  hcnctl sim version 15.5`,
		Args: cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error { return cmd.Help() })
	c.AddCommand(a.simResetCmd(), a.simVersionCmd())
	return c
}

// simResetCmd is `hcnctl sim reset`.
func (a *app) simResetCmd() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "reset",
		Short: "Empty the emulator's state file and forget its service version",
		Long: `reset returns the emulator's state file to its initial state: every object is gone but the
host's default namespace. The service version set with "hcnctl sim version" is forgotten too (its
file next to the state file is removed), so the emulator reports its default version again.`,
		Example: `  hcnctl sim reset
  hcnctl --state ./lab.state sim reset`,
		Args: cobra.NoArgs,
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.needLocalSim("reset"); err != nil {
			return err
		}
		path, err := a.statePath()
		if err != nil {
			return err
		}
		// The version file goes first: one that cannot be read would keep
		// the emulator from opening.
		if err := os.Remove(versionFile(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if _, err := a.client(ctx); err != nil {
			return err
		}
		sim, ok := a.svc.(*hcnsim.Sim)
		if !ok {
			return usagef("sim reset: the backend is not an emulator on a state file")
		}
		if err := sim.Reset(); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "%s reset\n", path)
		return nil
	})
}

// simVersionCmd is `hcnctl sim version [MAJOR.MINOR]`.
func (a *app) simVersionCmd() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "version [MAJOR.MINOR]",
		Short: "Show or set the HNS service version the emulator reports",
		Long: `version prints the HNS service version the emulator reports, or, given MAJOR.MINOR, sets it.
The version is kept in a file next to the state file (STATE.version), so it holds for every later
hcnctl run on that state file until the next "sim version" or "sim reset". Feature support follows
the version (see "hcnctl version"); the emulator implements the modify of load balancers only
from 15.4.`,
		Example: `  hcnctl sim version
  hcnctl sim version 15.5
  hcnctl --state ./old.state sim version 10.1`,
		Args: cobra.MaximumNArgs(1),
	}, func(ctx context.Context, cmd *cobra.Command, args []string) error {
		if err := a.needSim("version"); err != nil {
			return err
		}
		if len(args) == 0 {
			c, err := a.client(ctx)
			if err != nil {
				return err
			}
			v, err := c.ServiceVersion(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, v)
			return nil
		}
		v, err := parseVersion(args[0])
		if err != nil {
			return &usageError{err}
		}
		if v.IsZero() {
			return usagef("version %q: 0.0 is not a service version", args[0])
		}
		if err := a.needLocalSim("version"); err != nil {
			return err
		}
		path, err := a.statePath()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(versionFile(path), []byte(v.String()+"\n"), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "service version %s\n", v)
		return nil
	})
}

// needSim refuses any backend but sim.
func (a *app) needSim(cmd string) error {
	if b := a.backendName(); b != backendSim {
		return usagef("sim %s: needs --backend sim (the backend is %s)", cmd, b)
	}
	return nil
}

// needLocalSim refuses any backend but the emulator on a state file (not
// one served by hcnsimd).
func (a *app) needLocalSim(cmd string) error {
	if err := a.needSim(cmd); err != nil {
		return err
	}
	if _, _, server := a.backendInfo(); server != "" {
		return usagef("sim %s: the emulator is served at %s ($%s): do it on the server, or pass --state", cmd, server, hcnsim.EnvAddr)
	}
	return nil
}
