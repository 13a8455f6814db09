#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for `make test`. Idempotent;
# needs root only when something is missing.
set -euo pipefail
export PATH="$PATH:/usr/local/go/bin"
need=()
command -v make >/dev/null || need+=(make)
command -v gcc >/dev/null || need+=(gcc libc6-dev)   # cgo, for -race
command -v git >/dev/null || need+=(git)
# The Wine tier (scripts/wine-test.sh): Wine runs the Windows test binaries,
# the mingw cross compiler builds the stand-in DLLs and the ProcessPrng shim.
command -v wine >/dev/null || need+=(wine)
command -v wine64 >/dev/null || [ -x /usr/lib/wine/wine64 ] || need+=(wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64-win32)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
command -v go >/dev/null || { echo "setup: Go 1.26 is required (not found on PATH or in /usr/local/go/bin)"; exit 1; }
cd "$(dirname "$0")/.."
go mod download
