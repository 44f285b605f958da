//go:build !linux && !windows

package hardware

import (
	"context"

	"github.com/shirou/gopsutil/v4/cpu"
)

// cpuClocks takes the one clock figure gopsutil has as the maximum.
func cpuClocks(_ context.Context, _ *collector, infos []cpu.InfoStat) (baseMHz, maxMHz float64) {
	if len(infos) > 0 {
		maxMHz = infos[0].Mhz
	}
	return 0, maxMHz
}

// cpuFallback: no other source on this OS.
func cpuFallback(context.Context, *collector, *CPU, *CPUSources) {}

// baseClockSource names where cpuClocks takes the base clock from: gopsutil.
const baseClockSource = CPUSourceOS
