package hcn

import (
	"errors"
	"testing"
)

func TestDocumentGUIDs(t *testing.T) {
	const id = "{5F0B1190-63BE-4E0C-B974-BD0F55675A42}"
	want := MustParseGUID(id)
	ep := &Endpoint{ID: id, HostComputeNetwork: want.String()}
	for name, get := range map[string]func() (GUID, error){
		"Network":             (&Network{ID: id}).GUID,
		"Endpoint":            ep.GUID,
		"Endpoint.Network":    ep.NetworkGUID,
		"Namespace":           (&Namespace{ID: id}).GUID,
		"LoadBalancer":        (&LoadBalancer{ID: id}).GUID,
		"SDNRoute":            (&SDNRoute{ID: id}).GUID,
		"GuestNetworkService": (&GuestNetworkService{ID: id}).GUID,
	} {
		if g, err := get(); err != nil || g != want {
			t.Errorf("%s: %v, %v", name, g, err)
		}
	}
	if g, err := ep.NamespaceGUID(); err != nil || !g.IsZero() {
		t.Errorf("empty namespace: %v, %v", g, err)
	}
	_, err := (&Namespace{ID: "test-ns-id"}).GUID()
	var ve *ValidationError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Path != "ID" {
		t.Errorf("bad id: %v", err)
	}
}
