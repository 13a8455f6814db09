#!/usr/bin/env bash
# Builds the stand-in DLLs into DESTDIR: computenetwork.dll (the HCN v2 C
# API over the hcnsim emulator, cgo c-shared) and vmcompute.dll (HNSCall,
# forwarded to computenetwork.dll). Needs the mingw cross compiler
# (x86_64-w64-mingw32-gcc; scripts/setup.sh installs it).
#
#   scripts/simdll.sh DESTDIR            the full stand-in
#   scripts/simdll.sh DESTDIR noexport   without HcnQueryEndpointAddresses
set -euo pipefail
dest=${1:?usage: simdll.sh DESTDIR [noexport]}
variant=${2:-}
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
tags=()
case "$variant" in
  "") ;;
  noexport) tags=(-tags simdll_noexport) ;;
  *) echo "simdll: unknown variant $variant"; exit 2 ;;
esac
command -v x86_64-w64-mingw32-gcc >/dev/null || { echo "simdll: x86_64-w64-mingw32-gcc not found: run scripts/setup.sh"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# c-shared also writes a .h next to the DLL: build in a temporary directory.
GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
  go build -buildmode=c-shared -trimpath "${tags[@]}" -o "$tmp/computenetwork.dll" ./internal/simdll/computenetwork
x86_64-w64-mingw32-gcc -O2 -s -shared -o "$tmp/vmcompute.dll" \
  internal/simdll/vmcompute/vmcompute.c internal/simdll/vmcompute/vmcompute.def
mkdir -p "$dest"
cp "$tmp/computenetwork.dll" "$tmp/vmcompute.dll" "$dest/"
echo "simdll: built computenetwork.dll and vmcompute.dll into $dest"
