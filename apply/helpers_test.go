package apply_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/apply"
	"github.com/hcnkit/hcn/hcnsim"
)

// desiredJSON is a small node: a network, three endpoints, a namespace, a
// load balancer and a route, referring to each other by name.
const desiredJSON = `{
 "networks": [{"Name": "web", "Type": "Internal",
   "Ipams": [{"Type": "Static", "Subnets": [{"IpAddressPrefix": "10.1.0.0/24",
     "Routes": [{"NextHop": "10.1.0.1", "DestinationPrefix": "0.0.0.0/0"}]}]}]}],
 "endpoints": [
   {"Name": "web-1", "HostComputeNetwork": "web", "IpConfigurations": [{"IpAddress": "10.1.0.11"}]},
   {"Name": "web-2", "HostComputeNetwork": "web", "IpConfigurations": [{"IpAddress": "10.1.0.12"}]},
   {"Name": "web-3", "HostComputeNetwork": "web",
    "Policies": [{"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}}]}],
 "namespaces": [{"Type": "Host", "Resources": [{"Type": "Endpoint", "Data": {"ID": "web-1"}}]}],
 "loadBalancers": [{"HostComputeNetwork": "web", "HostComputeEndpoints": ["web-1", "web-2"],
   "FrontendVIPs": ["10.96.0.10"],
   "PortMappings": [{"Protocol": 6, "InternalPort": 8080, "ExternalPort": 80}]}],
 "routes": [{"HostComputeNetwork": "web", "HostComputeEndpoints": ["web-2"],
   "Setting": [{"DestinationPrefix": "10.2.0.0/16", "NextHop": "10.1.0.12"}]}]
}`

func parse(t testing.TB, s string) *apply.Desired {
	t.Helper()
	var d apply.Desired
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

func newSim(t testing.TB) (*hcnsim.Sim, *hcn.Client) {
	t.Helper()
	sim := hcnsim.New(nil)
	c, err := hcn.NewClient(&hcn.ClientOptions{Service: sim})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

// mutating counts the calls that change something.
func mutating(sim *hcnsim.Sim) uint64 {
	var n uint64
	for op, k := range sim.Stats().Calls {
		if strings.HasPrefix(op, "HcnCreate") || strings.HasPrefix(op, "HcnModify") || strings.HasPrefix(op, "HcnDelete") {
			n += k
		}
	}
	return n
}

func totalCalls(sim *hcnsim.Sim) uint64 {
	var n uint64
	for _, k := range sim.Stats().Calls {
		n += k
	}
	return n
}

// converge plans and applies, failing the test on error.
func converge(t testing.TB, c *hcn.Client, d *apply.Desired, o *apply.Options) *apply.Changes {
	t.Helper()
	ctx := context.Background()
	p, err := apply.Plan(ctx, c, d, o)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if _, err := apply.Apply(ctx, c, p, o); err != nil {
		t.Fatalf("Apply: %v\nplan:\n%s", err, p)
	}
	return p
}

// snapshot describes the host's objects for comparison: every document
// without the members the service fills.
func snapshot(t testing.TB, c *hcn.Client) string {
	t.Helper()
	st := apply.NewState()
	if err := st.Refresh(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, k := range []hcn.Kind{hcn.KindNetwork, hcn.KindEndpoint, hcn.KindNamespace, hcn.KindLoadBalancer, hcn.KindSDNRoute} {
		for _, d := range st.Objects(k) {
			b, _ := json.Marshal(d)
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			for _, x := range []string{"ID", "Version", "State", "Health", "MacAddress", "MacPool", "HostComputeNetwork",
				"HostComputeEndpoints", "HostComputeNamespace", "Resources", "NamespaceId"} {
				delete(m, x)
			}
			b, _ = json.Marshal(m)
			lines = append(lines, k.String()+" "+string(b))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
