package overlay

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

// staleRefs is a Service whose namespaces report extra endpoint references
// (to endpoints that do not exist), as a real host's namespace keeps the
// reference to an endpoint deleted behind its back; the emulator drops
// such references itself, so this is how a test gets them.
type staleRefs struct {
	*recorder
	mu    sync.Mutex
	extra map[hcn.GUID][]hcn.GUID // namespace → dead endpoint ids it reports
}

func (s *staleRefs) Query(k hcn.Kind, h hcn.Handle, q string) (string, error) {
	out, err := s.recorder.Query(k, h, q)
	if err != nil || k != hcn.KindNamespace {
		return out, err
	}
	s.mu.Lock()
	dead := s.extra[s.of(h)]
	s.mu.Unlock()
	if len(dead) == 0 {
		return out, nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		return "", err
	}
	res, _ := doc["Resources"].([]any)
	for _, id := range dead {
		res = append(res, map[string]any{"Type": "Endpoint", "Data": map[string]any{"ID": id.String()}})
	}
	doc["Resources"] = res
	b, err := json.Marshal(doc)
	return string(b), err
}

// Sweep removes a Host namespace whose every reference names an endpoint
// that no longer exists, and only such: not one that also holds a live
// endpoint or a container, not a HostDefault namespace, never the host's
// own. A dry run reports the same and removes nothing.
func TestSweepNamespacesOfDeadEndpoints(t *testing.T) {
	sim := hcnsim.New(nil)
	svc := &staleRefs{recorder: newRecorder(sim), extra: map[hcn.GUID][]hcn.GUID{}}
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: svc})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := newNode(t, c, Config{})
	newNS := func(typ hcn.NamespaceType) hcn.GUID {
		t.Helper()
		ns, err := c.CreateNamespace(ctx, &hcn.Namespace{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		g, _ := ns.ID.GUID()
		return g
	}
	dead := hcn.NewGUID()
	onlyDead := newNS(hcn.NamespaceTypeHost)
	mixed := newNS(hcn.NamespaceTypeHost)
	withContainer := newNS(hcn.NamespaceTypeHost)
	hostDefaultType := newNS(hcn.NamespaceTypeHostDefault)
	hostOwn, _ := hcn.HostDefaultNamespaceID.GUID()
	for _, ns := range []hcn.GUID{onlyDead, mixed, withContainer, hostDefaultType, hostOwn} {
		svc.extra[ns] = []hcn.GUID{dead}
	}
	live, err := n.Attach(ctx, "live", nil)
	if err != nil {
		t.Fatal(err)
	}
	// A foreign live endpoint in mixed, a container in withContainer.
	net, _ := n.EnsureNetwork(ctx)
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{Name: "other", HostComputeNetwork: net.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddNamespaceEndpoint(ctx, mixed.ID(), ep.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.AddNamespaceContainer(ctx, withContainer.ID(), "some-container"); err != nil {
		t.Fatal(err)
	}

	all := func(string) bool { return true }
	dry, err := n.Sweep(ctx, all, &SweepOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	svc.take()
	if !dry.DryRun || len(dry.Endpoints) != 0 || !slices.Equal(dry.Namespaces, []hcn.ID{onlyDead.ID()}) {
		t.Fatalf("dry run = %+v; want only namespace %s", dry, onlyDead)
	}
	if _, err := c.GetNamespace(ctx, onlyDead.ID()); err != nil {
		t.Fatalf("the dry run removed the namespace: %v", err)
	}
	svc.take()
	rep, err := n.Sweep(ctx, all, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.DryRun || len(rep.Endpoints) != 0 || !slices.Equal(rep.Namespaces, []hcn.ID{onlyDead.ID()}) {
		t.Fatalf("sweep = %+v; want only namespace %s", rep, onlyDead)
	}
	for _, cl := range svc.take() {
		if (cl.op == "Delete" || cl.op == "Modify") && cl.id != onlyDead {
			t.Errorf("the sweep changed %s %s", cl.k, cl.id)
		}
	}
	if _, err := c.GetNamespace(ctx, onlyDead.ID()); !hcn.IsNotFound(err) {
		t.Fatalf("the namespace of dead endpoints survived: %v", err)
	}
	for _, ns := range []hcn.GUID{mixed, withContainer, hostDefaultType, hostOwn, hcn.MustParseGUID(string(live.NamespaceID))} {
		if _, err := c.GetNamespace(ctx, ns.ID()); err != nil {
			t.Errorf("namespace %s was swept: %v", ns, err)
		}
	}
}
