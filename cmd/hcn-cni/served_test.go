//go:build !windows

package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	types100 "github.com/containernetworking/cni/pkg/types/100"
	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/internal/winerun"
)

// served is an emulator served on a Unix socket in the test's process, as
// hcnsimd serves one, and a Client of it over its own connection.
type served struct {
	t    *testing.T
	sim  *hcnsim.Sim
	addr string
	cl   *hcn.Client
}

func newServed(t *testing.T) *served {
	t.Helper()
	sim, addr, cl := winerun.ServeUnix(t)
	return &served{t: t, sim: sim, addr: addr, cl: cl}
}

// command starts the plugin binary for a CNI command on the served
// emulator, named by HCNKIT_SIM_ADDR alone.
func (s *served) command(verb, cid, netns, conf string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(filepath.Join(binDir, "hcn-cni"))
	cmd.Env = []string{
		"CNI_COMMAND=" + verb, "CNI_CONTAINERID=" + cid, "CNI_NETNS=" + netns, "CNI_IFNAME=eth0",
		"CNI_PATH=" + binDir, "CNI_ARGS=K8S_POD_NAMESPACE=team",
		hcnsim.EnvAddr + "=" + s.addr,
	}
	cmd.Stdin = bytes.NewReader([]byte(conf))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs a CNI command to its end; ADD returns its address.
func (s *served) run(verb, cid, netns, conf string) string {
	s.t.Helper()
	cmd, out := s.command(verb, cid, netns, conf)
	if err := cmd.Run(); err != nil {
		s.t.Fatalf("%s %s: %v\n%s", verb, cid, err, out)
	}
	if verb != "ADD" {
		return ""
	}
	res, err := types100.NewResult(out.Bytes())
	if err != nil {
		s.t.Fatalf("ADD %s: %v\n%s", cid, err, out)
	}
	r, err := types100.GetResult(res)
	if err != nil || len(r.IPs) != 1 {
		s.t.Fatalf("ADD %s: %v %s", cid, err, out)
	}
	return r.IPs[0].Address.IP.String()
}

// waitFor polls until cond holds. The guard only keeps a broken test from
// running forever; nothing is timed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for guard := time.Now().Add(2 * time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(guard) {
			t.Fatalf("still waiting for %s", what)
		}
	}
}

// TestAddKilledThenDel kills an ADD while each of its mutating calls is
// in flight; the server runs the dead connection's handles down, and DEL
// then leaves nothing: no endpoint, an empty namespace, no handle, and the
// address free for the next ADD.
func TestAddKilledThenDel(t *testing.T) {
	s := newServed(t)
	ctx := context.Background()
	// A /29 with loopback DSR: ADD creates the endpoint, adds the loopback
	// policy to it (HcnModifyEndpoint) and puts it in the namespace.
	const conf = `{"cniVersion":"1.1.0","name":"kn","type":"sdnbridge",
		"ipam":{"subnet":"10.30.0.0/29"},"optionalFlags":{"loopbackDSR":true}}`
	nsDoc, err := s.cl.CreateNamespace(ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		t.Fatal(err)
	}
	ns := string(nsDoc.ID)
	// The network exists from here on; first is the lowest free address.
	first := s.run("ADD", "warm", ns, conf)
	s.run("DEL", "warm", "", conf)

	for _, op := range []string{
		hcn.OpName(hcn.VerbCreate, hcn.KindEndpoint),
		hcn.OpName(hcn.VerbModify, hcn.KindEndpoint),
		hcn.OpName(hcn.VerbModify, hcn.KindNamespace),
	} {
		base := s.sim.OpenHandles()
		calls := s.sim.Calls(op)
		release := s.sim.Hang(op)
		cmd, out := s.command("ADD", "c1", ns, conf)
		if err := cmd.Start(); err != nil {
			release()
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		waitFor(t, "ADD to reach "+op, func() bool {
			select {
			case err := <-exited:
				release()
				t.Fatalf("ADD ended before %s: %v\n%s", op, err, out)
			default:
			}
			return s.sim.Calls(op) > calls
		})
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-exited
		// The connection's handles run down before the hung call goes on,
		// so it finds its handle closed and has no effect.
		waitFor(t, "the rundown of the killed ADD", func() bool { return s.sim.OpenHandles() == base })
		release()

		// What the killed ADD left: nothing when killed creating the
		// endpoint, else the endpoint in no namespace.
		want := 1
		if op == hcn.OpName(hcn.VerbCreate, hcn.KindEndpoint) {
			want = 0
		}
		if eps, err := s.cl.ListEndpoints(ctx, nil); err != nil || len(eps) != want || want == 1 && eps[0].HostComputeNamespace != "" {
			t.Fatalf("%s: after the kill %d endpoints %v (%v), want %d in no namespace", op, len(eps), eps, err, want)
		}

		s.run("DEL", "c1", ns, conf)
		if eps, err := s.cl.ListEndpoints(ctx, nil); err != nil || len(eps) != 0 {
			t.Errorf("%s: %d endpoints after DEL (%v)", op, len(eps), err)
		}
		if got, err := s.cl.GetNamespace(ctx, hcn.ID(ns)); err != nil || len(got.EndpointIDs()) != 0 {
			t.Errorf("%s: namespace %v after DEL (%v)", op, got, err)
		}
		if h := s.sim.OpenHandles(); h != base {
			t.Errorf("%s: %d handles open after DEL, want %d", op, h, base)
		}

		// A fresh ADD gets the lowest address again: nothing leaked.
		if ip := s.run("ADD", "c1", ns, conf); ip != first {
			t.Errorf("%s: ADD after DEL got %s, want %s", op, ip, first)
		}
		if eps, err := s.cl.ListEndpoints(ctx, nil); err != nil || len(eps) != 1 {
			t.Errorf("%s: %d endpoints after the fresh ADD (%v)", op, len(eps), err)
		}
		s.run("DEL", "c1", "", conf)
	}
	if h := s.sim.OpenHandles(); h != 0 {
		t.Errorf("%d handles left open", h)
	}
}

// TestBackendOrder: the state file wins over a served emulator; a served
// emulator that cannot be reached is code 50, with no fallback.
func TestBackendOrder(t *testing.T) {
	s := newServed(t)
	dir := t.TempDir()
	const conf = `{"cniVersion":"1.1.0","name":"bo","type":"nat","ipam":{"subnet":"10.31.0.0/24"}}`
	ns, err := s.cl.CreateNamespace(context.Background(), &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		t.Fatal(err)
	}

	// Unreachable: code 50 naming the variable, nothing done.
	cmd, out := s.command("ADD", "c1", string(ns.ID), conf)
	cmd.Env = append(cmd.Env, hcnsim.EnvAddr+"=unix:"+filepath.Join(dir, "none.sock"))
	if err := cmd.Run(); err == nil || !bytes.Contains(out.Bytes(), []byte(`"code": 50`)) ||
		!bytes.Contains(out.Bytes(), []byte(hcnsim.EnvAddr)) {
		t.Errorf("unreachable served emulator: %v\n%s", err, out)
	}

	// HCNKIT_SIM_STATE wins: the endpoint is made on the state file.
	state := filepath.Join(dir, "sim.state")
	fileSim, err := hcnsim.Open(&hcnsim.Options{StateFile: state})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := hcn.NewClient(&hcn.ClientOptions{Service: fileSim})
	if err != nil {
		t.Fatal(err)
	}
	fns, err := fc.CreateNamespace(context.Background(), &hcn.Namespace{Type: hcn.NamespaceTypeHost})
	if err != nil {
		t.Fatal(err)
	}
	cmd, out = s.command("ADD", "c1", string(fns.ID), conf)
	cmd.Env = append(cmd.Env, "HCNKIT_SIM_STATE="+state)
	if err := cmd.Run(); err != nil {
		t.Fatalf("ADD with both: %v\n%s", err, out)
	}
	if _, err := fc.GetEndpointByName(context.Background(), "c1_bo"); err != nil {
		t.Errorf("state file: %v", err)
	}
	if eps, err := s.cl.ListEndpoints(context.Background(), nil); err != nil || len(eps) != 0 {
		t.Errorf("served emulator: %d endpoints (%v)", len(eps), err)
	}

	// The served one alone: ADD, then DEL, leave no handle open.
	s.run("ADD", "c1", string(ns.ID), conf)
	s.run("DEL", "c1", "", conf)
	if h := s.sim.OpenHandles(); h != 0 {
		t.Errorf("%d handles open", h)
	}
}
