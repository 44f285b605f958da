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

// readCPU combines gopsutil (model, counts) with x/sys/cpu (instruction
// sets: gopsutil reports none on Windows, ghw none at all) and the OS's
// clock figures.
func readCPU(ctx context.Context, c *collector) (CPU, error) {
	out := CPU{Arch: runtime.GOARCH, Flags: cpuFlags()}
	infos, err := cpu.InfoWithContext(ctx)
	if err != nil {
		return out, fmt.Errorf("read processor information: %w", err)
	}
	if len(infos) > 0 {
		out.Vendor = strings.TrimSpace(infos[0].VendorID)
		out.Model = strings.TrimSpace(infos[0].ModelName)
		sockets := map[string]bool{}
		for _, i := range infos {
			sockets[i.PhysicalID] = true
		}
		out.Sockets = len(sockets)
	}
	if n, err := cpu.CountsWithContext(ctx, true); err == nil {
		out.Threads = n
	}
	if out.Threads == 0 {
		out.Threads = runtime.NumCPU()
	}
	if n, err := cpu.CountsWithContext(ctx, false); err == nil {
		out.PhysicalCores = n
	}
	out.BaseMHz, out.MaxMHz = cpuClocks(ctx, c, infos)
	if out.BaseMHz == 0 {
		out.BaseMHz = clockFromModelName(out.Model)
	}
	return out, nil
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
