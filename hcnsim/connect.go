package hcnsim

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hcnkit/hcn"
)

// EnvAddr names the environment variable that points Connect at a running
// service: an address in Dial's syntax ("unix:/path", "tcp:127.0.0.1:port").
const EnvAddr = "HCNKIT_SIM_ADDR"

// EnvTokenFile names the environment variable Connect takes a TCP
// service's token file from when ConnectOptions.Dial sets none.
const EnvTokenFile = "HCNKIT_SIM_TOKEN_FILE"

// ConnectOptions configures Connect. A nil *ConnectOptions means defaults;
// each field documents what its zero value means.
type ConnectOptions struct {
	// Addr is the service to use; empty means $HCNKIT_SIM_ADDR, and when
	// that is empty too the default socket if a server answers there.
	Addr string
	// Dial configures the connection to a service; nil means defaults,
	// with the token file from $HCNKIT_SIM_TOKEN_FILE when it is set.
	Dial *DialOptions
	// Sim configures the embedded emulator used when no service is found
	// (its StateFile keeps the state on disk); nil means New's defaults.
	Sim *Options
}

// Connect returns the emulated host a tool should use, and a function
// that releases it:
//
//   - with an address (ConnectOptions.Addr or $HCNKIT_SIM_ADDR), a *Conn
//     to the service served there; one that cannot be reached is an
//     error, never a silent fallback;
//   - else, when a server answers on DefaultSocketPath(), a *Conn to it;
//   - else an embedded *Sim (Open with ConnectOptions.Sim, so an unusable
//     state file is an error at once).
//
// ctx bounds the dial. The function returned disconnects a *Conn and does
// nothing for a *Sim; it is idempotent.
func Connect(ctx context.Context, opts *ConnectOptions) (hcn.Service, func() error, error) {
	var o ConnectOptions
	if opts != nil {
		o = *opts
	}
	var d DialOptions
	if o.Dial != nil {
		d = *o.Dial
	}
	if d.Token == "" && d.TokenFile == "" {
		d.TokenFile = os.Getenv(EnvTokenFile)
	}
	addr, from := o.Addr, "ConnectOptions.Addr"
	if addr == "" {
		addr, from = os.Getenv(EnvAddr), EnvAddr
	}
	if addr != "" {
		c, err := Dial(ctx, addr, &d)
		if err != nil {
			return nil, nil, fmt.Errorf("hcnsim: no service at %s=%q: %w", from, addr, err)
		}
		return c, c.Disconnect, nil
	}
	if fi, err := os.Stat(DefaultSocketPath()); err == nil && maybeSocket(fi) {
		c, err := Dial(ctx, "", &d)
		if err == nil {
			return c, c.Disconnect, nil
		}
		if ctx.Err() != nil {
			return nil, nil, err
		}
		if !errors.Is(err, hcn.ErrTransient) { // a server answered and refused
			return nil, nil, fmt.Errorf("hcnsim: the service at %s: %w", DefaultSocketPath(), err)
		}
	}
	sim, err := Open(o.Sim)
	if err != nil {
		return nil, nil, err
	}
	return sim, func() error { return nil }, nil
}
