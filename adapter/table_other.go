//go:build !windows

package adapter

import (
	"fmt"

	"github.com/hcnkit/hcn"
)

// ReadTable reads the host's adapters and routes. Outside Windows it fails
// with an error wrapping hcn.ErrNotSupported: the choice is about Windows
// adapters, and UplinkFrom takes an injected Table on any OS.
func ReadTable() (Table, error) {
	return Table{}, fmt.Errorf("adapter: reading the adapter table: %w", hcn.ErrNotSupported)
}
