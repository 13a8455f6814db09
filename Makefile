# hcnkit — every task a developer or CI needs. `make test` runs every test.
SHELL := /bin/bash
GO ?= go
FUZZTIME ?= 10000x
export PATH := $(PATH):/usr/local/go/bin

.PHONY: demo hcnctl test check unit fuzz bench wine-test wine-bench wine-bench-peers peers-test simdll generate examples

## test: everything — formatting, vet on every target OS, cross builds, race tests, short fuzz runs,
## the Wine tier (the Windows host service against stand-in DLLs, under Wine), and the peers tier
## (Microsoft's own hcn integration tests against the same stand-in DLLs).
test: check unit fuzz wine-test peers-test

## check: gofmt, go vet (linux, windows/amd64, windows/arm64, darwin), cross builds.
check:
	@bash scripts/check.sh

## unit: go test -race on the host OS.
unit:
	$(GO) test -race -count=1 ./... ./cmd/hcnsimd/... ./cmd/hcnctl/... ./cmd/hcn-cni/...

## fuzz: every Fuzz target for FUZZTIME each (an execution count: a wall-clock -fuzztime can fail spuriously
## with "context deadline exceeded" on a loaded machine in Go 1.26, golang/go#75804).
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

## demo: the node flow on a throwaway embedded emulator, step by step (hcnctl demo; touches no state).
demo:
	$(GO) run ./cmd/hcnctl demo

## hcnctl: build the command-line tool into bin/hcnctl (GOOS=windows for bin/hcnctl.exe).
hcnctl:
	$(GO) build -o bin/hcnctl$(if $(filter windows,$(GOOS)),.exe,) ./cmd/hcnctl

## examples: the runnable examples — the Client's main flows and a node's lifecycle (overlay) on the embedded emulator, printed.
examples:
	$(GO) test -count=1 -run '^Example' -v . ./overlay/

## bench: the benchmarks.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## wine-test: the Wine tier — Windows test binaries of the host service run under Wine against the
## stand-in computenetwork.dll/vmcompute.dll built from hcnsim (needs wine and mingw: scripts/setup.sh).
wine-test:
	@bash scripts/wine-test.sh

## wine-bench: the DLL-boundary benchmarks under Wine (host service → stand-in DLL vs hcnsim in process).
wine-bench:
	@bash scripts/wine-test.sh -run '^$$' -bench . -benchmem

## wine-bench-peers: hcnkit's Client against hcsshim/hcn in one Windows process under Wine, over the
## stand-in DLL at service latencies 0, 50µs, 200µs and 1ms (HCNSIM_LATENCY / HcnSimSetLatency); also how
## far concurrent calls into the stand-in overlap. Minutes; not part of make test.
wine-bench-peers:
	@bash scripts/wine-bench-peers.sh

## peers-test: Microsoft's hcn integration tests (hcsshim v0.15.0, hnslib v0.1.3, pinned in peers/) built
## for Windows and run under Wine against the stand-in DLLs, each test in a fresh process and each suite
## in one process; a PASS/FAIL line per test and a total.
peers-test:
	@bash scripts/peers-test.sh

## simdll: build the stand-in computenetwork.dll and vmcompute.dll into DESTDIR (default out/simdll).
DESTDIR ?= out/simdll
simdll:
	@bash scripts/simdll.sh $(DESTDIR)

## generate: regenerate committed generated code (internal/computenetwork/zsyscall_windows.go).
generate:
	@bash scripts/generate.sh
