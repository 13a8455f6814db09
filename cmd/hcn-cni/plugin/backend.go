package plugin

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"github.com/containernetworking/cni/pkg/types"
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// Environment variables naming the emulator off Windows.
const (
	// SimStateEnv names the emulator's state file.
	SimStateEnv = "HCNKIT_SIM_STATE"
	// SimAddrEnv names a served emulator (hcnsimd): "unix:/path" or
	// "tcp:127.0.0.1:port".
	SimAddrEnv = hcnsim.EnvAddr
	// SimTokenFileEnv names the token file of a served emulator on TCP.
	SimTokenFileEnv = "HCNKIT_SIM_TOKEN_FILE"
)

// dialTimeout bounds the connection to a served emulator and its hello.
const dialTimeout = hcnsim.DefaultDialTimeout

// OpenClient returns the Client of the backend and the function that
// releases it: the host service on Windows; elsewhere the emulator on the
// state file named by $HCNKIT_SIM_STATE or else the configuration's
// hcnkit.simState (the file hcnctl --state uses), or else the emulator
// served at $HCNKIT_SIM_ADDR (with the token in $HCNKIT_SIM_TOKEN_FILE for
// TCP), whose connection the release function ends. Off Windows with none
// of them, it fails with code 50 and touches nothing.
func OpenClient(c *NetConf) (*hcn.Client, func(), *types.Error) {
	if runtime.GOOS == "windows" {
		cl, err := hcn.NewClient(nil)
		if err != nil {
			return nil, nil, types.NewError(types.ErrPluginNotAvailable, "the HCN service is not available", err.Error())
		}
		return cl, func() {}, nil
	}
	path := os.Getenv(SimStateEnv)
	if path == "" {
		path = c.HCNKit.SimState
	}
	if path != "" {
		sim, err := hcnsim.Open(&hcnsim.Options{StateFile: path})
		if err != nil {
			return nil, nil, types.NewError(types.ErrPluginNotAvailable, "emulator state "+path+": "+err.Error(), "")
		}
		return newClient(sim, func() {})
	}
	if addr := os.Getenv(SimAddrEnv); addr != "" {
		ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
		defer cancel()
		// Connect dials addr only (an unreachable one is an error, never
		// a fallback) and reads the token file of $HCNKIT_SIM_TOKEN_FILE.
		svc, disconnect, err := hcnsim.Connect(ctx, &hcnsim.ConnectOptions{Addr: addr})
		if err != nil {
			return nil, nil, types.NewError(types.ErrPluginNotAvailable,
				fmt.Sprintf("emulator at %s=%s: %v", SimAddrEnv, addr, err), "")
		}
		return newClient(svc, func() { _ = disconnect() })
	}
	return nil, nil, types.NewError(types.ErrPluginNotAvailable,
		fmt.Sprintf("no HCN service on %s: set %s or hcnkit.simState to an emulator state file, or %s to a served emulator",
			runtime.GOOS, SimStateEnv, SimAddrEnv), "")
}

func newClient(svc hcn.Service, release func()) (*hcn.Client, func(), *types.Error) {
	cl, err := hcn.NewClient(&hcn.ClientOptions{Service: svc})
	if err != nil {
		release()
		return nil, nil, types.NewError(types.ErrPluginNotAvailable, err.Error(), "")
	}
	return cl, release, nil
}
