//go:build !windows

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/skel"
	"github.com/containernetworking/cni/pkg/types"
	"github.com/containernetworking/cni/pkg/version"
	"github.com/hcnkit/hcn"

	"github.com/hcnkit/hcn/cmd/hcn-cni/plugin"
)

// inProc runs the plugin in the test's process, on the test's Sim, so that
// its service calls are counted and faults injected there reach it.
type inProc struct{ e *env }

func (x inProc) ExecPlugin(_ context.Context, _ string, stdin []byte, environ []string) ([]byte, error) {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	args := &skel.CmdArgs{ContainerID: env["CNI_CONTAINERID"], Netns: env["CNI_NETNS"], IfName: env["CNI_IFNAME"],
		Args: env["CNI_ARGS"], Path: env["CNI_PATH"], StdinData: stdin}
	var out bytes.Buffer
	p := &plugin.Plugin{Stdout: &out, Open: func(*plugin.NetConf) (*hcn.Client, func(), *types.Error) { return x.e.cl, func() {}, nil }}
	var err error
	switch env["CNI_COMMAND"] {
	case "ADD":
		err = p.Add(args)
	case "DEL":
		err = p.Del(args)
	case "CHECK":
		err = p.Check(args)
	case "STATUS":
		err = p.Status(args)
	case "GC":
		err = p.GC(args)
	case "VERSION":
		return []byte(`{"cniVersion":"1.1.0","supportedVersions":["1.0.0","1.1.0"]}`), nil
	}
	return out.Bytes(), err
}

func (inProc) FindInPath(plugin string, _ []string) (string, error) { return plugin, nil }

func (inProc) Decode(b []byte) (version.PluginInfo, error) {
	return (&version.PluginDecoder{}).Decode(b)
}

func (e *env) inProcess() *libcni.CNIConfig {
	return libcni.NewCNIConfigWithCacheDir([]string{binDir}, filepath.Join(e.t.TempDir(), "cache"), inProc{e})
}

// TestServiceCalls logs the service calls of each command (go test -v).
func TestServiceCalls(t *testing.T) {
	e := newEnv(t)
	cni := e.inProcess()
	ctx := context.Background()
	list := e.list(bridgeConf)
	r := rt("c1", e.namespace())
	r.CapabilityArgs = map[string]any{"portMappings": []map[string]any{{"HostPort": 8080, "ContainerPort": 80, "Protocol": "tcp"}}}
	step := func(name string, f func() error) {
		t.Helper()
		before := e.sim.Stats().Calls
		if err := f(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %s", name, callDiff(before, e.sim.Stats().Calls))
	}
	add := func() error { _, err := cni.AddNetworkList(ctx, list, r); return err }
	step("ADD, creating the network", add)
	step("ADD, repeated", add)
	r2 := rt("c2", e.namespace())
	r2.CapabilityArgs = r.CapabilityArgs
	r2.CapabilityArgs = map[string]any{"portMappings": []map[string]any{{"HostPort": 8081, "ContainerPort": 80, "Protocol": "tcp"}}}
	step("ADD, network exists", func() error { _, err := cni.AddNetworkList(ctx, list, r2); return err })
	step("CHECK", func() error { return cni.CheckNetworkList(ctx, list, r) })
	step("STATUS", func() error { return cni.GetStatusNetworkList(ctx, list) })
	step("DEL", func() error { return cni.DelNetworkList(ctx, list, r) })
	step("DEL, already gone", func() error { return cni.DelNetworkList(ctx, list, r) })
	step("GC, one to remove", func() error { return cni.GCNetworkList(ctx, list, &libcni.GCArgs{}) })
	if h := e.sim.OpenHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
}

// TestAddUndo fails each service call ADD makes in turn and checks that
// nothing is left behind.
func TestAddUndo(t *testing.T) {
	e := newEnv(t)
	cni := e.inProcess()
	ctx := context.Background()
	list := e.list(bridgeConf)
	// The network exists: ADD's calls from here on are per attachment.
	if _, err := cni.AddNetworkList(ctx, list, rt("warm", e.namespace())); err != nil {
		t.Fatal(err)
	}
	if err := cni.DelNetworkList(ctx, list, rt("warm", "")); err != nil {
		t.Fatal(err)
	}
	ns := e.namespace()
	r := rt("c1", ns)
	r.CapabilityArgs = map[string]any{"portMappings": []map[string]any{{"HostPort": 8080, "ContainerPort": 80, "Protocol": "tcp"}}}
	for _, op := range []string{
		hcn.OpName(hcn.VerbCreate, hcn.KindEndpoint),
		hcn.OpName(hcn.VerbModify, hcn.KindEndpoint),
		hcn.OpName(hcn.VerbModify, hcn.KindNamespace),
	} {
		e.sim.InjectFault(op, 1, hcn.E_INVALIDARG)
		_, err := cni.AddNetworkList(ctx, list, r)
		e.sim.ClearFaults()
		if err == nil {
			t.Errorf("%s failing: ADD succeeded", op)
		}
		if n := len(e.endpoints()); n != 0 {
			t.Errorf("%s failing: %d endpoints left", op, n)
		}
		if h := e.sim.OpenHandles(); h != 0 {
			t.Errorf("%s failing: %d handles open", op, h)
		}
	}
	if _, err := cni.AddNetworkList(ctx, list, r); err != nil {
		t.Fatalf("ADD after the failures: %v", err)
	}
}
