//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package hcnsim

import "time"

// processCPU is not measured here; benchmarks then report 0 cpu-ns/op.
func processCPU() time.Duration { return 0 }
