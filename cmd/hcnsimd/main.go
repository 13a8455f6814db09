// Command hcnsimd runs one emulated Windows HCN host (package hcnsim) as a
// service, so that many processes share it: Linux tools through hcnsim.Dial
// or hcnsim.Connect (HCNKIT_SIM_ADDR), and Windows programs under Wine
// through the stand-in computenetwork.dll in client mode (HCNSIM_ADDR and
// HCNSIM_TOKEN_FILE).
//
//	hcnsimd [--listen ADDR] [--state FILE] [--token-file FILE]
//
// --listen is "unix:/path", a plain path, or "tcp:127.0.0.1:port" (loopback
// only; port 0 picks a free one); the default is the Unix socket at
// hcnsim.DefaultSocketPath(). --state keeps the emulator's state in FILE
// (a snapshot and a journal, see hcnsim.Options.StateFile) so it outlives
// the process; without it the state is in memory. --token-file is where a
// TCP listener's token is written (mode 0600; default
// hcnsim.DefaultTokenPath()); every start writes a new token there.
//
// Once it serves, hcnsimd prints one line to stdout: the address to dial
// and, for TCP, the token file's path after a space:
//
//	unix:/run/user/1000/hcnsim/hcnsim.sock
//	tcp:127.0.0.1:41234 /run/user/1000/hcnsim/hcnsim.token
//
// It serves until SIGINT or SIGTERM, then closes every connection (their
// handles are released), removes the Unix socket and exits 0. Errors go to
// stderr with exit status 1 (2 for bad flags).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hcnkit/hcn/hcnsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command: it serves until ctx ends and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hcnsimd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "", "address to serve: unix:/path, a path, or tcp:127.0.0.1:port (port 0 picks one); default unix:"+hcnsim.DefaultSocketPath())
	stateFile := fs.String("state", "", "file to keep the emulator's state in (with FILE.journal and FILE.lock); empty keeps it in memory")
	tokenFile := fs.String("token-file", "", "where a TCP listener's token is written; default "+hcnsim.DefaultTokenPath())
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hcnsimd [--listen ADDR] [--state FILE] [--token-file FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hcnsimd: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if err := serve(ctx, *listen, *stateFile, *tokenFile, stdout); err != nil {
		fmt.Fprintf(stderr, "hcnsimd: %v\n", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, listen, stateFile, tokenFile string, stdout io.Writer) error {
	sim, err := hcnsim.Open(&hcnsim.Options{StateFile: stateFile})
	if err != nil {
		return err
	}
	l, err := hcnsim.Listen("", listen)
	if err != nil {
		return err
	}
	addr := l.Addr().Network() + ":" + l.Addr().String()
	opts := &hcnsim.ServeOptions{}
	tcp := strings.HasPrefix(l.Addr().Network(), "tcp")
	if tcp {
		if tokenFile == "" {
			tokenFile = hcnsim.DefaultTokenPath()
		}
		b := make([]byte, 32)
		rand.Read(b)
		opts.Token, opts.TokenFile = hex.EncodeToString(b), tokenFile
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- hcnsim.Serve(sctx, l, sim, opts) }()

	// Ready once a client's hello is answered: the token file is written
	// before the first accept.
	dctx, dcancel := context.WithTimeout(ctx, hcnsim.DefaultDialTimeout)
	c, err := hcnsim.Dial(dctx, addr, &hcnsim.DialOptions{Token: opts.Token})
	dcancel()
	if err != nil {
		cancel()
		if serr := <-served; serr != nil {
			return serr
		}
		return fmt.Errorf("serving %s: %w", addr, err)
	}
	c.Disconnect()
	line := addr
	if tcp {
		line += " " + tokenFile
	}
	fmt.Fprintln(stdout, line)
	if f, ok := stdout.(*os.File); ok {
		f.Sync()
	}

	select {
	case err := <-served: // Accept failed for good
		if err == nil {
			err = errors.New("stopped serving")
		}
		return err
	case <-ctx.Done():
	}
	select {
	case err := <-served:
		return err
	case <-time.After(time.Minute):
		return errors.New("the connections did not end within a minute of the signal")
	}
}
