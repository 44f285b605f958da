package hardware

import (
	"context"

	"github.com/shirou/gopsutil/v4/cpu"
	"golang.org/x/sys/windows/registry"
)

// cpuClocks: Windows keeps the nominal clock in the registry ("~MHz");
// gopsutil's figure is WMI's MaxClockSpeed, which Windows fills with the
// same nominal clock on most machines, so a higher value there is taken as
// the maximum.
func cpuClocks(_ context.Context, _ *collector, infos []cpu.InfoStat) (baseMHz, maxMHz float64) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `HARDWARE\DESCRIPTION\System\CentralProcessor\0`, registry.QUERY_VALUE)
	if err == nil {
		if mhz, _, err := k.GetIntegerValue("~MHz"); err == nil {
			baseMHz = float64(mhz)
		}
		k.Close()
	}
	if len(infos) > 0 && infos[0].Mhz > baseMHz {
		maxMHz = infos[0].Mhz
	}
	return baseMHz, maxMHz
}
