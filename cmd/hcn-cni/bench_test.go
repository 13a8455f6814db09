//go:build !windows

package main

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/containernetworking/cni/pkg/skel"
	"github.com/containernetworking/cni/pkg/types"
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"

	"github.com/hcnkit/hcn/cmd/hcn-cni/plugin"
)

// benchConf is an sdnbridge attachment with an endpoint policy and
// loopback DSR: ADD creates the endpoint, modifies it and adds it to the
// namespace.
const benchConf = `{"cniVersion":"1.1.0","name":"l2","type":"sdnbridge",
	"ipam":{"ranges":[[{"subnet":"10.20.0.0/16","gateway":"10.20.0.1"}]]},
	"optionalFlags":{"loopbackDSR":true},
	"AdditionalArgs":[{"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.20.0.0/16"]}}}]}`

// BenchmarkAddDel measures one pod's ADD and DEL, run in the process on an
// in-memory Sim, with 10 and 1,000 pods already attached on the node, and
// reports the service calls of each (calls/add, calls/del).
func BenchmarkAddDel(b *testing.B) {
	for _, pods := range []int{10, 1000} {
		b.Run(fmt.Sprintf("pods=%d/ADD", pods), func(b *testing.B) { benchAddDel(b, pods, true) })
		b.Run(fmt.Sprintf("pods=%d/DEL", pods), func(b *testing.B) { benchAddDel(b, pods, false) })
	}
}

// benchAddDel times ADD (add) or DEL (!add) of one pod, the other command
// running with the timer stopped.
func benchAddDel(b *testing.B, pods int, add bool) {
	sim := hcnsim.New(nil)
	cl, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		b.Fatal(err)
	}
	p := &plugin.Plugin{Stdout: io.Discard,
		Open: func(*plugin.NetConf) (*hcn.Client, func(), *types.Error) { return cl, func() {}, nil }}
	ctx := context.Background()
	args := func(cid string) *skel.CmdArgs {
		ns, err := cl.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
		if err != nil {
			b.Fatal(err)
		}
		return &skel.CmdArgs{ContainerID: cid, Netns: string(ns.ID), IfName: "eth0",
			Args: "K8S_POD_NAMESPACE=team", StdinData: []byte(benchConf)}
	}
	for i := range pods {
		if err := p.Add(args(fmt.Sprintf("pod%04d", i))); err != nil {
			b.Fatal(err)
		}
	}
	a := args("bench")
	total := func() (n uint64) {
		for _, c := range sim.Stats().Calls {
			n += c
		}
		return n
	}
	var calls, n uint64
	b.ReportAllocs()
	for b.Loop() {
		n++
		if !add {
			b.StopTimer()
			if err := p.Add(a); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.StopTimer()
		before := total()
		b.StartTimer()
		var err error
		if add {
			err = p.Add(a)
		} else {
			err = p.Del(a)
		}
		b.StopTimer()
		calls += total() - before
		if err != nil {
			b.Fatal(err)
		}
		if add {
			if err := p.Del(a); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	unit := "calls/del"
	if add {
		unit = "calls/add"
	}
	b.ReportMetric(float64(calls)/float64(n), unit)
	if eps, err := cl.ListEndpoints(ctx, nil); err != nil || len(eps) != pods {
		b.Errorf("%d endpoints at the end, want %d (%v)", len(eps), pods, err)
	}
}
