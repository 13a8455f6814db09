package main

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command documents itself: a short line, a long description and
// examples that start with "hcnctl".
func TestEveryCommandHasHelp(t *testing.T) {
	a := &app{in: strings.NewReader(""), out: io.Discard, err: io.Discard}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			path := sub.CommandPath()
			if sub.Short == "" || sub.Long == "" {
				t.Errorf("%s: no Short or Long help", path)
			}
			if sub.Runnable() && !strings.Contains(sub.Example, "hcnctl ") {
				t.Errorf("%s: no example", path)
			}
			walk(sub)
		}
	}
	walk(a.root())
}
