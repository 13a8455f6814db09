package winetest

import (
	"errors"
	"os"
	"testing"

	"github.com/hcnkit/hcn"
)

// Tests of the host service's own boundary rules, through the stand-in.

func TestEnumerateFreesResult(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	before := freedBuffers(t)
	for i := 0; i < 10; i++ {
		ids, err := svc.Enumerate(hcn.KindNetwork, "")
		if err != nil {
			t.Fatalf("Enumerate: %v", err)
		}
		if ids == "" {
			t.Fatalf("Enumerate returned no JSON")
		}
	}
	if got := freedBuffers(t) - before; got != 10 {
		t.Errorf("the stand-in saw %d frees for 10 results, want 10", got)
	}
}

func TestFailureRecordParsedAndFreed(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	injectFault(t, hcn.OpEnumerateNetworks, 1, hcn.HCN_E_MANAGER_STOPPED)
	_, err := svc.Enumerate(hcn.KindNetwork, "")
	var e *hcn.Error
	if !errors.As(err, &e) {
		t.Fatalf("Enumerate error = %v, want *hcn.Error", err)
	}
	if e.Op != hcn.OpEnumerateNetworks || e.HRESULT != hcn.HCN_E_MANAGER_STOPPED || e.Record == nil ||
		e.Record.HRESULT() != hcn.HCN_E_MANAGER_STOPPED || !errors.Is(err, hcn.ErrTransient) {
		t.Errorf("error = %#v (record %+v), want HcnEnumerateNetworks HCN_E_MANAGER_STOPPED with its record", e, e.Record)
	}
}

func TestSFalseIsSuccessAndItsRecordIsFreed(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	setSuccessCode(t, hcn.S_FALSE, true)
	if _, err := svc.Enumerate(hcn.KindNetwork, ""); err != nil {
		t.Fatalf("Enumerate with S_FALSE: %v, want success", err)
	}
	id, h := openNetwork(t, svc) // create and query return S_FALSE too
	closeOK(t, svc, hcn.KindNetwork, h)
	if err := svc.Delete(hcn.KindNetwork, id); err != nil {
		t.Fatalf("Delete with S_FALSE: %v, want success", err)
	}
	if err := svc.Delete(hcn.KindNetwork, id); !errors.Is(err, hcn.ErrNotFound) {
		t.Fatalf("Delete of a deleted network: %v, want ErrNotFound", err)
	}
}

func TestEmbeddedNULRejectedBeforeAnyCall(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	before := callCount(t, "")
	_, err := svc.Enumerate(hcn.KindNetwork, "{\"a\":\x00}")
	if !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("Enumerate with a NUL: %v, want ErrInvalid", err)
	}
	if _, err := svc.Create(hcn.KindNetwork, hcn.NilGUID, "x\x00y"); !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("Create with a NUL: %v, want ErrInvalid", err)
	}
	if _, err := svc.HNSCall("GET", "/globals/\x00version", ""); !errors.Is(err, hcn.ErrInvalid) {
		t.Errorf("HNSCall with a NUL: %v, want ErrInvalid", err)
	}
	if got := callCount(t, "") - before; got != 0 {
		t.Errorf("%d DLL call(s) made for inputs with a NUL, want 0", got)
	}
}

func TestUnknownHandleIsInvalidHandle(t *testing.T) {
	simReset(t)
	svc := newHost(t)
	if _, err := svc.Query(hcn.KindNetwork, 12345, ""); !errors.Is(err, hcn.ErrInvalidHandle) {
		t.Errorf("Query on a never-issued handle: %v, want ErrInvalidHandle", err)
	}
	if err := svc.Close(hcn.KindNetwork, 0); !errors.Is(err, hcn.ErrInvalidHandle) {
		t.Errorf("Close(0): %v, want ErrInvalidHandle", err)
	}
}

// TestMissingExport runs against the stand-in built without
// HcnQueryEndpointAddresses (scripts/wine-test.sh swaps it in and sets
// HCNKIT_SIMDLL_VARIANT=noexport).
func TestMissingExport(t *testing.T) {
	if os.Getenv("HCNKIT_SIMDLL_VARIANT") != "noexport" {
		t.Skip("needs the stand-in built with -tags simdll_noexport")
	}
	simReset(t)
	svc := newHost(t)
	if err := procQueryAddresses.Find(); err == nil {
		t.Fatalf("HcnQueryEndpointAddresses is exported: this is not the noexport stand-in")
	}
	_, nh := openNetwork(t, svc)
	defer closeOK(t, svc, hcn.KindNetwork, nh)
	eh, err := svc.CreateEndpoint(nh, hcn.NilGUID, `{"SchemaVersion":{"Major":2,"Minor":0},"Name":"noexport-ep"}`)
	if err != nil {
		t.Fatalf("create endpoint: %v", err)
	}
	defer closeOK(t, svc, hcn.KindEndpoint, eh)
	calls := callCount(t, "")
	_, err = svc.QueryEndpointAddresses(eh, "")
	if n := callCount(t, "") - calls; n != 0 {
		t.Errorf("%d DLL call(s) made for a missing export", n)
	}
	var e *hcn.Error
	if !errors.Is(err, hcn.ErrNotSupported) || !errors.As(err, &e) || e.Op != hcn.OpQueryEndpointAddresses {
		t.Fatalf("QueryEndpointAddresses without the export: %v, want *Error HcnQueryEndpointAddresses wrapping ErrNotSupported", err)
	}
	// The other exports still work.
	if _, err := svc.QueryEndpointStats(eh, ""); err != nil {
		t.Errorf("QueryEndpointStats on the noexport stand-in: %v", err)
	}
}

var procQueryAddresses = simDLL.NewProc(hcn.OpQueryEndpointAddresses)
