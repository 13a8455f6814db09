#!/usr/bin/env bash
# Runs every Fuzz target of every package for a short time (default 3s each).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-3s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
count=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "== fuzz $pkg $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1 || {
      cat "$log"; exit 1; }
    count=$((count + 1))
  done
done
echo "fuzz: $count targets ran without a failure"
