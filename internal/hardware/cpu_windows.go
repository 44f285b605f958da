package hardware

import (
	"context"
	"math/bits"
	"strings"
	"unsafe"

	"github.com/shirou/gopsutil/v4/cpu"
	"golang.org/x/sys/windows"
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

// cpuFallback fills what gopsutil left empty. gopsutil's processor
// information needs the SMBIOS processor table, which many virtual
// desktops (and Wine) do not have; the registry and the logical processor
// information API are there regardless.
func cpuFallback(_ context.Context, _ *collector, out *CPU, src *CPUSources) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `HARDWARE\DESCRIPTION\System\CentralProcessor\0`, registry.QUERY_VALUE)
	if err == nil {
		if out.Model == "" {
			if s, _, err := k.GetStringValue("ProcessorNameString"); err == nil && strings.TrimSpace(s) != "" {
				out.Model, src.Model = strings.TrimSpace(s), CPUSourceRegistry
			}
		}
		if out.Vendor == "" {
			if s, _, err := k.GetStringValue("VendorIdentifier"); err == nil && strings.TrimSpace(s) != "" {
				out.Vendor, src.Vendor = strings.TrimSpace(s), CPUSourceRegistry
			}
		}
		if out.BaseMHz == 0 {
			if mhz, _, err := k.GetIntegerValue("~MHz"); err == nil && mhz > 0 {
				out.BaseMHz, src.BaseMHz = float64(mhz), CPUSourceRegistry
			}
		}
		k.Close()
	}
	if out.PhysicalCores == 0 || out.Threads == 0 {
		if cores, threads, ok := logicalProcessorCounts(); ok {
			if out.PhysicalCores == 0 && cores > 0 {
				out.PhysicalCores, src.PhysicalCores = cores, CPUSourceLPI
			}
			if out.Threads == 0 && threads > 0 {
				out.Threads, src.Threads = threads, CPUSourceLPI
			}
		}
	}
	if out.Sockets == 0 && out.Model != "" {
		out.Sockets = 1
	}
}

var procGetLogicalProcessorInformation = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetLogicalProcessorInformation")

// logicalProcessorCounts counts processor cores and their logical
// processors with GetLogicalProcessorInformation (the processor group of
// this process: up to 64 logical processors, which covers office PCs).
func logicalProcessorCounts() (cores, threads int, ok bool) {
	// SYSTEM_LOGICAL_PROCESSOR_INFORMATION: ULONG_PTR ProcessorMask,
	// LOGICAL_PROCESSOR_RELATIONSHIP Relationship (+ padding), a 16-byte union.
	const entrySize = int(unsafe.Sizeof(uintptr(0))) + 4 + 4 + 16
	if procGetLogicalProcessorInformation.Find() != nil {
		return 0, 0, false
	}
	var size uint32
	procGetLogicalProcessorInformation.Call(0, uintptr(unsafe.Pointer(&size)))
	if size == 0 || size > 1<<20 {
		return 0, 0, false
	}
	buf := make([]byte, size)
	r, _, _ := procGetLogicalProcessorInformation.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)))
	if r == 0 {
		return 0, 0, false
	}
	for off := 0; off+entrySize <= int(size); off += entrySize {
		mask := *(*uintptr)(unsafe.Pointer(&buf[off]))
		rel := *(*uint32)(unsafe.Pointer(&buf[off+int(unsafe.Sizeof(uintptr(0)))]))
		if rel == 0 { // RelationProcessorCore
			cores++
			threads += bits.OnesCount64(uint64(mask))
		}
	}
	return cores, threads, cores > 0
}

// baseClockSource names where cpuClocks takes the base clock from: Windows keeps the base clock in the registry (~MHz).
const baseClockSource = CPUSourceRegistry
