package main

import (
	"sort"
	"strings"

	"github.com/hcnkit/hcn"
)

// kindNames maps every accepted spelling of a kind (plural, singular,
// short alias) to the kind.
var kindNames = map[string]hcn.Kind{
	"networks": hcn.KindNetwork, "network": hcn.KindNetwork, "net": hcn.KindNetwork,
	"endpoints": hcn.KindEndpoint, "endpoint": hcn.KindEndpoint, "ep": hcn.KindEndpoint,
	"namespaces": hcn.KindNamespace, "namespace": hcn.KindNamespace, "ns": hcn.KindNamespace,
	"loadbalancers": hcn.KindLoadBalancer, "loadbalancer": hcn.KindLoadBalancer, "lb": hcn.KindLoadBalancer,
	"routes": hcn.KindSDNRoute, "route": hcn.KindSDNRoute, "rt": hcn.KindSDNRoute,
	"guestnetworkservices": hcn.KindGuestNetworkService, "guestnetworkservice": hcn.KindGuestNetworkService,
	"gns": hcn.KindGuestNetworkService,
}

// kindPlural is the name a kind is listed under.
var kindPlural = map[hcn.Kind]string{
	hcn.KindNetwork: "networks", hcn.KindEndpoint: "endpoints", hcn.KindNamespace: "namespaces",
	hcn.KindLoadBalancer: "loadbalancers", hcn.KindSDNRoute: "routes",
	hcn.KindGuestNetworkService: "guestnetworkservices",
}

// parseKind returns the kind named s (any spelling, case-insensitive).
func parseKind(s string) (hcn.Kind, error) {
	if k, ok := kindNames[strings.ToLower(s)]; ok {
		return k, nil
	}
	return 0, usagef("unknown kind %q: want %s", s, joinOr(kindList()))
}

// kindList returns the plural kind names, for messages and completion.
func kindList() []string {
	var out []string
	for _, p := range kindPlural {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
