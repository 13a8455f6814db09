package main

import "github.com/spf13/cobra"

// bundleCmd is `hcnctl bundle` (to be written).
func (a *app) bundleCmd() *cobra.Command {
	return &cobra.Command{Use: "bundle", RunE: func(*cobra.Command, []string) error { return usagef("bundle: not written yet") }}
}
