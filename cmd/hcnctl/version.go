package main

import "github.com/spf13/cobra"

// versionCmd is `hcnctl version` (to be written).
func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{Use: "version", RunE: func(*cobra.Command, []string) error { return usagef("version: not written yet") }}
}
