package apply_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/apply"
	"github.com/hcnkit/hcn/hcnsim"
)

func Example() {
	ctx := context.Background()
	c, _ := hcn.NewClient(&hcn.ClientOptions{Service: hcnsim.New(nil)})

	var d apply.Desired
	_ = json.Unmarshal([]byte(`{
	  "networks": [{"Name": "web", "Type": "Internal",
	    "Ipams": [{"Type": "Static", "Subnets": [{"IpAddressPrefix": "10.1.0.0/24",
	      "Routes": [{"NextHop": "10.1.0.1", "DestinationPrefix": "0.0.0.0/0"}]}]}]}],
	  "endpoints": [{"Name": "web-1", "HostComputeNetwork": "web"}],
	  "loadBalancers": [{"HostComputeNetwork": "web", "HostComputeEndpoints": ["web-1"],
	    "FrontendVIPs": ["10.96.0.10"], "PortMappings": [{"Protocol": 6, "InternalPort": 8080, "ExternalPort": 80}]}]
	}`), &d)
	o := &apply.Options{Owner: "example", Prune: true}

	plan, err := apply.Plan(ctx, c, &d, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(plan)
	if _, err := apply.Apply(ctx, c, plan, o); err != nil {
		fmt.Println(err)
		return
	}

	// The same state again: nothing to do. The cache makes it cheap.
	o.Observed = plan.Observed
	plan, _ = apply.Plan(ctx, c, &d, o)
	fmt.Print(plan)
	// Output:
	// + network web
	// + endpoint web-1
	// + loadbalancer 10.96.0.10:tcp/80
	// no changes
}

func ExamplePlan_badReference() {
	c, _ := hcn.NewClient(&hcn.ClientOptions{Service: hcnsim.New(nil)})
	d := &apply.Desired{Endpoints: []*hcn.Endpoint{{Name: "web-1", HostComputeNetwork: "web2"}}}
	_, err := apply.Plan(context.Background(), c, d, nil)
	fmt.Println(err)
	// Output:
	// endpoints[0].HostComputeNetwork "web2": no such network
}
