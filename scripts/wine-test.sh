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
#   4. runs GOOS=windows go test on the Windows-side packages through the
#      exec wrapper scripts/wine/go_windows_amd64_exec;
#   5. swaps in a stand-in built without one export and runs the test that
#      proves a missing export is ErrNotSupported, then puts the full one
#      back.
#
# Extra arguments go to the main go test run (e.g. -run, -bench, -v).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export PATH="$repo/scripts/wine:$PATH:/usr/local/go/bin"

missing() {
  for tool in wine wineserver wineboot x86_64-w64-mingw32-gcc; do
    command -v "$tool" >/dev/null || { echo "$tool"; return; }
  done
}
if [ -n "$(missing)" ] && [ "$(id -u)" = 0 ]; then
  bash scripts/setup.sh   # installs wine, wine64 and mingw on Debian 12
fi
if [ -n "$(missing)" ]; then
  echo "wine-test: $(missing) not found: run scripts/setup.sh as root (Debian 12), or install wine, wine64 and gcc-mingw-w64-x86-64-win32"
  exit 1
fi

root=${HCNKIT_WINE_DIR:-$repo/.wine}
export WINEPREFIX="$root/prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;computenetwork,vmcompute=n"
export WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY
sys32="$WINEPREFIX/drive_c/windows/system32"

mkdir -p "$root"
if [ -e "$WINEPREFIX" ] && [ "$(stat -c %u "$WINEPREFIX")" != "$(id -u)" ]; then
  echo "wine-test: $WINEPREFIX is not owned by $(id -un); set HCNKIT_WINE_DIR to a directory of yours"; exit 1
fi

start=$(date +%s)
phase() { echo "== wine [+$(( $(date +%s) - start ))s]: $*"; }
stop_server() { wineserver -k >/dev/null 2>&1 || true; }
trap stop_server EXIT

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  phase "creating prefix $WINEPREFIX"
  wineboot --init </dev/null >"$root/wineboot.log" 2>&1 || { cat "$root/wineboot.log"; exit 1; }
  wineserver -w
fi
# One persistent server, and the helper processes started once with their
# stdio on /dev/null so they never hold a test's output open.
wineserver -p >/dev/null 2>&1 || true
wine cmd /c exit </dev/null >/dev/null 2>&1 || true

shim=scripts/wine/processprng.c
if [ ! -f "$sys32/bcryptprimitives.dll" ] || [ "$shim" -nt "$sys32/bcryptprimitives.dll" ]; then
  phase "installing the ProcessPrng shim"
  x86_64-w64-mingw32-gcc -O2 -s -shared -o "$sys32/bcryptprimitives.dll" "$shim" -lbcrypt
fi

# place SRC DEST replaces the file DEST with a copy of SRC under a new
# inode (copy beside it, then rename). Overwriting a DLL in place would
# rewrite a file that Wine (a lingering process, or the server's cache of
# image mappings) may still map, and the next process could load a mix of
# the old and the new image.
place() {
  cp "$1" "$2.new.$$" && mv -f "$2.new.$$" "$2"
}

# simdll VARIANT DEST builds the stand-in DLLs into DEST, reusing an earlier
# build when none of their sources (the module's files they depend on, the
# Go version, the scripts) changed: a c-shared link is the tier's slowest
# step. A fresh build is vetted first (check.sh cannot vet cgo files).
simdll() {
  local variant=$1 dest=$2 tags=() key cache
  [ "$variant" = noexport ] && tags=(-tags simdll_noexport)
  key=$( { go version; x86_64-w64-mingw32-gcc --version; cat go.mod scripts/simdll.sh internal/simdll/vmcompute/*;
    GOOS=windows GOARCH=amd64 CGO_ENABLED=1 go list "${tags[@]}" -deps \
      -f '{{if not .Standard}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}} {{end}}{{range .CgoFiles}}{{$d}}/{{.}} {{end}}{{end}}' \
      ./internal/simdll/computenetwork | xargs cat; } | sha256sum | cut -c1-16)
  cache="$root/simdll-cache/${variant:-full}-$key"
  if [ ! -f "$cache/computenetwork.dll" ]; then
    GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc go vet "${tags[@]}" ./internal/simdll/...
    rm -rf "$root/simdll-cache/${variant:-full}-"*
    bash scripts/simdll.sh "$cache" $variant
  fi
  mkdir -p "$dest"
  place "$cache/computenetwork.dll" "$dest/computenetwork.dll"
  place "$cache/vmcompute.dll" "$dest/vmcompute.dll"
}

phase "the stand-in DLLs (vetted, built or reused) into system32"
simdll "" "$sys32"

phase "go test (GOOS=windows GOARCH=amd64) under wine"
GOOS=windows GOARCH=amd64 go test -count=1 "$@" ./internal/computenetwork/ ./internal/winetest/

phase "stand-in without HcnQueryEndpointAddresses: a missing export is ErrNotSupported"
variant="$root/noexport"
simdll noexport "$variant"
cp "$sys32/computenetwork.dll" "$root/computenetwork.dll.full"
place "$variant/computenetwork.dll" "$sys32/computenetwork.dll"
restore() { place "$root/computenetwork.dll.full" "$sys32/computenetwork.dll"; stop_server; }
trap restore EXIT
HCNKIT_SIMDLL_VARIANT=noexport GOOS=windows GOARCH=amd64 go test -count=1 -run 'TestMissingExport' ./internal/winetest/

echo "wine-test: ok in $(( $(date +%s) - start ))s"
