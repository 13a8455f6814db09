package plugin

import (
	"fmt"
	"os"
	"runtime"

	"github.com/containernetworking/cni/pkg/types"
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// SimStateEnv names the emulator's state file off Windows.
const SimStateEnv = "HCNKIT_SIM_STATE"

// OpenClient returns the Client of the backend: the host service on
// Windows; elsewhere the emulator on the state file named by
// $HCNKIT_SIM_STATE or else the configuration's hcnkit.simState (the file
// hcnctl --state uses). Off Windows with neither, it fails with code 50
// and touches nothing.
func OpenClient(c *NetConf) (*hcn.Client, *types.Error) {
	if runtime.GOOS == "windows" {
		cl, err := hcn.NewClient(nil)
		if err != nil {
			return nil, types.NewError(types.ErrPluginNotAvailable, "the HCN service is not available", err.Error())
		}
		return cl, nil
	}
	path := os.Getenv(SimStateEnv)
	if path == "" {
		path = c.HCNKit.SimState
	}
	if path == "" {
		return nil, types.NewError(types.ErrPluginNotAvailable,
			fmt.Sprintf("no HCN service on %s: set %s or hcnkit.simState to an emulator state file", runtime.GOOS, SimStateEnv), "")
	}
	sim, err := hcnsim.Open(&hcnsim.Options{StateFile: path})
	if err != nil {
		return nil, types.NewError(types.ErrPluginNotAvailable, "emulator state "+path+": "+err.Error(), "")
	}
	cl, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		return nil, types.NewError(types.ErrPluginNotAvailable, err.Error(), "")
	}
	return cl, nil
}
