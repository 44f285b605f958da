package hardware

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v4/cpu"
	xcpu "golang.org/x/sys/cpu"
)

// Sources of processor figures, as named in CPU.Sources.
const (
	CPUSourceOS       = "os"                            // the OS's processor API via gopsutil (WMI/SMBIOS on Windows, /proc/cpuinfo on Linux)
	CPUSourceRegistry = "registry"                      // Windows: HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\0
	CPUSourceLPI      = "logical_processor_information" // Windows: GetLogicalProcessorInformation
	CPUSourceCPUInfo  = "cpuinfo"                       // Linux: /proc/cpuinfo read by KI-Check itself
	CPUSourceCPUPart  = "cpuinfo_part"                  // Linux on ARM: the implementer/part ids in /proc/cpuinfo
	CPUSourceSysfs    = "sysfs"                         // Linux: /sys/devices/system/cpu
	CPUSourceCPUID    = "cpuid"                         // the processor's feature registers (golang.org/x/sys/cpu)
	CPUSourceModel    = "model_name"                    // the clock printed in the model name
	CPUSourceRuntime  = "runtime"                       // Go's runtime.NumCPU (processors this program may use)
)

// readCPU combines gopsutil (model, counts) with x/sys/cpu (instruction
// sets: gopsutil reports none on Windows, ghw none at all) and the OS's
// clock figures. Where gopsutil fails or leaves a figure empty (virtual
// desktops without an SMBIOS processor table, containers, ARM boards) the
// OS-specific fallback (cpuFallback) fills it from other sources, and
// Sources names where each figure came from.
func readCPU(ctx context.Context, c *collector) (CPU, error) {
	out := CPU{Arch: runtime.GOARCH, Flags: cpuFlags()}
	src := CPUSources{Flags: CPUSourceCPUID}
	infos, infoErr := cpu.InfoWithContext(ctx)
	if infoErr == nil && len(infos) > 0 {
		out.Vendor = strings.TrimSpace(infos[0].VendorID)
		out.Model = strings.TrimSpace(infos[0].ModelName)
		sockets := map[string]bool{}
		for _, i := range infos {
			sockets[i.PhysicalID] = true
		}
		out.Sockets = len(sockets)
		setSource(&src.Vendor, out.Vendor != "", CPUSourceOS)
		setSource(&src.Model, out.Model != "", CPUSourceOS)
	}
	if n, err := cpu.CountsWithContext(ctx, true); err == nil && n > 0 {
		out.Threads = n
		src.Threads = CPUSourceOS
	}
	if n, err := cpu.CountsWithContext(ctx, false); err == nil && n > 0 {
		out.PhysicalCores = n
		src.PhysicalCores = CPUSourceOS
	}
	out.BaseMHz, out.MaxMHz = cpuClocks(ctx, c, infos)
	setSource(&src.BaseMHz, out.BaseMHz > 0, baseClockSource)
	setSource(&src.MaxMHz, out.MaxMHz > 0, CPUSourceOS)
	cpuFallback(ctx, c, &out, &src)
	if out.BaseMHz == 0 {
		out.BaseMHz = clockFromModelName(out.Model)
		setSource(&src.BaseMHz, out.BaseMHz > 0, CPUSourceModel)
	}
	if out.Threads == 0 {
		out.Threads = runtime.NumCPU()
		src.Threads = CPUSourceRuntime
	}
	if infoErr != nil && out.Model == "" {
		return out, fmt.Errorf("read processor information: %w", infoErr)
	}
	out.Sources = src
	return out, nil
}

// setSource records source for a figure that was just found, unless an
// earlier source already supplied it.
func setSource(field *string, found bool, source string) {
	if found && *field == "" {
		*field = source
	}
}

// cpuFlags reads the instruction-set extensions of the processor this
// program runs on.
func cpuFlags() CPUFlags {
	f := CPUFlags{
		SSE42:      xcpu.X86.HasSSE42,
		AVX:        xcpu.X86.HasAVX,
		AVX2:       xcpu.X86.HasAVX2,
		FMA:        xcpu.X86.HasFMA,
		AVX512F:    xcpu.X86.HasAVX512F,
		AVX512VNNI: xcpu.X86.HasAVX512VNNI,
		AVX512BF16: xcpu.X86.HasAVX512BF16,
		AVXVNNI:    xcpu.X86.HasAVXVNNI,
		AMXTile:    xcpu.X86.HasAMXTile,
		AMXInt8:    xcpu.X86.HasAMXInt8,
		AMXBF16:    xcpu.X86.HasAMXBF16,
		SVE:        xcpu.ARM64.HasSVE,
		DotProd:    xcpu.ARM64.HasASIMDDP,
	}
	// Advanced SIMD is mandatory on arm64, and x/sys/cpu cannot read the
	// feature registers on every OS (Windows on ARM), so do not rely on it.
	f.NEON = runtime.GOARCH == "arm64" || xcpu.ARM64.HasASIMD
	return f
}

var modelClock = regexp.MustCompile(`@\s*([0-9]+(?:\.[0-9]+)?)\s*GHz`)

// clockFromModelName reads the nominal clock Intel puts into its model
// names ("Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz"); 0 when there is none.
func clockFromModelName(model string) float64 {
	m := modelClock.FindStringSubmatch(model)
	if m == nil {
		return 0
	}
	ghz, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0
	}
	return ghz * 1000
}
