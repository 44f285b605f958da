package probe

import (
	"context"
	"fmt"
	"runtime"

	"github.com/shirou/gopsutil/v4/cpu"
	xcpu "golang.org/x/sys/cpu"
)

// CPU is what the compute estimate needs to know about the processor.
type CPU struct {
	Model         string  `json:"model,omitempty"`
	LogicalCores  int     `json:"logical_cores"`
	PhysicalCores int     `json:"physical_cores"`
	MaxMHz        float64 `json:"max_mhz"` // 0 = unknown
	AVX2          bool    `json:"avx2"`
	FMA           bool    `json:"fma"`
	AVX512F       bool    `json:"avx512f"`
	AVX512VNNI    bool    `json:"avx512_vnni"`
	AVXVNNI       bool    `json:"avx_vnni"`
	NEON          bool    `json:"neon"`
	DotProd       bool    `json:"dotprod"`
}

// DetectCPU reads the processor from this machine (no admin rights).
func DetectCPU(ctx context.Context) CPU {
	c := CPU{LogicalCores: runtime.NumCPU()}
	if n, err := cpu.CountsWithContext(ctx, false); err == nil && n > 0 {
		c.PhysicalCores = n
	} else {
		c.PhysicalCores = c.LogicalCores
	}
	if infos, err := cpu.InfoWithContext(ctx); err == nil && len(infos) > 0 {
		c.Model = infos[0].ModelName
		for _, i := range infos {
			c.MaxMHz = max(c.MaxMHz, i.Mhz)
		}
	}
	switch runtime.GOARCH {
	case "amd64":
		c.AVX2 = xcpu.X86.HasAVX2
		c.FMA = xcpu.X86.HasFMA
		c.AVX512F = xcpu.X86.HasAVX512F
		c.AVX512VNNI = xcpu.X86.HasAVX512VNNI
		c.AVXVNNI = xcpu.X86.HasAVXVNNI
	case "arm64":
		c.NEON = xcpu.ARM64.HasASIMD
		c.DotProd = xcpu.ARM64.HasASIMDDP
	}
	return c
}

// ComputeEstimate is the int8/float throughput llama.cpp's kernels reach
// with all physical cores, estimated as cores × clock × operations per
// cycle of the widest usable vector unit × a calibrated efficiency.
type ComputeEstimate struct {
	GOPS       float64 `json:"gops"`      // effective 10^9 operations/s for prompt processing
	PeakGOPS   float64 `json:"peak_gops"` // cores × GHz × ops/cycle
	OpsCycle   float64 `json:"ops_per_cycle_per_core"`
	ISA        string  `json:"isa"` // the vector unit assumed
	Cores      int     `json:"cores"`
	GHz        float64 `json:"ghz"`
	Assumed    string  `json:"assumed,omitempty"` // what was not known and assumed instead
	Basis      string  `json:"basis"`
	Efficiency float64 `json:"efficiency"`
	// CPU is the processor description the estimate was made from.
	CPU CPU `json:"cpu"`
}

// Operations per cycle and core for llama.cpp's quantized dot products
// (multiply + add counted as two), from the vector width and the number of
// vector units: AVX-512 VNNI 2 units × 64 int8 lanes × 2; AVX2 2 × 32 × 2
// but without a single-instruction int8 dot product (maddubs + madd), so
// half that; SSE/NEON-without-dotprod 16 lanes. Taken with a measured
// efficiency (see docs/probe.md), these put relative CPUs in the right
// order; the absolute figure is calibrated against real llama.cpp runs.
const (
	opsAVX512VNNI = 256
	opsAVX512     = 128
	opsAVXVNNI    = 128
	opsAVX2       = 64
	opsNEONDot    = 64
	opsSSE        = 16
)

// ComputeEfficiency is the share of the peak that llama.cpp's prompt
// processing reaches. 0.12 comes from published llama-bench pp512 results
// of the order of 150–200 tokens/s for a 7B Q4_0 model on a 16-core
// Zen 4 desktop (about 2.5 of 20 peak TOPS); it has not yet been confirmed
// on a quiet machine with BenchmarkPredictionAccuracy (docs/probe.md).
var ComputeEfficiency = 0.12

// defaultGHz is assumed when the OS does not tell the clock.
const defaultGHz = 2.5

// EstimateCompute turns the CPU description into a compute estimate.
func EstimateCompute(c CPU) ComputeEstimate {
	e := ComputeEstimate{Cores: c.PhysicalCores, GHz: c.MaxMHz / 1000, Efficiency: ComputeEfficiency, CPU: c}
	if e.Cores <= 0 {
		e.Cores = max(1, c.LogicalCores)
	}
	if e.GHz <= 0 {
		e.GHz = defaultGHz
		e.Assumed = fmt.Sprintf("clock unknown, %.1f GHz assumed", defaultGHz)
	}
	switch {
	case c.AVX512F && c.AVX512VNNI:
		e.ISA, e.OpsCycle = "AVX-512 VNNI", opsAVX512VNNI
	case c.AVX512F:
		e.ISA, e.OpsCycle = "AVX-512", opsAVX512
	case c.AVXVNNI && c.AVX2:
		e.ISA, e.OpsCycle = "AVX-VNNI", opsAVXVNNI
	case c.AVX2:
		e.ISA, e.OpsCycle = "AVX2", opsAVX2
	case c.DotProd:
		e.ISA, e.OpsCycle = "NEON dotprod", opsNEONDot
	case c.NEON:
		e.ISA, e.OpsCycle = "NEON", opsSSE
	default:
		e.ISA, e.OpsCycle = "SSE", opsSSE
	}
	e.PeakGOPS = float64(e.Cores) * e.GHz * e.OpsCycle
	e.GOPS = e.PeakGOPS * e.Efficiency
	e.Basis = fmt.Sprintf("%d cores × %.2f GHz × %.0f ops/cycle (%s) × efficiency %.2f", e.Cores, e.GHz, e.OpsCycle, e.ISA, e.Efficiency)
	return e
}
