//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package hcnsim

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) of the process, GC
// workers included, so benchmarks can report cost on a busy machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
