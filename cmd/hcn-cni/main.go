// Command hcn-cni is a CNI 1.1 plugin that attaches containers to an HCN
// network (L2Bridge, Overlay or NAT) on Windows nodes, for containerd and
// Kubernetes. See package plugin for the configuration and the commands.
package main

import (
	"github.com/containernetworking/cni/pkg/skel"
	"github.com/containernetworking/cni/pkg/version"

	"github.com/hcnkit/hcn/cmd/hcn-cni/plugin"
)

func main() {
	p := &plugin.Plugin{}
	skel.PluginMainFuncs(skel.CNIFuncs{
		Add:    p.Add,
		Del:    p.Del,
		Check:  p.Check,
		Status: p.Status,
		GC:     p.GC,
	}, version.PluginSupports("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"), "hcn-cni: CNI plugin for Windows HCN networks (hcnkit)")
}
