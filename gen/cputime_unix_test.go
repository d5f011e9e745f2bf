//go:build unix

package gen_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system, every thread) the process
// has used: what benchmarks report besides wall time, which a shared
// machine inflates.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
