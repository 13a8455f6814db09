package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/hcnkit/hcn"
	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	exitOK       = 0 // success
	exitFailed   = 1 // an operation failed
	exitUsage    = 2 // bad usage or bad input: nothing was changed
	exitProblems = 3 // doctor found problems
)

// usageError is bad usage or bad input, found before anything changed:
// exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usageError.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// problemsError says doctor found problems: exit status 3, no message.
type problemsError struct{ n int }

func (e *problemsError) Error() string { return fmt.Sprintf("%d problems found", e.n) }

// app is one invocation: its streams, its global flags and, once a
// command needs it, its connection to the service.
type app struct {
	in       io.Reader
	out, err io.Writer

	backend string // --backend: host or sim ("" until resolved)
	state   string // --state: the sim backend's state file
	output  string // -o

	// showProgress shows progress displays even when stderr is not a
	// terminal (tests).
	showProgress bool

	svc     hcn.Service
	c       *hcn.Client
	release func() error
}

// run runs hcnctl with args and returns the exit status.
func run(args []string, in io.Reader, out, errw io.Writer) int {
	a := &app{in: in, out: out, err: errw}
	root := a.root()
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errw)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := root.ExecuteContext(ctx)
	if a.release != nil {
		if rerr := a.release(); rerr != nil && err == nil {
			err = rerr
		}
	}
	return a.exit(err)
}

// exit prints err (if any) and maps it to an exit status.
func (a *app) exit(err error) int {
	if err == nil {
		return exitOK
	}
	var pe *problemsError
	if errors.As(err, &pe) {
		return exitProblems
	}
	fmt.Fprintf(a.err, "hcnctl: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) || errors.Is(err, hcn.ErrInvalid) && !isServiceError(err) || isFlagError(err) {
		return exitUsage
	}
	return exitFailed
}

// isServiceError reports whether err came from the service (an HRESULT)
// rather than the library's checks before any call.
func isServiceError(err error) bool {
	var he *hcn.Error
	return errors.As(err, &he) && he.HRESULT != 0
}

// isFlagError reports whether err is cobra's report of a bad flag or
// argument.
func isFlagError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "unknown command", "flag needs an argument",
		"invalid argument", "accepts ", "requires at least", "requires at most", "required flag"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// client returns the Client of the chosen backend, connecting once.
func (a *app) client(ctx context.Context) (*hcn.Client, error) {
	if a.c != nil {
		return a.c, nil
	}
	svc, release, err := a.connect(ctx)
	if err != nil {
		return nil, err
	}
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: svc})
	if err != nil {
		release()
		return nil, err
	}
	a.svc, a.c, a.release = svc, c, release
	return c, nil
}

// command returns a cobra command that runs fn with the invocation's
// context and turns argument errors into usage errors.
func (a *app) command(c *cobra.Command, fn func(ctx context.Context, cmd *cobra.Command, args []string) error) *cobra.Command {
	c.RunE = func(cmd *cobra.Command, args []string) error { return fn(cmd.Context(), cmd, args) }
	return c
}
