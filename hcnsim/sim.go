package hcnsim

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

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
	// StateFile, when set, is where the whole state lives: a snapshot at
	// StateFile and a journal of the changes since at StateFile+".journal"
	// (mode 0600; see the package documentation, Persistence). Every
	// mutating call locks StateFile+".lock", reads the records other Sims
	// appended, applies its change and appends one record, synced before
	// the call returns. Several Sims, in one process or many, may share
	// one file. Handles, callback registrations and port reservations
	// stay per Sim.
	StateFile string
	// LockTimeout bounds how long a call waits for the state file's lock;
	// a call that waits longer fails with ERROR_NOT_READY (ErrTransient).
	// Zero or less means DefaultLockTimeout.
	LockTimeout time.Duration
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
		s.store = newStore(o.StateFile, o.LockTimeout)
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
// file, the file is locked, the state caught up with it, and what fn
// changed is appended to the journal before the call returns; a failed
// append fails the call. Notifications fn emitted are delivered only on
// success.
func (s *Sim) write(fn func(*state) error) error {
	if s.store != nil {
		unlock, err := s.store.lock(context.Background(), true)
		if err != nil {
			return err
		}
		defer unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var cs *changeSet
	if s.store != nil {
		if err := s.reloadLocked(true); err != nil {
			return err
		}
		cs = s.st.beginChanges()
		defer func() {
			if s.st.changes == cs { // fn panicked: the state may hold what the file does not
				s.st.changes = nil
				s.store.invalidate()
			}
		}()
	}
	s.st.events = nil
	s.st.reservations = s.ports
	err := fn(s.st)
	if cs != nil {
		// What fn changed is recorded even when it failed, so that the
		// file always holds what the Sim does.
		if keys, changed, replaced := s.st.endChanges(cs); changed {
			if aerr := s.store.append(newRecord(s.st, keys, replaced)); aerr != nil && err == nil {
				err = aerr
			}
		}
	}
	if err != nil {
		s.st.events = nil
		return err
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

// read runs fn with the state readable; with a state file it takes the
// file's lock shared and first catches up with changes made by other
// Sims.
func (s *Sim) read(fn func(*state) error) error {
	if s.store == nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return fn(s.st)
	}
	unlock, err := s.store.lock(context.Background(), false)
	if err != nil {
		return err
	}
	defer unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(false); err != nil {
		return err
	}
	return fn(s.st)
}
