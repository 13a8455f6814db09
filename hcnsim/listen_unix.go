//go:build unix

package hcnsim

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
)

// privateTempDir is hcnsim-<uid> under the temporary directory.
func privateTempDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("hcnsim-%d", os.Getuid()))
}

// ownedPrivate reports whether the file belongs to this user and grants
// nothing to group or others.
func ownedPrivate(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid() && fi.Mode().Perm()&0o077 == 0
}

// restrictSocket gives a fresh socket mode 0600.
func restrictSocket(path string) error {
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("hcnsim: %w", err)
	}
	return nil
}

// socketModeUnreliable: Lstat reports sockets as such.
const socketModeUnreliable = false

// connRefused reports whether a connect found nobody listening.
func connRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// keepOnClose leaves the socket file to unixListener.Close, which removes
// it only while the path still names it.
func keepOnClose(ul *net.UnixListener) { ul.SetUnlinkOnClose(false) }

// renameSocket: binding under a temporary name and renaming keeps a
// socket unreachable until its mode is 0600.
const renameSocket = true
