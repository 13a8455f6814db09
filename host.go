package hcn

import "log/slog"

// HostServiceOptions configures NewHostService. A nil *HostServiceOptions
// means the defaults.
type HostServiceOptions struct {
	// SkipLoadCheck, when true, makes NewHostService skip loading
	// computenetwork.dll up front; a missing DLL is then reported by the
	// first call (as ErrNotSupported). By default NewHostService fails
	// when the DLL cannot be loaded.
	SkipLoadCheck bool

	// Logger receives the error records the service attaches to calls
	// that succeed (at level Debug); nil discards them.
	Logger *slog.Logger
}
