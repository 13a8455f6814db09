//go:build !windows

package hcn

import "time"

// listClock is the monotonic clock lists time their reads with.
func listClock() time.Duration { return time.Since(listEpoch) }
