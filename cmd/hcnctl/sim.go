package main

import "github.com/spf13/cobra"

// simCmd is `hcnctl sim` (to be written).
func (a *app) simCmd() *cobra.Command {
	return &cobra.Command{Use: "sim", RunE: func(*cobra.Command, []string) error { return usagef("sim: not written yet") }}
}
