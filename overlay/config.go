package overlay

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/adapter"
)

// Config describes a node: the Client it works through, the owner tag that
// marks its objects, its slice and the network that carries it.
type Config struct {
	// Client is the Client the node works through. Required.
	Client *hcn.Client
	// OwnerTag marks the node's objects: endpoints are named
	// "<OwnerTag>-<containerID>" and the default network name starts with
	// it. 1–32 characters of letters, digits, '.' and '_' (no '-', so that
	// one tag is never a prefix of another's names). Required.
	OwnerTag string
	// Slice is the node's slice of the cluster CIDR, a network prefix (see
	// hcn.ParseSlice): network+1 is the gateway, containers get network+2
	// and up. IPv4 or IPv6. Required.
	Slice netip.Prefix
	// NetworkName is the name of the node's network. Empty means
	// "<OwnerTag>-<slice>" with the slice written 10.200.0.16_28.
	NetworkName string
	// NetworkID is the id recorded for the node's network in an earlier
	// run (Node.NetworkID gives it to record). EnsureNetwork reuses that
	// network while it exists. Empty means none recorded.
	NetworkID hcn.ID
	// Type is the node network's type: hcn.NetworkTypeInternal (the zero
	// value means Internal), hcn.NetworkTypeTransparent,
	// hcn.NetworkTypeL2Bridge or hcn.NetworkTypeNAT (the network Windows
	// containers get by default, NATed to the host's address).
	// Transparent and L2Bridge networks are bound to the uplink adapter.
	Type hcn.NetworkType
	// Uplink is the friendly name of the adapter a Transparent or L2Bridge
	// network binds to. Empty means adapter.Uplink() chooses it (the
	// HCNKIT_UPLINK_ADAPTER override, else the default route's adapter).
	// Ignored for Internal networks.
	Uplink string
	// ReplaceMismatched makes EnsureNetwork delete and re-create an
	// existing network whose type, slice or uplink differs from this
	// Config. Without it EnsureNetwork reports a *MismatchError and
	// changes nothing. Deleting a network deletes its endpoints.
	ReplaceMismatched bool
	// SettleTime is how long after the node creates its network an
	// endpoint create refused with HCN_E_ADDR_INVALID_OR_RESERVED for an
	// address no endpoint holds is retried (the service's static IPAM may
	// still be settling). Zero means DefaultSettleTime.
	SettleTime time.Duration
	// Logger receives warnings about cleanup that failed (a rollback step,
	// a handle that would not close). Nil means none.
	Logger *slog.Logger
}

// DefaultSettleTime is Config.SettleTime's default.
const DefaultSettleTime = 30 * time.Second

// maxTagLen bounds OwnerTag.
const maxTagLen = 32

// maxContainerIDLen bounds a container id: an HCS container id is 64 hex
// characters; room is left for runtimes that use longer names.
const maxContainerIDLen = 200

// configured is a checked Config with its defaults applied.
type configured struct {
	Config
	gateway netip.Addr
	prefix  string // OwnerTag + "-"
}

// check validates c and applies the defaults; each error names the field.
func (c Config) check() (*configured, error) {
	var errs []error
	bad := func(path, value, reason string) {
		errs = append(errs, &hcn.ValidationError{Path: "Config." + path, Value: value, Reason: reason})
	}
	if c.Client == nil {
		bad("Client", "", "required")
	}
	if err := checkTag(c.OwnerTag); err != nil {
		bad("OwnerTag", c.OwnerTag, err.Error())
	}
	var gw netip.Addr
	if !c.Slice.IsValid() {
		bad("Slice", "", "required (the node's slice, e.g. 10.200.0.16/28)")
	} else if g, err := hcn.GatewayFor(c.Slice); err != nil {
		var ve *hcn.ValidationError
		reason := err.Error()
		if errors.As(err, &ve) {
			reason = ve.Reason
		}
		bad("Slice", c.Slice.String(), reason)
	} else {
		gw = g
	}
	switch {
	case c.Type == "":
		c.Type = hcn.NetworkTypeInternal
	case c.Type.Is(hcn.NetworkTypeInternal):
		c.Type = hcn.NetworkTypeInternal
	case c.Type.Is(hcn.NetworkTypeTransparent):
		c.Type = hcn.NetworkTypeTransparent
	case c.Type.Is(hcn.NetworkTypeL2Bridge):
		c.Type = hcn.NetworkTypeL2Bridge
	case c.Type.Is(hcn.NetworkTypeNAT):
		c.Type = hcn.NetworkTypeNAT
	default:
		bad("Type", string(c.Type), "a node network is Internal, Transparent, L2Bridge or NAT")
	}
	if c.NetworkID != "" {
		if _, err := c.NetworkID.GUID(); err != nil {
			bad("NetworkID", string(c.NetworkID), "not a GUID")
		}
	}
	if c.SettleTime < 0 {
		bad("SettleTime", c.SettleTime.String(), "must not be negative")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if c.NetworkName == "" {
		c.NetworkName = c.OwnerTag + "-" + strings.ReplaceAll(c.Slice.String(), "/", "_")
	}
	if c.SettleTime == 0 {
		c.SettleTime = DefaultSettleTime
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return &configured{Config: c, gateway: gw, prefix: c.OwnerTag + "-"}, nil
}

// checkTag says what is wrong with an owner tag, or nil.
func checkTag(tag string) error {
	if tag == "" {
		return errors.New("required")
	}
	if len(tag) > maxTagLen {
		return fmt.Errorf("longer than %d characters", maxTagLen)
	}
	for _, r := range tag {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return fmt.Errorf("character %q: use letters, digits, '.' and '_'", r)
		}
	}
	return nil
}

// checkContainerID says what is wrong with a container id, or nil.
func checkContainerID(id string) error {
	if id == "" {
		return errors.New("required")
	}
	if len(id) > maxContainerIDLen {
		return fmt.Errorf("longer than %d bytes", maxContainerIDLen)
	}
	for _, r := range id {
		if r <= ' ' || r == 0x7f || r == '/' || r == '\\' {
			return fmt.Errorf("character %q: no spaces, control characters or slashes", r)
		}
	}
	return nil
}

// bound reports whether the node's network binds an uplink adapter.
func (c *configured) bound() bool {
	return c.Type.Is(hcn.NetworkTypeTransparent) || c.Type.Is(hcn.NetworkTypeL2Bridge)
}

// uplink returns the adapter a bound network binds to: Config.Uplink, else
// the one adapter.Uplink chooses.
func (c *configured) uplink() (string, error) {
	if c.Uplink != "" {
		return c.Uplink, nil
	}
	a, err := adapter.Uplink()
	if err != nil {
		return "", fmt.Errorf("overlay: choosing the uplink for a %s network (set Config.Uplink or %s): %w", c.Type, adapter.EnvOverride, err)
	}
	return a.Name, nil
}

// networkDoc returns the settings of the node's network.
func (c *configured) networkDoc(uplink string) (*hcn.Network, error) {
	if !c.bound() {
		n, err := hcn.InternalNetwork(c.NetworkName, c.Slice)
		if err == nil {
			n.Type = c.Type
		}
		return n, err
	}
	n, err := hcn.TransparentNetwork(c.NetworkName, c.Slice, uplink)
	if err != nil {
		return nil, err
	}
	n.Type = c.Type
	return n, nil
}
