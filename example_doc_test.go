package hcn_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"

	"github.com/hcnkit/hcn"
)

// A node's Internal network for its /28 slice: Static IPAM, a default route
// via network+1, no policies.
func ExampleInternalNetwork() {
	n, err := hcn.InternalNetwork("node-1", netip.MustParsePrefix("10.200.0.16/28"))
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(n)
	fmt.Println(string(b))
	// Output:
	// {"Name":"node-1","Type":"Internal","Ipams":[{"Type":"Static","Subnets":[{"IpAddressPrefix":"10.200.0.16/28","Routes":[{"NextHop":"10.200.0.17","DestinationPrefix":"0.0.0.0/0"}]}]}],"SchemaVersion":{"Major":2,"Minor":0}}
}

// A document read from the service keeps what the library does not model.
func ExampleNetwork_UnmarshalJSON() {
	var n hcn.Network
	_ = json.Unmarshal([]byte(`{"Name":"nat","Ipams":[{"Type":"static"}],"Health":{"LastErrorCode":0},"TotalEndpoints":3}`), &n)
	fmt.Println(n.Type, n.Ipams[0].Type.Is(hcn.IPAMTypeStatic), n.Unknown.Keys())
	n.Name = "renamed"
	b, _ := json.Marshal(n)
	fmt.Println(string(b))
	// Output:
	// NAT true [TotalEndpoints]
	// {"Name":"renamed","Ipams":[{"Type":"static"}],"Health":{"LastErrorCode":0},"TotalEndpoints":3}
}

// Validation names the member and the reason.
func ExampleNetwork_Validate() {
	var n hcn.Network
	_ = json.Unmarshal([]byte(`{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.0.0.0/24"},{"IpAddressPrefix":"10.0.0.0/33"}]}]}`), &n)
	err := n.Validate()
	var ve *hcn.ValidationError
	fmt.Println(errors.Is(err, hcn.ErrInvalid), errors.As(err, &ve) && ve.Path == "Ipams[0].Subnets[1].IpAddressPrefix")
	fmt.Println(err)
	// Output:
	// true true
	// hcn: invalid Ipams[0].Subnets[1].IpAddressPrefix "10.0.0.0/33": prefix length out of range
}

// Policies decode their settings by type.
func ExampleSettingsAs() {
	var p hcn.Policy
	_ = json.Unmarshal([]byte(`{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.0.0.0/8"]}}`), &p)
	if s, ok := hcn.SettingsAs[*hcn.OutboundNATPolicySetting](p); ok {
		fmt.Println(s.Exceptions)
	}
	// Output: [10.0.0.0/8]
}
