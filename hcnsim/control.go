package hcnsim

import (
	"sort"
	"sync"
	"time"

	"github.com/hcnkit/hcn"
)

// AllOps matches every operation in InjectFault, SetLatency and Hang.
const AllOps = "*"

// control holds the counters and the injected faults, latencies and hangs.
type control struct {
	mu      sync.Mutex
	calls   map[string]uint64
	faults  []*fault
	latency map[string]time.Duration
	hangs   []*hang
}

type fault struct {
	op    string
	nth   int // fire on this call from injection; 0: every call
	count int
	hr    hcn.HRESULT
}

type hang struct {
	op   string
	ch   chan struct{}
	once sync.Once
}

func (h *hang) release() { h.once.Do(func() { close(h.ch) }) }

func (c *control) init() {
	c.calls = map[string]uint64{}
	c.latency = map[string]time.Duration{}
}

// begin counts a call of op and applies the injected latency, hangs and
// faults; it returns the injected failure, if any, before the call has
// any effect.
func (s *Sim) begin(op string) error {
	c := &s.ctl
	c.mu.Lock()
	c.calls[op]++
	d, ok := c.latency[op]
	if !ok {
		d = c.latency[AllOps]
	}
	var waits []chan struct{}
	for _, h := range c.hangs {
		if h.op == op || h.op == AllOps {
			waits = append(waits, h.ch)
		}
	}
	hr := c.fire(op)
	c.mu.Unlock()
	if d > 0 {
		time.Sleep(d)
	}
	for _, ch := range waits {
		<-ch
	}
	if hr != 0 {
		return fail(hr, "")
	}
	return nil
}

// fire advances the faults matching op and returns the HRESULT of the
// first that triggers.
func (c *control) fire(op string) hcn.HRESULT {
	var hr hcn.HRESULT
	kept := c.faults[:0]
	for _, f := range c.faults {
		if f.op != op && f.op != AllOps {
			kept = append(kept, f)
			continue
		}
		f.count++
		switch {
		case f.nth == 0:
			if hr == 0 {
				hr = f.hr
			}
			kept = append(kept, f)
		case f.count == f.nth:
			if hr == 0 {
				hr = f.hr
			}
		default:
			kept = append(kept, f)
		}
	}
	c.faults = kept
	return hr
}

// InjectFault makes the nth call of op from now on (1 = the next one) fail
// with hr and the error record the service would give for it, without
// effect; nth 0 makes every call fail until ClearFaults. op is an HCN
// function name as hcn.OpName gives it ("HcnCreateEndpoint"), one of the
// Op* constants, or AllOps.
func (s *Sim) InjectFault(op string, nth int, hr hcn.HRESULT) {
	s.ctl.mu.Lock()
	defer s.ctl.mu.Unlock()
	if nth < 0 {
		nth = 0
	}
	s.ctl.faults = append(s.ctl.faults, &fault{op: op, nth: nth, hr: hr})
}

// ClearFaults removes every injected fault and latency and releases every
// hang.
func (s *Sim) ClearFaults() {
	s.ctl.mu.Lock()
	defer s.ctl.mu.Unlock()
	s.ctl.faults = nil
	s.ctl.latency = map[string]time.Duration{}
	for _, h := range s.ctl.hangs {
		h.release()
	}
	s.ctl.hangs = nil
}

// SetLatency delays every call of op (or of every operation, AllOps) by d
// before it runs; a latency set for op wins over AllOps. d <= 0 removes it.
func (s *Sim) SetLatency(op string, d time.Duration) {
	s.ctl.mu.Lock()
	defer s.ctl.mu.Unlock()
	if d <= 0 {
		delete(s.ctl.latency, op)
		return
	}
	s.ctl.latency[op] = d
}

// Hang makes calls of op (or AllOps) that start from now on block, before
// they have any effect, until release is called. release is idempotent and
// safe to call from any goroutine; calls that already started waiting
// proceed once it is called.
func (s *Sim) Hang(op string) (release func()) {
	h := &hang{op: op, ch: make(chan struct{})}
	s.ctl.mu.Lock()
	s.ctl.hangs = append(s.ctl.hangs, h)
	s.ctl.mu.Unlock()
	return func() {
		h.release()
		s.ctl.mu.Lock()
		defer s.ctl.mu.Unlock()
		for i, x := range s.ctl.hangs {
			if x == h {
				s.ctl.hangs = append(s.ctl.hangs[:i:i], s.ctl.hangs[i+1:]...)
				break
			}
		}
	}
}

// Counters is a snapshot of the emulator's counters.
type Counters struct {
	// Calls counts calls per operation name (failed calls included).
	Calls map[string]uint64
	// OpenHandles counts open handles per kind (kinds with none omitted).
	OpenHandles map[HandleKind]int
	// OpenHandlesTotal is the sum of OpenHandles.
	OpenHandlesTotal int
	// Objects counts objects per family.
	Objects map[hcn.Kind]int
}

// Stats returns a snapshot of the counters.
func (s *Sim) Stats() Counters {
	c := Counters{Calls: map[string]uint64{}, OpenHandles: map[HandleKind]int{}, Objects: map[hcn.Kind]int{}}
	s.ctl.mu.Lock()
	for k, v := range s.ctl.calls {
		c.Calls[k] = v
	}
	s.ctl.mu.Unlock()
	for k, n := range s.handles.snapshot() {
		if n != 0 {
			c.OpenHandles[HandleKind(k)] = n
			c.OpenHandlesTotal += n
		}
	}
	s.read(func(st *state) error {
		for _, k := range hcn.Kinds {
			c.Objects[k] = len(st.objs[k])
		}
		return nil
	})
	return c
}

// Calls returns how many times op was called.
func (s *Sim) Calls(op string) uint64 {
	s.ctl.mu.Lock()
	defer s.ctl.mu.Unlock()
	return s.ctl.calls[op]
}

// OpenHandles returns the number of open handles of every kind: object
// handles, callback registrations and port reservations.
func (s *Sim) OpenHandles() int {
	total := 0
	for _, n := range s.handles.snapshot() {
		total += n
	}
	return total
}

// OpenHandlesOf returns the number of open handles of kind k.
func (s *Sim) OpenHandlesOf(k HandleKind) int {
	if k >= numHandleKinds {
		return 0
	}
	return s.handles.snapshot()[k]
}

// OpNames returns the operations called so far, sorted.
func (c Counters) OpNames() []string {
	out := make([]string, 0, len(c.Calls))
	for k := range c.Calls {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SetServiceVersion sets the emulated HNS version that `GET
// /globals/version` reports and HcnModifyLoadBalancer checks (>= 15.4).
func (s *Sim) SetServiceVersion(major, minor uint32) {
	s.version.Store(uint64(major)<<32 | uint64(minor))
}

// ServiceVersion returns the emulated HNS version.
func (s *Sim) ServiceVersion() hcn.Version {
	v := s.version.Load()
	return hcn.Version{Major: uint32(v >> 32), Minor: uint32(v)}
}

// CloseFiles closes the files a Sim with a state file keeps open between
// calls (the lock file beside the state file), so that their directory
// can be removed: Windows refuses to delete a file that is open, so a test
// on Windows that opens a Sim in t.TempDir() calls it in t.Cleanup. The
// Sim stays usable; its next call opens them again. It waits for a call of
// the Sim in progress. A wait for the lock that a call gave up while
// another process held it keeps a descriptor of its own until that process
// lets the lock go. Without a state file it does nothing.
func (s *Sim) CloseFiles() error {
	if s.store == nil {
		return nil
	}
	return s.store.closeFiles()
}

// Restart emulates a restart of the service: every object handle and port
// reservation of this Sim becomes invalid (E_HANDLE), networks created
// with EnableNonPersistent (Flags 8) vanish with their endpoints, every
// other object is kept, and registered service callbacks receive
// ServiceDisconnect (registrations stay valid).
func (s *Sim) Restart() error {
	s.handles.invalidate()
	s.ports.reset()
	err := s.write(func(st *state) error {
		var drop []*object
		for _, n := range st.objs[hcn.KindNetwork] {
			if !n.net.persistent() {
				drop = append(drop, n)
			}
		}
		for _, n := range drop {
			st.deleteNetwork(n)
		}
		st.events = []event{{typ: hcn.NotificationServiceDisconnect}}
		return nil
	})
	return toError("Restart", 0, "", err)
}

// Reset returns the emulator to its initial state: every object but the
// host default namespace is gone (the state file too is reset), every
// handle but callback registrations is invalid, counters are zero, faults,
// latencies and hangs are cleared and the service version is the default.
func (s *Sim) Reset() error {
	s.ClearFaults()
	s.ctl.mu.Lock()
	s.ctl.calls = map[string]uint64{}
	s.ctl.mu.Unlock()
	s.handles.invalidate()
	s.ports.reset()
	s.v1.reset()
	s.SetServiceVersion(DefaultServiceVersion.Major, DefaultServiceVersion.Minor)
	err := s.write(func(st *state) error {
		fresh := newState()
		*st = *fresh
		return nil
	})
	return toError("Reset", 0, "", err)
}

// EndpointStats are the counters HcnQueryEndpointStats reports.
type EndpointStats struct {
	// BytesReceived is the number of bytes the endpoint received.
	BytesReceived uint64
	// BytesSent is the number of bytes the endpoint sent.
	BytesSent uint64
	// DroppedPacketsIncoming is the number of incoming packets dropped.
	DroppedPacketsIncoming uint64
	// DroppedPacketsOutgoing is the number of outgoing packets dropped.
	DroppedPacketsOutgoing uint64
	// PacketsReceived is the number of packets the endpoint received.
	PacketsReceived uint64
	// PacketsSent is the number of packets the endpoint sent.
	PacketsSent uint64
}

// SetEndpointStats sets the counters of endpoint id.
func (s *Sim) SetEndpointStats(id hcn.GUID, stats EndpointStats) error {
	err := s.write(func(st *state) error {
		o, err := st.lookup(hcn.KindEndpoint, id)
		if err != nil {
			return err
		}
		o.ep.stats = stats
		return nil
	})
	return toError("SetEndpointStats", hcn.KindEndpoint, id.String(), err)
}
