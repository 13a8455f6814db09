# hcnkit — every task a developer or CI needs. `make test` runs every test.
SHELL := /bin/bash
GO ?= go
FUZZTIME ?= 3s
export PATH := $(PATH):/usr/local/go/bin

.PHONY: test check unit fuzz bench

## test: everything — formatting, vet on every target OS, cross builds, race tests, short fuzz runs.
test: check unit fuzz

## check: gofmt, go vet (linux, windows/amd64, windows/arm64, darwin), cross builds.
check:
	@bash scripts/check.sh

## unit: go test -race on the host OS.
unit:
	$(GO) test -race -count=1 ./...

## fuzz: every Fuzz target for FUZZTIME each.
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

## bench: the benchmarks.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
