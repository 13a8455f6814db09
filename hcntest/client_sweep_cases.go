package hcntest

import (
	"net/netip"

	"github.com/hcnkit/hcn"
)

// moreSweepCases are the fault sweep's single-object operations and the
// load balancer replacement of services without HcnModifyLoadBalancer.
var moreSweepCases = []sweepCase{
	{name: "create-namespace", calls: []string{hcn.OpCreateNamespace, hcn.OpQueryNamespace, "~HcnCloseNamespace"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			ns, err := c.CreateNamespace(e.ctx, &hcn.Namespace{Type: hcn.NamespaceTypeHost})
			if err == nil {
				e.cleanup(hcn.KindNamespace, e.id(ns.ID))
			}
			return err
		}},
	{name: "delete-network", setup: withNetwork, calls: []string{hcn.OpDeleteNetwork},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			return c.DeleteNetwork(e.ctx, fx.net.ID(), &hcn.DeleteOptions{IgnoreNotFound: true})
		},
		failed: func(e *cenv, fx *sweepFixture) {
			if _, err := e.c.GetNetwork(e.ctx, fx.net.ID()); err != nil {
				e.t.Errorf("the network after a failed delete: %v", err)
			}
		}},
	{name: "update-network-dns", setup: withNetwork,
		calls: []string{hcn.OpOpenNetwork, hcn.OpModifyNetwork, "~HcnCloseNetwork"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			return c.UpdateNetworkDNS(e.ctx, fx.net.ID(), hcn.DNS{Domain: "sweep.example"})
		},
		failed: func(e *cenv, fx *sweepFixture) {
			if n, err := e.c.GetNetwork(e.ctx, fx.net.ID()); err != nil || n.Dns.Domain == "sweep.example" {
				e.t.Errorf("the network after a failed DNS update: %+v, %v", n, err)
			}
		}},
	{name: "endpoint-addresses", setup: withEndpoint,
		calls: []string{hcn.OpOpenEndpoint, hcn.OpQueryEndpointAddresses, "~HcnCloseEndpoint"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			_, err := c.EndpointAddresses(e.ctx, fx.ep.ID())
			return err
		}},
	{name: "create-sdn-route", setup: withEndpoint,
		calls: []string{hcn.OpCreateSDNRoute, hcn.OpQuerySDNRoute, "~HcnCloseSdnRoute"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			r, err := c.CreateSDNRoute(e.ctx, &hcn.SDNRoute{HostComputeNetwork: fx.net.ID(), HostComputeEndpoints: []hcn.ID{fx.ep.ID()},
				Routes: []hcn.SDNRoutePolicySetting{{DestinationPrefix: "192.168.78.0/24"}}})
			if err == nil {
				e.cleanup(hcn.KindSDNRoute, e.id(r.ID))
			}
			return err
		}},
	{name: "set-guest-network-service-state", setup: withGNS,
		calls: []string{hcn.OpOpenGuestNetworkService, hcn.OpModifyGuestNetworkService, "~HcnCloseGuestNetworkService"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			return c.SetGuestNetworkServiceState(e.ctx, fx.gns.ID(), hcn.GNSStatePaused)
		}},
	{name: "service-version", calls: []string{hcn.OpHNSCall},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			_, err := c.ServiceVersion(e.ctx)
			return err
		}},
	{name: "update-load-balancer-15.3", setup: func(e *cenv, fx *sweepFixture) {
		vs, ok := e.svc.(VersionSetter)
		if !ok {
			e.t.Skip("the service's version cannot be set")
		}
		vs.SetServiceVersion(15, 3)
		withEndpoint(e, fx)
		_, fx.ep2 = e.endpoint(fx.net, netip.Addr{})
		_, fx.lb = e.createLB(lbSpec(host(fx.prefix, 212), 80, fx.ep))
	}, calls: []string{hcn.OpHNSCall, hcn.OpOpenLoadBalancer, hcn.OpQueryLoadBalancer, "~HcnCloseLoadBalancer",
		hcn.OpDeleteLoadBalancer, hcn.OpCreateLoadBalancer, hcn.OpQueryLoadBalancer, "~HcnCloseLoadBalancer"},
		run: func(e *cenv, c *hcn.Client, fx *sweepFixture) error {
			_, err := c.UpdateLoadBalancer(e.ctx, fx.lb.ID(), lbSpec(host(fx.prefix, 212), 80, fx.ep, fx.ep2))
			return err
		},
		// A failed in-place replacement restores the old load balancer
		// under its id.
		failed: func(e *cenv, fx *sweepFixture) {
			lb, err := e.c.GetLoadBalancer(e.ctx, fx.lb.ID())
			if err != nil {
				e.t.Errorf("the load balancer after a failed replacement: %v", err)
				return
			}
			e.backends(lb, []hcn.GUID{fx.ep}, "the load balancer after a failed replacement")
		}},
}

func withGNS(e *cenv, fx *sweepFixture) {
	g, err := e.c.CreateGuestNetworkService(e.ctx, &hcn.GuestNetworkService{})
	e.ok(err, "CreateGuestNetworkService")
	fx.gns = e.id(g.ID)
	e.cleanup(hcn.KindGuestNetworkService, fx.gns)
}
