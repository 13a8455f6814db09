package hcn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
)

func next(t *testing.T, ch <-chan hcn.Event, want hcn.NotificationType) hcn.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("channel closed waiting for %v", want)
			}
			if e.Type.Base() == want {
				return e
			}
		case <-timeout:
			t.Fatalf("no %v event", want)
		}
	}
}

func TestSimWatchSeveralWatchers(t *testing.T) {
	sim, c := simClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch1, err := c.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	ch2, err := c.Watch(ctx2)
	if err != nil {
		t.Fatal(err)
	}
	if n := sim.OpenHandlesOf(hcnsim.HandleServiceCallback); n != 1 {
		t.Errorf("%d service registrations for two watchers, want 1", n)
	}
	net, err := c.CreateNetwork(context.Background(), natNetwork("w", "10.11.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range []<-chan hcn.Event{ch1, ch2} {
		e := next(t, ch, hcn.NotificationNetworkCreate)
		if e.Kind != hcn.KindNetwork || !hcn.EqualFoldGUID(e.ID.String(), string(net.ID)) {
			t.Errorf("event %+v", e)
		}
	}
	cancel2()
	for range ch2 {
	}
	if err := c.DeleteNetwork(context.Background(), net.ID, nil); err != nil {
		t.Fatal(err)
	}
	next(t, ch1, hcn.NotificationNetworkDelete)
	cancel()
	for range ch1 {
	}
	noLeaks(t, sim)
}

func TestSimRestartMidFlow(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := c.Watch(wctx)
	if err != nil {
		t.Fatal(err)
	}
	keep, err := c.CreateNetwork(ctx, natNetwork("keep", "10.12.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	volatile := natNetwork("volatile", "10.13.0.0/24")
	volatile.Flags = hcn.NetworkFlagEnableNonPersistent
	gone, err := c.CreateNetwork(ctx, volatile)
	if err != nil {
		t.Fatal(err)
	}
	nh, err := c.OpenNetwork(ctx, keep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ServiceVersion(ctx); err != nil {
		t.Fatal(err)
	}

	sim.SetServiceVersion(15, 3) // the restart brings an older service
	if err := sim.Restart(); err != nil {
		t.Fatal(err)
	}
	next(t, events, hcn.NotificationServiceDisconnect)

	// The old handle is invalid, and says so (not "not found").
	_, err = nh.Query(ctx)
	if !errors.Is(err, hcn.ErrInvalidHandle) || hcn.IsNotFound(err) {
		t.Errorf("query on a pre-restart handle: %v", err)
	}
	nh.Close()
	// The flow goes on: persisted objects are there, volatile ones gone.
	if _, err := c.GetNetwork(ctx, keep.ID); err != nil {
		t.Errorf("persisted network after restart: %v", err)
	}
	if _, err := c.GetNetwork(ctx, gone.ID); !hcn.IsNotFound(err) {
		t.Errorf("non-persistent network after restart: %v", err)
	}
	// The invalid handle dropped the cached version.
	if v, err := c.ServiceVersion(ctx); err != nil || v != (hcn.Version{Major: 15, Minor: 3}) {
		t.Errorf("version after restart: %v, %v", v, err)
	}
	// Watching continues after the disconnect.
	if _, err := c.CreateNetwork(ctx, natNetwork("after", "10.14.0.0/24")); err != nil {
		t.Fatal(err)
	}
	if e := next(t, events, hcn.NotificationNetworkCreate); e.ID.IsZero() {
		t.Errorf("event %+v", e)
	}
	cancel()
	for range events {
	}
	noLeaks(t, sim)
}

func TestSimFeatures(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	sim.SetServiceVersion(12, 9)
	fs, err := c.Features(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !fs.Has(hcn.FeatureSessionAffinity) || fs.Has(hcn.FeatureSetPolicy) {
		t.Errorf("features of 12.9: %v", fs)
	}
	if ok, err := c.Supports(ctx, hcn.FeatureTierACL); ok || err != nil {
		t.Errorf("Supports(TierACL): %v, %v", ok, err)
	}
	net, err := c.CreateNetwork(ctx, natNetwork("f", "10.15.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	set := hcn.NewPolicy(&hcn.SetPolicySetting{ID: "s", Name: "s", SetType: hcn.SetPolicyTypeIPSet, Values: "10.0.0.1"})
	err = c.AddNetworkPolicies(ctx, net.ID, set)
	if !errors.Is(err, hcn.ErrNotSupported) || !strings.Contains(err.Error(), "SetPolicy") || !strings.Contains(err.Error(), "12.9") {
		t.Errorf("SetPolicy on 12.9: %v", err)
	}
	if sim.Calls(hcn.OpModifyNetwork) != 0 {
		t.Error("the refused request was sent")
	}
	// A failed version query is not cached.
	sim2, c2 := simClient(t)
	sim2.InjectFault(hcn.OpHNSCall, 0, hcn.E_ACCESSDENIED)
	if _, err := c2.ServiceVersion(ctx); !errors.Is(err, hcn.ErrAccessDenied) {
		t.Fatalf("got %v", err)
	}
	sim2.ClearFaults()
	if v, err := c2.ServiceVersion(ctx); err != nil || v != (hcn.Version{Major: 15, Minor: 4}) {
		t.Errorf("after the failure: %v, %v", v, err)
	}
}

func TestSimStatsFallbackToV1(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	net, err := c.CreateNetwork(ctx, natNetwork("s", "10.16.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	ep, err := c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID})
	if err != nil {
		t.Fatal(err)
	}
	id := ep.ID
	if err := sim.SetEndpointStats(hcn.MustParseGUID(string(id)), hcnsim.EndpointStats{BytesSent: 42, PacketsReceived: 7}); err != nil {
		t.Fatal(err)
	}
	st, err := c.EndpointStats(ctx, id)
	if err != nil || st.BytesSent != 42 || st.PacketsReceived != 7 {
		t.Fatalf("v2 stats: %+v, %v", st, err)
	}
	sim.InjectFault(hcn.OpQueryEndpointStats, 1, hcn.ERROR_PROC_NOT_FOUND)
	st, err = c.EndpointStats(ctx, id)
	if err != nil || st.BytesSent != 42 || st.PacketsReceived != 7 {
		t.Fatalf("v1 fallback: %+v, %v", st, err)
	}
	if sim.Calls(hcn.OpHNSCall) == 0 {
		t.Error("the v1 call was not made")
	}
	if _, err := c.EndpointStats(ctx, hcn.NewGUID().ID()); !hcn.IsNotFound(err) {
		t.Errorf("stats of a missing endpoint: %v", err)
	}
	a, err := c.EndpointAddresses(ctx, id)
	if err != nil || len(a.IPAddresses) != 1 || a.Raw == "" {
		t.Errorf("addresses: %+v, %v", a, err)
	}
	noLeaks(t, sim)
}

func TestSimGuestNetworkServiceAndPorts(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	// The handle-level API (see TestSimGuestNetworkServiceTyped).
	gh, err := c.CreateGuestNetworkServiceHandle(ctx, &hcn.GuestNetworkService{VirtualMachineID: hcn.NewGUID().String()})
	if err != nil {
		t.Fatal(err)
	}
	id := gh.ID()
	if err := c.SetGuestNetworkServiceState(ctx, id, hcn.GNSStateSynchronized); err != nil {
		t.Fatal(err)
	}
	if err := gh.SetState(ctx, hcn.GNSStatePaused); err != nil {
		t.Fatal(err)
	}
	q, err := gh.QueryJSON(ctx, "")
	if err != nil || !strings.Contains(q, "Paused") {
		t.Fatalf("query: %s, %v", q, err)
	}
	r1, err := gh.ReservePort(ctx, hcn.PortProtocolTCP, hcn.PortAccessExclusive, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gh.ReservePort(ctx, hcn.PortProtocolTCP, hcn.PortAccessExclusive, 5000); !errors.Is(err, hcn.ErrPortInUse) {
		t.Errorf("second exclusive reservation: %v", err)
	}
	r2, err := gh.ReservePortRange(ctx, 4)
	if err != nil || r2.Range().End-r2.Range().Start != 3 {
		t.Fatalf("range: %v, %v", r2, err)
	}
	entries, err := c.PortReservations(ctx)
	if err != nil || len(entries) != 2 {
		t.Errorf("reservations: %v, %v", entries, err)
	}
	for _, r := range []*hcn.PortReservation{r1, r2, r1} {
		if err := r.Release(); err != nil {
			t.Errorf("release: %v", err)
		}
	}
	ids, err := c.EnumerateIDs(ctx, hcn.KindGuestNetworkService, "")
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Errorf("enumerate: %v, %v", ids, err)
	}
	gh.Close()
	if err := c.DeleteGuestNetworkService(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	noLeaks(t, sim)
}

func TestSimGuestNetworkServiceWatch(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	gh, err := c.CreateGuestNetworkServiceHandle(ctx, &hcn.GuestNetworkService{})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithCancel(ctx)
	events, err := gh.Watch(wctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := gh.SetState(ctx, hcn.GNSStateSynchronized); err != nil {
		t.Fatal(err)
	}
	e := next(t, events, hcn.NotificationGuestNetworkServiceStateChanged)
	if e.Kind != hcn.KindGuestNetworkService || e.ID != gh.ID() {
		t.Errorf("event %+v", e)
	}
	cancel()
	for range events {
	}
	gh.Close()
	noLeaks(t, sim)
}

func TestSimIPv6NeedsDualStack(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	sim.SetServiceVersion(11, 9)
	net, err := c.CreateNetwork(ctx, natNetwork("v4", "10.17.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateEndpoint(ctx, &hcn.Endpoint{HostComputeNetwork: net.ID,
		IpConfigurations: []hcn.IPConfig{{IpAddress: "fd00::5", PrefixLength: 64}}})
	if !errors.Is(err, hcn.ErrNotSupported) || !strings.Contains(err.Error(), "IPv6DualStack") {
		t.Errorf("IPv6 endpoint on 11.9: %v", err)
	}
	v6 := natNetwork("v6", "10.18.0.0/24")
	v6.Ipams[0].Subnets = append(v6.Ipams[0].Subnets, hcn.Subnet{IpAddressPrefix: "fd00:1::/64",
		Routes: []hcn.Route{{NextHop: "fd00:1::1", DestinationPrefix: "::/0"}}})
	if _, err := c.CreateNetwork(ctx, v6); !errors.Is(err, hcn.ErrNotSupported) {
		t.Errorf("dual-stack network on 11.9: %v", err)
	}
	if sim.Calls(hcn.OpCreateEndpoint)+sim.Calls(hcn.OpCreateNetwork) != 1 {
		t.Errorf("refused creates were sent: %v", sim.Stats().Calls)
	}
}

func TestSimGuestNetworkServiceTyped(t *testing.T) {
	sim, c := simClient(t)
	ctx := context.Background()
	vm := hcn.NewGUID().String()
	g, err := c.CreateGuestNetworkService(ctx, &hcn.GuestNetworkService{VirtualMachineID: vm})
	if err != nil {
		t.Fatal(err)
	}
	if !hcn.EqualFoldGUID(g.VirtualMachineID, vm) || !g.State.Is(hcn.GNSStateCreated) {
		t.Errorf("created %+v", g)
	}
	id := g.ID
	if err := c.SetGuestNetworkServiceState(ctx, id, hcn.GNSStateSynchronized); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetGuestNetworkService(ctx, id)
	if err != nil || !got.State.Is(hcn.GNSStateSynchronized) {
		t.Fatalf("get: %+v, %v", got, err)
	}
	all, err := c.ListGuestNetworkServices(ctx, nil)
	if err != nil || len(all) != 1 || all[0].ID != g.ID {
		t.Errorf("list: %v, %v", all, err)
	}
	gh, err := c.OpenGuestNetworkService(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if q, err := gh.Query(ctx); err != nil || q.ID != g.ID {
		t.Errorf("handle query: %+v, %v", q, err)
	}
	gh.Close()
	if err := c.DeleteGuestNetworkService(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteGuestNetworkService(ctx, id, &hcn.DeleteOptions{IgnoreNotFound: true}); err != nil {
		t.Error(err)
	}
	noLeaks(t, sim)
}
