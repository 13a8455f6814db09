#!/usr/bin/env bash
# Regenerates the committed generated code: internal/computenetwork's
# zsyscall_windows.go from its //sys lines (mkwinsyscall, pinned in go.mod
# as a tool). The generator runs with the host GOOS so it can execute.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
(cd internal/computenetwork &&
  GOOS= GOARCH= go tool mkwinsyscall -output zsyscall_windows.go syscall_windows.go)
echo "generate: ok"
