//go:build windows && cgo

package main

/*
#include <windows.h>

typedef LONG (NTAPI *delay_fn)(BOOLEAN, PLARGE_INTEGER);

static LONGLONG qpcFreq;
static delay_fn ntDelay;

static LONGLONG qpcNow(void) {
	LARGE_INTEGER t;
	QueryPerformanceCounter(&t);
	return t.QuadPart;
}

// waitNS blocks the calling thread for ns nanoseconds on the performance
// counter: a kernel sleep (NtDelayExecution, which takes 100ns units) of
// ns less est, the overshoot such a sleep is expected to have, then a
// spin (YieldProcessor, a pause of the core, never of the thread) for
// whatever is left when the sleep overshot less than expected. It returns
// the nanoseconds the sleep overshot its request (0 when it did not), or
// -1 when ns is too short to sleep at all and the whole wait was a spin.
static LONGLONG waitNS(LONGLONG ns, LONGLONG est) {
	if (!qpcFreq) {
		LARGE_INTEGER f;
		QueryPerformanceFrequency(&f);
		ntDelay = (delay_fn)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtDelayExecution");
		qpcFreq = f.QuadPart;
	}
	LONGLONG start = qpcNow();
	LONGLONG end = start + (LONGLONG)((double)ns * (double)qpcFreq / 1e9);
	LONGLONG over = -1;
	LONGLONG sleep = ns - est;
	if (sleep >= 10000) {
		LARGE_INTEGER li;
		li.QuadPart = -(sleep / 100);
		if (ntDelay) {
			ntDelay(FALSE, &li);
		} else {
			Sleep((DWORD)(sleep / 1000000));
		}
		LONGLONG slept = (LONGLONG)((double)(qpcNow() - start) * 1e9 / (double)qpcFreq);
		over = slept > sleep ? slept - sleep : 0;
	}
	while (qpcNow() < end) {
		YieldProcessor();
	}
	return over;
}
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// The latency knob: every HCN call (every export but the HcnSim* control
// surface) waits this long before it has any effect, like a call to a
// service in another process. It is set from the environment variable
// HCNSIM_LATENCY (a Go duration such as 200us) when the DLL loads and on
// HcnSimReset, and by HcnSimSetLatency.
//
// The wait is measured on the performance counter, not left to a timer:
// a timed wait under Wine ends on the wineserver's millisecond tick, so a
// plain sleep of 200µs lasts about 1ms, and Go's own clock there advances
// in steps of about 15ms. NtDelayExecution, which Wine implements with a
// microsecond select, oversleeps by some 50-200µs (more on a busy
// machine), so the DLL sleeps for the latency less an estimate of the
// upper quartile of the overshoots seen so far, and spins out the rest
// when a sleep ended early (three times in four); a wait shorter than
// that overshoot is all spin. The wait of a call is thus never shorter
// than asked and mostly exactly what was asked, and a latency from about
// 200µs up costs little processor time, so concurrent calls overlap as
// they would against a service.

// latencyEnv is the environment variable the knob is read from.
const latencyEnv = "HCNSIM_LATENCY"

// overshoot is the upper quartile of the sleeps' overshoots, in
// nanoseconds, estimated by moving it three overshootSteps up towards a
// larger one and one step down towards a smaller one. It is shared by
// every thread: a lost update only slows its convergence.
var overshoot atomic.Int64

const (
	startOvershoot = 100 * time.Microsecond
	maxOvershoot   = 2 * time.Millisecond
	overshootStep  = 2 * time.Microsecond
)

// waitProcs is the DLL's least GOMAXPROCS. A call waits in C, and a
// goroutine in C keeps its P until the scheduler's monitor takes it back,
// which under Wine happens on a millisecond tick: with GOMAXPROCS at the
// number of cores, a third concurrent call would wait for that tick
// before it could run at all. With more Ps than concurrent callers, waits
// overlap as they would in a service with a pool of threads.
const waitProcs = 32

func init() {
	overshoot.Store(int64(startOvershoot))
	runtime.GOMAXPROCS(max(waitProcs, runtime.NumCPU()))
}

// latencyFromEnv returns the latency HCNSIM_LATENCY asks for, and the
// message of the error every call reports when its value is not a
// non-negative duration (unset or empty is zero).
func latencyFromEnv() (time.Duration, string) {
	v := os.Getenv(latencyEnv)
	if v == "" {
		return 0, ""
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Sprintf("%s: want a non-negative Go duration such as 200us, got %q", latencyEnv, v)
	}
	return d, ""
}

// delay waits d (nothing when d <= 0), see the latency knob above.
func delay(d time.Duration) {
	if d <= 0 {
		return
	}
	est := overshoot.Load()
	if over := int64(C.waitNS(C.LONGLONG(d), C.LONGLONG(est))); over >= 0 {
		overshoot.Store(nextOvershoot(est, over))
	}
}

// nextOvershoot moves the quartile estimate est towards over.
func nextOvershoot(est, over int64) int64 {
	step := int64(overshootStep)
	switch {
	case over > est:
		est += min(3*step, over-est)
	case over < est:
		est -= min(step, est-over)
	}
	return min(est, int64(maxOvershoot))
}
