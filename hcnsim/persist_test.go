package hcnsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

const netDoc = `{"Name":%q,"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.1.0.0/16","Routes":[{"NextHop":"10.1.0.1","DestinationPrefix":"0.0.0.0/0"}]}]}]}`

func mustCreate(t *testing.T, s *Sim, k hcn.Kind, doc string) (hcn.GUID, hcn.Handle) {
	t.Helper()
	h, err := s.Create(k, hcn.NilGUID, doc)
	if err != nil {
		t.Fatalf("Create %s: %v", k, err)
	}
	return s.handleID(h), h
}

func mustEndpoint(t *testing.T, s *Sim, nh hcn.Handle, doc string) (hcn.GUID, hcn.Handle) {
	t.Helper()
	h, err := s.CreateEndpoint(nh, hcn.NilGUID, doc)
	if err != nil {
		t.Fatalf("CreateEndpoint: %v", err)
	}
	return s.handleID(h), h
}

func props(t *testing.T, s *Sim, k hcn.Kind, h hcn.Handle) map[string]any {
	t.Helper()
	out, err := s.Query(k, h, "")
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func ipOf(m map[string]any) string {
	l, _ := m["IpConfigurations"].([]any)
	if len(l) == 0 {
		return ""
	}
	return l[0].(map[string]any)["IpAddress"].(string)
}

func TestStateFileSharedBetweenSims(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	a, err := Open(&Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	b := New(&Options{StateFile: path})
	nid, nh := mustCreate(t, a, hcn.KindNetwork, fmt.Sprintf(netDoc, "shared"))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	bh, err := b.Open(hcn.KindNetwork, nid)
	if err != nil {
		t.Fatalf("second sim does not see the network: %v", err)
	}
	_, eh := mustEndpoint(t, b, bh, `{}`)
	if ip := ipOf(props(t, b, hcn.KindEndpoint, eh)); ip != "10.1.0.2" {
		t.Errorf("IP %q", ip)
	}
	// The first sim allocates the next address: it sees b's endpoint.
	_, eh2 := mustEndpoint(t, a, nh, `{}`)
	if ip := ipOf(props(t, a, hcn.KindEndpoint, eh2)); ip != "10.1.0.3" {
		t.Errorf("IP %q after the other sim took .2", ip)
	}
	// Handles are per process.
	if _, err := b.Query(hcn.KindNetwork, nh, ""); !errors.Is(err, hcn.E_HANDLE) {
		t.Errorf("a handle of another sim: %v", err)
	}
}

func TestStateFileConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	sims := []*Sim{New(&Options{StateFile: path}), New(&Options{StateFile: path})}
	nid, _ := mustCreate(t, sims[0], hcn.KindNetwork, fmt.Sprintf(netDoc, "conc"))
	const workers, each = 4, 10
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		s := sims[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			nh, err := s.Open(hcn.KindNetwork, nid)
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close(hcn.KindNetwork, nh)
			for i := 0; i < each; i++ {
				h, err := s.CreateEndpoint(nh, hcn.NilGUID, `{}`)
				if err != nil {
					t.Error(err)
					return
				}
				s.Close(hcn.KindEndpoint, h)
			}
		}()
	}
	wg.Wait()
	c := New(&Options{StateFile: path})
	out, err := c.Enumerate(hcn.KindEndpoint, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	json.Unmarshal([]byte(out), &ids)
	if len(ids) != workers*each {
		t.Fatalf("%d endpoints in the file, want %d", len(ids), workers*each)
	}
	ips := map[string]bool{}
	for _, id := range ids {
		h, err := c.Open(hcn.KindEndpoint, hcn.MustParseGUID(id))
		if err != nil {
			t.Fatal(err)
		}
		ip := ipOf(props(t, c, hcn.KindEndpoint, h))
		if ips[ip] {
			t.Errorf("duplicate IP %s", ip)
		}
		ips[ip] = true
		c.Close(hcn.KindEndpoint, h)
	}
}

func TestStateFileCrashBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	s := New(&Options{StateFile: path})
	mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "kept"))
	// A torn temporary file from an earlier crash is ignored.
	os.WriteFile(filepath.Join(dir, "state.json.tmp-123"), []byte(`{"Format":1,"Obj`), 0o600)
	// A crash while a record is appended, then while a compaction renames
	// the new snapshot into place.
	crashes := map[string]func() func(){
		"append": func() func() {
			testHookBeforeSync = func(journal string) error {
				fi, _ := os.Stat(journal)
				os.Truncate(journal, fi.Size()-10) // the crash tore the record
				return errors.New("crash")
			}
			return func() { testHookBeforeSync = nil }
		},
		"compaction": func() func() {
			at := compactAt
			compactAt = func(int64) int64 { return 0 }
			testHookBeforeRename = func(tmp string) error {
				os.Truncate(tmp, 10) // the crash tore the new file
				return errors.New("crash")
			}
			return func() { compactAt, testHookBeforeRename = at, nil }
		},
	}
	for _, crash := range []string{"append", "compaction"} {
		name := "lost-" + crash
		undo := crashes[crash]()
		_, err := s.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(netDoc, name))
		undo()
		if !errors.Is(err, hcn.E_FAIL) {
			t.Fatalf("create during a crashed %s: %v", crash, err)
		}
		for _, sim := range []*Sim{s, New(&Options{StateFile: path})} {
			out, err := sim.Enumerate(hcn.KindNetwork, `{"Filter":"{\"Name\":\"kept\"}"}`)
			if err != nil || out == "[]" {
				t.Errorf("%s: committed network lost: %s %v", crash, out, err)
			}
			out, _ = sim.Enumerate(hcn.KindNetwork, fmt.Sprintf(`{"Filter":"{\"Name\":\"%s\"}"}`, name))
			if out != "[]" {
				t.Errorf("%s: uncommitted network visible: %s", crash, out)
			}
		}
	}
}

func TestStateFileCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, []byte("{garbage"), 0o600)
	if _, err := Open(&Options{StateFile: path}); err == nil {
		t.Fatal("Open of a corrupt state file succeeded")
	}
	s := New(&Options{StateFile: path})
	_, err := s.Enumerate(hcn.KindNetwork, "")
	var he *hcn.Error
	if !errors.As(err, &he) || he.HRESULT != hcn.E_FAIL {
		t.Errorf("enumerate on a corrupt file: %v", err)
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	a := New(&Options{StateFile: path})
	_, nh := mustCreate(t, a, hcn.KindNetwork, fmt.Sprintf(netDoc, "rt"))
	epID, eh := mustEndpoint(t, a, nh, `{"Policies":[{"Type":"ACL","Settings":{"Action":"Allow"}}]}`)
	nsID, nsh := mustCreate(t, a, hcn.KindNamespace, `{"Type":"Host"}`)
	if err := a.Modify(hcn.KindNamespace, nsh, fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, epID)); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, a, hcn.KindLoadBalancer, fmt.Sprintf(`{"HostComputeEndpoints":[%q],"FrontendVIPs":["1.2.3.4"],"PortMappings":[{"Protocol":6,"InternalPort":80,"ExternalPort":80}]}`, epID))
	a.SetEndpointStats(epID, EndpointStats{BytesSent: 42})
	want := props(t, a, hcn.KindEndpoint, eh)
	b := New(&Options{StateFile: path})
	h, err := b.Open(hcn.KindEndpoint, epID)
	if err != nil {
		t.Fatal(err)
	}
	got := props(t, b, hcn.KindEndpoint, h)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("endpoint after reload:\n%v\nwant\n%v", got, want)
	}
	if got["HostComputeNamespace"] != nsID.String() {
		t.Errorf("membership lost: %v", got)
	}
	st, _ := b.QueryEndpointStats(h, "")
	if !json.Valid([]byte(st)) || !containsStr(st, `"BytesSent":42`) {
		t.Errorf("stats after reload: %s", st)
	}
	// Collision index and IPAM are rebuilt.
	bn, _ := b.Open(hcn.KindNetwork, a.handleID(nh))
	_, e2 := mustEndpoint(t, b, bn, `{}`)
	if ip := ipOf(props(t, b, hcn.KindEndpoint, e2)); ip != "10.1.0.3" {
		t.Errorf("next IP after reload %q", ip)
	}
	_, err = b.Create(hcn.KindLoadBalancer, hcn.NilGUID, fmt.Sprintf(`{"HostComputeEndpoints":[%q],"FrontendVIPs":["1.2.3.4"],"PortMappings":[{"Protocol":6,"InternalPort":80,"ExternalPort":80}]}`, epID))
	if !errors.Is(err, hcn.HCN_E_PORT_ALREADY_EXISTS) {
		t.Errorf("LB collision after reload: %v", err)
	}
}

func containsStr(s, sub string) bool {
	return len(s) >= len(sub) && (s == sub || len(sub) == 0 || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestExclusiveLockFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "x.lock.excl")
	a, b := &exclLock{name: name}, &exclLock{name: name}
	if ok, err := a.try(true); !ok || err != nil {
		t.Fatalf("first holder: %v %v", ok, err)
	}
	if ok, _ := b.try(true); ok {
		t.Fatal("a second holder got the lock")
	}
	a.unlock()
	if ok, err := b.try(true); !ok || err != nil {
		t.Fatalf("after the unlock: %v %v", ok, err)
	}
	b.unlock()
	// A lock left by a crashed holder is never broken, however old: a
	// waiter that removed it could remove a newer holder's.
	os.WriteFile(name, nil, 0o600)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(name, old, old)
	if ok, _ := a.try(true); ok {
		t.Fatal("an old lock file was broken")
	}
	if _, err := os.Stat(name); err != nil {
		t.Fatalf("the lock file was removed: %v", err)
	}
}
