package hcnsim

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

// TestChoiceHostDefaultNamespaces pins HostDefault namespaces as ordinary
// objects sharing the host's default compartment, as Microsoft's
// integration tests use them (HcnCreateTestNamespace).
func TestChoiceHostDefaultNamespaces(t *testing.T) {
	s := New(nil)
	n := listen(t, s)
	id := hcn.NewGUID()
	h, err := s.Create(hcn.KindNamespace, id, `{"Type":"HostDefault","NamespaceId":5,"SchemaVersion":{"Major":2,"Minor":0}}`)
	if err != nil || s.handleID(h) != id {
		t.Fatalf("HostDefault create: %v (id %s, want %s)", err, s.handleID(h), id)
	}
	m := props(t, s, hcn.KindNamespace, h)
	if m["Type"] != "HostDefault" || m["NamespaceId"] != float64(defaultCompartment) {
		t.Errorf("HostDefault namespace %v", m)
	}
	for _, c := range []struct {
		id  hcn.GUID
		doc string
	}{{HostDefaultNamespaceID, `{"Type":"HostDefault"}`}, {id, `{"Type":"Host"}`}} {
		_, err := s.Create(hcn.KindNamespace, c.id, c.doc)
		wantHR(t, err, hcn.ERROR_ALREADY_EXISTS, "namespace id in use")
	}
	hostID, _ := mustCreate(t, s, hcn.KindNamespace, `{"Type":"Host"}`)
	defaults := func() []hcn.GUID {
		return s.st.enumerate(hcn.KindNamespace, &query{filter: obj{"IsDefault": true}})
	}
	if got := defaults(); !slices.Equal(got, []hcn.GUID{HostDefaultNamespaceID, id}) {
		t.Errorf("IsDefault true: %v", got)
	}
	if got := s.st.enumerate(hcn.KindNamespace, &query{filter: obj{"IsDefault": false}}); !slices.Equal(got, []hcn.GUID{hostID}) {
		t.Errorf("IsDefault false: %v", got)
	}
	_, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "hd"))
	epID, eh := mustEndpoint(t, s, nh, `{}`)
	attach := fmt.Sprintf(`{"ResourceType":"Endpoint","RequestType":"Add","Settings":{"EndpointId":%q}}`, epID)
	if err := s.Modify(hcn.KindNamespace, h, attach); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(hcn.KindNamespace, id); err != nil {
		t.Fatalf("delete a HostDefault namespace: %v", err)
	}
	if _, ok := props(t, s, hcn.KindEndpoint, eh)["HostComputeNamespace"]; ok {
		t.Error("deleting the namespace did not detach the endpoint")
	}
	if got := defaults(); !slices.Equal(got, []hcn.GUID{HostDefaultNamespaceID}) {
		t.Errorf("IsDefault true after the delete: %v", got)
	}
	wantHR(t, s.Delete(hcn.KindNamespace, HostDefaultNamespaceID), hcn.HCN_E_REQUEST_UNSUPPORTED, "delete the host's own")
	names := map[hcn.GUID]string{id: "NS", epID: "EP", hostID: "HOST", s.handleID(nh): "NET"}
	want := []string{`NamespaceCreate {"ID":"NS","Flags":0}`, `NamespaceCreate {"ID":"HOST","Flags":0}`,
		`NetworkCreate {"ID":"NET","Flags":0}`,
		`NetworkEndpointAttached {"ID":"EP","Flags":0,"Data":{"HostComputeNamespace":"NS","HostComputeNetwork":"NET"}}`,
		`NetworkEndpointDetached {"ID":"EP","Flags":0,"Data":{"HostComputeNamespace":"NS","HostComputeNetwork":"NET"}}`,
		`NamespaceDelete {"ID":"NS","Flags":0}`}
	if got := n.stop(t, names); !slices.Equal(got, want) {
		t.Errorf("notifications\n got %q\nwant %q", got, want)
	}
}

// TestChoiceDeleteNetworkWithEndpoints pins that deleting a network with
// endpoints succeeds and deletes them as HcnDeleteEndpoint would.
func TestChoiceDeleteNetworkWithEndpoints(t *testing.T) {
	s := New(nil)
	netID, nh := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "gone"))
	pm := pmDoc(`{"Protocol":6,"InternalPort":80,"ExternalPort":8080}`)
	ep1, eh1 := mustEndpoint(t, s, nh, pm)
	ep2, _ := mustEndpoint(t, s, nh, `{}`)
	nsID, nsh := mustCreate(t, s, hcn.KindNamespace, fmt.Sprintf(`{"Resources":[{"Type":"Endpoint","Data":{"ID":%q}}]}`, ep2))
	lbID, lbh := mustCreate(t, s, hcn.KindLoadBalancer, fmt.Sprintf(`{"HostComputeEndpoints":[%q],"PortMappings":[{"Protocol":6,"InternalPort":80}]}`, ep1))
	n := listen(t, s)
	if err := s.Delete(hcn.KindNetwork, netID); err != nil {
		t.Fatalf("delete a network with endpoints: %v", err)
	}
	for _, id := range []hcn.GUID{ep1, ep2} {
		_, err := s.Open(hcn.KindEndpoint, id)
		wantHR(t, err, hcn.HCN_E_ENDPOINT_NOT_FOUND, "endpoint of the deleted network")
	}
	_, err := s.Query(hcn.KindEndpoint, eh1, "")
	wantHR(t, err, hcn.HCN_E_ENDPOINT_NOT_FOUND, "open handle to an endpoint of the deleted network")
	if m := props(t, s, hcn.KindNamespace, nsh); m["Resources"] != nil {
		t.Errorf("namespace still lists the endpoint: %v", m)
	}
	if eps := props(t, s, hcn.KindLoadBalancer, lbh)["HostComputeEndpoints"]; fmt.Sprint(eps) != "["+ep1.String()+"]" {
		t.Errorf("load balancer endpoints %v, want the dangling id", eps)
	}
	_, nh2 := mustCreate(t, s, hcn.KindNetwork, fmt.Sprintf(netDoc, "gone"))
	if err := createEndpointDoc(s, nh2, pm); err != nil {
		t.Errorf("the deleted endpoint's port mapping is still taken: %v", err)
	}
	names := map[hcn.GUID]string{netID: "NET", ep2: "EP2", nsID: "NS", lbID: "LB", s.handleID(nh2): "NET2"}
	want := []string{
		`NetworkEndpointDetached {"ID":"EP2","Flags":0,"Data":{"HostComputeNamespace":"NS","HostComputeNetwork":"NET"}}`,
		`NetworkDelete {"ID":"NET","Flags":0}`, `NetworkCreate {"ID":"NET2","Flags":0}`}
	if got := n.stop(t, names); !slices.Equal(got, want) {
		t.Errorf("notifications\n got %q\nwant %q", got, want)
	}
}

// notes records the notifications a Sim sends, in order.
type notes struct {
	s   *Sim
	h   hcn.Handle
	got []string
}

func listen(t *testing.T, s *Sim) *notes {
	t.Helper()
	n := &notes{s: s}
	h, err := s.RegisterServiceCallback(func(typ hcn.NotificationType, _ hcn.HRESULT, data string) {
		n.got = append(n.got, typ.String()+" "+data)
	})
	if err != nil {
		t.Fatal(err)
	}
	n.h = h
	return n
}

// stop unregisters (delivering what is queued) and returns the
// notifications' types, with the ids in data replaced by names.
func (n *notes) stop(t *testing.T, names map[hcn.GUID]string) []string {
	t.Helper()
	if err := n.s.UnregisterServiceCallback(n.h); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(n.got))
	for i, g := range n.got {
		for id, name := range names {
			g = strings.ReplaceAll(g, id.String(), name)
		}
		out[i] = g
	}
	return out
}
