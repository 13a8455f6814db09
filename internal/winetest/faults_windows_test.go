package winetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hcnkit/hcn"
)

// Failure paths: every composite operation (several DLL calls, the way a
// client strings them together) is run once per call position with a
// failure injected at that position, and the DLL must end with no open
// handle and no unfreed buffer — every handle closed and every result and
// error record freed on every path.

const netDoc = `{"SchemaVersion":{"Major":2,"Minor":0},"Name":%q,"Type":"NAT",` +
	`"Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"10.%d.0.0/24",` +
	`"Routes":[{"NextHop":"10.%d.0.1","DestinationPrefix":"0.0.0.0/0"}]}]}]}`

// fixture is what a composite works on, made before the fault is armed.
type fixture struct {
	network, endpoint, gns hcn.GUID
	networks               []hcn.GUID
}

// composite is one multi-call operation. run returns every error it met,
// joined, closes included.
type composite struct {
	name string
	run  func(svc hcn.Service, fx *fixture) error
}

var composites = []composite{
	{"open-create-close endpoint", func(svc hcn.Service, fx *fixture) (err error) {
		nh, err := svc.Open(hcn.KindNetwork, fx.network)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.Close(hcn.KindNetwork, nh)) }()
		eh, err := svc.CreateEndpoint(nh, hcn.NilGUID, `{"SchemaVersion":{"Major":2,"Minor":0},"Name":"fault-ep"}`)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.Close(hcn.KindEndpoint, eh)) }()
		_, err = svc.Query(hcn.KindEndpoint, eh, "")
		return err
	}},
	{"open-query-close network", func(svc hcn.Service, fx *fixture) (err error) {
		return openQueryClose(svc, hcn.KindNetwork, fx.network)
	}},
	{"open-modify-close network", func(svc hcn.Service, fx *fixture) (err error) {
		h, err := svc.Open(hcn.KindNetwork, fx.network)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.Close(hcn.KindNetwork, h)) }()
		return svc.Modify(hcn.KindNetwork, h,
			`{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"DrMacAddress","Settings":{"Address":"00-15-5D-00-00-01"}}]}}`)
	}},
	{"list with properties", func(svc hcn.Service, fx *fixture) error {
		if _, err := svc.Enumerate(hcn.KindNetwork, ""); err != nil {
			return err
		}
		var errs []error
		for _, id := range fx.networks {
			errs = append(errs, openQueryClose(svc, hcn.KindNetwork, id))
		}
		return errors.Join(errs...)
	}},
	{"endpoint stats and addresses", func(svc hcn.Service, fx *fixture) (err error) {
		h, err := svc.Open(hcn.KindEndpoint, fx.endpoint)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.Close(hcn.KindEndpoint, h)) }()
		_, err1 := svc.QueryEndpointStats(h, "")
		_, err2 := svc.QueryEndpointAddresses(h, "")
		return errors.Join(err1, err2)
	}},
	{"port reservations", func(svc hcn.Service, fx *fixture) (err error) {
		g, err := svc.Open(hcn.KindGuestNetworkService, fx.gns)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.Close(hcn.KindGuestNetworkService, g)) }()
		r1, err := svc.ReserveGuestNetworkServicePort(g, hcn.PortProtocolTCP, hcn.PortAccessExclusive, 8080)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.ReleaseGuestNetworkServicePortReservation(r1)) }()
		_, r2, err := svc.ReserveGuestNetworkServicePortRange(g, 4)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.ReleaseGuestNetworkServicePortReservation(r2)) }()
		_, err = svc.EnumerateGuestNetworkPortReservations()
		return err
	}},
	{"notification registration around a create", func(svc hcn.Service, fx *fixture) (err error) {
		cb, err := svc.RegisterServiceCallback(func(hcn.NotificationType, hcn.HRESULT, string) {})
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, svc.UnregisterServiceCallback(cb)) }()
		h, err := svc.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(netDoc, "fault-net-cb", 77, 77))
		if err != nil {
			return err
		}
		props, qerr := svc.Query(hcn.KindNetwork, h, "")
		err = errors.Join(qerr, svc.Close(hcn.KindNetwork, h))
		if qerr == nil {
			var id struct{ ID hcn.GUID }
			if jerr := jsonUnmarshal(props, &id); jerr == nil {
				err = errors.Join(err, svc.Delete(hcn.KindNetwork, id.ID))
			}
		}
		return err
	}},
	{"HNS v1 version", func(svc hcn.Service, fx *fixture) error {
		_, err := svc.HNSCall("GET", "/globals/version", "")
		return err
	}},
}

func openQueryClose(svc hcn.Service, kind hcn.Kind, id hcn.GUID) (err error) {
	h, err := svc.Open(kind, id)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, svc.Close(kind, h)) }()
	_, err = svc.Query(kind, h, "")
	return err
}

// makeFixture creates the objects the composites work on, closing every
// handle it opens.
func makeFixture(t *testing.T, svc hcn.Service) *fixture {
	t.Helper()
	fx := &fixture{}
	for i := 0; i < 2; i++ {
		h, err := svc.Create(hcn.KindNetwork, hcn.NilGUID, fmt.Sprintf(netDoc, fmt.Sprintf("fault-net-%d", i), 60+i, 60+i))
		if err != nil {
			t.Fatalf("fixture network: %v", err)
		}
		fx.networks = append(fx.networks, idOf(t, svc, hcn.KindNetwork, h))
		if i == 0 {
			eh, err := svc.CreateEndpoint(h, hcn.NilGUID, `{"SchemaVersion":{"Major":2,"Minor":0},"Name":"fixture-ep"}`)
			if err != nil {
				t.Fatalf("fixture endpoint: %v", err)
			}
			fx.endpoint = idOf(t, svc, hcn.KindEndpoint, eh)
			closeOK(t, svc, hcn.KindEndpoint, eh)
		}
		closeOK(t, svc, hcn.KindNetwork, h)
	}
	fx.network = fx.networks[0]
	g, err := svc.Create(hcn.KindGuestNetworkService, hcn.NilGUID, `{"SchemaVersion":{"Major":2,"Minor":0}}`)
	if err != nil {
		t.Fatalf("fixture guest network service: %v", err)
	}
	fx.gns = idOf(t, svc, hcn.KindGuestNetworkService, g)
	closeOK(t, svc, hcn.KindGuestNetworkService, g)
	return fx
}

func idOf(t *testing.T, svc hcn.Service, kind hcn.Kind, h hcn.Handle) hcn.GUID {
	t.Helper()
	props, err := svc.Query(kind, h, "")
	if err != nil {
		t.Fatalf("query %s: %v", kind, err)
	}
	var v struct{ ID hcn.GUID }
	if err := jsonUnmarshal(props, &v); err != nil || v.ID.IsZero() {
		t.Fatalf("%s properties without an ID: %v: %s", kind, err, props)
	}
	return v.ID
}

func closeOK(t *testing.T, svc hcn.Service, kind hcn.Kind, h hcn.Handle) {
	t.Helper()
	if err := svc.Close(kind, h); err != nil {
		t.Fatalf("close %s: %v", kind, err)
	}
}

// faultCodes are the failures injected, in turn: a service error with a
// record, a transient RPC failure, and E_HANDLE.
var faultCodes = []hcn.HRESULT{hcn.HCN_E_MANAGER_STOPPED, hcn.RPC_S_SERVER_UNAVAILABLE, hcn.E_HANDLE}

// TestFailureAtEveryCallPosition injects a failure at every call position
// of every composite and checks that the error comes back and nothing
// leaks.
func TestFailureAtEveryCallPosition(t *testing.T) {
	needSim(t)
	for _, c := range composites {
		t.Run(c.name, func(t *testing.T) {
			n := cleanCalls(t, c)
			if n < 1 {
				t.Fatalf("the composite made no DLL call")
			}
			for pos := 1; pos <= n; pos++ {
				hr := faultCodes[pos%len(faultCodes)]
				t.Run(fmt.Sprintf("call-%d-of-%d", pos, n), func(t *testing.T) {
					simReset(t)
					svc := newHost(t)
					fx := makeFixture(t, svc)
					injectFault(t, "", pos, hr)
					err := c.run(svc, fx)
					if !errors.Is(err, hr) {
						t.Errorf("failure %s at call %d: composite returned %v, want the injected code", hr, pos, err)
					}
					clearFaults(t)
				})
			}
		})
	}
}

// cleanCalls runs the composite without a fault and returns how many DLL
// calls it made; it must succeed and leak nothing.
func cleanCalls(t *testing.T, c composite) int {
	t.Helper()
	var n int
	t.Run("no-fault", func(t *testing.T) {
		simReset(t)
		svc := newHost(t)
		fx := makeFixture(t, svc)
		before := callCount(t, "")
		if err := c.run(svc, fx); err != nil {
			t.Fatalf("composite without a fault: %v", err)
		}
		n = int(callCount(t, "") - before)
	})
	return n
}
