package hcnsim

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

// pmDoc is an endpoint document with one PortMapping policy per settings.
func pmDoc(settings ...string) string {
	ps := make([]string, len(settings))
	for i, s := range settings {
		ps[i] = `{"Type":"PortMapping","Settings":` + s + `}`
	}
	return `{"Policies":[` + strings.Join(ps, ",") + `]}`
}

// portFixture is a Sim with one network and its handle.
func portFixture(t *testing.T) (*Sim, hcn.GUID, hcn.Handle) {
	t.Helper()
	s := New(nil)
	id, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "ports"))
	return s, id, nh
}

func createEndpointDoc(s *Sim, nh hcn.Handle, doc string) error {
	h, err := s.CreateEndpoint(nh, hcn.NilGUID, doc)
	if err == nil {
		s.Close(hcn.KindEndpoint, h)
	}
	return err
}

// TestChoicePortMappingCollisions pins which pairs of endpoint port
// mappings share a host port: same IP protocol, same external port (0:
// the internal one) and same VIP (none, or an unspecified one, being the
// host's own addresses of the family NatFlags says).
func TestChoicePortMappingCollisions(t *testing.T) {
	for _, c := range []struct {
		name         string
		first, other string
		want         hcn.HRESULT
	}{
		{"same protocol and external port", `{"Protocol":17,"InternalPort":45678,"ExternalPort":56789}`,
			`{"Protocol":17,"InternalPort":45678,"ExternalPort":56789}`, hcn.HCN_E_PORT_ALREADY_EXISTS},
		{"other internal port", `{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`,
			`{"Protocol":6,"InternalPort":81,"ExternalPort":8080}`, hcn.HCN_E_PORT_ALREADY_EXISTS},
		{"other protocol", `{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`,
			`{"Protocol":17,"InternalPort":80,"ExternalPort":8080}`, 0},
		{"other external port", `{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`,
			`{"Protocol":6,"InternalPort":80,"ExternalPort":8081}`, 0},
		{"external 0 is the internal port", `{"Protocol":6,"InternalPort":8080}`,
			`{"Protocol":6,"InternalPort":9,"ExternalPort":8080}`, hcn.HCN_E_PORT_ALREADY_EXISTS},
		{"same VIP", `{"Protocol":6,"InternalPort":80,"ExternalPort":80,"VIP":"10.0.0.5"}`,
			`{"Protocol":6,"InternalPort":80,"ExternalPort":80,"VIP":"10.0.0.5"}`, hcn.HCN_E_PORT_ALREADY_EXISTS},
		{"other VIP", `{"Protocol":6,"InternalPort":80,"ExternalPort":80,"VIP":"10.0.0.5"}`,
			`{"Protocol":6,"InternalPort":80,"ExternalPort":80,"VIP":"10.0.0.6"}`, 0},
		{"VIP and no VIP", `{"Protocol":6,"InternalPort":80,"ExternalPort":80,"VIP":"10.0.0.5"}`,
			`{"Protocol":6,"InternalPort":80,"ExternalPort":80}`, 0},
		{"0.0.0.0 is no VIP", `{"Protocol":6,"InternalPort":80,"ExternalPort":80}`,
			`{"Protocol":6,"InternalPort":80,"ExternalPort":80,"VIP":"0.0.0.0"}`, hcn.HCN_E_PORT_ALREADY_EXISTS},
		{"IPv4 and IPv6 host addresses", `{"Protocol":6,"InternalPort":80,"ExternalPort":80}`,
			`{"Protocol":6,"InternalPort":80,"ExternalPort":80,"Flags":2}`, 0},
		{"IPv6 flag and VIP ::", `{"Protocol":6,"InternalPort":80,"ExternalPort":80,"Flags":2}`,
			`{"Protocol":6,"InternalPort":80,"ExternalPort":80,"VIP":"::"}`, hcn.HCN_E_PORT_ALREADY_EXISTS},
		{"no ports take nothing", `{"Protocol":6}`, `{"Protocol":6}`, 0},
		{"unparsable VIP", `{"Protocol":6,"InternalPort":1}`,
			`{"Protocol":6,"InternalPort":80,"VIP":"10.0.0.300"}`, hcn.HCN_E_INVALID_IP},
		{"protocol of the wrong type", `{"Protocol":6,"InternalPort":1}`,
			`{"Protocol":"TCP","InternalPort":80}`, hcn.HCN_E_INVALID_JSON},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _, nh := portFixture(t)
			if err := createEndpointDoc(s, nh, pmDoc(c.first)); err != nil {
				t.Fatal(err)
			}
			err := createEndpointDoc(s, nh, pmDoc(c.other))
			if c.want == 0 {
				if err != nil {
					t.Errorf("second endpoint: %v", err)
				}
				return
			}
			wantHR(t, err, c.want, "second endpoint")
		})
	}
}

func TestChoicePortMappingWithinOneEndpointAndRemote(t *testing.T) {
	s, _, nh := portFixture(t)
	pm := `{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`
	wantHR(t, createEndpointDoc(s, nh, pmDoc(pm, pm)), hcn.HCN_E_PORT_ALREADY_EXISTS, "one endpoint mapping a port twice")
	remote := `{"Flags":1,"IpConfigurations":[{"IpAddress":"10.9.9.9"}],` + pmDoc(pm)[1:]
	if err := createEndpointDoc(s, nh, remote); err != nil {
		t.Fatalf("remote endpoint: %v", err)
	}
	if err := createEndpointDoc(s, nh, pmDoc(pm)); err != nil {
		t.Fatalf("a remote endpoint's mapping took the host port: %v", err)
	}
	if err := createEndpointDoc(s, nh, remote); err != nil {
		t.Errorf("a remote endpoint collided with a local mapping: %v", err)
	}
	if n := s.Stats().Objects[hcn.KindEndpoint]; n != 3 {
		t.Errorf("%d endpoints, want 3 (the failed create left one)", n)
	}
}

// TestChoicePortMappingAndLoadBalancers pins that endpoint mappings and
// load balancer frontends share one index of host ports.
func TestChoicePortMappingAndLoadBalancers(t *testing.T) {
	s, _, nh := portFixture(t)
	ep, _ := mustEndpoint(t, s, nh, `{}`)
	lb := func(vips string, ext int) string {
		return fmt.Sprintf(`{"HostComputeEndpoints":[%q],"FrontendVIPs":%s,"PortMappings":[{"Protocol":6,"InternalPort":80,"ExternalPort":%d}]}`, ep, vips, ext)
	}
	lbID, _ := mustCreate(t, s, hcn.KindLoadBalancer, lb(`[]`, 30080))
	mustCreate(t, s, hcn.KindLoadBalancer, lb(`["10.96.0.10"]`, 8080))
	wantHR(t, createEndpointDoc(s, nh, pmDoc(`{"Protocol":6,"InternalPort":80,"ExternalPort":30080}`)),
		hcn.HCN_E_PORT_ALREADY_EXISTS, "mapping on a host-address frontend's port")
	if err := createEndpointDoc(s, nh, pmDoc(`{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`)); err != nil {
		t.Errorf("mapping on the host's addresses vs a frontend on a VIP: %v", err)
	}
	_, err := s.Create(hcn.KindLoadBalancer, hcn.NilGUID, lb(`[]`, 8080))
	wantHR(t, err, hcn.HCN_E_PORT_ALREADY_EXISTS, "frontend on a mapped host port")
	if err := s.Delete(hcn.KindLoadBalancer, lbID); err != nil {
		t.Fatal(err)
	}
	if err := createEndpointDoc(s, nh, pmDoc(`{"Protocol":6,"InternalPort":80,"ExternalPort":30080}`)); err != nil {
		t.Errorf("the deleted load balancer's port is still taken: %v", err)
	}
}

// TestChoicePortMappingAndReservations pins that a mapping on the host's
// addresses and a guest network service port reservation of an
// overlapping protocol exclude each other, whichever comes first.
func TestChoicePortMappingAndReservations(t *testing.T) {
	s, _, nh := portFixture(t)
	_, gh := mustCreate(t, s, hcn.KindGuestNetworkService, `{}`)
	if _, err := s.ReserveGuestNetworkServicePort(gh, hcn.PortProtocolTCP, hcn.PortAccessShared, 5000); err != nil {
		t.Fatal(err)
	}
	wantHR(t, createEndpointDoc(s, nh, pmDoc(`{"Protocol":6,"InternalPort":80,"ExternalPort":5000}`)),
		hcn.HCN_E_PORT_ALREADY_EXISTS, "mapping on a reserved port")
	for _, pm := range []string{`{"Protocol":17,"InternalPort":80,"ExternalPort":5000}`,
		`{"Protocol":6,"InternalPort":80,"ExternalPort":5000,"VIP":"10.0.0.5"}`,
		`{"Protocol":6,"InternalPort":80,"ExternalPort":6000}`} {
		if err := createEndpointDoc(s, nh, pmDoc(pm)); err != nil {
			t.Errorf("%s: %v", pm, err)
		}
	}
	for _, c := range []struct {
		p    hcn.PortProtocol
		a    hcn.PortAccess
		port uint16
		ok   bool
	}{{hcn.PortProtocolTCP, hcn.PortAccessShared, 6000, false}, {hcn.PortProtocolBoth, hcn.PortAccessExclusive, 6000, false},
		{hcn.PortProtocolUDP, hcn.PortAccessExclusive, 6000, true}, {hcn.PortProtocolTCP, hcn.PortAccessExclusive, 6001, true}} {
		h, err := s.ReserveGuestNetworkServicePort(gh, c.p, c.a, c.port)
		if c.ok && err != nil {
			t.Errorf("reserve %v %d: %v", c.p, c.port, err)
		}
		if !c.ok {
			wantHR(t, err, hcn.HCN_E_PORT_ALREADY_EXISTS, fmt.Sprintf("reserve %v %d over a mapping", c.p, c.port))
		}
		if err == nil {
			s.ReleaseGuestNetworkServicePortReservation(h)
		}
	}
}

func TestChoicePortMappingRangeSkipsMappedPorts(t *testing.T) {
	s := New(&Options{EphemeralPorts: hcn.PortRange{Start: 40000, End: 40009}})
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "n"))
	_, gh := mustCreate(t, s, hcn.KindGuestNetworkService, `{}`)
	if err := createEndpointDoc(s, nh, pmDoc(`{"Protocol":17,"InternalPort":53,"ExternalPort":40002}`)); err != nil {
		t.Fatal(err)
	}
	r, h, err := s.ReserveGuestNetworkServicePortRange(gh, 3)
	if err != nil || r.Start != 40003 || r.End != 40005 {
		t.Errorf("range %v, %v; want 40003-40005", r, err)
	}
	s.ReleaseGuestNetworkServicePortReservation(h)
}

// TestChoicePortMappingModify pins that Policy requests of
// HcnModifyEndpoint keep the host ports of the endpoint in step with its
// PortMapping policies, and that a colliding request changes nothing.
func TestChoicePortMappingModify(t *testing.T) {
	s, _, nh := portFixture(t)
	a := `{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`
	b := `{"Protocol":6,"InternalPort":80,"ExternalPort":8081}`
	c := `{"Protocol":6,"InternalPort":80,"ExternalPort":8082}`
	_, eh := mustEndpoint(t, s, nh, pmDoc(a))
	_, other := mustEndpoint(t, s, nh, pmDoc(b))
	req := func(rt, pm string) string {
		return `{"ResourceType":"Policy","RequestType":"` + rt + `","Settings":` + pmDoc(pm) + `}`
	}
	// taken probes with an endpoint mapping pm, deleted again at once.
	taken := func(pm string) bool {
		h, err := s.CreateEndpoint(nh, hcn.NilGUID, pmDoc(pm))
		if err != nil {
			wantHR(t, err, hcn.HCN_E_PORT_ALREADY_EXISTS, "probe "+pm)
			return true
		}
		id := s.handleID(h)
		s.Close(hcn.KindEndpoint, h)
		if err := s.Delete(hcn.KindEndpoint, id); err != nil {
			t.Fatal(err)
		}
		return false
	}
	wantHR(t, s.Modify(hcn.KindEndpoint, eh, req("Add", b)), hcn.HCN_E_PORT_ALREADY_EXISTS, "Add a taken mapping")
	if got := len(props(t, s, hcn.KindEndpoint, eh)["Policies"].([]any)); got != 1 {
		t.Errorf("failed Add left %d policies", got)
	}
	steps := []struct {
		req        string
		free, busy []string
	}{
		{req("Add", c), nil, []string{a, c}},
		{req("Remove", a), []string{a}, []string{c}},
		{req("Update", a), []string{c}, []string{a}},
		{`{"ResourceType":"Policy","RequestType":"Reset"}`, []string{a, c}, nil},
	}
	for _, st := range steps {
		if err := s.Modify(hcn.KindEndpoint, eh, st.req); err != nil {
			t.Fatalf("%s: %v", st.req, err)
		}
		for _, pm := range st.free {
			if taken(pm) {
				t.Errorf("after %s: %s still taken", st.req, pm)
			}
		}
		for _, pm := range st.busy {
			if !taken(pm) {
				t.Errorf("after %s: %s free", st.req, pm)
			}
		}
	}
	if err := s.Delete(hcn.KindEndpoint, s.handleID(other)); err != nil {
		t.Fatal(err)
	}
	if taken(b) {
		t.Error("a deleted endpoint's mapping is still taken")
	}
}

// TestChoicePortMappingPersisted pins that the index is rebuilt from the
// state file: a second Sim sharing it sees the first one's mappings.
func TestChoicePortMappingPersisted(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	a := New(&Options{StateFile: file})
	netID, nh := mustCreate(t, a, hcn.KindNetwork, fmt.Sprintf(netDoc, "shared"))
	pm := pmDoc(`{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`)
	epID, _ := mustEndpoint(t, a, nh, pm)
	b := New(&Options{StateFile: file})
	bh, err := b.Open(hcn.KindNetwork, netID)
	if err != nil {
		t.Fatal(err)
	}
	wantHR(t, createEndpointDoc(b, bh, pm), hcn.HCN_E_PORT_ALREADY_EXISTS, "mapping taken in another Sim")
	if err := b.Delete(hcn.KindEndpoint, epID); err != nil {
		t.Fatal(err)
	}
	if err := createEndpointDoc(a, nh, pm); err != nil {
		t.Errorf("port freed in another Sim: %v", err)
	}
}
