//go:build windows && cgo

package main

/*
#include "gate.h"

typedef LONG (NTAPI *delay_fn)(BOOLEAN, PLARGE_INTEGER);

static LONGLONG freq;
static delay_fn ntDelay;
static volatile LONGLONG latencyNS;

// overshoot estimates the 95th percentile of the sleeps' overshoots, in
// nanoseconds: it moves 19 steps up towards a larger overshoot and one
// step down towards a smaller one. Shared by every thread: a lost update
// only slows its convergence.
static volatile LONGLONG overshoot = 300000;
#define OVERSHOOT_STEP 2000
#define OVERSHOOT_MAX 2000000
// The shortest sleep: under Wine a shorter one overshoots by more than it
// lasts, and by more than longer ones do, so the estimate (learnt on long
// sleeps) would not hold for it.
#define MIN_SLEEP 300000

__attribute__((constructor)) static void latency_init(void) {
	ntDelay = (delay_fn)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtDelayExecution");
	freq = hcnsim_qpf();
}

void hcnsim_set_latency(LONGLONG ns) { InterlockedExchange64(&latencyNS, ns); }

// hcnsim_deadline returns the performance-counter time at which a call
// that starts now may return, or 0 when there is no latency.
LONGLONG hcnsim_deadline(void) {
	LONGLONG ns = latencyNS;
	if (ns <= 0) return 0;
	return hcnsim_qpc() + (LONGLONG)((double)ns * (double)freq / 1e9);
}

// hcnsim_wait_until waits on the calling thread until the counter reaches
// end (see the knob below).
void hcnsim_wait_until(LONGLONG end) {
	LONGLONG start = hcnsim_qpc();
	if (start >= end) return;
	LONGLONG ns = (LONGLONG)((double)(end - start) * 1e9 / (double)freq);
	LONGLONG est = overshoot;
	LONGLONG sleep = ns - est;
	if (sleep >= MIN_SLEEP && ntDelay) {
		LARGE_INTEGER li;
		li.QuadPart = -(sleep / 100);
		ntDelay(FALSE, &li);
		LONGLONG slept = (LONGLONG)((double)(hcnsim_qpc() - start) * 1e9 / (double)freq);
		LONGLONG over = slept > sleep ? slept - sleep : 0;
		if (over > est) est += min(19 * OVERSHOOT_STEP, over - est);
		else est -= min(OVERSHOOT_STEP, est - over);
		overshoot = min(est, OVERSHOOT_MAX);
	}
	LONGLONG spinFrom = end - (LONGLONG)(20e-6 * (double)freq);
	for (LONGLONG t = hcnsim_qpc(); t < end; t = hcnsim_qpc()) {
		if (t < spinFrom) SwitchToThread();
		else YieldProcessor();
	}
}
*/
import "C"

import (
	"fmt"
	"os"
	"time"
)

// The latency knob: every HCN call (every export but the HcnSim* control
// surface, HcnSimHNSCall apart) lasts at least this long, like a call to a
// service in another process. It is set from the environment variable
// HCNSIM_LATENCY (a Go duration such as 200us) when the DLL loads and on
// HcnSimReset, and by HcnSimSetLatency.
//
// A call's deadline is taken when it enters the export; the call is posted
// to the DLL's Go code at once (gate_windows.go), and the caller's thread
// returns once the call is done and the deadline has passed, so the time
// the call itself takes is part of the latency, not added to it, as it is
// part of the round trip to a real service. The wait is measured on the
// performance counter, not left to a timer: a timed wait under Wine ends
// on the wineserver's millisecond tick, so a plain sleep of 200µs lasts
// about 1ms, and Go's own clock there advances in steps of about 15ms.
// NtDelayExecution, which Wine implements with a microsecond select,
// oversleeps by some 100-400µs (more on a busy machine), so the DLL sleeps
// only for the part of the wait beyond an estimate of the 95th percentile
// of the overshoots seen so far, and only when that part is at least
// 300µs (a shorter sleep overshoots by more than it lasts). It spends the
// rest yielding its thread (SwitchToThread) and, for the last 20µs,
// spinning. A call thus never returns before its deadline and mostly
// right at it, and a yielding thread gives way to any other that can run,
// so concurrent calls overlap as they would against a service.
//
// A call also returns no sooner than the DLL's dispatcher has run it, and
// what bounds the knob's accuracy from 50µs to a few hundred is how soon
// the dispatcher's thread picks the call up. Measured under Wine on a
// virtual machine of two processors (a caller pinned to one processor or
// the other, the dispatcher to the second): with both on one processor
// the call was done 14-16µs after it entered at the median, and the
// median call lasted the latency +1.2% at 50µs and +0.3% at 200µs in every
// run; on different processors it was done after 10-100µs at the median,
// varying from run to run, and the median call at 50µs lasted +3% to
// +180%. Pinning the dispatcher does not help, as the callers' threads
// land where the scheduler puts them. Other ways of waiting were tried
// and measured, and were no better: spinning the whole wait (the
// dispatcher, when it shares the caller's processor, then waits for the
// scheduler to move it: +35% to +150% at 50µs), yielding only until the
// call is done (+4% to +24% at 200µs), and sleeping the whole wait (8
// callers in C overlapped 4.9 times against 4.6 at 200µs, and the median
// call lasted +58%).

// latencyEnv is the environment variable the knob is read from.
const latencyEnv = "HCNSIM_LATENCY"

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

// setLatency makes every call last at least d from now on.
func setLatency(d time.Duration) { C.hcnsim_set_latency(C.LONGLONG(d)) }
