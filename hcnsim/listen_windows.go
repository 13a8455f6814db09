//go:build windows

package hcnsim

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
)

// privateTempDir is hcnsim under the user's temporary directory, which
// the user profile's ACL already closes to other users.
func privateTempDir() string { return filepath.Join(os.TempDir(), "hcnsim") }

// ownedPrivate: file modes do not apply on Windows; the directory's ACL
// protects the files.
func ownedPrivate(os.FileInfo) bool { return true }

// restrictSocket: file modes do not apply on Windows.
func restrictSocket(string) error { return nil }

// socketModeUnreliable: Lstat may not report an AF_UNIX socket as a
// socket on Windows, so a stale one is recognised by a failed connect.
const socketModeUnreliable = true

// wsaeconnrefused is WSAECONNREFUSED, what a connect to a socket file
// nobody listens on returns.
const wsaeconnrefused = syscall.Errno(10061)

// connRefused reports whether a connect found nobody listening.
func connRefused(err error) bool {
	return errors.Is(err, wsaeconnrefused) || errors.Is(err, syscall.ECONNREFUSED)
}

// keepOnClose leaves the socket file to unixListener.Close, which removes
// it only while the path still names it.
func keepOnClose(ul *net.UnixListener) { ul.SetUnlinkOnClose(false) }

// renameSocket: modes do not apply, so the socket is bound in place.
const renameSocket = false
