package plugin

import (
	"errors"
	"fmt"

	"github.com/containernetworking/cni/pkg/types"
	"github.com/hcnkit/hcn"
)

// Plugin-specific error codes (100 and up).
const (
	// ErrNetwork: the network is absent and may not be created here, or is
	// of another type than the configuration asks.
	ErrNetwork uint = 100
	// ErrPortConflict: a port mapping's host port is taken
	// (HCN_E_PORT_ALREADY_EXISTS).
	ErrPortConflict uint = 101
	// ErrNoAddress: the subnet has no free address, or the address is
	// reserved (HCN_E_ADDR_INVALID_OR_RESERVED).
	ErrNoAddress uint = 102
	// ErrNamespace: CNI_NETNS names no namespace.
	ErrNamespace uint = 103
	// ErrService: any other failure of the service.
	ErrService uint = 104
	// ErrIPAM: the delegated IPAM plugin could not be run (not found in
	// CNI_PATH, no usable result); its own errors keep their codes.
	ErrIPAM uint = 105

	// CHECK mismatches.
	ErrCheckEndpoint  uint = 110 // the endpoint does not exist
	ErrCheckNamespace uint = 111 // the endpoint is not in CNI_NETNS
	ErrCheckAddress   uint = 112 // an address of prevResult is not the endpoint's
	ErrCheckPolicy    uint = 113 // an expected policy is missing

	// ErrGC: GC removed what it could; the message lists what failed.
	ErrGC uint = 120
)

// svcErr turns an error of the service into a CNI error saying what was
// being done.
func svcErr(what string, err error) *types.Error {
	var te *types.Error
	if errors.As(err, &te) {
		return te
	}
	msg := fmt.Sprintf("%s: %v", what, err)
	var ve *hcn.ValidationError
	switch {
	case errors.As(err, &ve):
		return types.NewError(types.ErrInvalidNetworkConfig, msg, "")
	case errors.Is(err, hcn.ErrPortInUse):
		return types.NewError(ErrPortConflict, msg+" (a port mapping's host port is already mapped on this host)", "")
	case errors.Is(err, hcn.ErrAddressReserved):
		return types.NewError(ErrNoAddress, msg, "")
	case errors.Is(err, hcn.ErrTransient):
		return types.NewError(types.ErrTryAgainLater, msg, "")
	case errors.Is(err, hcn.ErrNotSupported):
		return types.NewError(types.ErrPluginNotAvailable, msg, "")
	}
	return types.NewError(ErrService, msg, "")
}

// errorList collects the failures of a command that continues past them.
type errorList []string

func (l *errorList) add(format string, a ...any) { *l = append(*l, fmt.Sprintf(format, a...)) }
