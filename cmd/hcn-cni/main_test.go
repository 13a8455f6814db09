//go:build !windows

// The tests drive the plugin binary on the emulator; on Windows the plugin
// uses the host service, so they run elsewhere only.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/invoke"
	"github.com/containernetworking/cni/pkg/types"
	types100 "github.com/containernetworking/cni/pkg/types/100"
	"github.com/containernetworking/cni/pkg/version"
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// binDir holds the plugin binary, built once, under each type name the
// tests use.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hcn-cni-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		bin := filepath.Join(dir, "hcn-cni")
		out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
			return 1
		}
		for _, name := range []string{"sdnbridge", "sdnoverlay", "win-bridge", "nat"} {
			if err := os.Symlink(bin, filepath.Join(dir, name)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		out, err = exec.Command("go", "build", "-o", filepath.Join(dir, "fakeipam"), "./testdata/fakeipam").CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
			return 1
		}
		binDir = dir
		return m.Run()
	}()
	os.Exit(code)
}

// env is one test's emulator state file, libcni and a Client on the same
// state.
type env struct {
	t     *testing.T
	state string
	cni   *libcni.CNIConfig
	sim   *hcnsim.Sim
	cl    *hcn.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	state := filepath.Join(dir, "sim.state")
	sim, err := hcnsim.Open(&hcnsim.Options{StateFile: state})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, state: state, sim: sim, cl: cl,
		cni: libcni.NewCNIConfigWithCacheDir([]string{binDir}, filepath.Join(dir, "cache"), defaultExec())}
}

// list is a network configuration list of one plugin; plugin is the
// plugin's JSON without the closing brace's hcnkit member.
func (e *env) list(plugin string) *libcni.NetworkConfigList {
	e.t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(plugin), &m); err != nil {
		e.t.Fatal(err)
	}
	m["hcnkit"] = map[string]any{"simState": e.state}
	b, _ := json.Marshal(map[string]any{"cniVersion": "1.1.0", "name": m["name"], "plugins": []any{m}})
	l, err := libcni.ConfListFromBytes(b)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

// namespace creates a namespace as containerd does and returns its GUID.
func (e *env) namespace() string {
	e.t.Helper()
	ns, err := e.cl.CreateNamespace(context.Background(), &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		e.t.Fatal(err)
	}
	return string(ns.ID)
}

// defaultExec is libcni's exec, made here: libcni makes it lazily without
// a lock, which races when one CNIConfig is used concurrently.
func defaultExec() invoke.Exec {
	return &invoke.DefaultExec{RawExec: &invoke.RawExec{Stderr: os.Stderr}, PluginDecoder: version.PluginDecoder{}}
}

func rt(cid, netns string) *libcni.RuntimeConf {
	return &libcni.RuntimeConf{ContainerID: cid, NetNS: netns, IfName: "eth0",
		Args: [][2]string{{"IgnoreUnknown", "1"}, {"K8S_POD_NAMESPACE", "team"}, {"K8S_POD_NAME", "pod-" + cid}}}
}

func (e *env) endpoints() []*hcn.Endpoint {
	e.t.Helper()
	eps, err := e.cl.ListEndpoints(context.Background(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return eps
}

func cniCode(err error) uint {
	var te *types.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

const natConf = `{"name":"natnet","type":"nat","capabilities":{"portMappings":true,"dns":true},
	"ipam":{"subnet":"10.10.0.0/24"},"dns":{"Nameservers":["10.10.0.53"],"Search":["svc.cluster.local"]}}`

const bridgeConf = `{"name":"l2","type":"sdnbridge","capabilities":{"portMappings":true,"dns":true},
	"ipam":{"ranges":[[{"subnet":"10.20.0.0/16","gateway":"10.20.0.1"}]],"routes":[{"dst":"0.0.0.0/0"}]},
	"optionalFlags":{"localRoutedPortMapping":true,"allowAclPortMapping":true,"loopbackDSR":true},
	"AdditionalArgs":[{"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.20.0.0/16"]}}}]}`

func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(bridgeConf)
	ns := e.namespace()
	r := rt("c1", ns)
	r.CapabilityArgs = map[string]any{
		"portMappings": []struct {
			HostPort, ContainerPort int
			Protocol, HostIP        string
		}{{8080, 80, "tcp", ""}},
		"dns": struct{ Servers, Searches, Options []string }{[]string{"10.96.0.10"}, []string{"team.svc.cluster.local", "svc.cluster.local"}, nil},
	}
	res, err := e.cni.AddNetworkList(ctx, list, r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := types100.GetResult(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Interfaces) != 1 || got.Interfaces[0].Name != "eth0" || got.Interfaces[0].Mac == "" {
		t.Errorf("interfaces %v", got.Interfaces)
	}
	if len(got.IPs) != 1 || *got.IPs[0].Interface != 0 || got.IPs[0].Gateway.String() != "10.20.0.1" ||
		!strings.HasPrefix(got.IPs[0].Address.String(), "10.20.0.") || !strings.HasSuffix(got.IPs[0].Address.String(), "/16") {
		t.Errorf("ips %v", got.IPs)
	}
	if len(got.Routes) != 1 || got.Routes[0].Dst.String() != "0.0.0.0/0" {
		t.Errorf("routes %v", got.Routes)
	}
	if strings.Join(got.DNS.Nameservers, ",") != "10.96.0.10" || strings.Join(got.DNS.Search, ",") != "team.svc.cluster.local,svc.cluster.local" {
		t.Errorf("dns %+v", got.DNS)
	}
	ep, err := e.cl.GetEndpointByName(ctx, "c1_l2")
	if err != nil {
		t.Fatal(err)
	}
	if !hcn.EqualFoldGUID(string(ep.HostComputeNamespace), ns) {
		t.Errorf("endpoint in namespace %q, want %s", ep.HostComputeNamespace, ns)
	}
	pm, ok := ep.Policy(hcn.PolicyTypePortMapping)
	s, _ := hcn.SettingsAs[*hcn.PortMappingPolicySetting](pm)
	if !ok || s.ExternalPort != 8080 || s.InternalPort != 80 || s.Flags != hcn.NatFlagLocalRoutedVIP {
		t.Errorf("port mapping %+v", pm)
	}
	var types_ []string
	for _, p := range ep.Policies {
		types_ = append(types_, string(p.Type))
	}
	if strings.Join(types_, ",") != "PortMapping,ACL,OutBoundNAT,OutBoundNAT" {
		t.Errorf("policies %v", types_)
	}
	n, err := e.cl.GetNetworkByName(ctx, "l2")
	if err != nil || n.Type != hcn.NetworkTypeL2Bridge {
		t.Fatalf("network %+v %v", n, err)
	}

	// A repeated ADD returns the same attachment.
	res2, err := e.cni.AddNetworkList(ctx, list, r)
	if err != nil {
		t.Fatal(err)
	}
	got2, _ := types100.GetResult(res2)
	if got2.IPs[0].Address.String() != got.IPs[0].Address.String() || got2.Interfaces[0].Mac != got.Interfaces[0].Mac {
		t.Errorf("re-ADD %v, first %v", got2, got)
	}
	if n := len(e.endpoints()); n != 1 {
		t.Errorf("%d endpoints after re-ADD", n)
	}

	if err := e.cni.CheckNetworkList(ctx, list, r); err != nil {
		t.Fatal(err)
	}
	if err := e.cni.GetStatusNetworkList(ctx, list); err != nil {
		t.Fatal(err)
	}

	// CHECK finds a missing policy.
	if err := e.cl.RemoveEndpointPolicies(ctx, ep.ID, pm); err != nil {
		t.Fatal(err)
	}
	if err := e.cni.CheckNetworkList(ctx, list, r); cniCode(err) != 113 || !strings.Contains(err.Error(), "PortMapping") {
		t.Errorf("CHECK without the port mapping: %v", err)
	}

	if err := e.cni.DelNetworkList(ctx, list, r); err != nil {
		t.Fatal(err)
	}
	if n := len(e.endpoints()); n != 0 {
		t.Errorf("%d endpoints after DEL", n)
	}
	for range 2 {
		if err := e.cni.DelNetworkList(ctx, list, r); err != nil {
			t.Fatalf("repeated DEL: %v", err)
		}
	}
	if err := e.cni.GCNetworkList(ctx, list, &libcni.GCArgs{}); err != nil {
		t.Fatal(err)
	}
	if h := e.sim.OpenHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
}

// callDiff lists the service calls made between two snapshots.
func callDiff(before, after map[string]uint64) string {
	var parts []string
	total := uint64(0)
	for op, n := range after {
		if d := n - before[op]; d > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", op, d))
			total += d
		}
	}
	sortStrings(parts)
	return fmt.Sprintf("%d calls: %s", total, strings.Join(parts, " "))
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestCheckMismatches(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(natConf)
	ns, other := e.namespace(), e.namespace()
	r := rt("c1", ns)
	if _, err := e.cni.AddNetworkList(ctx, list, r); err != nil {
		t.Fatal(err)
	}
	// Another namespace.
	if err := e.cni.CheckNetworkList(ctx, list, rt("c1", other)); cniCode(err) != 111 {
		t.Errorf("CHECK in another namespace: %v", err)
	}
	ep, err := e.cl.GetEndpointByName(ctx, "c1_natnet")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.cl.DeleteEndpoint(ctx, ep.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.cni.CheckNetworkList(ctx, list, r); cniCode(err) != 110 {
		t.Errorf("CHECK of a deleted endpoint: %v", err)
	}
	// An endpoint of that name with another address.
	n, _ := e.cl.GetNetworkByName(ctx, "natnet")
	for range 3 { // move past the address the first endpoint had
		if _, err := e.cl.CreateEndpoint(ctx, &hcn.Endpoint{Name: "filler", HostComputeNetwork: n.ID}); err != nil {
			t.Fatal(err)
		}
	}
	ep2, err := e.cl.CreateEndpoint(ctx, &hcn.Endpoint{Name: "c1_natnet", HostComputeNetwork: n.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.cl.AddNamespaceEndpoint(ctx, hcn.ID(ns), ep2.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.cni.CheckNetworkList(ctx, list, r); cniCode(err) != 112 {
		t.Errorf("CHECK with another address: %v", err)
	}
}

func TestDelTolerant(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(natConf)

	// The namespace deleted before DEL.
	ns := e.namespace()
	if _, err := e.cni.AddNetworkList(ctx, list, rt("gone", ns)); err != nil {
		t.Fatal(err)
	}
	if err := e.cl.DeleteNamespace(ctx, hcn.ID(ns), nil); err != nil {
		t.Fatal(err)
	}
	if err := e.cni.DelNetworkList(ctx, list, rt("gone", ns)); err != nil {
		t.Fatalf("DEL after the namespace is gone: %v", err)
	}
	// An empty CNI_NETNS (containerd's DEL when the namespace is gone).
	ns2 := e.namespace()
	if _, err := e.cni.AddNetworkList(ctx, list, rt("empty", ns2)); err != nil {
		t.Fatal(err)
	}
	if err := e.cni.DelNetworkList(ctx, list, rt("empty", "")); err != nil {
		t.Fatalf("DEL with empty netns: %v", err)
	}
	ns3, err := e.cl.GetNamespace(ctx, hcn.ID(ns2))
	if err != nil {
		t.Fatal(err)
	}
	if len(ns3.EndpointIDs()) != 0 {
		t.Errorf("namespace still holds %v", ns3.EndpointIDs())
	}
	// DEL of an attachment that never was, on a network that does not exist.
	if err := e.cni.DelNetworkList(ctx, e.list(`{"name":"never","type":"nat"}`), rt("x", "")); err != nil {
		t.Fatalf("DEL of nothing: %v", err)
	}
	if n := len(e.endpoints()); n != 0 {
		t.Errorf("%d endpoints left", n)
	}
}

func TestAddFailures(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(natConf)
	ns := e.namespace()
	pm := func(port int) map[string]any {
		return map[string]any{"portMappings": []map[string]any{{"HostPort": port, "ContainerPort": 80, "Protocol": "tcp"}}}
	}
	r1 := rt("a", ns)
	r1.CapabilityArgs = pm(8080)
	if _, err := e.cni.AddNetworkList(ctx, list, r1); err != nil {
		t.Fatal(err)
	}
	// The same host port again: a clear error, nothing left behind.
	ns2 := e.namespace()
	r2 := rt("b", ns2)
	r2.CapabilityArgs = pm(8080)
	_, err := e.cni.AddNetworkList(ctx, list, r2)
	if cniCode(err) != 101 || !strings.Contains(err.Error(), "HCN_E_PORT_ALREADY_EXISTS") {
		t.Errorf("port conflict: %v", err)
	}
	if n := len(e.endpoints()); n != 1 {
		t.Errorf("%d endpoints after a failed ADD", n)
	}
	// Not a GUID; a namespace that does not exist.
	if _, err := e.cni.AddNetworkList(ctx, list, rt("d", "/var/run/netns/x")); cniCode(err) != types.ErrInvalidEnvironmentVariables {
		t.Errorf("path netns: %v", err)
	}
	if _, err := e.cni.AddNetworkList(ctx, list, rt("d", hcn.NewGUID().String())); cniCode(err) != 103 {
		t.Errorf("unknown namespace: %v", err)
	}
	// win-bridge never creates the network.
	if _, err := e.cni.AddNetworkList(ctx, e.list(`{"name":"missing","type":"win-bridge","apiVersion":2}`), rt("d", ns2)); cniCode(err) != 100 {
		t.Errorf("win-bridge without a network: %v", err)
	}
	// The configured type differs from the network's.
	if _, err := e.cni.AddNetworkList(ctx, e.list(`{"name":"natnet","type":"sdnbridge"}`), rt("d", ns2)); cniCode(err) != 100 {
		t.Errorf("type mismatch: %v", err)
	}
	if n := len(e.endpoints()); n != 1 {
		t.Errorf("%d endpoints after failed ADDs", n)
	}
}

func TestBadConfigs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ns := e.namespace()
	for _, tc := range []struct{ conf, field string }{
		{`{"name":"n","type":"nat","bogus":true}`, "bogus"},
		{`{"name":"n","type":"nat","ipam":{"subnet":"10.0.0.0/99"}}`, "ipam.subnet"},
		{`{"name":"n","type":"nat","optionalFlags":{"nope":true}}`, "optionalFlags.nope"},
	} {
		_, err := e.cni.AddNetworkList(ctx, e.list(tc.conf), rt("x", ns))
		if cniCode(err) != types.ErrInvalidNetworkConfig || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: %v", tc.conf, err)
		}
	}
	if n := len(e.endpoints()); n != 0 {
		t.Errorf("%d endpoints", n)
	}
}

func TestNoBackend(t *testing.T) {
	l, err := libcni.ConfListFromBytes([]byte(`{"cniVersion":"1.1.0","name":"n","plugins":[{"type":"nat","ipam":{"subnet":"10.0.0.0/24"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cni := libcni.NewCNIConfigWithCacheDir([]string{binDir}, t.TempDir(), defaultExec())
	for _, v := range []string{"HCNKIT_SIM_STATE", hcnsim.EnvAddr} {
		if os.Getenv(v) != "" {
			t.Skip(v + " is set")
		}
	}
	_, err = cni.AddNetworkList(context.Background(), l, rt("x", hcn.NewGUID().String()))
	if cniCode(err) != types.ErrPluginNotAvailable || !strings.Contains(err.Error(), "HCNKIT_SIM_STATE") {
		t.Errorf("ADD without a backend: %v", err)
	}
	if err := cni.GetStatusNetworkList(context.Background(), l); cniCode(err) != types.ErrPluginNotAvailable {
		t.Errorf("STATUS without a backend: %v", err)
	}
}

func TestDNSMerge(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(natConf)
	// From the configuration, with the pod's namespace first.
	res, err := e.cni.AddNetworkList(ctx, list, rt("a", e.namespace()))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := types100.GetResult(res)
	if strings.Join(got.DNS.Search, ",") != "team.svc.cluster.local,svc.cluster.local" || strings.Join(got.DNS.Nameservers, ",") != "10.10.0.53" {
		t.Errorf("config dns %+v", got.DNS)
	}
	// The runtime's servers and options win; its empty search list keeps the
	// configuration's.
	r := rt("b", e.namespace())
	r.CapabilityArgs = map[string]any{"dns": map[string]any{"Servers": []string{"10.96.0.10"}, "Options": []string{"ndots:5"}}}
	res, err = e.cni.AddNetworkList(ctx, list, r)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = types100.GetResult(res)
	if strings.Join(got.DNS.Search, ",") != "team.svc.cluster.local,svc.cluster.local" ||
		strings.Join(got.DNS.Nameservers, ",") != "10.96.0.10" || strings.Join(got.DNS.Options, ",") != "ndots:5" {
		t.Errorf("merged dns %+v", got.DNS)
	}
	ep, err := e.cl.GetEndpointByName(ctx, "b_natnet")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ep.Dns.ServerList, ",") != "10.96.0.10" || strings.Join(ep.Dns.Search, ",") != "team.svc.cluster.local,svc.cluster.local" {
		t.Errorf("endpoint dns %+v", ep.Dns)
	}
}

func TestGC(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(natConf)
	for _, cid := range []string{"keep1", "drop1", "keep2", "drop2"} {
		if _, err := e.cni.AddNetworkList(ctx, list, rt(cid, e.namespace())); err != nil {
			t.Fatal(err)
		}
	}
	// An endpoint of someone else on the network stays.
	n, _ := e.cl.GetNetworkByName(ctx, "natnet")
	if _, err := e.cl.CreateEndpoint(ctx, &hcn.Endpoint{Name: "foreign", HostComputeNetwork: n.ID}); err != nil {
		t.Fatal(err)
	}
	err := e.cni.GCNetworkList(ctx, list, &libcni.GCArgs{ValidAttachments: []types.GCAttachment{
		{ContainerID: "keep1", IfName: "eth0"}, {ContainerID: "keep2", IfName: "eth0"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ep := range e.endpoints() {
		names = append(names, ep.Name)
	}
	sortStrings(names)
	if strings.Join(names, ",") != "foreign,keep1_natnet,keep2_natnet" {
		t.Errorf("after GC: %v", names)
	}
}

func TestConcurrentAdds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(natConf)
	const pods = 50
	nss := make([]string, pods)
	for i := range nss {
		nss[i] = e.namespace()
	}
	ips := make([]string, pods)
	var wg sync.WaitGroup
	errs := make([]error, pods)
	for i := range pods {
		wg.Go(func() {
			res, err := e.cni.AddNetworkList(ctx, list, rt(fmt.Sprintf("pod%02d", i), nss[i]))
			if err != nil {
				errs[i] = err
				return
			}
			r, err := types100.GetResult(res)
			if err != nil {
				errs[i] = err
				return
			}
			ips[i] = r.IPs[0].Address.IP.String()
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range pods {
		if errs[i] != nil {
			t.Errorf("pod %d: %v", i, errs[i])
			continue
		}
		if seen[ips[i]] || net.ParseIP(ips[i]) == nil {
			t.Errorf("pod %d: address %q repeated or invalid", i, ips[i])
		}
		seen[ips[i]] = true
	}
	nets, err := e.cl.ListNetworks(ctx, nil)
	if err != nil || len(nets) != 1 {
		t.Errorf("networks %d %v", len(nets), err)
	}
	if n := len(e.endpoints()); n != pods {
		t.Errorf("%d endpoints", n)
	}

	// DEL of all of them at once leaves nothing.
	for i := range pods {
		wg.Go(func() { errs[i] = e.cni.DelNetworkList(ctx, list, rt(fmt.Sprintf("pod%02d", i), nss[i])) })
	}
	wg.Wait()
	for i := range pods {
		if errs[i] != nil {
			t.Errorf("DEL pod %d: %v", i, errs[i])
		}
	}
	if n := len(e.endpoints()); n != 0 {
		t.Errorf("%d endpoints after DEL", n)
	}
	for _, id := range nss {
		ns, err := e.cl.GetNamespace(ctx, hcn.ID(id))
		if err != nil || len(ns.EndpointIDs()) != 0 {
			t.Errorf("namespace %s after DEL: %v %v", id, ns, err)
		}
	}
	if h := e.sim.OpenHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
}
