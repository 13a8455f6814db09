// Package winetest holds the Wine tier's tests: Windows test binaries
// (GOOS=windows) that run the host service (hcn.NewHostService over
// computenetwork.dll) against the stand-in DLLs built from hcnsim, under
// Wine on Linux (scripts/wine-test.sh, make wine-test).
//
// They run the hcntest conformance suites — the Service suite (hcntest.Run)
// and the Client suite (hcntest.RunClient, the same Client scenarios the
// root module runs on hcnsim in process) — through the DLL boundary and
// assert, after every scenario, that the DLL holds no open handle and no
// buffer the host service has not freed, using the stand-in's HcnSim*
// control surface; they inject a failure at every call position of the
// composite operations and assert that nothing leaks; and they benchmark a
// call through the DLL against the same call in process.
//
// With HCNKIT_REAL_HOST=1 on a Windows host with HCN, the conformance
// suite runs against the real computenetwork.dll instead (the leak checks
// that need the stand-in are skipped). Never set it on a production host:
// the suite creates and deletes networks (with random names, cleaned up).
//
// The package has no non-test code; this file keeps it buildable on every
// OS.
package winetest
