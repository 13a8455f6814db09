package winetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

func openNetwork(t *testing.T, svc hcn.Service) (hcn.GUID, hcn.Handle) {
	t.Helper()
	h, err := svc.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(netDoc, "handles-net", 90, 90))
	if err != nil {
		t.Fatalf("create network: %v", err)
	}
	return idOf(t, svc, hcn.KindNetwork, h), h
}

// TestCloseWhileInUse closes a handle from one goroutine while others
// query it: the queries in flight finish, later ones get E_HANDLE without
// reaching the DLL, and the DLL sees exactly one close.
func TestCloseWhileInUse(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	_, h := openNetwork(t, svc)
	closesBefore := callCount(t, hcn.OpCloseNetwork)
	var wg sync.WaitGroup
	var queries atomic.Int64
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := svc.Query(hcn.KindNetwork, h, "")
				if err != nil {
					if !errors.Is(err, hcn.ErrInvalidHandle) {
						t.Errorf("query during close: %v, want ErrInvalidHandle", err)
					}
					return
				}
				queries.Add(1)
			}
		}()
	}
	for queries.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	if err := svc.Close(hcn.KindNetwork, h); err != nil {
		t.Fatalf("close: %v", err)
	}
	wg.Wait()
	if got := callCount(t, hcn.OpCloseNetwork) - closesBefore; got != 1 {
		t.Errorf("the DLL saw %d closes, want 1", got)
	}
}

// TestConcurrentCloses closes one handle from many goroutines at once:
// one succeeds, the others get E_HANDLE, and the DLL sees one close.
func TestConcurrentCloses(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	_, h := openNetwork(t, svc)
	closesBefore := callCount(t, hcn.OpCloseNetwork)
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = svc.Close(hcn.KindNetwork, h)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, hcn.E_HANDLE):
			t.Errorf("a losing close: %v, want E_HANDLE", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d closes succeeded, want 1", ok)
	}
	if got := callCount(t, hcn.OpCloseNetwork) - closesBefore; got != 1 {
		t.Errorf("the DLL saw %d closes, want 1", got)
	}
}

// TestOneTrampolineForAllSubscriptions registers and unregisters more
// callbacks than syscall.NewCallback can ever make (it panics past its
// limit of about 2000), so each registration cannot have its own.
func TestOneTrampolineForAllSubscriptions(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	for i := 0; i < 2100; i++ {
		h, err := svc.RegisterServiceCallback(func(hcn.NotificationType, hcn.HRESULT, string) {})
		if err != nil {
			t.Fatalf("register #%d: %v", i, err)
		}
		if err := svc.UnregisterServiceCallback(h); err != nil {
			t.Fatalf("unregister #%d: %v", i, err)
		}
	}
}

// TestNotificationDataCopiedOut checks that notifications arrive with
// their payload (copied while the DLL's buffer was valid) and that the
// callback is not called after unregister, even with a slow callback.
func TestNotificationDataCopiedOut(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	got := make(chan string, 16)
	cb, err := svc.RegisterServiceCallback(func(typ hcn.NotificationType, _ hcn.HRESULT, data string) {
		if typ.Base() == hcn.NotificationNetworkCreate {
			got <- data
		}
	})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	id, h := openNetwork(t, svc)
	closeOK(t, svc, hcn.KindNetwork, h)
	select {
	case data := <-got:
		var p struct{ ID hcn.GUID }
		if err := jsonUnmarshal(data, &p); err != nil || p.ID != id {
			t.Errorf("NetworkCreate payload %q, want the id %s", data, id)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no NetworkCreate notification")
	}
	if err := svc.UnregisterServiceCallback(cb); err != nil {
		t.Fatalf("unregister: %v", err)
	}
}
