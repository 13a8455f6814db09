#!/usr/bin/env bash
# The Wine tier: runs the Windows code path (the host service over
# computenetwork.dll) as Windows test binaries under Wine, against stand-in
# computenetwork.dll and vmcompute.dll built from hcnsim.
#
#   1. runs scripts/setup.sh (as root) when wine or the mingw cross
#      compiler is missing, and otherwise fails saying what to install;
#   2. makes its own Wine prefix (default: .wine/ in the repository, or
#      $HCNKIT_WINE_DIR), owned by the running user, and keeps one
#      wineserver running for the whole tier (stopped at the end);
#   3. installs the ProcessPrng shim and the stand-in DLLs into the prefix's
#      system32, where windows.NewLazySystemDLL looks;
#   4. runs GOOS=windows go test on the Windows-side packages (adapter reads
#      the adapters and routes Wine reports for the Linux host) through the
#      exec wrapper scripts/wine/go_windows_amd64_exec;
#   5. builds hcnctl.exe and hcn-cni.exe and runs them under Wine with
#      their Windows backend, the host service: the stand-in DLL in client
#      mode forwarding to an emulator a Linux test serves, which checks each
#      command's effect;
#   6. swaps in a stand-in built without one export and runs the test that
#      proves a missing export is ErrNotSupported, then puts the full one
#      back.
#
# Extra arguments go to the main go test run (e.g. -run, -bench, -v).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wine/lib.sh
wine_prepare wine

phase "the stand-in DLLs (vetted, built or reused) into system32"
simdll "" "$sys32"

phase "go test (GOOS=windows GOARCH=amd64) under wine"
GOOS=windows GOARCH=amd64 go test -count=1 "$@" ./internal/computenetwork/ ./internal/winetest/ ./adapter/

phase "hcnctl.exe under wine (host backend: the stand-in DLL in client mode, served by a Linux test)"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$root/hcnctl.exe" ./cmd/hcnctl
HCNKIT_HCNCTL_EXE="$root/hcnctl.exe" go test -count=1 -run '^TestHcnctlUnderWine$' ./cmd/hcnctl/

phase "hcn-cni.exe under wine: ADD, CHECK and DEL as a runtime execs the plugin, through the same DLL"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$root/hcn-cni.exe" ./cmd/hcn-cni
HCNKIT_HCNCNI_EXE="$root/hcn-cni.exe" go test -count=1 -run '^TestPluginUnderWine$' ./cmd/hcn-cni/

phase "stand-in without HcnQueryEndpointAddresses: a missing export is ErrNotSupported"
variant="$root/noexport"
simdll noexport "$variant"
cp "$sys32/computenetwork.dll" "$root/computenetwork.dll.full"
place "$variant/computenetwork.dll" "$sys32/computenetwork.dll"
restore() { place "$root/computenetwork.dll.full" "$sys32/computenetwork.dll"; stop_server; }
trap restore EXIT
HCNKIT_SIMDLL_VARIANT=noexport GOOS=windows GOARCH=amd64 go test -count=1 -run 'TestMissingExport' ./internal/winetest/

echo "wine-test: ok in $(( $(date +%s) - start ))s"
