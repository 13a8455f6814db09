package main

import "github.com/spf13/cobra"

// demoCmd is `hcnctl demo` (to be written).
func (a *app) demoCmd() *cobra.Command {
	return &cobra.Command{Use: "demo", RunE: func(*cobra.Command, []string) error { return usagef("demo: not written yet") }}
}
