package hcn

import (
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Go's clock on Windows advances with the system timer, in steps of up to
// 15.6ms (and of about that under Wine), too coarse to time one read of a
// list; the performance counter (QueryPerformanceCounter) is exact.
var (
	procQPC  = windows.NewLazySystemDLL("kernel32.dll").NewProc("QueryPerformanceCounter")
	procQPF  = windows.NewLazySystemDLL("kernel32.dll").NewProc("QueryPerformanceFrequency")
	qpcFreq  int64
	qpcReady = func() bool {
		if procQPC.Find() != nil || procQPF.Find() != nil {
			return false
		}
		r, _, _ := procQPF.Call(uintptr(unsafe.Pointer(&qpcFreq)))
		return r != 0 && qpcFreq > 0
	}()
)

// listClock is the monotonic clock lists time their reads with: the
// performance counter, or Go's clock when the counter is missing.
func listClock() time.Duration {
	if !qpcReady {
		return time.Since(listEpoch)
	}
	var t int64
	procQPC.Call(uintptr(unsafe.Pointer(&t)))
	return time.Duration(float64(t) * (1e9 / float64(qpcFreq)))
}
