package probe

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Steadiness says how the bandwidth measurement settled (docs/probe.md,
// "Steady bandwidth").
type Steadiness struct {
	// Stable is true when the last Window samples agreed within the target
	// spread; false when the time limit came first.
	Stable bool `json:"stable"`
	// SpreadPercent is the interquartile range of the last Window samples
	// over their median, in percent.
	SpreadPercent float64 `json:"spread_percent"`
	// TargetPercent is the spread at which the run stops as stable.
	TargetPercent float64 `json:"target_percent"`
	// Window is the number of samples the spread is judged over.
	Window int `json:"window"`
	// Samples is the number of samples taken in all; Seconds their time.
	Samples int     `json:"samples"`
	Seconds float64 `json:"seconds"`
	// SustainedGBps is the figure the fit uses: the lower quartile of the
	// last Window samples. A runtime's decoding streams the weights for
	// seconds at a time, interleaved with its own arithmetic and thread
	// synchronisation; it does not reach the best passes of a pure read.
	SustainedGBps float64 `json:"sustained_gbps"`
	// MedianGBps is the median of the last Window samples (the kernels'
	// figure; in their steadiness the unit is theirs, GOPS for the prompt
	// kernel).
	MedianGBps float64 `json:"median_gbps,omitempty"`
	// LowGBps and HighGBps bound the last Window samples' middle half
	// (lower and upper quartile): the bandwidth's own uncertainty.
	LowGBps  float64 `json:"low_gbps"`
	HighGBps float64 `json:"high_gbps"`
	// CPUShare is the share of its threads' time the probe got on the
	// processor while it measured (CPU time / (wall time × threads)):
	// about 1 on an idle PC, less when other programs take the cores.
	// The fit scales the compute estimate by it (docs/fit.md); 0 = not
	// known (no CPU time on this system).
	CPUShare float64 `json:"cpu_share,omitempty"`
}

// maxBandwidthSamples bounds the samples of one steady measurement.
const maxBandwidthSamples = 200

// measureSteady takes timed samples of pass (which reads the buffer once
// and returns the bytes read) after one warm-up pass: each sample repeats
// pass until opts.SampleSeconds have passed, and sampling stops when the
// last opts.Repetitions samples agree within opts.TargetSpread, when
// opts.MaxBandwidthSeconds are up, or when ctx is cancelled (then with
// what was measured and the error). Returns GB/s per sample.
func measureSteady(ctx context.Context, opts Options, progress func(float64), pass func() float64) (out []float64, st Steadiness, err error) {
	st = Steadiness{TargetPercent: opts.TargetSpread * 100, Window: opts.Repetitions}
	if err := ctx.Err(); err != nil {
		return nil, st, err
	}
	pass() // warm-up: caches, TLB, CPU clock ramp
	start := time.Now()
	cpu0, cpuOK := processCPUTime()
	defer func() {
		if cpu1, ok := processCPUTime(); ok && cpuOK && opts.Threads > 0 {
			if wall := time.Since(start); wall > 0 {
				st.CPUShare = min(1, float64(cpu1-cpu0)/(float64(wall)*float64(opts.Threads)))
			}
		}
	}()
	limit := time.Duration(opts.MaxBandwidthSeconds * float64(time.Second))
	sampleLen := time.Duration(opts.SampleSeconds * float64(time.Second))
	done := 0.0
	for len(out) < maxBandwidthSamples {
		if err := ctx.Err(); err != nil {
			st.finish(out, start)
			return out, st, fmt.Errorf("cancelled after %d bandwidth samples: %w", len(out), err)
		}
		t0 := time.Now()
		bytes := 0.0
		for bytes == 0 || time.Since(t0) < sampleLen {
			bytes += pass()
		}
		out = append(out, bytes/time.Since(t0).Seconds()/1e9)
		if len(out) >= opts.Repetitions {
			st.finish(out, start)
			if st.SpreadPercent <= st.TargetPercent {
				st.Stable = true
				break
			}
		}
		if time.Since(start) >= limit && len(out) >= min(3, opts.Repetitions) {
			break
		}
		// Progress never goes back: the larger of samples taken against
		// the window and time used against the limit.
		done = max(done, min(0.99, max(float64(len(out))/float64(opts.Repetitions+1), time.Since(start).Seconds()/limit.Seconds())))
		progress(done)
	}
	st.finish(out, start)
	return out, st, nil
}

// finish computes the spread and the figures over the last Window samples.
func (st *Steadiness) finish(samples []float64, start time.Time) {
	st.Samples = len(samples)
	st.Seconds = time.Since(start).Seconds()
	if len(samples) == 0 {
		return
	}
	w := samples[max(0, len(samples)-st.Window):]
	s := newStat(w)
	st.SpreadPercent = 100 * (s.Q3 - s.Q1) / s.Median
	st.SustainedGBps, st.LowGBps, st.HighGBps, st.MedianGBps = s.Q1, s.Q1, s.Q3, s.Median
}

// SustainedGBps is the bandwidth figure the fit uses from this probe: the
// steady measurement's sustained figure, or for a probe stored before it
// existed the lower quartile of its samples; 0 when not measured.
func (r Result) SustainedGBps() float64 {
	switch {
	case r.Steady != nil && r.Steady.SustainedGBps > 0:
		return r.Steady.SustainedGBps
	case r.MemoryReadGBps != nil:
		return r.MemoryReadGBps.Q1
	}
	return 0
}

// bounds is this probe's own bandwidth range (lower to upper quartile).
func (r Result) bounds() (lo, hi float64) {
	switch {
	case r.Steady != nil && r.Steady.SustainedGBps > 0:
		return r.Steady.LowGBps, r.Steady.HighGBps
	case r.MemoryReadGBps != nil:
		return r.MemoryReadGBps.Q1, r.MemoryReadGBps.Q3
	}
	return 0, 0
}

// Combined is the bandwidth of this PC over its recent probes: one probe
// swings with what else the PC (or the host of a virtual machine) does, a
// verdict should not (docs/probe.md, "Combining probes").
type Combined struct {
	// GBps is the median of the probes' sustained figures.
	GBps float64 `json:"gbps"`
	// LowGBps / HighGBps: the lowest lower and the highest upper quartile
	// of the probes combined.
	LowGBps  float64 `json:"low_gbps"`
	HighGBps float64 `json:"high_gbps"`
	// Probes is how many probes were combined; Since the oldest one's start.
	Probes int       `json:"probes"`
	Since  time.Time `json:"since"`
	// CPUShare is the median of the probes' CPU shares (Steadiness), 0
	// when none knows it. Informative: the fit no longer scales by it
	// (the kernels measure what the threads got, combined like the
	// bandwidth).
	CPUShare float64 `json:"cpu_share,omitempty"`
	// DecodeKernelGBps is the lower level of the probes' sustained
	// decode kernel figures (Result.DecodeKernelSustained, lowerLevel),
	// bounded by the
	// lowest lower and highest upper quartile; PromptKernelGOPS the median
	// of their prompt kernel figures; KernelProbes how many probes had
	// them. All 0 when no combined probe ran the kernels. The lower
	// level, not the median: with all threads the kernel's figure jumps
	// between two levels that each last seconds to a minute (on the
	// development VM's Zen 4 host about 30 and 37 GB/s, on its Zen 5 host
	// about 48 and 56), while a runtime's decoding stays at the lower one
	// (docs/probe.md, "Two levels").
	DecodeKernelGBps     float64 `json:"decode_kernel_gbps,omitempty"`
	DecodeKernelLowGBps  float64 `json:"decode_kernel_low_gbps,omitempty"`
	DecodeKernelHighGBps float64 `json:"decode_kernel_high_gbps,omitempty"`
	PromptKernelGOPS     float64 `json:"prompt_kernel_gops,omitempty"`
	KernelProbes         int     `json:"kernel_probes,omitempty"`
	// KQuantKernelGBps is the K-quant decode kernel's figure combined the
	// same way (Result.KQuantKernelSustained, the lower level), bounded by
	// the lowest lower and the highest upper quartile, over the probes
	// that measured it (KQuantProbes); 0 when none did.
	KQuantKernelGBps     float64 `json:"kquant_kernel_gbps,omitempty"`
	KQuantKernelLowGBps  float64 `json:"kquant_kernel_low_gbps,omitempty"`
	KQuantKernelHighGBps float64 `json:"kquant_kernel_high_gbps,omitempty"`
	KQuantProbes         int     `json:"kquant_probes,omitempty"`
}

// MaxCombined is the most probes Combine uses (the current one included).
const MaxCombined = 5

// Combine joins the current probe with earlier ones of the same PC (same
// processor model and core count, bandwidth measured; newest first, as
// History returns them), up to MaxCombined probes in all. A probe that
// measured no bandwidth gives a zero Combined.
func Combine(current Result, earlier []Result) Combined {
	if current.SustainedGBps() <= 0 {
		return Combined{}
	}
	use := []Result{current}
	for _, e := range earlier {
		if len(use) == MaxCombined {
			break
		}
		if e.SustainedGBps() <= 0 || !SamePC(current, e) || e.Started.Equal(current.Started) {
			continue
		}
		use = append(use, e)
	}
	figs := make([]float64, len(use))
	var shares, kernels, prompts, kquants []float64
	c := Combined{Probes: len(use), Since: current.Started}
	for i, r := range use {
		figs[i] = r.SustainedGBps()
		if r.Steady != nil && r.Steady.CPUShare > 0 {
			shares = append(shares, r.Steady.CPUShare)
		}
		if k := r.DecodeKernelSustained(); k > 0 && r.PromptKernel() > 0 {
			kernels, prompts = append(kernels, k), append(prompts, r.PromptKernel())
			if c.DecodeKernelLowGBps == 0 || r.DecodeKernel.LowGBps < c.DecodeKernelLowGBps {
				c.DecodeKernelLowGBps = r.DecodeKernel.LowGBps
			}
			c.DecodeKernelHighGBps = max(c.DecodeKernelHighGBps, r.DecodeKernel.HighGBps)
		}
		if k := r.KQuantKernelSustained(); k > 0 {
			kquants = append(kquants, k)
			if c.KQuantKernelLowGBps == 0 || r.KQuantKernel.LowGBps < c.KQuantKernelLowGBps {
				c.KQuantKernelLowGBps = r.KQuantKernel.LowGBps
			}
			c.KQuantKernelHighGBps = max(c.KQuantKernelHighGBps, r.KQuantKernel.HighGBps)
		}
		lo, hi := r.bounds()
		if c.LowGBps == 0 || lo < c.LowGBps {
			c.LowGBps = lo
		}
		c.HighGBps = max(c.HighGBps, hi)
		if r.Started.Before(c.Since) {
			c.Since = r.Started
		}
	}
	slices.Sort(figs)
	c.GBps = quantile(figs, 0.5)
	if len(shares) > 0 {
		slices.Sort(shares)
		c.CPUShare = quantile(shares, 0.5)
	}
	c.LowGBps = min(c.LowGBps, c.GBps)
	c.HighGBps = max(c.HighGBps, c.GBps)
	if len(kernels) > 0 {
		slices.Sort(kernels)
		slices.Sort(prompts)
		c.DecodeKernelGBps, c.PromptKernelGOPS, c.KernelProbes = lowerLevel(kernels), quantile(prompts, 0.5), len(kernels)
		c.DecodeKernelLowGBps = min(c.DecodeKernelLowGBps, c.DecodeKernelGBps)
		c.DecodeKernelHighGBps = max(c.DecodeKernelHighGBps, c.DecodeKernelGBps)
	}
	if len(kquants) > 0 {
		slices.Sort(kquants)
		c.KQuantKernelGBps, c.KQuantProbes = lowerLevel(kquants), len(kquants)
		c.KQuantKernelLowGBps = min(c.KQuantKernelLowGBps, c.KQuantKernelGBps)
		c.KQuantKernelHighGBps = max(c.KQuantKernelHighGBps, c.KQuantKernelGBps)
	}
	return c
}

// lowerLevel is the lower quartile of the sorted figures after dropping
// those under half their median: such a probe caught a busy moment (a
// thread of the team taken away), which the median of several probes
// ignores, and the lower quartile must not take it for the lower of the
// kernel's two levels (Combined.DecodeKernelGBps).
func lowerLevel(sorted []float64) float64 {
	half := quantile(sorted, 0.5) / 2
	i, _ := slices.BinarySearch(sorted, half)
	return quantile(sorted[i:], 0.25)
}

// SamePC says whether two probes ran on the same processor with the same
// number of threads (the database is per PC; this guards against a data
// folder moved to another PC, and a one-thread probe is another figure).
func SamePC(a, b Result) bool {
	ca, cb := a.Compute.CPU, b.Compute.CPU
	return ca.Model == cb.Model && ca.LogicalCores == cb.LogicalCores && (a.Threads == b.Threads || a.Threads == 0 || b.Threads == 0)
}
