package main

import "github.com/spf13/cobra"

// statsCmd is `hcnctl stats` (to be written).
func (a *app) statsCmd() *cobra.Command {
	return &cobra.Command{Use: "stats", RunE: func(*cobra.Command, []string) error { return usagef("stats: not written yet") }}
}
