//go:build !unix && !windows

package hcnsim

import (
	"net"
	"os"
	"path/filepath"
)

// privateTempDir is hcnsim under the temporary directory.
func privateTempDir() string { return filepath.Join(os.TempDir(), "hcnsim") }

// ownedPrivate: this OS reports no owner; only the mode is checked.
func ownedPrivate(fi os.FileInfo) bool { return fi.Mode().Perm()&0o077 == 0 }

// restrictSocket gives a fresh socket mode 0600 where the OS allows it.
func restrictSocket(path string) error {
	os.Chmod(path, 0o600)
	return nil
}

const socketModeUnreliable = true

// connRefused: this OS's errors are not told apart; a failed connect
// means nobody listens.
func connRefused(error) bool { return true }

// keepOnClose: this OS has no Unix sockets to keep.
func keepOnClose(*net.UnixListener) {}

// renameSocket: the socket is bound in place.
const renameSocket = false
