package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/internal/winerun"
)

// cli runs hcnctl with args and returns its exit status and output.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errw)
	return code, out.String(), errw.String()
}

// simState returns a state file in a temporary directory and a Client on
// an emulator sharing it.
func simState(t *testing.T) (string, *hcnsim.Sim, *hcn.Client) {
	t.Helper()
	t.Setenv(hcnsim.EnvAddr, "")
	path := filepath.Join(t.TempDir(), "sim.state")
	sim, err := hcnsim.Open(&hcnsim.Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	return path, sim, c
}

// mustNetwork creates an Internal network on slice.
func mustNetwork(t *testing.T, c *hcn.Client, name, slice string) *hcn.Network {
	t.Helper()
	doc, err := hcn.InternalNetwork(name, netip.MustParsePrefix(slice))
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.CreateNetwork(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mustEndpoint creates an endpoint on net with ip (empty: the next free).
func mustEndpoint(t *testing.T, c *hcn.Client, net *hcn.Network, name, ip string, flags hcn.EndpointFlags) *hcn.Endpoint {
	t.Helper()
	e := &hcn.Endpoint{Name: name, HostComputeNetwork: net.ID, Flags: flags}
	if ip != "" {
		e.IpConfigurations = []hcn.IPConfig{{IpAddress: ip}}
	}
	e, err := c.CreateEndpoint(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// mustAttached creates an endpoint in a namespace of its own.
func mustAttached(t *testing.T, c *hcn.Client, net *hcn.Network, name string) (*hcn.Endpoint, *hcn.Namespace) {
	t.Helper()
	ctx := context.Background()
	e := mustEndpoint(t, c, net, name, "", 0)
	ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddNamespaceEndpoint(ctx, ns.ID, e.ID); err != nil {
		t.Fatal(err)
	}
	return e, ns
}

// doctorJSON runs doctor -o json with args and decodes its report.
func doctorJSON(t *testing.T, args ...string) (int, doctorReport) {
	t.Helper()
	code, out, errs := cli(t, append([]string{"doctor", "-o", "json"}, args...)...)
	var rep doctorReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("doctor -o json: %v\nstdout:\n%s\nstderr:\n%s", err, out, errs)
	}
	return code, rep
}

// classes returns "class kind name-or-id" of each problem not fixed.
func classes(rep doctorReport) []string {
	var out []string
	for _, p := range rep.Problems {
		if p.Fixed {
			continue
		}
		obj := p.Name
		if obj == "" {
			obj = p.ID
		}
		out = append(out, p.Class+" "+p.Kind+" "+obj)
	}
	slices.Sort(out)
	return out
}

// brokenState builds one problem of each class the emulator can hold
// (a namespace referencing a missing endpoint needs another service; see
// TestDoctorNamespaceMissingEndpoint) and returns the state file and ids.
func brokenState(t *testing.T) (path string, lbID, goneID hcn.ID) {
	t.Helper()
	path, _, c := simState(t)
	ctx := context.Background()
	alpha := mustNetwork(t, c, "alpha", "10.1.0.0/24")
	mustNetwork(t, c, "beta", "10.1.0.128/25")
	mustNetwork(t, c, "gamma", "10.2.0.0/24")
	mustAttached(t, c, alpha, "hcnctl-c1")
	gone, _ := mustAttached(t, c, alpha, "hcnctl-c2")
	mustEndpoint(t, c, alpha, "plain", "10.1.0.10", 0)
	mustEndpoint(t, c, alpha, "remote", "10.1.0.10", hcn.EndpointFlagRemoteEndpoint)
	mustEndpoint(t, c, alpha, "hcnctl-c9", "", 0)
	lb, err := c.CreateLoadBalancer(ctx, (&hcn.LoadBalancerSpec{Endpoints: []hcn.ID{gone.ID},
		FrontendVIPs: []netip.Addr{netip.MustParseAddr("10.96.0.1")},
		Ports:        []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 8080, ExternalPort: 80}}}).Document())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteEndpoint(ctx, gone.ID, nil); err != nil {
		t.Fatal(err)
	}
	return path, lb.ID, gone.ID
}

func TestDoctorClasses(t *testing.T) {
	path, lbID, goneID := brokenState(t)
	code, rep := doctorJSON(t, "--state", path)
	if code != exitProblems {
		t.Errorf("exit status %d, want %d", code, exitProblems)
	}
	want := []string{
		"duplicate-ip endpoint plain",
		"duplicate-ip endpoint remote",
		"lb-missing-endpoint loadbalancer " + string(lbID),
		"no-namespace endpoint hcnctl-c9",
		"no-namespace endpoint plain",
		"subnet-overlap network beta",
	}
	if got := classes(rep); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Errors != 4 || rep.Warnings != 2 {
		t.Errorf("errors %d, warnings %d; want 4, 2", rep.Errors, rep.Warnings)
	}
	for _, p := range rep.Problems {
		if p.Class == classLBMissingEndpoint && !strings.Contains(p.Message, string(goneID)) {
			t.Errorf("lb-missing-endpoint message %q does not name %s", p.Message, goneID)
		}
		if p.Class == classNoNamespace && p.Severity != severityWarning {
			t.Errorf("no-namespace has severity %q", p.Severity)
		}
	}

	// With --owner the owner's endpoint in no namespace is an orphan.
	code, rep = doctorJSON(t, "--state", path, "--owner", "hcnctl")
	if code != exitProblems || !slices.Contains(classes(rep), "orphan endpoint hcnctl-c9") ||
		slices.Contains(classes(rep), "no-namespace endpoint hcnctl-c9") {
		t.Errorf("--owner: exit %d, problems %q", code, classes(rep))
	}

	// The table names each problem and ends with the counts.
	code, out, _ := cli(t, "doctor", "--state", path)
	if code != exitProblems {
		t.Errorf("table: exit status %d", code)
	}
	for _, s := range []string{"CLASS", "lb-missing-endpoint  error", "subnet-overlap", "overlaps subnet 10.1.0.0/24 of network alpha",
		"address 10.1.0.10 on network alpha is also held by endpoint remote", "4 problems, 2 warnings"} {
		if !strings.Contains(out, s) {
			t.Errorf("table lacks %q:\n%s", s, out)
		}
	}
}

func TestDoctorWarningsOnly(t *testing.T) {
	path, _, c := simState(t)
	mustEndpoint(t, c, mustNetwork(t, c, "alpha", "10.1.0.0/24"), "fresh", "", 0)
	code, out, _ := cli(t, "doctor", "--state", path)
	if code != exitOK || !strings.Contains(out, "no-namespace  warning") || !strings.Contains(out, "0 problems, 1 warning") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestDoctorFix(t *testing.T) {
	path, lbID, goneID := brokenState(t)
	code, out, errs := cli(t, "doctor", "--state", path, "--owner", "hcnctl", "--fix")
	if code != exitProblems {
		t.Errorf("exit status %d, want %d (duplicates and overlaps are not fixed)\n%s%s", code, exitProblems, out, errs)
	}
	for _, s := range []string{
		"fix: loadbalancer " + string(lbID) + ": removed missing backends " + string(goneID),
		"fix: endpoint ", ": deleted the orphan endpoint hcnctl-c9",
		"2 fixed, 3 problems left, 1 warning",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	_, rep := doctorJSON(t, "--state", path, "--owner", "hcnctl")
	want := []string{"duplicate-ip endpoint plain", "duplicate-ip endpoint remote", "no-namespace endpoint plain", "subnet-overlap network beta"}
	if got := classes(rep); !slices.Equal(got, want) {
		t.Errorf("after --fix:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The attached container of the owner is untouched.
	if code, out, _ := cli(t, "get", "ep", "hcnctl-c1", "--state", path); code != 0 || !strings.Contains(out, "hcnctl-c1") {
		t.Errorf("hcnctl-c1 after --fix: exit %d\n%s", code, out)
	}
	if code, _, errs := cli(t, "get", "ep", "hcnctl-c9", "--state", path); code != exitFailed || !strings.Contains(errs, "not found") {
		t.Errorf("hcnctl-c9 after --fix: exit %d %s", code, errs)
	}
}

func TestDoctorFixAll(t *testing.T) {
	path, _, c := simState(t)
	ctx := context.Background()
	net := mustNetwork(t, c, "alpha", "10.1.0.0/24")
	a, _ := mustAttached(t, c, net, "app-a")
	b, _ := mustAttached(t, c, net, "app-b")
	if _, err := c.CreateLoadBalancer(ctx, (&hcn.LoadBalancerSpec{Endpoints: []hcn.ID{a.ID, b.ID},
		Ports: []hcn.LoadBalancerPort{{Protocol: hcn.ProtocolTCP, InternalPort: 80}}}).Document()); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteEndpoint(ctx, b.ID, nil); err != nil {
		t.Fatal(err)
	}
	code, rep := doctorJSON(t, "--state", path, "--fix")
	if code != exitOK || rep.Errors != 0 || rep.Fixed != 1 || len(rep.Fixes) != 1 || rep.Fixes[0].Error != "" {
		t.Errorf("--fix: exit %d, report %+v", code, rep)
	}
	lbs, err := c.ListLoadBalancers(ctx, nil)
	if err != nil || len(lbs) != 1 || len(lbs[0].HostComputeEndpoints) != 1 || !lbs[0].HostComputeEndpoints[0].Equal(a.ID) {
		t.Errorf("load balancers after --fix: %v %v", lbs, err)
	}
	if code, out, _ := cli(t, "doctor", "--state", path); code != exitOK || out != "No problems found.\n" {
		t.Errorf("doctor after --fix: exit %d\n%s", code, out)
	}
}

// danglingService adds references to endpoints that do not exist to the
// namespaces it is told of, and lets a modify remove them, as a host whose
// namespace outlived its endpoint would.
type danglingService struct {
	hcn.Service
	mu   sync.Mutex
	refs map[hcn.ID][]hcn.ID // namespace -> missing endpoints
}

func (s *danglingService) Query(kind hcn.Kind, h hcn.Handle, query string) (string, error) {
	out, err := s.Service.Query(kind, h, query)
	if err != nil || kind != hcn.KindNamespace {
		return out, err
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		return "", err
	}
	id, _ := doc["ID"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	res, _ := doc["Resources"].([]any)
	for _, ep := range s.refs[hcn.ID(id).Canonical()] {
		res = append(res, map[string]any{"Type": "Endpoint", "Data": map[string]any{"ID": string(ep)}})
	}
	if len(res) > 0 {
		doc["Resources"] = res
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

func (s *danglingService) Modify(kind hcn.Kind, h hcn.Handle, settings string) error {
	if kind == hcn.KindNamespace {
		var req struct {
			ResourceType, RequestType string
			Settings                  struct{ EndpointId string }
		}
		if json.Unmarshal([]byte(settings), &req) == nil && req.RequestType == "Remove" {
			s.mu.Lock()
			for ns, eps := range s.refs {
				if i := slices.Index(eps, hcn.ID(req.Settings.EndpointId).Canonical()); i >= 0 {
					s.refs[ns] = slices.Delete(eps, i, i+1)
					s.mu.Unlock()
					return nil
				}
			}
			s.mu.Unlock()
		}
	}
	return s.Service.Modify(kind, h, settings)
}

func TestDoctorNamespaceMissingEndpoint(t *testing.T) {
	ctx := context.Background()
	svc := &danglingService{Service: hcnsim.New(nil), refs: map[hcn.ID][]hcn.ID{}}
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: svc})
	if err != nil {
		t.Fatal(err)
	}
	net := mustNetwork(t, c, "alpha", "10.1.0.0/24")
	live, ns := mustAttached(t, c, net, "live")
	dead := hcn.ID("0e8d6c3a-3f0a-4f37-9d6c-92c0c0a1e5b1")
	svc.refs[ns.ID.Canonical()] = []hcn.ID{dead}
	svc.refs[hcn.HostDefaultNamespaceID] = []hcn.ID{"1e8d6c3a-3f0a-4f37-9d6c-92c0c0a1e5b1"}

	rep, err := diagnose(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"namespace-missing-endpoint namespace " + string(hcn.HostDefaultNamespaceID),
		"namespace-missing-endpoint namespace " + string(ns.ID),
	}
	slices.Sort(want)
	if got := classes(*rep); !slices.Equal(got, want) || rep.Errors != 2 {
		t.Fatalf("problems %q (errors %d), want %q", got, rep.Errors, want)
	}

	rep.fix(ctx, c, "")
	if rep.Errors != 1 {
		t.Errorf("errors after fix: %d, want 1 (the host's default namespace is left alone)", rep.Errors)
	}
	var b bytes.Buffer
	if err := rep.print(&b, "table"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"fix: namespace " + string(ns.ID) + ": removed missing endpoint " + string(dead) + " from the namespace",
		"fix: namespace " + string(hcn.HostDefaultNamespaceID) + ": left alone: the host's default namespace is never changed",
		"1 fixed, 1 problem left",
	} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, b.String())
		}
	}
	got, err := c.GetNamespace(ctx, ns.ID)
	if err != nil || !slices.EqualFunc(got.EndpointIDs(), []hcn.ID{live.ID}, hcn.ID.Equal) {
		t.Errorf("namespace after fix: %v %v, want only %s", got, err, live.ID)
	}
	if len(svc.refs[hcn.HostDefaultNamespaceID]) != 1 {
		t.Errorf("the host's default namespace was changed")
	}
}

func TestStats(t *testing.T) {
	path, sim, c := simState(t)
	e := mustEndpoint(t, c, mustNetwork(t, c, "alpha", "10.1.0.0/24"), "counted", "", 0)
	g, _ := e.ID.GUID()
	if err := sim.SetEndpointStats(g, hcnsim.EndpointStats{BytesReceived: 1000, BytesSent: 2000, PacketsReceived: 10,
		PacketsSent: 20, DroppedPacketsIncoming: 1, DroppedPacketsOutgoing: 2}); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, "stats", "counted", "--state", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"Endpoint counted (" + string(e.ID) + ")", "COUNTER", "bytes            1000      2000",
		"packets          10        20", "dropped packets  1         2"} {
		if !strings.Contains(out, s) {
			t.Errorf("table lacks %q:\n%s", s, out)
		}
	}
	code, out, _ = cli(t, "stats", string(e.ID), "--state", path, "-o", "json")
	var st hcn.EndpointStats
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || st.BytesSent != 2000 || !hcn.ID(st.EndpointID).Equal(e.ID) {
		t.Errorf("json: exit %d, %v, %+v\n%s", code, err, st, out)
	}
	code, out, _ = cli(t, "stats", "counted", "--state", path, "-o", "yaml")
	if code != 0 || !strings.Contains(out, "PacketsReceived: 10\n") {
		t.Errorf("yaml: exit %d\n%s", code, out)
	}
}

func TestSimResetObjects(t *testing.T) {
	path, _, c := simState(t)
	mustNetwork(t, c, "alpha", "10.1.0.0/24")
	if code, _, errs := cli(t, "sim", "version", "16.0", "--state", path); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, "sim", "reset", "--state", path); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(versionFile(path)); !os.IsNotExist(err) {
		t.Errorf("version file after reset: %v", err)
	}
	nets, err := c.ListNetworks(context.Background(), nil)
	if err != nil || len(nets) != 0 {
		t.Errorf("networks after reset: %v %v", nets, err)
	}
}

func TestBundle(t *testing.T) {
	path, _, c := simState(t)
	net := mustNetwork(t, c, "alpha", "10.1.0.0/24")
	e, ns := mustAttached(t, c, net, "app")
	mustEndpoint(t, c, net, "fresh", "", 0)
	file := filepath.Join(t.TempDir(), "b.tar.gz")
	if code, _, errs := cli(t, "bundle", "-o", file, "--state", path); code != 0 {
		t.Fatal(errs)
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode().Perm(); m != 0o600 && os.PathSeparator == '/' {
		t.Errorf("mode %v, want 0600", m)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Mode != 0o600 {
			t.Errorf("%s: mode %o", h.Name, h.Mode)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = b
	}
	want := []string{"README.txt", "version.json", "doctor.json",
		"objects/network/" + string(net.ID.Canonical()) + ".json",
		"objects/endpoint/" + string(e.ID.Canonical()) + ".json",
		"objects/namespace/" + string(ns.ID.Canonical()) + ".json",
		"objects/namespace/" + string(hcn.HostDefaultNamespaceID) + ".json"}
	for _, name := range want {
		if _, ok := files[name]; !ok {
			t.Errorf("bundle lacks %s", name)
		}
	}
	if len(files) != len(want)+1 { // and the endpoint "fresh"
		t.Errorf("bundle holds %d files, want %d", len(files), len(want)+1)
	}
	readme := string(files["README.txt"])
	for name := range files {
		if name != "README.txt" && !strings.Contains(readme, "  "+name+"  ") {
			t.Errorf("README.txt does not list %s:\n%s", name, readme)
		}
	}
	var got hcn.Network
	if err := json.Unmarshal(files["objects/network/"+string(net.ID.Canonical())+".json"], &got); err != nil || got.Name != "alpha" {
		t.Errorf("network document: %v %+v", err, got)
	}
	var vi versionInfo
	if err := json.Unmarshal(files["version.json"], &vi); err != nil || vi.ServiceVersion != "15.4" || len(vi.Features) != len(hcn.AllFeatures()) {
		t.Errorf("version.json: %v %+v", err, vi)
	}
	var rep doctorReport
	if err := json.Unmarshal(files["doctor.json"], &rep); err != nil || rep.Warnings != 1 || rep.Errors != 0 {
		t.Errorf("doctor.json: %v %+v", err, rep)
	}
}

// TestWatch serves an emulator on a Unix socket, as hcnsimd does: a watch
// through $HCNKIT_SIM_ADDR sees what another client of the server does.
func TestWatch(t *testing.T) {
	sim, addr, c := winerun.ServeUnix(t)
	t.Setenv(hcnsim.EnvAddr, addr)

	// watch starts watching in the background; wait for its registration
	// with the server before anything happens.
	watch := func(args ...string) <-chan string {
		done := make(chan string, 1)
		before := sim.Calls(hcn.OpRegisterServiceCallback)
		go func() {
			code, out, errs := cli(t, append([]string{"watch"}, args...)...)
			if code != 0 {
				out += fmt.Sprintf("exit status %d: %s", code, errs)
			}
			done <- out
		}()
		for sim.Calls(hcn.OpRegisterServiceCallback) == before {
			select {
			case out := <-done:
				t.Fatalf("watch %q ended before it registered:\n%s", args, out)
			case <-time.After(time.Millisecond):
			}
		}
		return done
	}

	jsonDone := watch("--count", "3", "-o", "json")
	tableDone := watch("--count", "2", "--kind", "endpoint", "--kind", "NAMESPACE")
	net := mustNetwork(t, c, "alpha", "10.1.0.0/24")
	e, ns := mustAttached(t, c, net, "app")

	var types, ids []string
	sc := bufio.NewScanner(strings.NewReader(<-jsonDone))
	for sc.Scan() {
		var ev eventJSON
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		if _, err := time.Parse(time.RFC3339Nano, ev.Time); err != nil {
			t.Error(err)
		}
		types = append(types, ev.Type+" "+ev.Kind)
		ids = append(ids, ev.ID)
	}
	wantTypes := []string{"NetworkCreate network", "NamespaceCreate namespace", "NetworkEndpointAttached endpoint"}
	if !slices.Equal(types, wantTypes) {
		t.Errorf("json events %q, want %q", types, wantTypes)
	}
	if len(ids) == 3 && (!hcn.ID(ids[0]).Equal(net.ID) || !hcn.ID(ids[1]).Equal(ns.ID) || !hcn.ID(ids[2]).Equal(e.ID)) {
		t.Errorf("json event ids %q, want %s %s %s", ids, net.ID, ns.ID, e.ID)
	}

	lines := strings.Split(strings.TrimSuffix(<-tableDone, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "TIME ") ||
		!strings.Contains(lines[1], " NamespaceCreate ") || !strings.Contains(lines[1], " namespace ") ||
		!strings.Contains(lines[2], " NetworkEndpointAttached ") || !strings.HasSuffix(lines[2], string(e.ID.Canonical())) {
		t.Errorf("table:\n%s", strings.Join(lines, "\n"))
	}
}

// TestWatchCancel ends a watch by its context, as an interrupt does.
func TestWatchCancel(t *testing.T) {
	path, _, _ := simState(t)
	a := &app{in: strings.NewReader(""), out: io.Discard, err: io.Discard}
	root := a.root()
	root.SetArgs([]string{"watch", "--state", path})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	cancel()
	if err := <-done; err != nil && err != context.Canceled {
		t.Errorf("watch after cancel: %v", err)
	}
}
