// Command computenetwork is the stand-in computenetwork.dll: the HCN v2 C
// API (every export of ComputeNetwork.h, the undocumented SdnRoute and
// GuestNetworkService calls, and HNSCall for the stand-in vmcompute.dll to
// forward to) implemented over package hcnsim, built as a Windows DLL with
// cgo:
//
//	make simdll DESTDIR=<dir>
//
// (scripts/simdll.sh: GOOS=windows CGO_ENABLED=1
// CC=x86_64-w64-mingw32-gcc go build -buildmode=c-shared). The emulator's
// state lives in the process that loads the DLL, so any HCN client can run
// against it — under Wine, or on Windows with the DLL next to the client.
//
// # Client mode
//
// With HCNSIM_ADDR set ("tcp:127.0.0.1:port", hcnsim.Dial's syntax; a
// Windows process under Wine cannot reach a Unix socket) the DLL keeps no
// emulator of its own: every HCN call, notification and port reservation,
// and vmcompute.dll's HNSCall, goes to the emulator an hcnsim.Serve (such
// as cmd/hcnsimd) serves there, so Windows programs under Wine and Linux
// programs share one emulated host. The token is HCNSIM_TOKEN (hex), or
// the file HCNSIM_TOKEN_FILE names (a Linux path such as /run/x/token is
// read as Z:\run\x\token under Wine). The control surface then acts on
// the DLL's own state only: HcnSimReset, HcnSimRestart and
// HcnSimSetServiceVersion give E_NOTIMPL. See remote_windows.go.
//
// # Behaviour at the boundary
//
// The HCN exports are C functions (gate_windows.go): a call is posted in
// a slot and run by the DLL's Go code on a thread of its own, so that the
// caller's thread never enters the DLL's Go runtime, which under Wine
// costs several requests to the wineserver per call.
//
// Strings handed to the caller are allocated with CoTaskMemAlloc; the DLL
// registers an IMallocSpy so it sees the caller's CoTaskMemFree and can
// count the buffers not yet freed. Handles are opaque non-zero values; a
// closed or unknown handle gives E_HANDLE. A NULL required out-pointer
// gives E_POINTER; a NULL ErrorRecord pointer is allowed. A failure writes
// an error record {"Success":false,"Error":...,"ErrorCode":...}.
//
// HcnClose* (and unregister/release) free the handle even when they report
// a failure, as RPC context handles are freed locally when the service
// cannot be reached; an injected fault on them therefore leaks nothing.
//
// # Test-only control surface
//
// Exports named HcnSim* let a test inspect and steer the DLL: open handles
// and outstanding buffers (to prove nothing leaked), call counts, fault
// injection at a call position, a success code other than S_OK (S_FALSE
// with an informational record), reset, service restart, service version
// and latency. See control_windows.go.
//
// # Latency
//
// The environment variable HCNSIM_LATENCY (a Go duration such as 200us,
// read when the DLL loads and on HcnSimReset) or HcnSimSetLatency makes
// every HCN call last at least that long, its own work included, as a
// round trip to a service in another process does; the wait is measured
// on the performance counter, so it holds under Wine, whose timed waits
// end on a millisecond tick. An HCNSIM_LATENCY that is not a non-negative duration
// makes every call fail with E_INVALIDARG and an error record naming it.
// See latency_windows.go.
//
// Built with the tag simdll_noexport, the DLL lacks HcnQueryEndpointAddresses,
// which proves that a missing export is reported as not supported.
//
// Off Windows, or without cgo, this command is empty.
package main

func main() {}
