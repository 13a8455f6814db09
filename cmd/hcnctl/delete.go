package main

import "github.com/spf13/cobra"

// deleteCmd is `hcnctl delete` (to be written).
func (a *app) deleteCmd() *cobra.Command {
	return &cobra.Command{Use: "delete", RunE: func(*cobra.Command, []string) error { return usagef("delete: not written yet") }}
}
