//go:build tools

package peers

// The packages whose integration tests scripts/peers-test.sh builds; the
// blank imports keep their modules (and go.sum lines) in this module.
import (
	_ "github.com/Microsoft/hcsshim/hcn"
	_ "github.com/Microsoft/hnslib/hcn"
)
