package adapter

import (
	"testing"
)

// checkTable asserts what holds on any host: at least one adapter, each
// with a name, an index or LUID, and addresses and routes that parse.
func checkTable(t *testing.T, tab Table) {
	t.Helper()
	if len(tab.Adapters) == 0 {
		t.Fatal("ReadTable listed no adapters")
	}
	for _, a := range tab.Adapters {
		t.Logf("adapter %q (%s) index=%d luid=%#x type=%d tunnel=%d up=%v hardware=%v mac=%s metric=%d/%d addrs=%v gw=%v",
			a.Name, a.Description, a.Index, a.LUID, a.Type, a.TunnelType, a.Up, a.Hardware, a.MAC, a.Metric, a.Metric6, a.Addresses, a.Gateways)
		if a.Name == "" {
			t.Errorf("adapter index %d has no friendly name", a.Index)
		}
		if a.Index == 0 && a.LUID == 0 {
			t.Errorf("adapter %q has neither an index nor a LUID", a.Name)
		}
		if a.Type == 0 {
			t.Errorf("adapter %q has no interface type", a.Name)
		}
		for _, p := range a.Addresses {
			if !p.IsValid() {
				t.Errorf("adapter %q has an invalid address %v", a.Name, p)
			}
		}
	}
	for _, r := range tab.Routes {
		if !r.Prefix.IsValid() {
			t.Errorf("route %+v has an invalid prefix", r)
		}
	}
	t.Logf("%d adapters, %d routes", len(tab.Adapters), len(tab.Routes))
}

func TestReadTable(t *testing.T) {
	tab, err := ReadTable()
	if err != nil {
		t.Fatalf("ReadTable: %v", err)
	}
	checkTable(t, tab)
	// The host may have no hardware uplink (a container, a CI runner): only
	// log the choice.
	if a, err := UplinkFrom(tab, Options{}); err != nil {
		t.Logf("UplinkFrom: %v", err)
	} else {
		t.Logf("uplink: %q", a.Name)
	}
	// The override finds every listed adapter by its own name.
	for _, a := range tab.Adapters {
		if got, err := UplinkFrom(tab, Options{Override: a.Name}); err != nil || got.Name != a.Name {
			t.Errorf("override %q: got %q, %v", a.Name, got.Name, err)
		}
	}
}

// TestReadTableGrows starts with a buffer too small for any adapter, so
// GetAdaptersAddresses reports ERROR_BUFFER_OVERFLOW and the retry sizes it.
func TestReadTableGrows(t *testing.T) {
	old := startSize
	startSize = 16
	defer func() { startSize = old }()
	tab, err := ReadTable()
	if err != nil {
		t.Fatalf("ReadTable with a %d-byte first buffer: %v", startSize, err)
	}
	checkTable(t, tab)
}
