#!/usr/bin/env bash
# Benchmarks hcnkit's Client against Microsoft's hcsshim/hcn in one Windows
# process under Wine, both over the stand-in computenetwork.dll, at service
# latencies of 0, 50µs, 200µs and 1ms (package peers/bench):
#
#   1. prepares the Wine prefix (scripts/wine/lib.sh, as the other Wine
#      tiers do) and installs the stand-in DLLs into its system32;
#   2. measures the knob itself from a C program (peers/bench/knob);
#   3. runs GOOS=windows go test -run '^$' -bench . in peers/bench (its own
#      module, which pins hcsshim) through scripts/wine/go_windows_amd64_exec.
#
# Not part of make test: a run takes minutes. Environment: HCNKIT_WINE_DIR
# (as for wine-test.sh), BENCHTIME (default 3x: iterations per benchmark),
# HCNKIT_BENCH_N (endpoints per list, default 1000). Extra arguments go to
# go test (e.g. -bench List -count 3).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wine/lib.sh
wine_prepare wine-bench-peers

phase "the stand-in DLLs (vetted, built or reused) into system32"
simdll "" "$sys32"

phase "the latency knob measured from C (peers/bench/knob/knob.c), no Go runtime on the caller's side"
x86_64-w64-mingw32-gcc -O2 -o "$root/knob.exe" peers/bench/knob/knob.c -lole32
WINEDEBUG=-all timeout 600 wine "$root/knob.exe" </dev/null

phase "go test -bench in peers/bench (GOOS=windows GOARCH=amd64) under wine"
cd peers/bench
GOWORK=off GOOS=windows GOARCH=amd64 go test -count=1 -timeout 60m -run '^$' -bench . \
  -benchtime "${BENCHTIME:-3x}" "$@"
