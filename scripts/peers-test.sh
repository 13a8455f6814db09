#!/usr/bin/env bash
# The peers tier: Microsoft's own integration tests for its Go HCN client,
# run under Wine against the stand-in computenetwork.dll and vmcompute.dll
# built from hcnsim. They encode what a real host does, so they are the
# emulator's yardstick.
#
#   suites   github.com/Microsoft/hcsshim/hcn v0.15.0  (tag integration)
#            github.com/Microsoft/hnslib/hcn  v0.1.3   (tags integration,featureroutesupport)
#            pinned in the separate module peers/ and built from the module zips
#            through the Go module proxy (GOOS=windows go test -c)
#   also     hcn's feature table checked against both peers' version ranges;
#            the stand-in DLL in client mode (peers/remote): hcsshim's hcn in
#            a Windows process creates a NAT network through the DLL, which
#            forwards to an emulator a Linux test process serves on loopback
#            TCP (HCNSIM_ADDR, HCNSIM_TOKEN_FILE); the Linux side finds the
#            network over its own connection, and its Watch, registered
#            before the Windows process starts, gets the NetworkCreate;
#            and hcntest's conformance suite in a Windows process through
#            hcnkit's host service and the DLL in client mode, over the wire
#   modes    isolated: every test in a fresh process (-test.run '^Name$'),
#            so each starts on an empty emulator;
#            suite: each suite in one process, the way `go test` runs it on a
#            host, so a test sees what earlier tests left behind.
#
# Prints a PASS/FAIL line per test and mode and a total; exits non-zero when
# any test fails that scripts/peers-expected.txt does not list. That file may
# list only tests that need hardware the emulator cannot stand in for, each
# with its reason.
#
#   scripts/peers-test.sh            both suites, both modes
#   scripts/peers-test.sh -v         also print the output of failing tests
#   PEERS_RUN=regexp scripts/peers-test.sh   only the tests matching regexp
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wine/lib.sh
verbose=0
[ "${1:-}" = -v ] && verbose=1
wine_prepare peers

phase "the stand-in DLLs (vetted, built or reused) into system32"
simdll "" "$sys32"

out="$root/peers"
rm -rf "$out"; mkdir -p "$out/logs"
suites=(hcsshim hnslib)
declare -A pkg=([hcsshim]=github.com/Microsoft/hcsshim/hcn [hnslib]=github.com/Microsoft/hnslib/hcn)
declare -A tags=([hcsshim]=integration [hnslib]=integration,featureroutesupport)

phase "building Microsoft's suites for windows/amd64"
for s in "${suites[@]}"; do
  (cd peers && GOWORK=off GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
    go test -c -tags "${tags[$s]}" -o "$out/$s-hcn.test.exe" "${pkg[$s]}")
done

phase "hcn's feature table against hcsshim's and hnslib's version ranges"
(cd peers && GOWORK=off GOOS=windows GOARCH=amd64 go test -count=1 -run '^Test' .)

phase "client mode: the stand-in DLL under wine against an emulator a Linux process serves"
(cd peers && GOWORK=off GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$out/remote.test.exe" ./remote)
(cd peers && HCNKIT_REMOTE_EXE="$out/remote.test.exe" GOWORK=off go test -count=1 -v -run '^(TestWindowsClientOverWire|TestConformanceThroughDLL)$' ./remote) \
  >"$out/logs/remote.log" 2>&1 || { cat "$out/logs/remote.log"; echo "peers: client mode failed"; exit 1; }
grep -E '^(--- |ok|\s+remote_linux_test)' "$out/logs/remote.log" || true

# expected SUITE TEST prints the reason the test may fail, if it is listed.
expected() {
  awk -v s="$1" -v t="$2" '$1 == s && $2 == t { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' \
    scripts/peers-expected.txt
}

# run LOG ARGS... runs a test binary under wine with its output in LOG. A Go
# test binary always prints something, so a failure with no output means
# Wine could not start the process: that is reported and run once more with
# Wine's error channel on, and the second run's result stands.
run() {
  local log=$1 rc=0; shift
  timeout 600 wine "$@" </dev/null >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && [ ! -s "$log" ]; then
    echo "peers: wine exited $rc before $(basename "$1") printed anything; running it again with WINEDEBUG=err+all"
    rc=0
    WINEDEBUG=err+all timeout 600 wine "$@" </dev/null >"$log" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || tail -n 40 "$log"
  fi
  return "$rc"
}

pass=0 fail=0 xfail=0
# verdict SUITE MODE TEST OK LOG records and prints one result.
verdict() {
  local s=$1 mode=$2 t=$3 ok=$4 log=$5 why
  why=$(expected "$s" "$t")
  if [ "$ok" = 1 ]; then
    pass=$((pass + 1)); echo "PASS $s $mode $t${why:+ (listed as expected to fail: $why)}"
  elif [ -n "$why" ]; then
    xfail=$((xfail + 1)); echo "XFAIL $s $mode $t: $why"
  else
    fail=$((fail + 1)); echo "FAIL $s $mode $t"
    if [ "$verbose" = 1 ] || [ "${CI:-}" = true ]; then grep -v '^=== ' "$log" | head -n 20 | sed 's/^/    /'; fi
  fi
}

for s in "${suites[@]}"; do
  exe="$out/$s-hcn.test.exe"
  run "$out/logs/$s.list" "$exe" -test.list '^Test' || { cat "$out/logs/$s.list"; exit 1; }
  mapfile -t tests < <(tr -d '\r' <"$out/logs/$s.list" | grep -E "^Test" | grep -E "${PEERS_RUN:-.}")
  phase "$s: ${#tests[@]} tests, each in a fresh process"
  for t in "${tests[@]}"; do
    log="$out/logs/$s-isolated-$t.log" ok=0
    run "$log" "$exe" -test.v -test.count=1 -test.timeout 5m -test.run "^$t\$" && grep -q "^--- PASS: $t " "$log" && ok=1
    verdict "$s" isolated "$t" "$ok" "$log"
  done
  phase "$s: ${#tests[@]} tests in one process"
  log="$out/logs/$s-suite.log"
  run "$log" "$exe" -test.v -test.count=1 -test.timeout 10m -test.run "${PEERS_RUN:-.}" || true
  tr -d '\r' <"$log" >"$log.txt"
  for t in "${tests[@]}"; do
    ok=0
    grep -q "^--- PASS: $t " "$log.txt" && ok=1
    # the failing test's own lines: from its RUN line to the next RUN line
    awk -v t="$t" '$0 == "=== RUN   " t { p = 1; print; next } /^=== RUN / && index($0, "/") == 0 { p = 0 } p' \
      "$log.txt" >"$out/logs/$s-suite-$t.log"
    verdict "$s" suite "$t" "$ok" "$out/logs/$s-suite-$t.log"
  done
done

phase "done; logs in $out/logs"
echo "peers: $xfail expected failures (tests listed in scripts/peers-expected.txt)"
echo "peers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
