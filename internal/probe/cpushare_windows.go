//go:build windows

package probe

import (
	"time"

	"golang.org/x/sys/windows"
)

// processCPUTime is the CPU time this process has used (user + kernel).
func processCPUTime() (time.Duration, bool) {
	var creation, exit, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(windows.CurrentProcess(), &creation, &exit, &kernel, &user); err != nil {
		return 0, false
	}
	ft := func(f windows.Filetime) time.Duration {
		return time.Duration((int64(f.HighDateTime)<<32 | int64(f.LowDateTime)) * 100)
	}
	return ft(kernel) + ft(user), true
}
