package main

import "github.com/spf13/cobra"

// policyCmd is `hcnctl policy` (to be written).
func (a *app) policyCmd() *cobra.Command {
	return &cobra.Command{Use: "policy", RunE: func(*cobra.Command, []string) error { return usagef("policy: not written yet") }}
}
