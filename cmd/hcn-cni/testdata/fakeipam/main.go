// Command fakeipam is a minimal IPAM plugin for hcn-cni's tests: it hands
// out the addresses of ipam.ranges[0][0] from rangeStart up, one per
// container id, and keeps them in ipam.dataDir/alloc.json.
package main

import (
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/containernetworking/cni/pkg/skel"
	"github.com/containernetworking/cni/pkg/types"
	types100 "github.com/containernetworking/cni/pkg/types/100"
	"github.com/containernetworking/cni/pkg/version"
)

type conf struct {
	CNIVersion string `json:"cniVersion"`
	IPAM       struct {
		DataDir string `json:"dataDir"`
		FailDel bool   `json:"failDel"`
		Down    bool   `json:"down"`
		Ranges  [][]struct {
			Subnet     string `json:"subnet"`
			RangeStart string `json:"rangeStart"`
			Gateway    string `json:"gateway"`
		} `json:"ranges"`
	} `json:"ipam"`
	Valid []types.GCAttachment `json:"cni.dev/valid-attachments"`
}

func load(args *skel.CmdArgs) (*conf, map[string]string, error) {
	c := &conf{}
	if err := json.Unmarshal(args.StdinData, c); err != nil {
		return nil, nil, err
	}
	m := map[string]string{}
	b, err := os.ReadFile(filepath.Join(c.IPAM.DataDir, "alloc.json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	} else if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	return c, m, err
}

func save(c *conf, m map[string]string) error {
	b, _ := json.Marshal(m)
	return os.WriteFile(filepath.Join(c.IPAM.DataDir, "alloc.json"), b, 0o600)
}

func main() {
	skel.PluginMainFuncs(skel.CNIFuncs{
		Add: func(args *skel.CmdArgs) error {
			c, m, err := load(args)
			if err != nil {
				return err
			}
			rg := c.IPAM.Ranges[0][0]
			p := netip.MustParsePrefix(rg.Subnet)
			used := map[string]bool{}
			for _, ip := range m {
				used[ip] = true
			}
			a := netip.MustParseAddr(rg.RangeStart)
			for used[a.String()] {
				a = a.Next()
			}
			m[args.ContainerID] = a.String()
			if err := save(c, m); err != nil {
				return err
			}
			r := &types100.Result{CNIVersion: types100.ImplementedSpecVersion, IPs: []*types100.IPConfig{{
				Address: net.IPNet{IP: net.IP(a.AsSlice()), Mask: net.CIDRMask(p.Bits(), 32)},
				Gateway: net.ParseIP(rg.Gateway),
			}}}
			return types.PrintResult(r, c.CNIVersion)
		},
		Del: func(args *skel.CmdArgs) error {
			c, m, err := load(args)
			if err != nil {
				return err
			}
			if c.IPAM.FailDel {
				return types.NewError(types.ErrTryAgainLater, "fakeipam DEL fails as configured", "")
			}
			delete(m, args.ContainerID)
			return save(c, m)
		},
		Check: func(args *skel.CmdArgs) error {
			_, m, err := load(args)
			if err != nil {
				return err
			}
			if m[args.ContainerID] == "" {
				return types.NewError(types.ErrUnknownContainer, "fakeipam: no address for "+args.ContainerID, "")
			}
			return nil
		},
		Status: func(args *skel.CmdArgs) error {
			c, _, err := load(args)
			if err != nil {
				return err
			}
			if c.IPAM.Down {
				return types.NewError(types.ErrPluginNotAvailable, "fakeipam is down as configured", "")
			}
			return nil
		},
		GC: func(args *skel.CmdArgs) error {
			c, m, err := load(args)
			if err != nil {
				return err
			}
			keep := map[string]bool{}
			for _, a := range c.Valid {
				keep[a.ContainerID] = true
			}
			for cid := range m {
				if !keep[cid] {
					delete(m, cid)
				}
			}
			return save(c, m)
		},
	}, version.All, "fakeipam")
}
