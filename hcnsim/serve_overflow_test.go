package hcnsim

import (
	"bufio"
	"net"
	"slices"
	"testing"

	"github.com/hcnkit/hcn"
)

// pipeClient serves one end of a synchronous pipe and speaks the protocol
// on the other: the server's writes block until the test reads.
func pipeClient(t *testing.T, s *server) *rawClient {
	t.Helper()
	cli, srv := net.Pipe()
	done := make(chan struct{})
	go func() { s.serveConn(srv); close(done) }()
	t.Cleanup(func() { cli.Close(); <-done })
	r := &rawClient{t: t, nc: cli, br: bufio.NewReader(cli)}
	if resp := r.hello(""); resp.Err != nil {
		t.Fatalf("hello: %v", respErr(resp))
	}
	return r
}

// A client that does not read never blocks the service: once its queue
// of notifications is full, its registrations are dropped, it receives
// ServiceDisconnect after what was queued, and it can register again. A
// client that reads receives everything.
func TestServeNotifyOverflow(t *testing.T) {
	const queue = 4
	sim := New(nil)
	addr := &net.UnixAddr{Name: "pipe", Net: "unix"}
	s, err := newServer(addr, sim, ServeOptions{NotifyQueue: queue})
	if err != nil {
		t.Fatal(err)
	}
	roomy, err := newServer(addr, sim, ServeOptions{}) // for the client that reads
	if err != nil {
		t.Fatal(err)
	}
	slow, fast := pipeClient(t, s), pipeClient(t, roomy)
	var slowReg hcn.Handle
	for _, r := range []*rawClient{fast, slow} {
		r.send(&request{ID: 1, Method: "RegisterServiceCallback", Callback: 7})
		resp := r.reply(1)
		if resp.Err != nil {
			t.Fatalf("register: %v", respErr(resp))
		}
		slowReg = resp.Handle
	}
	got := make(chan []string, 1)
	go func() { // the fast client reads every notification
		var ids []string
		for len(ids) < 3*queue {
			resp, err := fast.recv()
			if err != nil {
				break
			}
			if resp.Note != nil && resp.Note.Type == hcn.NotificationNamespaceCreate {
				ids = append(ids, payloadID(resp.Note.Data))
			}
		}
		got <- ids
	}()
	// The slow client's writer can hold one batch (at most queue frames)
	// while queue more wait: 3*queue notifications overflow it for sure.
	var ids []string
	for range 3 * queue {
		h, err := sim.Create(hcn.KindNamespace, hcn.NilGUID, `{"Type":"Host"}`)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, mustID(t, sim, hcn.KindNamespace, h).String())
		sim.Close(hcn.KindNamespace, h)
	}
	waitFor(t, "the slow client's registration to be dropped", func() bool {
		return sim.OpenHandlesOf(HandleServiceCallback) == 1
	})
	if fastIDs := <-got; !slices.Equal(fastIDs, ids) {
		t.Errorf("the fast client got %v, want %v", fastIDs, ids)
	}
	var seen []string
	for {
		resp, err := slow.recv()
		if err != nil {
			t.Fatalf("the slow client: %v after %v", err, seen)
		}
		if resp.Note == nil {
			continue
		}
		if resp.Note.CB != 7 {
			t.Fatalf("a notification for registration %d", resp.Note.CB)
		}
		if resp.Note.Type == hcn.NotificationServiceDisconnect {
			break
		}
		seen = append(seen, payloadID(resp.Note.Data))
	}
	if len(seen) == 0 || len(seen) >= len(ids) {
		t.Fatalf("the slow client got %d notifications before ServiceDisconnect, want some but not all %d", len(seen), len(ids))
	}
	for i, id := range seen {
		if id != ids[i] {
			t.Fatalf("the slow client's notification %d is %s, want %s (in order)", i, id, ids[i])
		}
	}
	// the old registration is gone; a new one works
	slow.send(&request{ID: 2, Method: "UnregisterServiceCallback", Handle: slowReg})
	if err := respErr(slow.reply(2)); !errorsIsHandle(err) {
		t.Errorf("unregistering a dropped registration: %v", err)
	}
	slow.send(&request{ID: 3, Method: "RegisterServiceCallback", Callback: 8})
	if resp := slow.reply(3); resp.Err != nil {
		t.Fatalf("registering again: %v", respErr(resp))
	}
	h, err := sim.Create(hcn.KindNamespace, hcn.NilGUID, `{"Type":"Host"}`)
	if err != nil {
		t.Fatal(err)
	}
	id := mustID(t, sim, hcn.KindNamespace, h).String()
	sim.Close(hcn.KindNamespace, h)
	for {
		resp, err := slow.recv()
		if err != nil {
			t.Fatal(err)
		}
		if resp.Note != nil && resp.Note.CB == 8 && payloadID(resp.Note.Data) == id {
			break
		}
	}
}

func payloadID(data string) string {
	var p struct{ ID string }
	jsonUnmarshalString(data, &p)
	return p.ID
}

func errorsIsHandle(err error) bool {
	he, ok := err.(*hcn.Error)
	return ok && he.HRESULT == hcn.E_HANDLE
}
