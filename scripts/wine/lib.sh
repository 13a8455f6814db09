# Shared set-up of the Wine tiers (sourced by scripts/wine-test.sh,
# scripts/peers-test.sh and scripts/wine-bench-peers.sh; not run on its own). After `wine_prepare NAME`:
#
#   - wine and the mingw cross compiler are installed (scripts/setup.sh is
#     run as root when they are missing, otherwise the tier fails saying
#     what to install);
#   - $WINEPREFIX is the project-local prefix (.wine/prefix, or
#     $HCNKIT_WINE_DIR/prefix), owned by the running user, with one
#     persistent wineserver (stopped when the script exits) whose helper
#     processes were started with their stdio on /dev/null;
#   - the ProcessPrng shim Go >= 1.22 binaries need is in its system32;
#   - `phase TEXT` prints a timed step, `simdll VARIANT DEST` builds (or
#     reuses) the stand-in DLLs, `place SRC DEST` swaps a file in under a
#     new inode, and $sys32 is where windows.NewLazySystemDLL looks.
# The caller must have cd'd to the repository root and set `set -euo pipefail`.

repo=$PWD
export PATH="$repo/scripts/wine:$PATH:/usr/local/go/bin"

wine_missing() {
  for tool in wine wineserver wineboot x86_64-w64-mingw32-gcc; do
    command -v "$tool" >/dev/null || { echo "$tool"; return; }
  done
}

root=${HCNKIT_WINE_DIR:-$repo/.wine}
export WINEPREFIX="$root/prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;computenetwork,vmcompute=n"
export WINEARCH=win64
unset DISPLAY WAYLAND_DISPLAY
sys32="$WINEPREFIX/drive_c/windows/system32"

start=$(date +%s)
wine_tier=wine
phase() { echo "== $wine_tier [+$(( $(date +%s) - start ))s]: $*"; }
stop_server() { wineserver -k >/dev/null 2>&1 || true; }

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
      -f '{{if not .Standard}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}} {{end}}{{range .CgoFiles}}{{$d}}/{{.}} {{end}}{{range .HFiles}}{{$d}}/{{.}} {{end}}{{end}}' \
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

# wine_prepare NAME installs what is missing, makes the prefix and starts
# the server; NAME labels the tier's phase lines.
wine_prepare() {
  wine_tier=$1
  if [ -n "$(wine_missing)" ] && [ "$(id -u)" = 0 ]; then
    bash scripts/setup.sh   # installs wine, wine64 and mingw on Debian 12
  fi
  if [ -n "$(wine_missing)" ]; then
    echo "$wine_tier: $(wine_missing) not found: run scripts/setup.sh as root (Debian 12), or install wine, wine64 and gcc-mingw-w64-x86-64-win32"
    exit 1
  fi
  mkdir -p "$root"
  if [ -e "$WINEPREFIX" ] && [ "$(stat -c %u "$WINEPREFIX")" != "$(id -u)" ]; then
    echo "$wine_tier: $WINEPREFIX is not owned by $(id -un); set HCNKIT_WINE_DIR to a directory of yours"; exit 1
  fi
  trap stop_server EXIT
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    phase "creating prefix $WINEPREFIX"
    # Retried once from scratch: a first start of Wine has been seen to fail
    # at random ("could not load kernel32.dll, status c0000135").
    if ! wineboot --init </dev/null >"$root/wineboot.log" 2>&1; then
      echo "$wine_tier: wineboot --init failed; its output:"
      cat "$root/wineboot.log"
      echo "$wine_tier: retrying once with a new prefix"
      wineserver -k >/dev/null 2>&1 || true
      rm -rf "$WINEPREFIX"
      wineboot --init </dev/null >"$root/wineboot.log" 2>&1 || { cat "$root/wineboot.log"; exit 1; }
    fi
    wineserver -w
  fi
  # One persistent server, and the helper processes started once with their
  # stdio on /dev/null so they never hold a test's output open.
  wineserver -p >/dev/null 2>&1 || true
  wine cmd /c exit </dev/null >/dev/null 2>&1 || true
  local shim=scripts/wine/processprng.c
  if [ ! -f "$sys32/bcryptprimitives.dll" ] || [ "$shim" -nt "$sys32/bcryptprimitives.dll" ]; then
    phase "installing the ProcessPrng shim"
    x86_64-w64-mingw32-gcc -O2 -s -shared -o "$sys32/bcryptprimitives.dll" "$shim" -lbcrypt
  fi
}
