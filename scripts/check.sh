#!/usr/bin/env bash
# Static checks on every target: gofmt, go vet for linux, windows/amd64,
# windows/arm64 and darwin, and cross builds of every package (the
# library module and the commands in their own modules, cmd/hcnsimd, cmd/hcnctl and cmd/hcn-cni).
set -euo pipefail
cd "$(dirname "$0")/.."
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
for target in linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64; do
  os=${target%/*} arch=${target#*/}
  echo "== vet+build $target"
  GOOS=$os GOARCH=$arch go vet ./... ./cmd/hcnsimd/... ./cmd/hcnctl/... ./cmd/hcn-cni/...
  GOOS=$os GOARCH=$arch go build ./... ./cmd/hcnsimd/... ./cmd/hcnctl/... ./cmd/hcn-cni/...
  # test code must compile for every target too
  GOOS=$os GOARCH=$arch go test -count=1 -run '^$' -exec /bin/true ./... ./cmd/hcnsimd/... ./cmd/hcnctl/... ./cmd/hcn-cni/... >/dev/null
done
# the peers module (Microsoft's clients pinned for the peers tier and the
# comparison benchmarks) is Windows-only code
echo "== vet peers module windows/amd64"
(cd peers && GOWORK=off GOOS=windows GOARCH=amd64 go vet ./...)
echo "check: ok"
