//go:build !windows

package hcn

// defaultService is the Service a Client uses when ClientOptions.Service
// is nil. There is no host HCN service off Windows.
func defaultService() (Service, error) { return nil, errNoDefaultService() }
