//go:build windows

package hcn

// defaultService is the Service a Client uses when ClientOptions.Service
// is nil.
func defaultService() (Service, error) { return nil, errNoDefaultService() }
