package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// Backends.
const (
	backendHost = "host" // the host's HCN service (Windows)
	backendSim  = "sim"  // the emulator on a state file
)

// defaultBackend is host on Windows and sim elsewhere.
func defaultBackend() string {
	if runtime.GOOS == "windows" {
		return backendHost
	}
	return backendSim
}

// defaultStatePath is the sim backend's state file when --state is not
// given: $XDG_STATE_HOME/hcnkit/sim.state (~/.local/state/...) on Linux
// and other Unix systems, the user's application-support or local
// application-data directory on macOS and Windows.
func defaultStatePath() (string, error) {
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = os.Getenv("LocalAppData")
	case "darwin", "ios":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, "Library", "Application Support")
	default:
		dir = os.Getenv("XDG_STATE_HOME")
		if dir == "" || !filepath.IsAbs(dir) {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			dir = filepath.Join(home, ".local", "state")
		}
	}
	if dir == "" {
		return "", errors.New("no directory for the state file; pass --state FILE")
	}
	return filepath.Join(dir, "hcnkit", "sim.state"), nil
}

// statePath returns the sim backend's state file.
func (a *app) statePath() (string, error) {
	if a.state != "" {
		return a.state, nil
	}
	return defaultStatePath()
}

// versionFile is where `hcnctl sim version` keeps the emulated service
// version of a state file (the state file holds objects only).
func versionFile(state string) string { return state + ".version" }

// simOptions returns the options of the emulator on the state file.
func (a *app) simOptions() (*hcnsim.Options, error) {
	path, err := a.statePath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	o := &hcnsim.Options{StateFile: path}
	if b, err := os.ReadFile(versionFile(path)); err == nil {
		v, err := parseVersion(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", versionFile(path), err)
		}
		o.ServiceVersion = v
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return o, nil
}

// parseVersion parses "MAJOR.MINOR".
func parseVersion(s string) (hcn.Version, error) {
	maj, min, ok := strings.Cut(s, ".")
	a, err1 := strconv.ParseUint(maj, 10, 32)
	b, err2 := strconv.ParseUint(min, 10, 32)
	if !ok || err1 != nil || err2 != nil {
		return hcn.Version{}, fmt.Errorf("version %q: want MAJOR.MINOR, e.g. 15.4", s)
	}
	return hcn.Version{Major: uint32(a), Minor: uint32(b)}, nil
}

// connect opens the chosen backend: the host service, or the emulator on
// the state file (an hcnsimd server named by $HCNKIT_SIM_ADDR when set and
// --state is not given).
func (a *app) connect(ctx context.Context) (hcn.Service, func() error, error) {
	switch a.backendName() {
	case backendHost:
		svc, err := hcn.NewHostService(nil)
		if err != nil {
			return nil, nil, err
		}
		return svc, func() error { return nil }, nil
	case backendSim:
		o, err := a.simOptions()
		if err != nil {
			return nil, nil, err
		}
		if a.state == "" && os.Getenv("HCNKIT_SIM_ADDR") != "" {
			return hcnsim.Connect(ctx, &hcnsim.ConnectOptions{Sim: o})
		}
		sim, err := hcnsim.Open(o)
		if err != nil {
			return nil, nil, err
		}
		return sim, func() error { return nil }, nil
	}
	return nil, nil, usagef("--backend %q: want host or sim", a.backend)
}

// backendName is --backend, or the OS's default.
func (a *app) backendName() string {
	if a.backend == "" {
		return defaultBackend()
	}
	return a.backend
}
