package hcn

import (
	"context"
	"testing"
	"time"
)

func recv(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("channel closed")
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}
	return Event{}
}

func TestWatchSharesOneRegistration(t *testing.T) {
	f := newFake()
	c := newTestClient(t, f)
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	ch1, err := c.Watch(ctx1)
	if err != nil {
		t.Fatal(err)
	}
	ch2, err := c.Watch(ctx2)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.registrations(); n != 1 {
		t.Fatalf("%d registrations, want 1", n)
	}
	id := NewGUID()
	f.notify(NotificationNetworkCreate|0x10000000, `{"ID":"`+id.BracedUpper()+`","Flags":3,"Data":{"x":1}}`)
	f.notify(NotificationNamespaceDelete, `not json`)
	for _, ch := range []<-chan Event{ch1, ch2} {
		e := recv(t, ch)
		if e.Type.Base() != NotificationNetworkCreate || e.Kind != KindNetwork || e.ID != ID(id.BracedUpper()) || !e.ID.Equal(id.ID()) || e.Flags != 3 || string(e.Data) != `{"x":1}` {
			t.Errorf("event %+v", e)
		}
		if e := recv(t, ch); e.Type != NotificationNamespaceDelete || e.Kind != KindNamespace || e.Payload != "not json" {
			t.Errorf("event %+v", e)
		}
	}
	cancel1()
	for range ch1 {
	}
	if n := f.registrations(); n != 1 {
		t.Errorf("%d registrations after one watcher left, want 1", n)
	}
	cancel2()
	for range ch2 {
	}
	waitFor(t, "the unregistration", func() bool { return f.registrations() == 0 })
}

func TestWatchServiceDisconnectReregisters(t *testing.T) {
	f := newFake()
	c := newTestClient(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := c.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A restart: the service drops every registration and says so.
	f.mu.Lock()
	fns := f.cbs
	f.cbs = map[Handle]NotificationFunc{}
	f.mu.Unlock()
	for _, fn := range fns {
		fn(NotificationServiceDisconnect, RPC_S_SERVER_UNAVAILABLE, "")
	}
	if e := recv(t, ch); !e.Disconnected() || e.Status != RPC_S_SERVER_UNAVAILABLE {
		t.Fatalf("event %+v", e)
	}
	waitFor(t, "a new registration", func() bool { return f.registrations() == 1 })
	f.notify(NotificationNetworkDelete, `{"ID":"5f0b1190-63be-4e0c-b974-bd0f55675a42"}`)
	if e := recv(t, ch); e.Type != NotificationNetworkDelete {
		t.Errorf("event %+v", e)
	}
}

func TestWatchSlowReaderDoesNotBlockService(t *testing.T) {
	f := newFake()
	c := newTestClient(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := c.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for range 1000 {
			f.notify(NotificationNetworkCreate, "")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the service callback blocked on a slow watcher")
	}
	for range 1000 {
		recv(t, ch)
	}
}
