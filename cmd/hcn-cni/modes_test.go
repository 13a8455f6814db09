//go:build !windows

package main

import (
	"context"
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/containernetworking/cni/libcni"
	"github.com/hcnkit/hcn"
)

// listVersion is e.list with another cniVersion.
func (e *env) listVersion(plugin, version string) *libcni.NetworkConfigList {
	e.t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(plugin), &m); err != nil {
		e.t.Fatal(err)
	}
	m["hcnkit"] = map[string]any{"simState": e.state}
	b, _ := json.Marshal(map[string]any{"cniVersion": version, "name": m["name"], "plugins": []any{m}})
	l, err := libcni.ConfListFromBytes(b)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func TestModes(t *testing.T) {
	for _, tc := range []struct {
		conf string
		typ  hcn.NetworkType
	}{
		{`{"name":"o1","type":"sdnoverlay","ipam":{"subnet":"10.40.0.0/24"}}`, hcn.NetworkTypeOverlay},
		{`{"name":"o2","type":"hcn-cni","mode":"overlay","ipam":{"subnet":"10.41.0.0/24"}}`, hcn.NetworkTypeOverlay},
		{`{"name":"b1","type":"hcn-cni","mode":"L2Bridge","ipam":{"subnet":"10.42.0.0/24"},
			"AdditionalArgs":[{"Name":"NetworkPolicy","Value":{"Type":"NetAdapterName","Settings":{"NetworkAdapterName":"Ethernet"}}}]}`, hcn.NetworkTypeL2Bridge},
		{`{"name":"n1","type":"hcn-cni","mode":"nat","ipam":{"subnet":"10.43.0.0/24"}}`, hcn.NetworkTypeNAT},
	} {
		e := newEnv(t)
		ctx := context.Background()
		conf := tc.conf
		list := e.list(conf)
		if _, err := e.cni.AddNetworkList(ctx, list, rt("c", e.namespace())); err != nil {
			t.Errorf("%s: %v", tc.conf, err)
			continue
		}
		var name string
		_ = json.Unmarshal([]byte(conf), &struct{ Name *string }{&name})
		n, err := e.cl.GetNetworkByName(ctx, name)
		if err != nil || !typeName(n.Type).Is(tc.typ) {
			t.Errorf("%s: network %+v %v", tc.conf, n, err)
		}
		if err := e.cni.DelNetworkList(ctx, list, rt("c", "")); err != nil {
			t.Errorf("%s: DEL: %v", tc.conf, err)
		}
	}
}

func typeName(t hcn.NetworkType) hcn.NetworkType {
	if t == "" {
		return hcn.NetworkTypeNAT
	}
	return t
}

// TestWinBridgeExistingNetwork: win-bridge uses the network a node agent
// made; the service assigns the address.
func TestWinBridgeExistingNetwork(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n, err := hcn.InternalNetwork("cbr0", netip.MustParsePrefix("10.50.0.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	n.Type = hcn.NetworkTypeL2Bridge
	if _, err := e.cl.CreateNetwork(ctx, n); err != nil {
		t.Fatal(err)
	}
	list := e.list(`{"name":"cbr0","type":"win-bridge","apiVersion":2,"capabilities":{"portMappings":true,"dns":true},
		"ipMasq":true,"ipMasqNetwork":"10.50.0.0/16","dns":{"nameservers":["10.96.0.10"],"search":["svc.cluster.local"]},
		"policies":[{"name":"EndpointPolicy","value":{"Type":"SDNRoute","Settings":{"DestinationPrefix":"10.96.0.0/12","NeedEncap":true}}}]}`)
	r := rt("w1", e.namespace())
	if _, err := e.cni.AddNetworkList(ctx, list, r); err != nil {
		t.Fatal(err)
	}
	if err := e.cni.CheckNetworkList(ctx, list, r); err != nil {
		t.Errorf("CHECK: %v", err)
	}
	ep, err := e.cl.GetEndpointByName(ctx, "w1_cbr0")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ep.Policy(hcn.PolicyTypeSDNRoute); !ok {
		t.Errorf("policies %+v", ep.Policies)
	}
	if _, ok := ep.Policy(hcn.PolicyTypeOutBoundNAT); !ok {
		t.Errorf("policies %+v", ep.Policies)
	}
	if err := e.cni.DelNetworkList(ctx, list, r); err != nil {
		t.Fatal(err)
	}
	// The network stays.
	if _, err := e.cl.GetNetworkByName(ctx, "cbr0"); err != nil {
		t.Error(err)
	}
}

// TestOlderVersions runs the lifecycle at each older cniVersion the plugin
// supports (CHECK exists from 0.4.0).
func TestOlderVersions(t *testing.T) {
	for _, v := range []string{"0.3.0", "0.3.1", "0.4.0", "1.0.0"} {
		e := newEnv(t)
		ctx := context.Background()
		list := e.listVersion(natConf, v)
		r := rt("c", e.namespace())
		res, err := e.cni.AddNetworkList(ctx, list, r)
		if err != nil {
			t.Errorf("%s: ADD: %v", v, err)
			continue
		}
		if res.Version() != v {
			t.Errorf("%s: result version %s", v, res.Version())
		}
		if v == "0.4.0" || v == "1.0.0" {
			if err := e.cni.CheckNetworkList(ctx, list, r); err != nil {
				t.Errorf("%s: CHECK: %v", v, err)
			}
		}
		if err := e.cni.DelNetworkList(ctx, list, r); err != nil {
			t.Errorf("%s: DEL: %v", v, err)
		}
	}
}

// TestStaleEndpoint: an endpoint of the attachment's name outside the
// namespace (an ADD killed before the attach) is replaced.
func TestStaleEndpoint(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	list := e.list(natConf)
	if _, err := e.cni.AddNetworkList(ctx, list, rt("warm", e.namespace())); err != nil {
		t.Fatal(err)
	}
	n, _ := e.cl.GetNetworkByName(ctx, "natnet")
	stale, err := e.cl.CreateEndpoint(ctx, &hcn.Endpoint{Name: "c1_natnet", HostComputeNetwork: n.ID})
	if err != nil {
		t.Fatal(err)
	}
	ns := e.namespace()
	if _, err := e.cni.AddNetworkList(ctx, list, rt("c1", ns)); err != nil {
		t.Fatal(err)
	}
	ep, err := e.cl.GetEndpointByName(ctx, "c1_natnet")
	if err != nil {
		t.Fatal(err)
	}
	if ep.ID == stale.ID || !hcn.EqualFoldGUID(string(ep.HostComputeNamespace), ns) {
		t.Errorf("endpoint %s in %q; stale %s", ep.ID, ep.HostComputeNamespace, stale.ID)
	}
	if n := len(e.endpoints()); n != 2 {
		t.Errorf("%d endpoints", n)
	}
}
