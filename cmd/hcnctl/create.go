package main

import "github.com/spf13/cobra"

// createCmd is `hcnctl create` (to be written).
func (a *app) createCmd() *cobra.Command {
	return &cobra.Command{Use: "create", RunE: func(*cobra.Command, []string) error { return usagef("create: not written yet") }}
}
