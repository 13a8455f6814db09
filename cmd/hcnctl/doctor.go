package main

import "github.com/spf13/cobra"

// doctorCmd is `hcnctl doctor` (to be written).
func (a *app) doctorCmd() *cobra.Command {
	return &cobra.Command{Use: "doctor", RunE: func(*cobra.Command, []string) error { return usagef("doctor: not written yet") }}
}
