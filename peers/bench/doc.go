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
// BenchmarkParallelCalls (workers from HCNKIT_BENCH_WORKERS, default 1,8)
// measures how far concurrent calls into the stand-in overlap at all, which bounds what any client's fan-out can gain
// under Wine: every call from a thread of the caller into the DLL's Go
// runtime takes and gives back a runtime thread context, and those steps,
// like every wait on a Windows event or timer of the Go runtimes parking
// and waking threads, are requests to the single-threaded wineserver:
// eight concurrent callers make some ten more such requests per call than
// one does.
package bench
