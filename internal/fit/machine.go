package fit

import (
	"fmt"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
)

// Machine is what the fit needs to know about a PC: memory, graphics cards
// and the probe's measurements. MachineFrom fills it from the hardware
// inventory and a probe result; tests fill it by hand.
type Machine struct {
	// ComputeBasisMsg, when set, is the basis of Compute.GOPS instead of
	// the probe's estimate (a figure typed in for a server); not in JSON.
	ComputeBasisMsg   i18n.Msg  `json:"-"`
	RAMTotalBytes     uint64    `json:"ram_total_bytes"`
	RAMAvailableBytes uint64    `json:"ram_available_bytes"`
	GPUs              []GPU     `json:"gpus,omitempty"`
	CPU               probe.CPU `json:"cpu"`
	// MemoryReadGBps is the read bandwidth the prediction uses, 0 = not
	// measured: the probe's sustained figure (probe.Result.SustainedGBps),
	// or the median of it over the recent probes of this PC (WithHistory).
	MemoryReadGBps float64 `json:"memory_read_gbps"`
	// MemoryReadLowGBps / MemoryReadHighGBps bound it (the probes' lower
	// and upper quartiles); 0 in machines built by hand: then the figure
	// alone counts.
	MemoryReadLowGBps  float64 `json:"memory_read_low_gbps,omitempty"`
	MemoryReadHighGBps float64 `json:"memory_read_high_gbps,omitempty"`
	// ProbesCombined is how many probes of this PC the bandwidth combines
	// (1: only the current one).
	ProbesCombined int `json:"probes_combined,omitempty"`
	// CPUShare is the share of the processor the probe's threads got
	// (median over the combined probes; probe.Steadiness.CPUShare), 0 =
	// not known. Shown for information only: the prediction does not
	// scale by it (issue 22: a verdict must not depend on how busy the PC
	// happened to be in the seconds of one probe); the kernels below
	// measure what the threads really got, combined over probes like the
	// bandwidth.
	CPUShare float64 `json:"cpu_share,omitempty"`
	// DecodeKernelGBps is the probe's decode kernel figure (weight GB/s a
	// SIMD Q8_0 matrix × vector streams with decoding's thread structure;
	// median of the combined probes' sustained figures), with its range;
	// PromptKernelGOPS the prompt kernel's (median); 0 = not measured
	// (older probe, CPU without AVX2): then decoding is predicted from the
	// read bandwidth and prompt processing from the compute estimate.
	DecodeKernelGBps     float64 `json:"decode_kernel_gbps,omitempty"`
	DecodeKernelLowGBps  float64 `json:"decode_kernel_low_gbps,omitempty"`
	DecodeKernelHighGBps float64 `json:"decode_kernel_high_gbps,omitempty"`
	PromptKernelGOPS     float64 `json:"prompt_kernel_gops,omitempty"`
	// KQuantKernelGBps is the probe's K-quant decode kernel figure (Q4_K
	// dot products with ggml's row chunks; combined like the decode
	// kernel), with its range: K-quant models are streamed at it. 0 = not
	// measured (older probe): then DecodeKernelGBps × KernelDecodeFactors.
	KQuantKernelGBps     float64 `json:"kquant_kernel_gbps,omitempty"`
	KQuantKernelLowGBps  float64 `json:"kquant_kernel_low_gbps,omitempty"`
	KQuantKernelHighGBps float64 `json:"kquant_kernel_high_gbps,omitempty"`
	KernelISA            string  `json:"kernel_isa,omitempty"`
	// KernelThreads is the thread count the probe's kernels ran with (the
	// runtime's, one per physical core unless set otherwise); 0 = not
	// known (a machine built by hand): taken as every core.
	KernelThreads int                   `json:"kernel_threads,omitempty"`
	Compute       probe.ComputeEstimate `json:"compute_estimate"`
	// ProbeComplete is false when the bandwidth comes from a cancelled probe.
	ProbeComplete bool `json:"probe_complete"`
	// Calibration is this PC's efficiency learnt from a local runtime's
	// measurement (Calibrate); nil = the published constants are used.
	Calibration *Calibration `json:"calibration,omitempty"`
	// bandwidthSince is the oldest combined probe's start.
	bandwidthSince time.Time
}

// GPU is one graphics card. Only a discrete card with known dedicated
// memory can hold a model; cards are never added together.
type GPU struct {
	Name      string `json:"name"`
	VRAMBytes uint64 `json:"vram_bytes"` // dedicated memory, 0 = unknown
	// VRAMFreeBytes is the free dedicated memory where the driver tells
	// (nvidia-smi); 0 = unknown, then 90 % of VRAMBytes is assumed free.
	VRAMFreeBytes uint64 `json:"vram_free_bytes,omitempty"`
	Discrete      bool   `json:"discrete"`
	// BandwidthGBps is the card's memory bandwidth where known (not
	// measured by KI-Check); 0 = AssumedGPUBandwidthGBps.
	BandwidthGBps float64 `json:"bandwidth_gbps,omitempty"`
}

// AssumedGPUBandwidthGBps is used for a discrete card whose bandwidth is
// not known: the low end of current discrete cards (entry-level cards with
// 128-bit GDDR6 reach 200–300 GB/s), so the prediction errs on the slow side.
const AssumedGPUBandwidthGBps = 200

// usableVRAM is the memory a model may take on g.
func (g GPU) usableVRAM() uint64 {
	if g.VRAMFreeBytes > 0 {
		return g.VRAMFreeBytes
	}
	return g.VRAMBytes / 10 * 9 // the desktop and driver keep some
}

// MachineFromProbe fills the measurements from a probe result.
func MachineFromProbe(m Machine, pr probe.Result) Machine {
	m.setCombined(probe.Combine(pr, nil))
	m.KernelISA = pr.KernelISA
	m.KernelThreads = pr.Threads
	m.Compute = pr.Compute
	m.CPU = pr.Compute.CPU
	m.ProbeComplete = pr.Complete
	return m
}

// WithHistory combines the current probe's bandwidth with earlier probes
// of this PC (probe.History, newest first): the median of their sustained
// figures, bounded by their lowest and highest quartile (probe.Combine).
func (m Machine) WithHistory(current probe.Result, earlier []probe.Result) Machine {
	if c := probe.Combine(current, earlier); c.Probes > 0 {
		m.setCombined(c)
		m.bandwidthSince = c.Since
	}
	return m
}

// setCombined takes the combined probes' figures (all zero when c is).
func (m *Machine) setCombined(c probe.Combined) {
	m.MemoryReadGBps, m.MemoryReadLowGBps, m.MemoryReadHighGBps, m.ProbesCombined, m.CPUShare = c.GBps, c.LowGBps, c.HighGBps, c.Probes, c.CPUShare
	m.DecodeKernelGBps, m.DecodeKernelLowGBps, m.DecodeKernelHighGBps, m.PromptKernelGOPS = c.DecodeKernelGBps, c.DecodeKernelLowGBps, c.DecodeKernelHighGBps, c.PromptKernelGOPS
	m.KQuantKernelGBps, m.KQuantKernelLowGBps, m.KQuantKernelHighGBps = c.KQuantKernelGBps, c.KQuantKernelLowGBps, c.KQuantKernelHighGBps
}

// decodeBasis is the figure decoding a quantization is predicted from
// (GB/s of weights the CPU streams) with the range the probes gave, the
// factor it is scaled by for that quantization (KQuantKernelFactor on the
// K-quant kernel, KQuantKernelOneThreadFactor for a runtime on one
// thread, KernelDecodeFactors on the Q8_0 kernel, 1 on the read
// bandwidth) and which measurement it is.
type decodeBasis struct {
	GBps, Low, High float64
	Factor          float64
	Kernel          bool // a probe kernel, not the read bandwidth
	KQuant          bool // the K-quant kernel
}

// decodeBase is the decodeBasis for quantization q: a K-quant's own
// kernel where the probe ran it, else the Q8_0 decode kernel times the
// family factor, else the read bandwidth.
func (m Machine) decodeBase(q string) decodeBasis {
	switch {
	case m.DecodeKernelGBps > 0 && m.KQuantKernelGBps > 0 && promptKernelClass(q) == "k-quant":
		factor := KQuantKernelFactor
		if m.KernelThreads == 1 {
			factor = KQuantKernelOneThreadFactor
		}
		return decodeBasis{GBps: m.KQuantKernelGBps, Low: m.KQuantKernelLowGBps, High: m.KQuantKernelHighGBps, Factor: factor, Kernel: true, KQuant: true}
	case m.DecodeKernelGBps > 0:
		return decodeBasis{GBps: m.DecodeKernelGBps, Low: m.DecodeKernelLowGBps, High: m.DecodeKernelHighGBps, Factor: kernelDecodeFactor(q), Kernel: true}
	}
	return decodeBasis{GBps: m.MemoryReadGBps, Low: m.MemoryReadLowGBps, High: m.MemoryReadHighGBps, Factor: 1}
}

// spareCore says whether the runtime's threads (KernelThreads) leave a
// physical core free for its own per-token work (KernelTokenGOP): only
// when both counts are known.
func (m Machine) spareCore() bool {
	return m.KernelThreads > 0 && m.CPU.PhysicalCores > 0 && m.KernelThreads < m.CPU.PhysicalCores
}

// promptGOPS is what prompt processing of quantization q gets on this CPU
// (10^9 operations/s): the prompt kernel's figure × PromptKernelFactor
// where the probe ran it, else the compute estimate; with its basis.
func (m Machine) promptGOPS(q string) (float64, i18n.Msg, bool) {
	if m.PromptKernelGOPS > 0 {
		f := promptKernelFactor(q)
		return m.PromptKernelGOPS * f, basisMsg("prompt_kernel", map[string]any{"GOPS": num{m.PromptKernelGOPS, 1}, "ISA": m.KernelISA, "Factor": num{f, 2}, "Class": promptKernelClass(q)}), true
	}
	if m.ComputeBasisMsg.ID != "" {
		return m.Compute.GOPS, m.ComputeBasisMsg, false
	}
	return m.Compute.GOPS, basisMsg("compute", map[string]any{"Estimate": ComputeEstimateBasis(m.Compute)}), false
}

func (m Machine) String() string {
	return fmt.Sprintf("RAM %s (%s free), %d GPUs, %.1f GB/s, %.0f GOPS", gb(m.RAMTotalBytes), gb(m.RAMAvailableBytes), len(m.GPUs), m.MemoryReadGBps, m.Compute.GOPS)
}

// MachineFrom combines the hardware inventory (memory, graphics cards,
// processor) with a probe result (bandwidth, compute estimate). Sections
// the inventory could not read stay zero: no RAM figure means nothing is
// placed in RAM, no GPU list means nothing on a GPU.
func MachineFrom(inv hardware.Inventory, pr probe.Result) Machine {
	var m Machine
	if inv.Memory.Status == hardware.StatusOK {
		m.RAMTotalBytes = inv.Memory.Value.TotalBytes
		m.RAMAvailableBytes = inv.Memory.Value.AvailableBytes
	}
	if inv.GPUs.Status == hardware.StatusOK {
		for _, g := range inv.GPUs.Value.Devices {
			name := strings.TrimSpace(g.Vendor + " " + g.Model)
			m.GPUs = append(m.GPUs, GPU{Name: name, VRAMBytes: g.DedicatedVRAMBytes, VRAMFreeBytes: g.FreeVRAMBytes, Discrete: g.Discrete})
		}
	}
	m = MachineFromProbe(m, pr)
	if inv.CPU.Status == hardware.StatusOK {
		// The inventory knows the clock and cores better than the probe's
		// quick look (boost clock from sysfs/registry); redo the estimate.
		m.CPU = CPUFromInventory(inv.CPU.Value, m.CPU)
		m.Compute = probe.EstimateCompute(m.CPU)
	}
	return m
}

// CPUFromInventory turns the inventory's processor into the probe's CPU
// description; fields the inventory does not know keep fallback's values.
func CPUFromInventory(c hardware.CPU, fallback probe.CPU) probe.CPU {
	out := fallback
	out.Model = c.Model
	if c.Threads > 0 {
		out.LogicalCores = c.Threads
	}
	if c.PhysicalCores > 0 {
		out.PhysicalCores = c.PhysicalCores
	}
	if mhz := max(c.MaxMHz, c.BaseMHz); mhz > 0 {
		out.MaxMHz = mhz
	}
	f := c.Flags
	out.AVX2, out.FMA, out.AVX512F, out.AVX512VNNI, out.AVXVNNI = f.AVX2, f.FMA, f.AVX512F, f.AVX512VNNI, f.AVXVNNI
	out.NEON, out.DotProd = f.NEON, f.DotProd
	return out
}
