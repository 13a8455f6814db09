package main

import "github.com/spf13/cobra"

// watchCmd is `hcnctl watch` (to be written).
func (a *app) watchCmd() *cobra.Command {
	return &cobra.Command{Use: "watch", RunE: func(*cobra.Command, []string) error { return usagef("watch: not written yet") }}
}
