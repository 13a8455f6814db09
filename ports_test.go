package hcn

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPortReservations(t *testing.T) {
	f := newFake()
	id := NewGUID()
	f.put(KindGuestNetworkService, id, `{}`)
	c := newTestClient(t, f)
	ctx := context.Background()
	g, err := c.OpenGuestNetworkService(ctx, id.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, bad := range []struct {
		p    PortProtocol
		a    PortAccess
		port uint16
	}{{0, PortAccessShared, 80}, {PortProtocolTCP, 3, 80}, {PortProtocolUDP, PortAccessExclusive, 0}} {
		if _, err := g.ReservePort(ctx, bad.p, bad.a, bad.port); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %v, want ErrInvalid", bad, err)
		}
	}
	r, err := g.ReservePort(ctx, PortProtocolTCP, PortAccessExclusive, 8080)
	if err != nil {
		t.Fatal(err)
	}
	if r.Range() != (PortRange{8080, 8080}) {
		t.Errorf("range %v", r.Range())
	}
	rr, err := g.ReservePortRange(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if rr.Range().End-rr.Range().Start != 9 {
		t.Errorf("range %v", rr.Range())
	}
	if _, err := g.ReservePortRange(ctx, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("count 0: %v", err)
	}
	for range 2 {
		if err := r.Release(); err != nil {
			t.Errorf("Release: %v", err)
		}
	}
	if err := rr.Release(); err != nil {
		t.Error(err)
	}
	if n := f.count(OpReleaseGuestNetworkServicePort); n != 2 {
		t.Errorf("%d releases, want 2", n)
	}
	if _, err := c.PortReservations(ctx); err != nil {
		t.Error(err)
	}
}

func TestPortReservationAbandonedIsReleased(t *testing.T) {
	f := newFake()
	id := NewGUID()
	f.put(KindGuestNetworkService, id, `{}`)
	c := newTestClient(t, f)
	g, err := c.OpenGuestNetworkService(context.Background(), id.ID())
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	f.before = func(op string) error {
		if op == OpReserveGuestNetworkServicePort {
			<-release
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := g.ReservePort(ctx, PortProtocolTCP, PortAccessShared, 80); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	g.Close() // while the reservation call hangs: closed when it returns
	close(release)
	waitFor(t, "release and close", func() bool { return f.openHandles() == 0 })
	if n := f.count(OpReleaseGuestNetworkServicePort); n != 1 {
		t.Errorf("%d releases, want 1", n)
	}
}
