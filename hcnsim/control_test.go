package hcnsim

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

func TestInjectFaultNth(t *testing.T) {
	s := New(nil)
	op := hcn.OpName(hcn.VerbCreate, hcn.KindNetwork)
	s.InjectFault(op, 2, hcn.HCN_E_MANAGER_STOPPED)
	for i := 1; i <= 3; i++ {
		_, err := s.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(`{"Name":"n%d"}`, i))
		if (i == 2) != (err != nil) {
			t.Errorf("call %d: %v", i, err)
		}
		if i == 2 {
			var he *hcn.Error
			if !errors.As(err, &he) || he.HRESULT != hcn.HCN_E_MANAGER_STOPPED || he.Record == nil ||
				he.Record.ErrorCode != uint32(hcn.HCN_E_MANAGER_STOPPED) || !errors.Is(err, hcn.ErrTransient) {
				t.Errorf("injected failure %#v", err)
			}
		}
	}
	// The failed call had no effect.
	if out, _ := s.Enumerate(hcn.KindNetwork, `{"Filter":"{\"Name\":\"n2\"}"}`); out != "[]" {
		t.Errorf("a failed create left %s", out)
	}
	if got := s.Calls(op); got != 3 {
		t.Errorf("Calls(%s) = %d, want 3", op, got)
	}
}

func TestInjectFaultEveryAndAll(t *testing.T) {
	s := New(nil)
	s.InjectFault(AllOps, 0, hcn.RPC_S_SERVER_UNAVAILABLE)
	for i := 0; i < 3; i++ {
		if _, err := s.Enumerate(hcn.KindNetwork, ""); !errors.Is(err, hcn.RPC_S_SERVER_UNAVAILABLE) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if _, err := s.HNSCall("GET", "/globals/version", ""); err == nil {
		t.Error("HNSCall not faulted by AllOps")
	}
	s.ClearFaults()
	if _, err := s.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestLatency(t *testing.T) {
	s := New(nil)
	s.SetLatency(hcn.OpName(hcn.VerbEnumerate, hcn.KindNetwork), 30*time.Millisecond)
	start := time.Now()
	s.Enumerate(hcn.KindNetwork, "")
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("call took %v with 30ms latency", d)
	}
	s.SetLatency(hcn.OpName(hcn.VerbEnumerate, hcn.KindNetwork), 0)
}

func TestHangAndRelease(t *testing.T) {
	s := New(nil)
	release := s.Hang(hcn.OpName(hcn.VerbCreate, hcn.KindNetwork))
	done := make(chan error, 1)
	go func() {
		_, err := s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"hung"}`)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("hung call returned: %v", err)
	case <-time.After(30 * time.Millisecond):
	}
	// Other operations are not held.
	if _, err := s.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Fatal(err)
	}
	release()
	release() // idempotent
	if err := <-done; err != nil {
		t.Fatalf("released call: %v", err)
	}
	// A new call after release does not hang.
	if _, err := s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Name":"free"}`); err != nil {
		t.Fatal(err)
	}
}

func TestRestart(t *testing.T) {
	s := New(nil)
	var mu sync.Mutex
	var got []hcn.NotificationType
	cb, _ := s.RegisterServiceCallback(func(typ hcn.NotificationType, _ hcn.HRESULT, _ string) {
		mu.Lock()
		got = append(got, typ)
		mu.Unlock()
	})
	keep, kh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "keep"))
	tmp, th := mustCreate(t, s, hcn.KindNetwork, `{"Name":"tmp","Flags":8,"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.9.0.0/24"}]}]}`)
	epTmp, _ := mustEndpoint(t, s, th, `{}`)
	epKeep, _ := mustEndpoint(t, s, kh, `{}`)
	nsID, nsh := mustCreate(t, s, hcn.KindNamespace, `{}`)
	s.Modify(hcn.KindNamespace, nsh, fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, epTmp))
	gid, gh := mustCreate(t, s, hcn.KindGuestNetworkService, `{}`)
	if _, err := s.ReserveGuestNetworkServicePort(gh, hcn.PortProtocolTCP, hcn.PortAccessExclusive, 5000); err != nil {
		t.Fatal(err)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if n := s.OpenHandles(); n != 1 {
		t.Errorf("%d handles open after restart, want 1 (the callback)", n)
	}
	if _, err := s.Query(hcn.KindNetwork, kh, ""); !errors.Is(err, hcn.E_HANDLE) {
		t.Errorf("old handle: %v", err)
	}
	for _, c := range []struct {
		k    hcn.Kind
		id   hcn.GUID
		want bool
	}{{hcn.KindNetwork, keep, true}, {hcn.KindEndpoint, epKeep, true}, {hcn.KindNetwork, tmp, false},
		{hcn.KindEndpoint, epTmp, false}, {hcn.KindNamespace, nsID, true}, {hcn.KindGuestNetworkService, gid, true}} {
		h, err := s.Open(c.k, c.id)
		if (err == nil) != c.want {
			t.Errorf("%s %s after restart: %v", c.k, c.id, err)
		}
		if err == nil {
			s.Close(c.k, h)
		}
	}
	nsh, _ = s.Open(hcn.KindNamespace, nsID)
	if m := props(t, s, hcn.KindNamespace, nsh); m["Resources"] != nil {
		t.Errorf("namespace still lists the dropped endpoint: %v", m)
	}
	s.Close(hcn.KindNamespace, nsh)
	if e, _ := s.EnumerateGuestNetworkPortReservations(); len(e) != 0 {
		t.Errorf("reservations survived restart: %v", e)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		last := hcn.NotificationInvalid
		if n > 0 {
			last = got[n-1]
		}
		mu.Unlock()
		if last == hcn.NotificationServiceDisconnect {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ServiceDisconnect as the last notification: last %v of %d", last, n)
		}
		time.Sleep(time.Millisecond)
	}
	if err := s.UnregisterServiceCallback(cb); err != nil {
		t.Fatal(err)
	}
}

func TestCountersAndReset(t *testing.T) {
	s := New(nil)
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "c"))
	mustEndpoint(t, s, nh, `{}`)
	mustEndpoint(t, s, nh, `{}`)
	c := s.Stats()
	if c.OpenHandles[HandleNetwork] != 1 || c.OpenHandles[HandleEndpoint] != 2 || c.OpenHandlesTotal != 3 {
		t.Errorf("open handles %v total %d", c.OpenHandles, c.OpenHandlesTotal)
	}
	if s.OpenHandlesOf(HandleEndpoint) != 2 || s.OpenHandles() != 3 {
		t.Errorf("OpenHandlesOf/OpenHandles disagree with Stats")
	}
	if c.Calls[hcn.OpCreateEndpoint] != 2 || c.Objects[hcn.KindEndpoint] != 2 || c.Objects[hcn.KindNamespace] != 1 {
		t.Errorf("counters %+v", c)
	}
	s.SetServiceVersion(9, 5)
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	c = s.Stats()
	if c.OpenHandlesTotal != 0 || c.Objects[hcn.KindNetwork] != 0 || c.Objects[hcn.KindNamespace] != 1 || len(c.Calls) != 0 {
		t.Errorf("after Reset: %+v", c)
	}
	if v := s.ServiceVersion(); v != DefaultServiceVersion {
		t.Errorf("version after Reset %v", v)
	}
	if HandleEndpoint.String() != "endpoint" || HandlePortReservation.String() != "portreservation" {
		t.Errorf("HandleKind names")
	}
}

func TestUnregisterWaitsForInFlight(t *testing.T) {
	s := New(nil)
	entered := make(chan struct{}, 1) // buffered: the callback may run before the test waits
	var finished bool
	var mu sync.Mutex
	h, _ := s.RegisterServiceCallback(func(hcn.NotificationType, hcn.HRESULT, string) {
		select {
		case entered <- struct{}{}:
		default:
		}
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		finished = true
		mu.Unlock()
	})
	mustCreate(t, s, hcn.KindNetwork, `{"Name":"x"}`)
	<-entered
	if err := s.UnregisterServiceCallback(h); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !finished {
		t.Error("Unregister returned while the callback was running")
	}
}

func TestFaultedCloseReleasesHandle(t *testing.T) {
	s := New(nil)
	_, h := mustCreate(t, s, hcn.KindNetwork, `{"Name":"close-fault"}`)
	s.InjectFault(hcn.OpCloseNetwork, 1, hcn.E_FAIL)
	if err := s.Close(hcn.KindNetwork, h); !errors.Is(err, hcn.E_FAIL) {
		t.Fatalf("faulted close: %v, want E_FAIL", err)
	}
	if n := s.OpenHandles(); n != 0 {
		t.Fatalf("%d handles open after a faulted close, want 0", n)
	}
	if err := s.Close(hcn.KindNetwork, h); !errors.Is(err, hcn.E_HANDLE) {
		t.Fatalf("second close: %v, want E_HANDLE", err)
	}
}

func TestUnregisterDeliversQueued(t *testing.T) {
	s := New(nil)
	gate := make(chan struct{})
	var mu sync.Mutex
	got := 0
	h, err := s.RegisterServiceCallback(func(hcn.NotificationType, hcn.HRESULT, string) {
		<-gate
		mu.Lock()
		got++
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(`{"Name":"queued-%d"}`, i))
	}
	done := make(chan error, 1)
	go func() { done <- s.UnregisterServiceCallback(h) }()
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, hcn.KindNetwork, `{"Name":"after"}`)
	time.Sleep(10 * time.Millisecond) // a wrongly delivered call would land here
	mu.Lock()
	defer mu.Unlock()
	if got != 3 {
		t.Fatalf("%d notifications delivered, want the 3 queued before Unregister and none after", got)
	}
}
