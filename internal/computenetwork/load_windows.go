//go:build windows

package computenetwork

// Load loads computenetwork.dll from System32 and reports why it cannot be
// loaded (a *windows.DLLError), so a host without HCN is found before the
// first call.
func Load() error { return modcomputenetwork.Load() }

// LoadVMCompute loads vmcompute.dll (HNSCall) from System32.
func LoadVMCompute() error { return modvmcompute.Load() }
