package hcn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestHRESULTString(t *testing.T) {
	tests := []struct {
		hr   HRESULT
		want string
	}{
		{HCN_E_ADDR_INVALID_OR_RESERVED, "HCN_E_ADDR_INVALID_OR_RESERVED (0x803B002F)"},
		{HCN_E_NETWORK_NOT_FOUND, "HCN_E_NETWORK_NOT_FOUND (0x803B0001)"},
		{HCN_INTERFACEPARAMETERS_ALREADY_APPLIED, "HCN_INTERFACEPARAMETERS_ALREADY_APPLIED (0x803B0036)"},
		{ERROR_NOT_FOUND, "ERROR_NOT_FOUND (0x80070490)"},
		{0x800704D2, "WIN32 ERROR 1234 (0x800704D2)"},
		{0x80041234, "HRESULT 0x80041234"},
	}
	for _, tt := range tests {
		if got := tt.hr.String(); got != tt.want {
			t.Errorf("%#x.String() = %q, want %q", uint32(tt.hr), got, tt.want)
		}
	}
	// Every HCN code 0x803B0001..0x803B0037 has a name.
	for c := HRESULT(0x803B0001); c <= 0x803B0037; c++ {
		if c.Name() == "" {
			t.Errorf("0x%08X has no name", uint32(c))
		}
		if !strings.HasPrefix(c.Name(), "HCN_") && !strings.HasPrefix(c.Name(), "GCN_") {
			t.Errorf("0x%08X named %q", uint32(c), c.Name())
		}
	}
}

func TestHRESULTWin32(t *testing.T) {
	if code, ok := ERROR_NOT_FOUND.Win32(); !ok || code != 1168 {
		t.Fatalf("Win32() = %d %v", code, ok)
	}
	if _, ok := HCN_E_NETWORK_NOT_FOUND.Win32(); ok {
		t.Fatal("HCN code read as FACILITY_WIN32")
	}
	if HRESULTFromWin32(1168) != ERROR_NOT_FOUND || HRESULTFromWin32(0) != S_OK {
		t.Fatal("HRESULTFromWin32")
	}
	if S_FALSE.Failed() || S_OK.Failed() || !E_FAIL.Failed() {
		t.Fatal("Failed")
	}
}

func TestSentinelMapping(t *testing.T) {
	tests := []struct {
		hr   HRESULT
		want error
	}{
		{HCN_E_NETWORK_NOT_FOUND, ErrNotFound},
		{HCN_E_ENDPOINT_NOT_FOUND, ErrNotFound},
		{ERROR_NOT_FOUND, ErrNotFound},
		{HCN_E_PORT_NOT_FOUND, ErrNotFound},
		{HCN_E_NETWORK_ALREADY_EXISTS, ErrAlreadyExists},
		{ERROR_ALREADY_EXISTS, ErrAlreadyExists},
		{ERROR_OBJECT_ALREADY_EXISTS, ErrAlreadyExists},
		{HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, ErrAlreadyExists},
		{E_ACCESSDENIED, ErrAccessDenied},
		{E_INVALIDARG, ErrInvalid},
		{HCN_E_INVALID_JSON, ErrInvalid},
		{HCN_E_INVALID_POLICY, ErrInvalid},
		{HCN_E_INVALID_IP, ErrInvalid},
		{HCN_E_INVALID_PREFIX, ErrInvalid},
		{HCN_E_ADDR_INVALID_OR_RESERVED, ErrAddressReserved},
		{HCN_E_PORT_ALREADY_EXISTS, ErrPortInUse},
		{E_NOTIMPL, ErrNotSupported},
		{ERROR_PROC_NOT_FOUND, ErrNotSupported},
		{RPC_S_SERVER_UNAVAILABLE, ErrTransient},
		{RPC_S_CALL_FAILED, ErrTransient},
		{HCN_E_MANAGER_STOPPED, ErrTransient},
		{ERROR_NOT_READY, ErrTransient},
		{E_HANDLE, ErrInvalidHandle},
		{HCN_E_ENTITY_HAS_REFERENCES, ErrInUse},
	}
	all := []error{ErrNotFound, ErrAlreadyExists, ErrAccessDenied, ErrInvalid, ErrAddressReserved, ErrPortInUse,
		ErrNotSupported, ErrTransient, ErrInvalidHandle, ErrInUse}
	for _, tt := range tests {
		err := fmt.Errorf("wrapped: %w", NewError(OpOpenNetwork, KindNetwork, "x", tt.hr, ""))
		for _, s := range all {
			if got := errors.Is(err, s); got != (s == tt.want) {
				t.Errorf("errors.Is(%v, %v) = %v", tt.hr, s, got)
			}
		}
		if !errors.Is(err, tt.hr) {
			t.Errorf("errors.Is(err, %v) = false", tt.hr)
		}
		var e *Error
		if !errors.As(err, &e) || e.HRESULT != tt.hr {
			t.Errorf("errors.As lost the *Error for %v", tt.hr)
		}
	}
	// Transient is never not-found.
	for hr, info := range hresults {
		if info.class == ErrTransient && errors.Is(hr, ErrNotFound) {
			t.Errorf("%v is both transient and not found", hr)
		}
	}
}

func TestErrorFormatting(t *testing.T) {
	rec := `{"Success":false,"Error":"An address provided is invalid or reserved. ","ErrorCode":2151350319}`
	err := NewError(OpCreateEndpoint, KindEndpoint, "5f0b1190-63be-4e0c-b974-bd0f55675a42", HCN_E_ADDR_INVALID_OR_RESERVED, rec)
	want := "HcnCreateEndpoint endpoint 5f0b1190-63be-4e0c-b974-bd0f55675a42: HCN_E_ADDR_INVALID_OR_RESERVED (0x803B002F): An address provided is invalid or reserved."
	if err.Error() != want {
		t.Fatalf("got  %q\nwant %q", err.Error(), want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Record.HRESULT() != HCN_E_ADDR_INVALID_OR_RESERVED || !e.Record.IsJSON() {
		t.Fatalf("record not parsed: %+v", e.Record)
	}
	if NewError(OpCloseNetwork, KindNetwork, "", S_FALSE, "") != nil {
		t.Fatal("success code gave an error")
	}
}

func TestParseErrorRecord(t *testing.T) {
	if ParseErrorRecord("") != nil || ParseErrorRecord("  \n") != nil {
		t.Fatal("blank record not nil")
	}
	r := ParseErrorRecord("The RPC server is unavailable.")
	if r.IsJSON() || r.Message() != "The RPC server is unavailable." || r.Raw == "" {
		t.Fatalf("verbatim record: %+v", r)
	}
	r = ParseErrorRecord(`{"Success":false,"Error":"The switch-port was not found. ","ErrorCode":2151350279}`)
	if r.HRESULT() != HCN_E_PORT_NOT_FOUND || r.Message() != "The switch-port was not found." {
		t.Fatalf("record: %+v", r)
	}
	r = ParseErrorRecord(`{"Success":false,"Error":"x","ErrorCode":-2147024809}`)
	if r.HRESULT() != E_INVALIDARG {
		t.Fatalf("negative ErrorCode: %v", r.HRESULT())
	}
}

func FuzzParseErrorRecord(f *testing.F) {
	for _, s := range []string{
		`{"Success":false,"Error":"The switch-port was not found. ","ErrorCode":2151350279}`,
		`{"Success":true}`, `not json`, `{"ErrorCode":"x"}`, `{"ErrorCode":1e40}`, `[]`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := ParseErrorRecord(s)
		if r == nil {
			return
		}
		_ = r.Message()
		if r.Raw != s {
			t.Fatalf("Raw = %q, want %q", r.Raw, s)
		}
		_ = (&Error{Op: "x", HRESULT: r.HRESULT(), Record: r}).Error()
	})
}

func TestKinds(t *testing.T) {
	if OpName(VerbEnumerate, KindSDNRoute) != OpEnumerateSDNRoutes ||
		OpName(VerbQuery, KindEndpoint) != OpQueryEndpoint ||
		OpName(VerbCreate, KindGuestNetworkService) != OpCreateGuestNetworkService {
		t.Fatal("OpName")
	}
	for _, k := range Kinds {
		for _, s := range []string{k.String(), k.API(), strings.ToUpper(k.String()) + "S"} {
			if got, err := ParseKind(s); err != nil || got != k {
				t.Errorf("ParseKind(%q) = %v, %v", s, got, err)
			}
		}
	}
	if _, err := ParseKind("bogus"); !errors.Is(err, ErrInvalid) {
		t.Fatal("ParseKind(bogus)")
	}
}

// TestErrorPrefixOnce checks that no error names the package twice ("hcn:
// hcn: ..."), whichever layers wrapped it.
func TestErrorPrefixOnce(t *testing.T) {
	ctx := context.Background()
	c, err := NewClient(&ClientOptions{Service: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(NewClient(&ClientOptions{ListParallelism: -1}))
	add(ParseGUID("nope"))
	add(ParseVersion("x.y"))
	add(ParseFeature("nope"))
	add(ParseKind("nope"))
	add(nil, (&Extra{}).Set("k", []byte("{")))
	add(ParseEvent(NotificationNetworkCreate, S_OK, `{"ID":"nope"}`))
	add(ParseEndpointStats(`{"BytesSent":-1}`))
	add(MarshalForCreate(nil))
	add(c.GetNetwork(ctx, "nope"))
	add(c.CreateNetwork(ctx, &Network{Name: "n", Ipams: []IPAM{{Subnets: []Subnet{{IpAddressPrefix: "10.0.0.0/33"}}}}}))
	add(c.CreateEndpoint(ctx, &Endpoint{HostComputeNetwork: "nope"}))
	add(nil, c.Delete(ctx, KindNamespace, HostDefaultNamespaceID, nil))
	add(c.GetNetworkByName(ctx, ""))
	add(NewQuery().WithFilterText("{"))
	for _, err := range errs {
		if err == nil {
			t.Error("an expected error is nil")
			continue
		}
		if n := strings.Count(err.Error(), "hcn:"); n > 1 {
			t.Errorf("%q names the package %d times", err, n)
		}
	}
}
