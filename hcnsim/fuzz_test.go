package hcnsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/hcnkit/hcn"
)

// FuzzDecoders feeds arbitrary documents, modify requests and queries to
// every kind: nothing may panic and every failure must be an *hcn.Error
// with a service error record.
func FuzzDecoders(f *testing.F) {
	seeds := []struct {
		kind          uint8
		doc, mod, qry string
	}{
		{1, `{"Name":"n","Type":"Transparent","Ipams":[{"Type":"static","Subnets":[{"IpAddressPrefix":"10.0.0.0/28","Routes":[{"NextHop":"10.0.0.1","DestinationPrefix":"0.0.0.0/0","Metric":0}],"IpSubnets":null}]},{"Type":"DHCP","Subnets":[]}],"Flags":0,"Policies":[{"Type":"NetAdapterName","Settings":{"NetworkAdapterName":"eth"}}]}`,
			`{"ResourceType":"Policy","RequestType":"Add","Settings":{"Policies":[{"Type":"RemoteSubnetRoute","Settings":{"DestinationPrefix":"192.168.2.0/24","IsolationId":5000}}]}}`,
			`{"SchemaVersion":{"Major":2,"Minor":0},"Flags":1,"Filter":"{\"Name\":\"n\"}"}`},
		{2, `{"SchemaVersion":{"Major":2,"Minor":16},"HostComputeNetwork":"b70c479d-f808-4053-aafa-705bc15b6d68","Policies":[],"MacAddress":null}`,
			`{"ResourceType":"Port","RequestType":"Add","Settings":{"PortId":"x","VirtualNicName":"y"}}`, `{"Filter":"{\"VirtualNetwork\":\"x\"}"}`},
		{2, `{"IpConfigurations":[{"IpAddress":"10.0.0.5","PrefixLength":28}],"Policies":[{"Type":"ACL","Settings":{"Action":"Allow","Direction":"In","Priority":101}}]}`,
			`{"ResourceType":"Policy","RequestType":"Update","Settings":{"Policies":[{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.0.0.0/8"]}}]}}`, ``},
		{3, `{"ID":"test-ns-id","Resources":[],"SchemaVersion":{"Major":2,"Minor":0}}`,
			`{"ResourceType":1,"RequestType":0,"Settings":{"EndpointId":"87fdcf16-d210-426e-959d-2a1d4f41d6d1"}}`, `{"Filter":"{\"IsDefault\":true}"}`},
		{4, `{"HostComputeEndpoints":["028abaed-7ff6-4fdc-992c-d3b004936be0"],"SourceVIP":"100.244.206.66","FrontendVIPs":["10.99.234.145"],"PortMappings":[{"Protocol":6,"InternalPort":8080,"ExternalPort":80}],"SchemaVersion":{"Major":2,"Minor":0}}`,
			`{"PortMappings":[{"Protocol":17,"InternalPort":53}]}`, `{"Flags":"None"}`},
		{5, `{"Setting":[{"DestinationPrefix":"11.0.0.0/8","NeedEncap":true}]}`, `{"Routes":[{"DestinationPrefix":"fd00::200/120"}]}`, `{ // Future }`},
		{6, `{}`, `{"ResourceType":"State","RequestType":"Update","Settings":{"State":"Paused"}}`, `{"Name":"WDAG",}`},
		{1, `{"Extensions":[1,null],"Ipams":[null,{"Subnets":[{"IpAddressPrefix":"10.1.0.0/24","IpSubnets":[{"IpAddressPrefix":"10.1.0.0/25"}]}]}]}`,
			`{"ResourceType":"Extension","RequestType":"Update","Settings":{"Id":"430bdadd-bab0-41ab-a369-94b67fa5be0a","IsEnabled":true}}`, `{"Filter":"{\"Extensions\":[1]}"}`},
		{1, `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.1.0.0/24"}]}]}`,
			`{"ResourceType":"IPSubnet","RequestType":"Remove","Settings":{"IpAddressPrefix":"10.1.0.0/25"}}`, `{"Flags":2}`},
		{1, `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.1.0.0/24"}]}]}`,
			`{"ResourceType":"Subnet","RequestType":"Remove","Settings":{"Subnets":[null,{"IpAddressPrefix":"10.1.0.0/24"}]}}`, ``},
		{3, `{"Type":"HostDefault"}`, `{"ResourceType":"Container","RequestType":"Add","Settings":{"ContainerId":"c"}}`, `{"Filter":"{\"IsDefault\":\"yes\"}"}`},
		{1, `{"Name":"x",}`, `{"ResourceType":"Policy","RequestType":"Add","Settings":"{}"}`, `{"ID":"","Type":0,}`},
	}
	for _, s := range seeds {
		f.Add(s.kind, s.doc, s.mod, s.qry)
	}
	f.Fuzz(func(t *testing.T, kind uint8, doc, mod, qry string) {
		s := New(nil)
		nh, err := s.Create(hcn.KindNetwork, hcn.NilGUID, `{"Ipams":[{"Subnets":[{"IpAddressPrefix":"10.0.0.0/24"}]}]}`)
		if err != nil {
			t.Fatal(err)
		}
		k := hcn.Kind(kind%6 + 1)
		var h hcn.Handle
		if k == hcn.KindEndpoint {
			h, err = s.CreateEndpoint(nh, hcn.NilGUID, doc)
		} else {
			h, err = s.Create(k, hcn.NilGUID, doc)
		}
		checkErr(t, "create", err)
		if err != nil {
			h, _ = s.Open(hcn.KindNetwork, s.handleID(nh))
			k = hcn.KindNetwork
		}
		checkErr(t, "modify", s.Modify(k, h, mod))
		_, err = s.Query(k, h, qry)
		checkErr(t, "query", err)
		_, err = s.Enumerate(k, qry)
		checkErr(t, "enumerate", err)
		_, err = s.HNSCall("GET", doc, mod)
		checkErr(t, "hnscall", err)
	})
}

func checkErr(t *testing.T, what string, err error) {
	if err == nil {
		return
	}
	var he *hcn.Error
	if !errors.As(err, &he) || he.Record == nil || !he.HRESULT.Failed() || he.Record.ErrorCode != uint32(he.HRESULT) {
		t.Fatalf("%s: not a service *hcn.Error with a record: %s", what, fmt.Sprintf("%#v", err))
	}
}

// FuzzSnapshot feeds arbitrary state files to the loader: it may refuse
// them but must not panic, and what it accepts must serve queries.
func FuzzSnapshot(f *testing.F) {
	s := New(nil)
	_, nh := mustCreateF(s, hcn.KindNetwork, `{"Name":"n","Ipams":[{"Subnets":[{"IpAddressPrefix":"10.0.0.0/24"}]}]}`)
	eh, _ := s.CreateEndpoint(nh, hcn.NilGUID, `{"Name":"e"}`)
	epID := s.handleID(eh)
	_, nsh := mustCreateF(s, hcn.KindNamespace, `{}`)
	s.Modify(hcn.KindNamespace, nsh, fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, epID))
	mustCreateF(s, hcn.KindLoadBalancer, fmt.Sprintf(`{"HostComputeEndpoints":[%q],"PortMappings":[{"Protocol":6,"InternalPort":80}]}`, epID))
	mustCreateF(s, hcn.KindGuestNetworkService, `{}`)
	snap := encodeSnapshot(s.st)
	snap.Lineage, snap.Generation = hcn.NewGUID(), 1
	data, _ := json.Marshal(snap)
	f.Add(data)
	f.Add([]byte(`{"Format":1,"Objects":[{"Kind":2,"Doc":{"ID":"00000000-0000-4000-8000-000000000001"}}]}`))
	f.Add([]byte(`{"Format":1,"Objects":[{"Kind":9,"Doc":{}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, st, err := decodeSnapshot(data)
		if err != nil {
			return
		}
		for _, k := range hcn.Kinds {
			st.enumerate(k, &query{})
			for _, o := range st.objs[k] {
				st.properties(o, &query{detailed: true})
			}
		}
	})
}

func mustCreateF(s *Sim, k hcn.Kind, doc string) (hcn.GUID, hcn.Handle) {
	h, err := s.Create(k, hcn.NilGUID, doc)
	if err != nil {
		panic(err)
	}
	return s.handleID(h), h
}
