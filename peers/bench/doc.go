// Package bench measures hcnkit's Client against Microsoft's hcsshim/hcn
// in one Windows process, both over the same stand-in computenetwork.dll
// (built from hcnsim) under Wine, at several service latencies set with
// the stand-in's latency knob (HcnSimSetLatency). The benchmarks are in
// the Windows-only test files; run them with
//
//	scripts/wine-bench-peers.sh
//
// which prepares a Wine prefix with the stand-in DLLs and runs
// GOOS=windows go test -run '^$' -bench . in this directory under Wine.
// HCNKIT_BENCH_N sets the number of endpoints a list reads (default 1000),
// HCNKIT_BENCH_PARALLELISM the Client's ListParallelism; HCNKIT_BENCH_LOG=1
// prints the Client's records of its fan-out decisions.
//
// Before the benchmarks, the script builds and runs knob/knob.c, which
// measures the knob from C, with no Go runtime on the caller's side: the
// distribution of one thread's calls at each latency (the median is the
// knob's accuracy) and the time per call when 1-8 threads call at once.
//
// BenchmarkListSerial sets the Client's list against a plain serial loop
// over the same Service (enumerate, then open, query, close and decode
// each endpoint): the Client must not be slower than that when calls are
// cheap. BenchmarkList sets it against hcsshim's ListEndpoints.
//
// BenchmarkHandoff measures what bounds every Go client's fan-out of short
// calls in the process: how long a goroutine ready to run waits while each
// of the runtime's GOMAXPROCS processors is held by a goroutine in a
// system call, until the runtime's monitor hands one over. A call that
// ends sooner keeps its processor throughout, so no more than GOMAXPROCS
// such calls are in flight at once, however many goroutines make them.
// Under Wine on a machine of two processors the handoff takes some
// 180-270µs at the median (the monitor's short sleeps end on the
// wineserver's timers), against 10-45µs for the same program run natively
// on Linux on the same machine; so at 200µs a call, a fan-out there
// overlaps about two calls at the default GOMAXPROCS. Run the benchmarks
// with -cpu 2,8 to see both.
//
// BenchmarkParallelCalls (workers from HCNKIT_BENCH_WORKERS, default 1,8)
// measures how far concurrent calls into the stand-in overlap at all,
// which bounds what any client's fan-out can gain under Wine. The
// stand-in's exports hand calls to its Go code without entering a Go
// runtime from the caller's thread (see the stand-in's gate), so a call
// makes no request to the single-threaded wineserver; what bounds the
// overlap on a machine of two processors is the waiting callers' threads,
// which yield the processor while they wait for a latency of under
// 600µs instead of sleeping (a sleep under Wine overshoots by more than
// that), and the goroutines of the caller, which Go's runtime lets run
// only as it takes processors back from those in system calls.
package bench
