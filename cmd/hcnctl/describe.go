package main

import "github.com/spf13/cobra"

// describeCmd is `hcnctl describe` (to be written).
func (a *app) describeCmd() *cobra.Command {
	return &cobra.Command{Use: "describe", RunE: func(*cobra.Command, []string) error { return usagef("describe: not written yet") }}
}
