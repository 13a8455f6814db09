//go:build windows && cgo

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// Client mode. With HCNSIM_ADDR set ("tcp:127.0.0.1:port", as hcnsim.Dial
// takes it) every HCN call is forwarded to the emulator served there
// (hcnsim.Serve), so programs in many processes, under Wine or not, share
// one emulated host. The token is HCNSIM_TOKEN (hex), else the file
// HCNSIM_TOKEN_FILE names (a path starting with "/" that does not exist as
// given is taken as a Linux path on Wine's Z: drive), else hcnsim's
// default token file. The connection is dialled at the first call and
// again at the next call after a failed dial; while the server cannot be
// reached calls fail with RPC_S_SERVER_UNAVAILABLE.

// remote is the client of a served emulator.
type remote struct {
	addr, token, tokenFile string

	mu   sync.Mutex
	conn *hcnsim.Conn
}

var remoteEnv = sync.OnceValue(func() *remote {
	addr := os.Getenv("HCNSIM_ADDR")
	if addr == "" {
		return nil
	}
	return &remote{addr: addr, token: os.Getenv("HCNSIM_TOKEN"), tokenFile: os.Getenv("HCNSIM_TOKEN_FILE")}
})

// remoteFromEnv returns the process's client when HCNSIM_ADDR is set.
func remoteFromEnv() *remote { return remoteEnv() }

// wineZ maps a Linux absolute path that does not exist as given onto
// Wine's Z: drive, where Wine shows the Linux root.
func wineZ(path string) string {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return path
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	return `Z:` + filepath.FromSlash(path)
}

// service returns the connection, dialling it when there is none.
func (r *remote) service(op string) (*hcnsim.Conn, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conn != nil {
		return r.conn, nil
	}
	opts := &hcnsim.DialOptions{Token: r.token}
	if r.tokenFile != "" {
		opts.TokenFile = wineZ(r.tokenFile)
	}
	ctx, cancel := context.WithTimeout(context.Background(), hcnsim.DefaultDialTimeout)
	defer cancel()
	c, err := hcnsim.Dial(ctx, r.addr, opts)
	if err != nil {
		if _, ok := err.(*hcn.Error); !ok {
			err = &hcn.Error{Op: op, HRESULT: hcn.E_INVALIDARG, Err: fmt.Errorf("HCNSIM_ADDR %q: %w", r.addr, err)}
		}
		return nil, err
	}
	r.conn = c
	return c, nil
}

func (r *remote) Enumerate(kind hcn.Kind, query string) (string, error) {
	c, err := r.service("Enumerate")
	if err != nil {
		return "", err
	}
	return c.Enumerate(kind, query)
}

func (r *remote) Create(kind hcn.Kind, id hcn.GUID, settings string) (hcn.Handle, error) {
	c, err := r.service("Create")
	if err != nil {
		return 0, err
	}
	return c.Create(kind, id, settings)
}

func (r *remote) CreateEndpoint(network hcn.Handle, id hcn.GUID, settings string) (hcn.Handle, error) {
	c, err := r.service("CreateEndpoint")
	if err != nil {
		return 0, err
	}
	return c.CreateEndpoint(network, id, settings)
}

func (r *remote) Open(kind hcn.Kind, id hcn.GUID) (hcn.Handle, error) {
	c, err := r.service("Open")
	if err != nil {
		return 0, err
	}
	return c.Open(kind, id)
}

func (r *remote) Modify(kind hcn.Kind, h hcn.Handle, settings string) error {
	c, err := r.service("Modify")
	if err != nil {
		return err
	}
	return c.Modify(kind, h, settings)
}

func (r *remote) Query(kind hcn.Kind, h hcn.Handle, query string) (string, error) {
	c, err := r.service("Query")
	if err != nil {
		return "", err
	}
	return c.Query(kind, h, query)
}

func (r *remote) Delete(kind hcn.Kind, id hcn.GUID) error {
	c, err := r.service("Delete")
	if err != nil {
		return err
	}
	return c.Delete(kind, id)
}

func (r *remote) Close(kind hcn.Kind, h hcn.Handle) error {
	c, err := r.service("Close")
	if err != nil {
		return err
	}
	return c.Close(kind, h)
}

func (r *remote) QueryEndpointStats(endpoint hcn.Handle, query string) (string, error) {
	c, err := r.service("QueryEndpointStats")
	if err != nil {
		return "", err
	}
	return c.QueryEndpointStats(endpoint, query)
}

func (r *remote) QueryEndpointAddresses(endpoint hcn.Handle, query string) (string, error) {
	c, err := r.service("QueryEndpointAddresses")
	if err != nil {
		return "", err
	}
	return c.QueryEndpointAddresses(endpoint, query)
}

func (r *remote) RegisterServiceCallback(fn hcn.NotificationFunc) (hcn.Handle, error) {
	c, err := r.service("RegisterServiceCallback")
	if err != nil {
		return 0, err
	}
	return c.RegisterServiceCallback(fn)
}

func (r *remote) UnregisterServiceCallback(h hcn.Handle) error {
	c, err := r.service("UnregisterServiceCallback")
	if err != nil {
		return err
	}
	return c.UnregisterServiceCallback(h)
}

func (r *remote) RegisterGuestNetworkServiceCallback(gns hcn.Handle, fn hcn.NotificationFunc) (hcn.Handle, error) {
	c, err := r.service("RegisterGuestNetworkServiceCallback")
	if err != nil {
		return 0, err
	}
	return c.RegisterGuestNetworkServiceCallback(gns, fn)
}

func (r *remote) UnregisterGuestNetworkServiceCallback(h hcn.Handle) error {
	c, err := r.service("UnregisterGuestNetworkServiceCallback")
	if err != nil {
		return err
	}
	return c.UnregisterGuestNetworkServiceCallback(h)
}

func (r *remote) ReserveGuestNetworkServicePort(gns hcn.Handle, protocol hcn.PortProtocol, access hcn.PortAccess, port uint16) (hcn.Handle, error) {
	c, err := r.service("ReserveGuestNetworkServicePort")
	if err != nil {
		return 0, err
	}
	return c.ReserveGuestNetworkServicePort(gns, protocol, access, port)
}

func (r *remote) ReserveGuestNetworkServicePortRange(gns hcn.Handle, count uint16) (hcn.PortRange, hcn.Handle, error) {
	c, err := r.service("ReserveGuestNetworkServicePortRange")
	if err != nil {
		return hcn.PortRange{}, 0, err
	}
	return c.ReserveGuestNetworkServicePortRange(gns, count)
}

func (r *remote) ReleaseGuestNetworkServicePortReservation(h hcn.Handle) error {
	c, err := r.service("ReleaseGuestNetworkServicePortReservation")
	if err != nil {
		return err
	}
	return c.ReleaseGuestNetworkServicePortReservation(h)
}

func (r *remote) EnumerateGuestNetworkPortReservations() ([]hcn.PortRangeEntry, error) {
	c, err := r.service("EnumerateGuestNetworkPortReservations")
	if err != nil {
		return nil, err
	}
	return c.EnumerateGuestNetworkPortReservations()
}

func (r *remote) HNSCall(method, path, body string) (string, error) {
	c, err := r.service("HNSCall")
	if err != nil {
		return "", err
	}
	return c.HNSCall(method, path, body)
}
