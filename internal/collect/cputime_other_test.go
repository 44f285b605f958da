//go:build !unix

package collect

import "time"

func processCPU() time.Duration { return 0 }
