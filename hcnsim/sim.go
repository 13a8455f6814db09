package hcnsim

import (
	"sync"
	"sync/atomic"

	"github.com/hcnkit/hcn"
)

// DefaultServiceVersion is the version a Sim reports unless told
// otherwise: 15.4, what Windows Server 2025 hosts report (see the package
// documentation, Service version).
var DefaultServiceVersion = hcn.Version{Major: 15, Minor: 4}

// DefaultEphemeralPorts is the range HcnReserveGuestNetworkServicePortRange
// allocates from unless Options.EphemeralPorts says otherwise.
var DefaultEphemeralPorts = hcn.PortRange{Start: 49152, End: 65535}

// Options configures a Sim. The zero value (or a nil *Options) is an
// in-memory emulator of a current service.
type Options struct {
	// StateFile, when set, is where the whole state lives: every mutating
	// call locks the file, re-reads it when another process changed it,
	// applies the change and atomically replaces it (mode 0600). Several
	// Sims, in one process or many, may share one file. Handles, callback
	// registrations and port reservations stay per Sim.
	StateFile string
	// ServiceVersion is the emulated HNS version; zero means
	// DefaultServiceVersion.
	ServiceVersion hcn.Version
	// EphemeralPorts is the range port-range reservations come from; zero
	// means DefaultEphemeralPorts.
	EphemeralPorts hcn.PortRange
}

// Sim is the emulated HCN service. It implements hcn.Service and is safe
// for concurrent use. Create one with New.
type Sim struct {
	mu      sync.RWMutex // guards st; taken before handles.mu
	st      *state
	handles *handleTable
	notify  *notifier
	ports   *portTable
	ctl     control
	version atomic.Uint64
	store   *store
	v1      v1Host // host configuration only HNS v1 reaches (v1_accelnet.go)
}

var _ hcn.Service = (*Sim)(nil)

// New returns an emulator in its initial state: no objects but the host
// default namespace, or the state in opts.StateFile. A nil opts means
// defaults. A state file that cannot be used makes every call fail (use
// Open to learn that up front).
func New(opts *Options) *Sim {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.ServiceVersion.IsZero() {
		o.ServiceVersion = DefaultServiceVersion
	}
	if o.EphemeralPorts == (hcn.PortRange{}) {
		o.EphemeralPorts = DefaultEphemeralPorts
	}
	s := &Sim{st: newState(), handles: newHandleTable(), notify: newNotifier(),
		ports: newPortTable(o.EphemeralPorts)}
	s.ports.host = s.read
	s.ctl.init()
	s.SetServiceVersion(o.ServiceVersion.Major, o.ServiceVersion.Minor)
	if o.StateFile != "" {
		s.store = newStore(o.StateFile)
	}
	return s
}

// Open is New that also loads (or creates) opts.StateFile at once and
// reports a file that cannot be used.
func Open(opts *Options) (*Sim, error) {
	s := New(opts)
	if s.store == nil {
		return s, nil
	}
	if err := s.write(func(*state) error { return nil }); err != nil {
		return nil, err
	}
	return s, nil
}

// versionWord is Major<<32|Minor, the form of the documents' Version field.
func (s *Sim) versionWord() uint64 { return s.version.Load() }

// write runs fn under the write lock as one transaction: with a state
// file, the file is locked, reloaded when changed and saved after fn
// succeeds. Notifications fn emitted are delivered only on success.
func (s *Sim) write(fn func(*state) error) error {
	if s.store != nil {
		unlock, err := s.store.lock()
		if err != nil {
			return err
		}
		defer unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store != nil {
		if err := s.reloadLocked(); err != nil {
			return err
		}
	}
	s.st.events = nil
	s.st.reservations = s.ports
	if err := fn(s.st); err != nil {
		s.st.events = nil
		return err
	}
	if s.store != nil {
		if err := s.store.save(s.st); err != nil {
			s.store.invalidate()
			s.st.events = nil
			return err
		}
	}
	s.flushLocked()
	return nil
}

// flushLocked hands the pending notifications to the registrations, in
// order, while the state lock keeps them ordered with other calls.
func (s *Sim) flushLocked() {
	for _, ev := range s.st.events {
		s.notify.publish(ev)
	}
	s.st.events = nil
}

// read runs fn with the state readable; with a state file it first
// catches up with changes made by other processes.
func (s *Sim) read(fn func(*state) error) error {
	if s.store != nil {
		if lockReads {
			unlock, err := s.store.lock()
			if err != nil {
				return err
			}
			defer unlock()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := s.reloadLocked(); err != nil {
			return err
		}
		return fn(s.st)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(s.st)
}

// reloadLocked replaces the state with the file's when the file changed.
func (s *Sim) reloadLocked() error {
	st, changed, err := s.store.load()
	if err != nil || !changed {
		return err
	}
	s.st = st
	return nil
}
