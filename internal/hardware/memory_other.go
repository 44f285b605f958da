//go:build !linux && !windows

package hardware

import "context"

// memoryModules: not read on this OS.
func memoryModules(context.Context, *collector) ([]MemoryModule, bool) { return nil, false }
