//go:build !windows

package main

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	gocni "github.com/containerd/go-cni"
	"github.com/containernetworking/cni/libcni"
	"github.com/hcnkit/hcn"
)

// TestContainerdGoCNI drives the plugin binary through containerd's go-cni
// exactly as containerd's CRI plugin does on a Windows node: one network
// config list, the "eth" interface prefix, Setup with the pod's bare
// namespace GUID, the CNI_ARGS labels and the portMappings and dns
// capabilities (go-cni sends them with Go field names), Status, then Remove
// — and Remove again with an empty namespace, as containerd does when the
// namespace is already gone.
func TestContainerdGoCNI(t *testing.T) {
	libcni.CacheDir = filepath.Join(t.TempDir(), "cni-cache") // go-cni has no option for it
	e := newEnv(t)
	list := e.list(`{"name":"k8s-pod-network","type":"sdnbridge","capabilities":{"portMappings":true,"dns":true},
		"ipam":{"ranges":[[{"subnet":"10.30.0.0/24","gateway":"10.30.0.1"}]]},
		"dns":{"Nameservers":["10.96.0.10"],"Search":["svc.cluster.local"]}}`)
	c, err := gocni.New(gocni.WithPluginDir([]string{binDir}), gocni.WithInterfacePrefix("eth"),
		gocni.WithMinNetworkCount(1), gocni.WithConfListBytes(list.Bytes))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Status(); err != nil {
		t.Fatalf("Status: %v", err)
	}
	ctx := context.Background()
	ns := e.namespace()
	labels := map[string]string{"IgnoreUnknown": "1", "K8S_POD_NAMESPACE": "team", "K8S_POD_NAME": "web-0",
		"K8S_POD_INFRA_CONTAINER_ID": "sandbox1", "K8S_POD_UID": "6f8e2f4e-1"}
	opts := []gocni.NamespaceOpts{
		gocni.WithLabels(labels),
		gocni.WithCapabilityPortMap([]gocni.PortMapping{{HostPort: 8080, ContainerPort: 80, Protocol: "tcp"}}),
		gocni.WithCapabilityDNS(gocni.DNS{Servers: []string{"10.96.0.10"}, Searches: []string{"team.svc.cluster.local", "svc.cluster.local"}}),
	}
	res, err := c.Setup(ctx, "sandbox1", ns, opts...)
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	eth0 := res.Interfaces["eth0"]
	if eth0 == nil || len(eth0.IPConfigs) != 1 || eth0.Mac == "" {
		t.Fatalf("Setup result: interfaces %+v; want eth0 with one address and a MAC", res.Interfaces)
	}
	ip := eth0.IPConfigs[0].IP.String()
	if ip == "10.30.0.1" || eth0.IPConfigs[0].Gateway.String() != "10.30.0.1" {
		t.Errorf("eth0: address %s gateway %s; want an address of 10.30.0.0/24 other than the gateway, via 10.30.0.1", ip, eth0.IPConfigs[0].Gateway)
	}
	if len(res.DNS) == 0 || len(res.DNS[0].Nameservers) == 0 || res.DNS[0].Nameservers[0] != "10.96.0.10" {
		t.Errorf("DNS %+v; want the runtime's servers", res.DNS)
	}

	// The endpoint is in the pod's namespace, with the port mapping.
	eps := e.endpoints()
	if len(eps) != 1 || !eps[0].HostComputeNamespace.Equal(hcn.ID(ns)) {
		t.Fatalf("endpoints after Setup: %+v; want one in namespace %s", eps, ns)
	}
	if _, ok := eps[0].Policy(hcn.PolicyTypePortMapping); !ok {
		t.Errorf("the endpoint has no PortMapping policy: %+v", eps[0].Policies)
	}

	// Setup again for the same sandbox returns the same attachment.
	again, err := c.Setup(ctx, "sandbox1", ns, opts...)
	if err != nil || again.Interfaces["eth0"] == nil || again.Interfaces["eth0"].IPConfigs[0].IP.String() != ip {
		t.Fatalf("Setup again: %+v, %v; want %s", again, err, ip)
	}
	if n := len(e.endpoints()); n != 1 {
		t.Fatalf("%d endpoints after a repeated Setup", n)
	}

	if err := c.Remove(ctx, "sandbox1", ns, opts...); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if n := len(e.endpoints()); n != 0 {
		t.Fatalf("%d endpoints after Remove", n)
	}
	// containerd removes again with no namespace once the sandbox's
	// namespace is gone; it must succeed.
	if err := e.cl.DeleteNamespace(ctx, hcn.ID(ns), nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Remove(ctx, "sandbox1", "", opts...); err != nil {
		t.Fatalf("Remove without a namespace: %v", err)
	}

	// A second pod whose Setup fails (its host port is taken) leaves
	// nothing behind, and containerd's deferred Remove succeeds.
	ns1, ns2 := e.namespace(), e.namespace()
	if _, err := c.Setup(ctx, "sandbox2", ns1, opts...); err != nil {
		t.Fatal(err)
	}
	_, err = c.Setup(ctx, "sandbox3", ns2, opts...)
	if err == nil {
		t.Fatal("Setup with a host port already taken succeeded")
	}
	if errors.Is(err, gocni.ErrNotFound) {
		t.Errorf("a port conflict reads as not found: %v", err)
	}
	if err := c.Remove(ctx, "sandbox3", ns2, opts...); err != nil {
		t.Fatalf("Remove after a failed Setup: %v", err)
	}
	if err := c.Remove(ctx, "sandbox2", ns1, opts...); err != nil {
		t.Fatal(err)
	}
	if n := len(e.endpoints()); n != 0 {
		t.Fatalf("%d endpoints left", n)
	}
}
