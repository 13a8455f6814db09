package hcnsim

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Addresses. Dial takes "unix:/path/to/hcnsim.sock" (a Unix socket),
// "tcp:127.0.0.1:5000" or "tcp:[::1]:5000" (loopback TCP; "localhost" means
// 127.0.0.1), a plain path (a Unix socket), or "" (DefaultSocketPath()).
// Listen takes the same when its network is "".

const (
	socketName = "hcnsim.sock"
	tokenName  = "hcnsim.token"
	// maxUnixPath is the longest socket path every OS accepts (sun_path
	// is 104 bytes on BSDs, 108 on Linux and Windows, NUL included).
	maxUnixPath = 103
)

// DefaultSocketPath returns the Unix socket Serve and Dial use when given
// no address: hcnsim.sock in $XDG_RUNTIME_DIR, else in a directory of the
// user's own under os.TempDir() (hcnsim-<uid>, mode 0700; on Windows
// %TEMP%\hcnsim, which the user profile's ACL protects). Listen creates
// the directory.
func DefaultSocketPath() string { return filepath.Join(runtimeDir(), socketName) }

// DefaultTokenPath returns the file next to DefaultSocketPath() that holds
// the token of a TCP listener (see ServeOptions.Token).
func DefaultTokenPath() string { return filepath.Join(runtimeDir(), tokenName) }

// runtimeDir is $XDG_RUNTIME_DIR or the private directory under the
// temporary directory.
func runtimeDir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return d
	}
	return privateTempDir()
}

// parseAddr splits a Dial address into a network and an address.
func parseAddr(addr string) (network, address string, err error) {
	switch {
	case addr == "":
		return "unix", DefaultSocketPath(), nil
	case hasPrefixFold(addr, "unix:"):
		if addr[5:] == "" {
			return "", "", fmt.Errorf("hcnsim: address %q: empty socket path", addr)
		}
		return "unix", addr[5:], nil
	case hasPrefixFold(addr, "tcp:"):
		hp, err := loopbackHostPort(addr[4:])
		if err != nil {
			return "", "", err
		}
		return "tcp", hp, nil
	}
	return "unix", addr, nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// loopbackHostPort checks that hostport names a loopback address and
// returns it with "localhost" replaced by 127.0.0.1.
func loopbackHostPort(hostport string) (string, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return "", fmt.Errorf("hcnsim: TCP address %q: %w", hostport, err)
	}
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return "", fmt.Errorf("hcnsim: TCP address %q: only loopback addresses are served", hostport)
	}
	return net.JoinHostPort(ip.String(), port), nil
}

// Listen returns a listener for Serve. network "unix" listens on the socket
// at addr (DefaultSocketPath() when empty): its directory is created (mode
// 0700) when missing, a stale socket left by a server that died is
// replaced, a live one is an error, and the socket appears only once it
// has mode 0600, so no other user can ever connect (on Windows modes do not
// apply: the directory's ACL protects the socket). Closing the listener
// removes the socket. network "tcp" (or "tcp4", "tcp6") listens on addr,
// which must be a loopback address ("127.0.0.1:0" picks a free port);
// anything else is refused. With network "" addr is in Dial's syntax.
func Listen(network, addr string) (net.Listener, error) {
	if network == "" {
		var err error
		if network, addr, err = parseAddr(addr); err != nil {
			return nil, err
		}
	}
	switch network {
	case "unix":
		if addr == "" {
			addr = DefaultSocketPath()
		}
		return listenUnix(addr)
	case "tcp", "tcp4", "tcp6":
		hp, err := loopbackHostPort(addr)
		if err != nil {
			return nil, err
		}
		l, err := net.Listen(network, hp)
		if err != nil {
			return nil, err
		}
		if !isLoopbackAddr(l.Addr()) {
			l.Close()
			return nil, fmt.Errorf("hcnsim: listening on %s: not a loopback address", l.Addr())
		}
		return l, nil
	}
	return nil, fmt.Errorf("hcnsim: network %q: want unix or tcp", network)
}

// isLoopbackAddr reports whether a is a TCP address on loopback.
func isLoopbackAddr(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// unixListener is a Unix socket listener that removes its socket on Close
// when the path still names it.
type unixListener struct {
	*net.UnixListener
	path string
	fi   os.FileInfo
}

func (l *unixListener) Addr() net.Addr { return &net.UnixAddr{Name: l.path, Net: "unix"} }

func (l *unixListener) Close() error {
	err := l.UnixListener.Close()
	if cur, serr := os.Lstat(l.path); serr == nil && l.fi != nil && os.SameFile(cur, l.fi) {
		os.Remove(l.path)
	}
	return err
}

// listenUnix binds a socket under a temporary name in path's directory,
// gives it mode 0600 and renames it to path, so that it is never
// reachable with a wider mode (where modes apply: elsewhere, or when the
// directory leaves no room for the temporary name, it binds in place).
func listenUnix(path string) (net.Listener, error) {
	if len(path) > maxUnixPath {
		return nil, fmt.Errorf("hcnsim: socket path %q is %d bytes; the limit is %d", path, len(path), maxUnixPath)
	}
	dir := filepath.Dir(path)
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	if err := removeStaleSocket(path); err != nil {
		return nil, err
	}
	tmp := filepath.Join(dir, ".hcnsim-"+randomHex(4))
	if !renameSocket || len(tmp) > maxUnixPath {
		tmp = path // bind in place
	}
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, err
	}
	keepOnClose(ul)
	if err := restrictSocket(tmp); err != nil {
		ul.Close()
		os.Remove(tmp)
		return nil, err
	}
	if tmp != path {
		if err := os.Rename(tmp, path); err != nil {
			ul.Close()
			os.Remove(tmp)
			return nil, fmt.Errorf("hcnsim: %w", err)
		}
	}
	fi, _ := os.Lstat(path)
	return &unixListener{UnixListener: ul, path: path, fi: fi}, nil
}

// removeStaleSocket removes a socket at path that nobody listens on; a
// live socket or another kind of file is an error.
func removeStaleSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("hcnsim: %w", err)
	}
	if !maybeSocket(fi) {
		return fmt.Errorf("hcnsim: %s exists and is not a socket", path)
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("hcnsim: %s: a server is already listening", path)
	}
	if !connRefused(err) {
		return fmt.Errorf("hcnsim: cannot tell whether a server listens on %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("hcnsim: removing a stale socket: %w", err)
	}
	return nil
}

// maybeSocket reports whether fi may be a Unix socket: where Lstat does
// not report sockets as such, an empty or irregular file may be one.
func maybeSocket(fi os.FileInfo) bool {
	m := fi.Mode()
	if m&os.ModeSocket != 0 {
		return true
	}
	return socketModeUnreliable && (m&os.ModeIrregular != 0 || m.IsRegular() && fi.Size() == 0)
}

// ensureDir creates dir (mode 0700) when missing; the default directory
// under the shared temporary directory must moreover be the user's own
// and closed to others.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("hcnsim: %w", err)
	}
	if dir != privateTempDir() {
		return nil
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("hcnsim: %w", err)
	}
	if !fi.IsDir() || !ownedPrivate(fi) {
		return fmt.Errorf("hcnsim: %s is not a private directory of this user", dir)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newToken returns 32 random bytes in hex.
func newToken() string { return randomHex(32) }

// readToken returns the token in the file at path.
func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("hcnsim: token file %s is empty", path)
	}
	return tok, nil
}

// loadOrCreateToken returns the token kept at path when the file is the
// user's own, closed to others and holds a well-formed token; otherwise
// it writes a new one.
func loadOrCreateToken(path string) (string, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && ownedPrivate(fi) {
		if tok, err := readToken(path); err == nil && len(tok) == 64 {
			if _, err := hex.DecodeString(tok); err == nil {
				return tok, nil
			}
		}
	}
	tok := newToken()
	return tok, writeToken(path, tok)
}

// writeToken replaces the file at path with tok, mode 0600.
func writeToken(path, tok string) error {
	dir := filepath.Dir(path)
	if err := ensureDir(dir); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".hcnsim-token-*")
	if err != nil {
		return fmt.Errorf("hcnsim: %w", err)
	}
	name := f.Name()
	err = writeSynced(f, []byte(tok+"\n")) // closes f
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("hcnsim: writing the token: %w", err)
	}
	return nil
}
