package main

import "github.com/spf13/cobra"

// applyCmd is `hcnctl apply` (to be written).
func (a *app) applyCmd() *cobra.Command {
	return &cobra.Command{Use: "apply", RunE: func(*cobra.Command, []string) error { return usagef("apply: not written yet") }}
}
