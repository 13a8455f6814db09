package hcn

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The fan-out policy of a list. Reading objects several at once pays only
// when each read spends its time waiting on the service. When the calls
// are cheap (a service answering at once, an emulator in the process) or
// bound by this process's own processor time (a stand-in DLL in the
// process), running reads at once adds scheduling, lock contention and
// cache traffic for nothing: a list of such reads gets slower, not
// faster. The time a read takes does not tell the two apart, so a list
// tries:
//
//   - it starts serial and times its reads;
//   - when listProbe consecutive reads each took at least listSlowRead, it
//     fans out to ListParallelism reads at once, for a trial of
//     listTrial reads per worker;
//   - the fan-out stays only when the trial read at least listGain times
//     faster per read than the fastest of the serial reads before it (the
//     fastest, so that a collection or a preemption during the probe does
//     not make serial look slow); otherwise the list goes back to one read
//     at a time for the rest.
//
// Looking at consecutive reads keeps one slow read (a page fault, a pause
// of the collector, a preempted thread) from starting a trial.
const (
	// listProbe is how many consecutive reads must be slow.
	listProbe = 3
	// listSlowRead is the time of one read (HcnOpen + HcnQueryProperties
	// + HcnClose) from which a list tries to fan out: 100µs a call, more
	// than a call into an emulator in the process costs.
	listSlowRead = 300 * time.Microsecond
	// listTrial is how many reads per worker the trial of a fan-out takes.
	listTrial = 2
	// listGain is how much faster per read the fan-out must be to stay.
	listGain = 1.5
)

// listWorkers is the rule that starts a fan-out: how many objects to read
// at once for the remaining reads of a list, given the times of its last
// listProbe reads and the bound max.
func listWorkers(recent []time.Duration, max, remaining int) int {
	if max <= 1 || remaining < 2 || len(recent) < listProbe {
		return 1
	}
	for _, d := range recent {
		if d < listSlowRead {
			return 1
		}
	}
	return min(max, remaining)
}

// fanOutPays is the rule that judges a fan-out's trial: reads reads took
// elapsed in all, against serial per read before it.
func fanOutPays(serial, elapsed time.Duration, reads int) bool {
	return float64(elapsed)/float64(reads)*listGain <= float64(serial)
}

// listEpoch is the origin of the lists' clock.
var listEpoch = time.Now()

// lister is the state of one list's reads.
type lister struct {
	ctx   context.Context
	c     *Client
	kind  Kind
	ids   []GUID
	query string
	now   func() time.Duration // monotonic clock, injected by tests

	results []fetched // one per id, filled by the reads
	next    atomic.Int64
	stop    atomic.Bool // set by the first failure
	mu      sync.Mutex
	err     error // the first failure, under mu

	// The fan-out, when there is one: it starts at read fannedAt with
	// workers reads at once; its trial ends when trialReads of its reads
	// are done, and narrow is set when it did not pay.
	fannedAt, workers int
	serial            time.Duration // the fastest probe read before it
	fanStart          time.Duration
	trialReads        int64
	done              atomic.Int64
	judged            atomic.Bool
	narrow            atomic.Bool
}

func newLister(ctx context.Context, c *Client, kind Kind, ids []GUID, query string) *lister {
	return &lister{ctx: ctx, c: c, kind: kind, ids: ids, query: query,
		now: listClock, results: make([]fetched, len(ids))}
}

// run reads every id: serially while the reads are fast, then, once
// listWorkers says so, with that many reads at once.
func (l *lister) run() {
	var recent [listProbe]time.Duration
	last := l.now()
	for i := range l.ids {
		if !l.read(i) {
			return
		}
		t := l.now()
		recent[i%listProbe], last = t-last, t
		if i+1 < listProbe {
			continue
		}
		if w := listWorkers(recent[:], l.c.par, len(l.ids)-i-1); w > 1 {
			l.fanOut(i+1, w, slices.Min(recent[:]), t)
			return
		}
	}
}

// fanOut reads ids[from:] with w reads at once (this goroutine and w-1
// others) for a trial, and then on so if the trial paid; serial is the
// fastest serial read of the probe, now the clock.
func (l *lister) fanOut(from, w int, serial, now time.Duration) {
	l.c.log.Debug("hcn: list fans out", "kind", l.kind.String(), "at", from, "workers", w, "serialPerRead", serial)
	l.fannedAt, l.workers, l.serial, l.fanStart = from, w, serial, now
	l.trialReads = int64(listTrial * w)
	l.next.Store(int64(from))
	var wg sync.WaitGroup
	wg.Add(w - 1)
	for range w - 1 {
		go func() {
			defer wg.Done()
			l.work(false)
		}()
	}
	l.work(true)
	wg.Wait()
}

// judge ends the trial of the fan-out: when it did not pay, every worker
// but the first stops before its next read.
func (l *lister) judge() {
	elapsed := l.now() - l.fanStart
	pays := fanOutPays(l.serial, elapsed, int(l.trialReads))
	l.c.log.Debug("hcn: list fan-out trial", "kind", l.kind.String(), "pays", pays,
		"perRead", elapsed/time.Duration(l.trialReads), "serialPerRead", l.serial)
	if !pays {
		l.narrow.Store(true)
	}
	l.judged.Store(true)
}

// work reads the next unread id until none is left or the list stops;
// the workers but the first (lead) also stop when the fan-out narrows.
func (l *lister) work(lead bool) {
	for lead || !l.narrow.Load() {
		i := int(l.next.Add(1) - 1)
		if i >= len(l.ids) || !l.read(i) {
			return
		}
		if l.done.Add(1) == l.trialReads {
			l.judge()
		}
	}
}

// read reads ids[i] into results[i]; false means the list stops (a
// failure, or ctx ended).
func (l *lister) read(i int) bool {
	if l.stop.Load() {
		return false
	}
	if err := l.ctx.Err(); err != nil {
		l.fail(err)
		return false
	}
	id := l.ids[i]
	props, err := l.c.readRetried(l.ctx, l.kind, id, l.query)
	switch {
	case err == nil:
		l.results[i] = fetched{id: id, props: props, ok: true}
	case IsNotFound(err):
		l.c.log.Debug("hcn: object vanished during a list", "kind", l.kind.String(), "id", id.String())
	default:
		l.fail(err)
		return false
	}
	return true
}

func (l *lister) fail(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
	l.stop.Store(true)
}
