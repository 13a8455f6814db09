package hcntest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

// The fault sweep: each composite Client operation is run once per call
// position with E_FAIL injected at that call (the nth call of its
// operation), each time on a fresh service. The Client must return an
// error carrying E_FAIL — except where the failed call is cleanup whose
// failure the Client only logs (marked "~": closing the handle of a get or
// a create) — close every handle it opened, and leave no object behind (a
// create whose read-back failed is deleted again). With a CallCounter, a
// run without a fault first checks that calls lists every call the
// operation makes.

// sweepFixture is what a composite works on, made before the fault.
type sweepFixture struct {
	net, ep, ep2, ns, lb, gns hcn.GUID
	prefix                    netip.Prefix
}

// sweepCase is one composite operation.
type sweepCase struct {
	name  string
	setup func(e *cenv, fx *sweepFixture)
	// calls are the service calls run makes, in order; "~" marks a call
	// whose failure the Client logs and survives.
	calls []string
	// run performs the operation with c (a Client with no cached state).
	run func(e *cenv, c *hcn.Client, fx *sweepFixture) error
	// failed checks the state after a run that failed (optional).
	failed func(e *cenv, fx *sweepFixture)
}

func withNetwork(e *cenv, fx *sweepFixture) { _, fx.net, fx.prefix = e.network() }

func withEndpoint(e *cenv, fx *sweepFixture) {
	withNetwork(e, fx)
	_, fx.ep = e.endpoint(fx.net, netip.Addr{})
}

var sweepCases = []sweepCase{
	{name: "create-network", calls: []string{hcn.OpCreateNetwork, hcn.OpQueryNetwork, "~HcnCloseNetwork"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			n, err := c.CreateNetwork(e.ctx, natNetwork(e.name("net"), e.prefix()))
			if err == nil {
				e.cleanup(hcn.KindNetwork, e.id(n.ID))
			}
			return err
		}},
	{name: "create-endpoint", setup: withNetwork,
		calls: []string{hcn.OpOpenNetwork, hcn.OpCreateEndpoint, "~HcnCloseNetwork", hcn.OpQueryEndpoint, "~HcnCloseEndpoint"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			ep, err := c.CreateEndpoint(e.ctx, &hcn.Endpoint{Name: e.name("ep"), HostComputeNetwork: hcn.ID(fx.net.String())})
			if err == nil {
				e.cleanup(hcn.KindEndpoint, e.id(ep.ID))
			}
			return err
		}},
	{name: "get-endpoint", setup: withEndpoint,
		calls: []string{hcn.OpOpenEndpoint, hcn.OpQueryEndpoint, "~HcnCloseEndpoint"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			_, err := c.GetEndpoint(e.ctx, fx.ep.ID())
			return err
		}},
	{name: "list-endpoints", setup: func(e *cenv, fx *sweepFixture) {
		withEndpoint(e, fx)
		_, fx.ep2 = e.endpoint(fx.net, netip.Addr{})
	}, calls: []string{hcn.OpEnumerateEndpoints, hcn.OpOpenEndpoint, hcn.OpQueryEndpoint, "~HcnCloseEndpoint",
		hcn.OpOpenEndpoint, hcn.OpQueryEndpoint, "~HcnCloseEndpoint"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			_, err := c.ListEndpoints(e.ctx, &hcn.ListOptions{Network: fx.net.ID()})
			return err
		}},
	{name: "delete-endpoint", setup: withEndpoint, calls: []string{hcn.OpDeleteEndpoint},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			return c.DeleteEndpoint(e.ctx, fx.ep.ID(), nil)
		},
		failed: func(e *cenv, fx *sweepFixture) {
			if _, err := e.c.GetEndpoint(e.ctx, fx.ep.ID()); err != nil {
				e.t.Errorf("the endpoint after a failed delete: %v", err)
			}
		}},
	{name: "add-endpoint-policy", setup: withEndpoint,
		calls: []string{hcn.OpOpenEndpoint, hcn.OpModifyEndpoint, "~HcnCloseEndpoint"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			return c.AddEndpointPolicies(e.ctx, fx.ep.ID(), hcn.OutBoundNATPolicy())
		},
		failed: func(e *cenv, fx *sweepFixture) {
			ep, err := e.c.GetEndpoint(e.ctx, fx.ep.ID())
			if _, has := ep.Policy(hcn.PolicyTypeOutBoundNAT); err != nil || has {
				e.t.Errorf("the endpoint after a failed policy add: %+v, %v", ep, err)
			}
		}},
	{name: "attach-to-namespace", setup: func(e *cenv, fx *sweepFixture) {
		withEndpoint(e, fx)
		ns, err := e.c.CreateNamespace(e.ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
		e.ok(err, "CreateNamespace")
		fx.ns = e.id(ns.ID)
		e.cleanup(hcn.KindNamespace, fx.ns)
	}, calls: []string{hcn.OpOpenNamespace, hcn.OpModifyNamespace, "~HcnCloseNamespace"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			err := c.AddNamespaceEndpoint(e.ctx, fx.ns.ID(), fx.ep.ID())
			if err == nil {
				e.t.Cleanup(func() { e.c.RemoveNamespaceEndpoint(context.Background(), fx.ns.ID(), fx.ep.ID()) })
			}
			return err
		},
		failed: func(e *cenv, fx *sweepFixture) { e.attached(fx.ns, fx.ep, false) }},
	{name: "endpoint-stats", setup: withEndpoint,
		calls: []string{hcn.OpOpenEndpoint, hcn.OpQueryEndpointStats, "~HcnCloseEndpoint"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			_, err := c.EndpointStats(e.ctx, fx.ep.ID())
			return err
		}},
	{name: "create-load-balancer", setup: withEndpoint,
		calls: []string{hcn.OpCreateLoadBalancer, hcn.OpQueryLoadBalancer, "~HcnCloseLoadBalancer"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			lb, err := c.CreateLoadBalancer(e.ctx, lbSpec(host(fx.prefix, 210), 80, fx.ep))
			if err == nil {
				e.cleanup(hcn.KindLoadBalancer, e.id(lb.ID))
			}
			return err
		}},
	{name: "add-load-balancer-backend", setup: func(e *cenv, fx *sweepFixture) {
		vs, ok := e.svc.(VersionSetter)
		if !ok {
			e.t.Skip("the service's version cannot be set")
		}
		vs.SetServiceVersion(15, 5) // a working HcnModifyLoadBalancer
		withEndpoint(e, fx)
		_, fx.ep2 = e.endpoint(fx.net, netip.Addr{})
		_, fx.lb = e.createLB(lbSpec(host(fx.prefix, 211), 80, fx.ep))
	}, calls: []string{hcn.OpHNSCall, hcn.OpOpenLoadBalancer, hcn.OpQueryLoadBalancer, hcn.OpEnumerateEndpoints,
		hcn.OpModifyLoadBalancer, hcn.OpQueryLoadBalancer, "~HcnCloseLoadBalancer"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			lb, err := c.AddLoadBalancerEndpoints(e.ctx, fx.lb.ID(), fx.ep2.ID())
			if err == nil && e.id(lb.ID) != fx.lb {
				return fmt.Errorf("the update changed the id to %s", lb.ID)
			}
			return err
		}},
	{name: "port-reservation", setup: withGNS, calls: []string{hcn.OpOpenGuestNetworkService, hcn.OpReserveGuestNetworkServicePort,
		hcn.OpReleaseGuestNetworkServicePort, hcn.OpCloseGuestNetworkService},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			gh, err := c.OpenGuestNetworkService(e.ctx, fx.gns.ID())
			if err != nil {
				return err
			}
			r, err := gh.ReservePort(e.ctx, hcn.PortProtocolTCP, hcn.PortAccessExclusive, randomPort())
			if err == nil {
				err = r.Release()
			}
			return errors.Join(err, gh.Close())
		}},
	{name: "watch", calls: []string{hcn.OpRegisterServiceCallback, "~HcnUnregisterServiceCallback"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			ctx, cancel := context.WithCancel(context.Background())
			ch, err := c.Watch(ctx)
			cancel()
			if err != nil {
				return err
			}
			for range ch {
			}
			return nil
		}},
}

func clientFaultSweep(e *cenv) {
	probe := e.newService(e.t)
	if _, ok := probe.(FaultInjector); !ok {
		e.t.Skip("the service cannot inject faults")
	}
	for _, sc := range append(sweepCases[:len(sweepCases):len(sweepCases)], moreSweepCases...) {
		e.t.Run(sc.name, func(t *testing.T) {
			if _, ok := probe.(CallCounter); ok {
				t.Run("no-fault", func(t *testing.T) { sweepClean(e.sub(t), sc) })
			}
			seen := map[string]int{}
			for pos, call := range sc.calls {
				op, logged := strings.CutPrefix(call, "~")
				seen[op]++
				nth := seen[op]
				t.Run(fmt.Sprintf("call-%d-%s-%d", pos+1, op, nth), func(t *testing.T) {
					sweepAt(e.sub(t), sc, op, nth, logged)
				})
			}
		})
	}
}

// sub returns a scenario environment for subtest t on a fresh service.
func (e *cenv) sub(t *testing.T) *cenv {
	s := &cenv{t: t, opts: e.opts, newService: e.newService, ctx: e.ctx}
	s.use(e.newService(t))
	return s
}

// sweepClean runs a composite without a fault and checks its calls.
func sweepClean(e *cenv, sc sweepCase) {
	fx := &sweepFixture{}
	if sc.setup != nil {
		sc.setup(e, fx)
	}
	cc := e.svc.(CallCounter)
	c := e.newClient()
	before := callCounts(cc)
	e.ok(sc.run(e, c, fx), sc.name+" without a fault")
	want := map[string]uint64{}
	for _, call := range sc.calls {
		want[strings.TrimPrefix(call, "~")]++
	}
	if got := callDelta(cc, before); !maps.Equal(got, want) {
		e.t.Errorf("%s made the calls %v, the sweep covers %v", sc.name, got, want)
	}
}

// sweepAt runs a composite with E_FAIL injected at the nth call of op.
func sweepAt(e *cenv, sc sweepCase, op string, nth int, logged bool) {
	fx := &sweepFixture{}
	if sc.setup != nil {
		sc.setup(e, fx)
	}
	if strings.HasPrefix(op, "HcnClose") || strings.HasPrefix(op, "HcnRelease") || strings.HasPrefix(op, "HcnUnregister") {
		e.slack = 1 // the service may keep a handle whose close it refused
	}
	c := e.newClient()
	e.svc.(FaultInjector).InjectFault(op, nth, hcn.E_FAIL)
	err := sc.run(e, c, fx)
	if logged {
		if err != nil {
			e.t.Errorf("E_FAIL at %s #%d (cleanup the Client logs): %s failed: %v", op, nth, sc.name, err)
		}
		return
	}
	e.wantHR(err, hcn.E_FAIL, fmt.Sprintf("E_FAIL at %s #%d: %s", op, nth, sc.name))
	if err != nil && sc.failed != nil {
		sc.failed(e, fx)
	}
}
