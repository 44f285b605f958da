//go:build unix

package collect

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) this process used so far. The
// benchmarks report it next to wall time, because the build machine is
// shared and wall time there depends on the other load.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
