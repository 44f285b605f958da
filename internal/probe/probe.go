package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Options size the probe. The zero value is the default (about 5 s on a
// 2-core VM, well under 10 s on office PCs).
type Options struct {
	// BufferBytes is the working set of the bandwidth and matrix-vector
	// tests. It must be far larger than the last-level cache (default
	// 512 MiB, which also matches a small quantized model).
	BufferBytes int
	// Threads is the number of worker goroutines (default: one per
	// physical core, as llama.cpp's default; SMT siblings share a core's
	// load units and add nothing to the bandwidth).
	Threads int
	// Repetitions of each measurement (default 9): for the bandwidth the
	// window over which the spread is judged (and the fewest samples), for
	// the compute tests half of it (at least 3).
	Repetitions int
	// MaxBandwidthSeconds bounds the steady bandwidth measurement: samples
	// are taken until the last Repetitions of them agree within
	// TargetSpread or this time is up (default 6 s).
	MaxBandwidthSeconds float64
	// TargetSpread is the relative interquartile range (IQR / median) at
	// which the bandwidth counts as stable (default 0.05).
	TargetSpread float64
	// SampleSeconds is the least length of one timed bandwidth sample: it
	// reads the buffer as often as needed (default 0.1 s; a single pass
	// over 512 MiB takes 10–30 ms, short enough for one scheduler tick of
	// another process to halve it).
	SampleSeconds float64
	// SkipCompute leaves out the pure-Go matrix tests (the SIMD kernels
	// still run unless SkipKernels).
	SkipCompute bool
	// SkipKernels leaves out the SIMD kernels (decode and prompt).
	SkipKernels bool
	// PureGo runs the pure-Go matrix tests also where the SIMD kernels
	// run (they are the compute figure only where there is no kernel;
	// elsewhere a reference that costs 2–5 s).
	PureGo bool
	// MaxKernelSeconds bounds the steady decode kernel measurement
	// (default 3 s; it stops earlier once stable, like the bandwidth).
	MaxKernelSeconds float64
	// CPU describes the processor for the compute estimate; the zero value
	// is detected from this machine.
	CPU CPU
}

// Stat is a median with its spread over the repetitions.
type Stat struct {
	Median  float64   `json:"median"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
	Q1      float64   `json:"q1"`
	Q3      float64   `json:"q3"`
	Samples []float64 `json:"samples"`
}

func newStat(samples []float64) Stat {
	if len(samples) == 0 {
		return Stat{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return Stat{
		Median:  quantile(s, 0.5),
		Min:     s[0],
		Max:     s[len(s)-1],
		Q1:      quantile(s, 0.25),
		Q3:      quantile(s, 0.75),
		Samples: samples,
	}
}

// quantile interpolates linearly between the sorted samples.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(pos)
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(lo)
	return sorted[lo]*(1-f) + sorted[lo+1]*f
}

// Result is what one probe run measured (JSON: docs/probe.md).
type Result struct {
	// Complete is false when the run was cancelled or a step failed; the
	// figures present are real but the run must not be stored as complete.
	Complete bool      `json:"complete"`
	Started  time.Time `json:"started"`
	Seconds  float64   `json:"seconds"`
	Threads  int       `json:"threads"`
	// BufferBytes is the working set of the memory tests.
	BufferBytes int `json:"buffer_bytes"`
	// MemoryReadGBps is the read bandwidth with all threads, in GB/s
	// (10^9 bytes per second), with its spread; nil if not measured.
	// ReadGBps gives the median alone (JSON memory_read_gbps).
	MemoryReadGBps *Stat `json:"memory_read"`
	// MatVecInt8GOPS / MatVecQ4GOPS: quantized matrix-vector product like
	// one decoding step (2 operations per weight), in pure Go.
	MatVecInt8GOPS *Stat `json:"matvec_int8_gops,omitempty"`
	MatVecQ4GOPS   *Stat `json:"matvec_q4_gops,omitempty"`
	// MatMulInt8GOPS: int8 matrix-matrix product like prompt processing.
	MatMulInt8GOPS *Stat `json:"matmul_int8_gops,omitempty"`
	// Compute is the estimate of what llama.cpp's kernels reach on this CPU.
	Compute ComputeEstimate `json:"compute_estimate"`
	// KernelISA is the SIMD kernels' instruction set ("AVX2"); empty when
	// this CPU or build has none (then the next three are nil).
	KernelISA string `json:"kernel_isa,omitempty"`
	// DecodeKernelGBps: weight bytes per second the SIMD Q8_0
	// matrix × vector kernel streams over the buffer with decoding's
	// structure (threads, a barrier per matrix), per sample; DecodeKernel
	// says how it settled and holds the sustained figure the fit uses
	// (docs/probe.md, "Kernels").
	DecodeKernelGBps *Stat       `json:"decode_kernel_gbps,omitempty"`
	DecodeKernel     *Steadiness `json:"decode_kernel_steady,omitempty"`
	// DecodeKernelOneThread is the same kernel on one thread, measured
	// when Threads > 1 (nil otherwise and in probes stored before it): how
	// fast one core streams weights. A diagnostic beside the team's jumps
	// (docs/probe.md, "Two levels"); the fit does not use it.
	DecodeKernelOneThread *Steadiness `json:"decode_kernel_one_thread_steady,omitempty"`
	// KQuantKernel is the K-quant decode kernel with all threads: Q4_K
	// dot products as ggml computes them, the rows handed out in chunks
	// as ggml's matrix multiplication does (docs/probe.md, "K-quant
	// kernel"); its median is the figure the fit streams K-quant models
	// with. Nil in probes stored before it and where there is no kernel.
	KQuantKernel *Steadiness `json:"decode_kernel_kquant_steady,omitempty"`
	// PromptKernelGOPS: operations per second (10^9) of the same kernel on
	// a cache-resident matrix times a batch of 8 tokens, like prompt
	// processing.
	PromptKernelGOPS   *Stat       `json:"prompt_kernel_gops,omitempty"`
	PromptKernelSteady *Steadiness `json:"prompt_kernel_steady,omitempty"`
	// Steady says how the bandwidth settled and which figure of it the
	// fit uses (docs/probe.md, "Steady bandwidth"); nil in probes stored
	// before it existed.
	Steady *Steadiness `json:"steady,omitempty"`
	// Incomplete says why Complete is false.
	Incomplete string `json:"incomplete,omitempty"`
}

// ReadGBps is the median read bandwidth in GB/s, 0 if not measured.
func (r Result) ReadGBps() float64 {
	if r.MemoryReadGBps == nil {
		return 0
	}
	return r.MemoryReadGBps.Median
}

// MarshalJSON adds memory_read_gbps, the median read bandwidth in GB/s,
// beside the full statistics, so scripts read one number.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		MemoryReadGBps float64 `json:"memory_read_gbps"`
		plain
	}{r.ReadGBps(), plain(r)})
}

// Progress reports the step being measured and the share done (0..1).
type Progress func(step string, done float64)

// Steps, as reported to Progress.
const (
	StepPrepare   = "prepare"
	StepBandwidth = "bandwidth"
	StepKernel    = "kernel"
	StepPrompt    = "prompt"
	StepMatVec    = "matvec"
	StepMatMul    = "matmul"
	StepDone      = "done"
)

// Run measures. On cancellation it returns what it has with Complete false
// and ctx's error.
func Run(ctx context.Context, opts Options, progress Progress) (Result, error) {
	if progress == nil {
		progress = func(string, float64) {}
	}
	if opts.BufferBytes <= 0 {
		opts.BufferBytes = 512 << 20
	}
	opts.BufferBytes &^= 1<<16 - 1 // whole 64 KiB chunks for the workers
	if opts.BufferBytes == 0 {
		opts.BufferBytes = 1 << 16
	}
	if opts.Repetitions <= 0 {
		opts.Repetitions = 9
	}
	if opts.MaxBandwidthSeconds <= 0 {
		opts.MaxBandwidthSeconds = 6
	}
	if opts.TargetSpread <= 0 {
		opts.TargetSpread = 0.05
	}
	if opts.SampleSeconds <= 0 {
		opts.SampleSeconds = 0.1
	}
	if opts.MaxKernelSeconds <= 0 {
		opts.MaxKernelSeconds = 3
	}
	if kernelISA == "" {
		opts.SkipKernels = true
	}
	if !opts.SkipKernels && !opts.PureGo {
		opts.SkipCompute = true
	}
	if opts.CPU.LogicalCores == 0 {
		opts.CPU = DetectCPU(ctx)
	}
	if opts.Threads <= 0 {
		opts.Threads = opts.CPU.PhysicalCores
		if opts.Threads <= 0 || opts.Threads > runtime.NumCPU() {
			opts.Threads = runtime.NumCPU()
		}
	}
	res := Result{Started: time.Now(), Threads: opts.Threads, BufferBytes: opts.BufferBytes}
	res.Compute = EstimateCompute(opts.CPU)
	finish := func(err error) (Result, error) {
		res.Seconds = time.Since(res.Started).Seconds()
		if err != nil {
			res.Complete = false
			res.Incomplete = err.Error()
			return res, err
		}
		res.Complete = true
		progress(StepDone, 1)
		return res, nil
	}

	progress(StepPrepare, 0)
	buf := make([]byte, opts.BufferBytes)
	// Touch every page (in parallel) so the OS maps them before timing.
	parallel(opts.Threads, len(buf), func(lo, hi int) {
		for i := lo; i < hi; i += 4096 {
			buf[i] = byte(i >> 12)
		}
	})
	if err := ctx.Err(); err != nil {
		return finish(err)
	}

	// Progress: each step (bandwidth, decode kernel, prompt kernel, matvec,
	// matmul) counts alike.
	total := 1.0
	if !opts.SkipKernels {
		total += 2
	}
	if !opts.SkipCompute {
		total += 2
	}
	stepDone := 0.0
	report := func(step string, i, n int) {
		progress(step, (stepDone+float64(i)/float64(n))/total)
	}

	bw, steady, err := measureSteady(ctx, opts, func(f float64) { progress(StepBandwidth, f/total) }, func() float64 {
		sink = readAll(buf, opts.Threads)
		return float64(len(buf))
	})
	if len(bw) > 0 {
		s := newStat(bw)
		res.MemoryReadGBps = &s
		res.Steady = &steady
	}
	if err != nil {
		return finish(err)
	}
	stepDone++

	if !opts.SkipKernels {
		res.KernelISA = kernelISA
		if err := runKernels(ctx, opts, buf, &res, func(step string, f float64) {
			progress(step, (stepDone+f)/total)
		}); err != nil {
			return finish(err)
		}
		stepDone += 2
	}
	if opts.SkipCompute {
		runtime.KeepAlive(buf)
		return finish(nil)
	}

	computeReps := max(3, opts.Repetitions/2)
	if err := ctx.Err(); err != nil {
		return finish(err)
	}
	mv := newMatVec(buf)
	var i8, q4 []float64
	timed := func(run func(int) float64) float64 {
		t0 := time.Now()
		ops := run(opts.Threads)
		return ops / time.Since(t0).Seconds() / 1e9
	}
	// One warm-up each, then the two kinds alternate so that a drifting
	// clock or a neighbour's load hits both alike.
	timed(mv.int8)
	timed(mv.q4)
	for i := range computeReps {
		if err = ctx.Err(); err != nil {
			err = fmt.Errorf("cancelled after %d of %d repetitions: %w", i, computeReps, err)
			break
		}
		report(StepMatVec, i, computeReps)
		i8 = append(i8, timed(mv.int8))
		q4 = append(q4, timed(mv.q4))
	}
	if len(i8) > 0 {
		s := newStat(i8)
		res.MatVecInt8GOPS = &s
	}
	if len(q4) > 0 {
		s := newStat(q4)
		res.MatVecQ4GOPS = &s
	}
	if err != nil {
		return finish(err)
	}
	stepDone++

	mm := newMatMul()
	mmRes, err := measure(ctx, computeReps, func(i int) { report(StepMatMul, i, computeReps) }, func() float64 {
		start := time.Now()
		ops := mm.run(opts.Threads)
		return ops / time.Since(start).Seconds() / 1e9
	})
	if len(mmRes) > 0 {
		s := newStat(mmRes)
		res.MatMulInt8GOPS = &s
	}
	runtime.KeepAlive(buf)
	return finish(err)
}

// runKernels measures the decode kernel over buf (steady, as the
// bandwidth, within opts.MaxKernelSeconds) and then the prompt kernel
// (one warm-up, Repetitions/2 timed runs, at least 3).
func runKernels(ctx context.Context, opts Options, buf []byte, res *Result, progress func(step string, done float64)) error {
	progress(StepKernel, 0)
	dk := newDecodeKernel(buf, opts.Threads)
	ko := opts
	ko.MaxBandwidthSeconds = opts.MaxKernelSeconds
	// Shares of the kernel step's progress: the team's Q8_0 kernel, the
	// K-quant kernel, the one-thread diagnostic.
	teamShare, kquantShare := 0.6, 0.4
	if opts.Threads > 1 {
		teamShare, kquantShare = 0.5, 0.3
	}
	samples, st, err := measureSteady(ctx, ko, func(f float64) { progress(StepKernel, teamShare*f) }, dk.pass)
	if len(samples) > 0 {
		s := newStat(samples)
		res.DecodeKernelGBps, res.DecodeKernel = &s, &st
	}
	if err != nil {
		return err
	}
	short := ko
	short.MaxBandwidthSeconds = max(1, opts.MaxKernelSeconds/2)
	_, stk, err := measureSteady(ctx, short, func(f float64) { progress(StepKernel, teamShare+kquantShare*f) }, newKQuantDecodeKernel(buf, opts.Threads).pass)
	if stk.Samples > 0 {
		res.KQuantKernel = &stk
	}
	if err != nil {
		return err
	}
	if opts.Threads > 1 {
		// The Q8_0 kernel on one thread: what one core streams while the
		// memory has room to spare (a diagnostic: it does not jump with
		// the team's levels).
		one := short
		one.Threads = 1
		_, st1, err := measureSteady(ctx, one, func(f float64) { progress(StepKernel, teamShare+kquantShare+(1-teamShare-kquantShare)*f) }, newDecodeKernel(buf, 1).pass)
		if st1.Samples > 0 {
			res.DecodeKernelOneThread = &st1
		}
		if err != nil {
			return err
		}
	}
	// The prompt kernel is sampled the same way (samples of at least
	// 0.1 s until the window agrees or the time is up): a prompt of a few
	// hundred tokens takes seconds, and on a busy PC a short run would
	// catch a lucky or an unlucky moment.
	pk := newPromptKernel(opts.Threads)
	po := ko
	po.MaxBandwidthSeconds = max(1, opts.MaxKernelSeconds/2)
	gops, pst, err := measureSteady(ctx, po, func(f float64) { progress(StepPrompt, 1+f) }, pk.run)
	if len(gops) > 0 {
		s := newStat(gops)
		res.PromptKernelGOPS, res.PromptKernelSteady = &s, &pst
	}
	return err
}

// DecodeKernelSustained is the decode kernel's figure (GB/s of weights):
// the median of its steady window, 0 when not measured. Unlike the pure
// read (whose lower quartile stands in for what it lacks), the kernel
// does what decoding does, arithmetic and barriers included, so its
// middle is what a decode of several seconds gets.
func (r Result) DecodeKernelSustained() float64 {
	if r.DecodeKernel != nil {
		return r.DecodeKernel.MedianGBps
	}
	return 0
}

// DecodeKernelOneThreadSustained is the decode kernel's figure on one
// thread (the median of its steady window): the team's own figure when the
// probe ran one thread, 0 when not measured.
func (r Result) DecodeKernelOneThreadSustained() float64 {
	switch {
	case r.Threads == 1:
		return r.DecodeKernelSustained()
	case r.DecodeKernelOneThread != nil:
		return r.DecodeKernelOneThread.MedianGBps
	}
	return 0
}

// KQuantKernelSustained is the K-quant decode kernel's figure (GB/s of
// Q4_K weights, the median of its steady window), 0 when not measured.
func (r Result) KQuantKernelSustained() float64 {
	if r.KQuantKernel != nil {
		return r.KQuantKernel.MedianGBps
	}
	return 0
}

// PromptKernel is the prompt kernel's figure: the median of its steady
// window (of all samples in a probe without one), 0 when not measured.
func (r Result) PromptKernel() float64 {
	switch {
	case r.PromptKernelSteady != nil && r.PromptKernelSteady.MedianGBps > 0:
		return r.PromptKernelSteady.MedianGBps
	case r.PromptKernelGOPS != nil:
		return r.PromptKernelGOPS.Median
	}
	return 0
}

// sink keeps the compiler from dropping the reads.
var sink uint64

// measure runs one warm-up and n timed repetitions of f, checking ctx
// between them (a repetition is short, well under a second).
func measure(ctx context.Context, n int, before func(i int), f func() float64) ([]float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f() // warm-up: caches, TLB, CPU clock ramp
	out := make([]float64, 0, n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("cancelled after %d of %d repetitions: %w", i, n, err)
		}
		before(i)
		out = append(out, f())
	}
	return out, nil
}

// parallel splits [0,n) into threads contiguous parts (aligned to 64 KiB)
// and runs f on each in its own goroutine, locked to an OS thread so the
// scheduler does not move work between cores mid-measurement.
func parallel(threads, n int, f func(lo, hi int)) {
	const align = 1 << 16
	chunks := n / align
	var wg sync.WaitGroup
	for t := range threads {
		lo := chunks * t / threads * align
		hi := chunks * (t + 1) / threads * align
		if t == threads-1 {
			hi = n
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			f(lo, hi)
		}()
	}
	wg.Wait()
}
