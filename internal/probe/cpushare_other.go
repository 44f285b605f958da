//go:build !unix && !windows

package probe

import "time"

func processCPUTime() (time.Duration, bool) { return 0, false }
