package hardware

import (
	"context"
	"path/filepath"

	"github.com/shirou/gopsutil/v4/cpu"
)

// cpuClocks reads base and maximum clock from cpufreq (kHz). Without
// cpufreq (virtual machines), the clock /proc/cpuinfo reports is taken as
// the base clock and the maximum stays unknown.
func cpuClocks(_ context.Context, c *collector, infos []cpu.InfoStat) (baseMHz, maxMHz float64) {
	dir := filepath.Join(c.root, "sys/devices/system/cpu/cpu0/cpufreq")
	if khz, ok := readUintFile(filepath.Join(dir, "cpuinfo_max_freq")); ok {
		maxMHz = float64(khz) / 1000
	}
	if khz, ok := readUintFile(filepath.Join(dir, "base_frequency")); ok {
		baseMHz = float64(khz) / 1000
	}
	if maxMHz == 0 && baseMHz == 0 && len(infos) > 0 && infos[0].Mhz > 0 {
		baseMHz = infos[0].Mhz
	}
	return baseMHz, maxMHz
}

// cpuFallback fills what gopsutil left empty (containers that hide parts
// of /proc/cpuinfo, ARM boards without "model name") from /proc/cpuinfo
// read by KI-Check itself and from sysfs.
func cpuFallback(_ context.Context, c *collector, out *CPU, src *CPUSources) {
	fillFromLinux(c.root, out, src)
}

// baseClockSource names where cpuClocks takes the base clock from: cpufreq or gopsutil's /proc/cpuinfo.
const baseClockSource = CPUSourceOS
