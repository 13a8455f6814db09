package hcntest

import (
	"fmt"

	"github.com/hcnkit/hcn"
)

var routeAndGNSScenarios = []scenario{
	{name: "sdnroute/lifecycle", fn: routeLifecycle},
	{name: "gns/lifecycle", fn: gnsLifecycle},
	{name: "gns/port-reservations", fn: gnsPorts},
}

func routeLifecycle(e *env) {
	_, nh, _ := e.network("NAT")
	ep, _ := e.createEndpoint(nh, endpointDoc(e.name("ep"), ""))
	doc := fmt.Sprintf(`{"SchemaVersion":{"Major":2,"Minor":0},"HostComputeEndpoints":[%q],`+
		`"Setting":[{"DestinationPrefix":"192.168.50.0/24","NextHop":"192.168.50.1","NeedEncap":true}]}`, ep.BracedUpper())
	id, h := e.create(hcn.KindSDNRoute, hcn.NilGUID, doc)
	pr := e.query(hcn.KindSDNRoute, h, "")
	v, _ := pr.get("HostComputeEndpoints")
	if fmt.Sprint(v) != fmt.Sprint([]any{ep.String()}) {
		e.t.Errorf("HostComputeEndpoints %v, want the canonical id", v)
	}
	if !has(e.enumerate(hcn.KindSDNRoute, ""), id) {
		e.t.Errorf("Enumerate misses %s", id)
	}
	e.ok(e.svc.Delete(hcn.KindSDNRoute, id), "delete")
}

const gnsDoc = `{"SchemaVersion":{"Major":2,"Minor":0}}`

func gnsLifecycle(e *env) {
	id, h := e.create(hcn.KindGuestNetworkService, hcn.NilGUID, gnsDoc)
	got := make(chan string, 8)
	ch, err := e.svc.RegisterGuestNetworkServiceCallback(h, func(t hcn.NotificationType, _ hcn.HRESULT, data string) {
		if t.Base() == hcn.NotificationGuestNetworkServiceStateChanged {
			got <- data
		}
	})
	e.ok(err, "register GNS callback")
	defer func() { e.ok(e.svc.UnregisterGuestNetworkServiceCallback(ch), "unregister") }()
	e.ok(e.svc.Modify(hcn.KindGuestNetworkService, h, `{"ResourceType":"State","RequestType":"Update","Settings":{"State":"Synchronized"}}`), "state update")
	if s := e.query(hcn.KindGuestNetworkService, h, "").str("State"); s != "Synchronized" {
		e.t.Errorf("State %q after update", s)
	}
	e.waitData(got, "GuestNetworkServiceStateChanged")
	err = e.svc.Modify(hcn.KindGuestNetworkService, h, `{"ResourceType":"State","RequestType":"Update","Settings":{"State":"Bogus"}}`)
	e.wantIs(err, hcn.ErrInvalid, "unknown state")
	if !has(e.enumerate(hcn.KindGuestNetworkService, ""), id) {
		e.t.Errorf("Enumerate misses %s", id)
	}
}

func gnsPorts(e *env) {
	_, h := e.create(hcn.KindGuestNetworkService, hcn.NilGUID, gnsDoc)
	const port = 40123
	r1, err := e.svc.ReserveGuestNetworkServicePort(h, hcn.PortProtocolTCP, hcn.PortAccessExclusive, port)
	e.ok(err, "reserve")
	defer e.svc.ReleaseGuestNetworkServicePortReservation(r1)
	r2, err := e.svc.ReserveGuestNetworkServicePort(h, hcn.PortProtocolTCP, hcn.PortAccessShared, port)
	if err == nil {
		e.svc.ReleaseGuestNetworkServicePortReservation(r2)
	}
	e.wantIs(err, hcn.ErrPortInUse, "a second reservation of an exclusive port")
	r3, err := e.svc.ReserveGuestNetworkServicePort(h, hcn.PortProtocolUDP, hcn.PortAccessExclusive, port)
	e.ok(err, "the same port for UDP")
	e.ok(e.svc.ReleaseGuestNetworkServicePortReservation(r3), "release UDP")
	rng, rh, err := e.svc.ReserveGuestNetworkServicePortRange(h, 4)
	e.ok(err, "reserve range")
	if int(rng.End)-int(rng.Start) != 3 {
		e.t.Errorf("range %d-%d is not 4 ports", rng.Start, rng.End)
	}
	entries, err := e.svc.EnumerateGuestNetworkPortReservations()
	e.ok(err, "enumerate reservations")
	found := 0
	for _, en := range entries {
		if en.StartingPort == port && en.EndingPort == port || en.StartingPort == rng.Start && en.EndingPort == rng.End {
			found++
		}
	}
	if found < 2 {
		e.t.Errorf("enumerate lists %d of our 2 reservations: %+v", found, entries)
	}
	e.ok(e.svc.ReleaseGuestNetworkServicePortReservation(rh), "release range")
	e.wantHR(e.svc.ReleaseGuestNetworkServicePortReservation(rh), hcn.E_HANDLE, "release twice")
}
