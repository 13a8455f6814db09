// Package peers pins the other Go HCN clients that hcnkit is measured
// against: Microsoft's hcsshim (package hcn, v0.15.0) and hnslib (its
// current home, v0.1.3). It is a module of its own so that the library's
// go.mod never carries them.
//
// scripts/peers-test.sh builds Microsoft's own integration tests for both
// packages from these pinned module versions (GOOS=windows, tags
// integration and featureroutesupport) and runs them under Wine against
// the stand-in computenetwork.dll and vmcompute.dll built from hcnsim:
// every test in a fresh process, and each suite in one process. Package
// remote proves the stand-in DLL's client mode (HCNSIM_ADDR) the same way.
package peers
