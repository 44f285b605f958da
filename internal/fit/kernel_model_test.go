package fit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/probe"
)

// The model of issue 22: where the probe ran its SIMD kernels, decoding is
// predicted from the decode kernel (weight GB/s streamed with decoding's
// thread structure) and prompt processing from the prompt kernel (GOPS) ×
// the factor for the quantization's llama.cpp kernel family; the read
// bandwidth and the compute estimate are the fallback.

var handModel = Model{ID: "hand", Kind: "chat", Family: "llama", ContextLength: 8192,
	Shape: Shape{Layers: 16, HiddenSize: 2048, AttentionHeads: 32, KVHeads: 8, HeadDim: 64, FFNSize: 8192, VocabSize: 32000, TiedEmbeddings: true}}

func kernelMachine(kernelGBps, promptGOPS float64) Machine {
	mc := Machine{RAMTotalBytes: 16e9, RAMAvailableBytes: 12e9, MemoryReadGBps: 40, MemoryReadLowGBps: 32, MemoryReadHighGBps: 58,
		DecodeKernelGBps: kernelGBps, DecodeKernelLowGBps: kernelGBps * 0.95, DecodeKernelHighGBps: kernelGBps * 1.05,
		PromptKernelGOPS: promptGOPS, KernelISA: "AVX2"}
	mc.Compute.GOPS = 500 // the estimate: must not be used
	return mc
}

func TestKernelModelHandWorked(t *testing.T) {
	q := Quantization{Name: "Q8_0", SizeGB: 1.0}
	p := Predict(kernelMachine(24, 30), handModel, q, chatCase)
	// Per token 1.0344064 GB (as TestPredictHandWorked); the decode kernel
	// streams 24 GB/s: 24 × KernelDecodeEfficiency / 1.0344064.
	want := 24 * KernelDecodeEfficiency / 1.0344064
	if d := p.DecodeTPS.Value; d < want*0.999 || d > want*1.001 {
		t.Errorf("decode %.3f tokens/s, want %.3f", d, want)
	}
	if !strings.Contains(p.DecodeTPS.Basis, "decode kernel (AVX2, measured) 24.0 GB/s") || p.Limit != "bandwidth" {
		t.Errorf("limit %s, basis %s", p.Limit, p.DecodeTPS.Basis)
	}
	// The read bandwidth's swings (32–58 GB/s) do not enter: the interval
	// comes from the kernel's range and its efficiency's uncertainty.
	lo := 24 * 0.95 * KernelDecodeEfficiencyLow / 1.0344064
	hi := 24 * 1.05 * KernelDecodeEfficiencyHigh / 1.0344064
	if d := p.DecodeTPS; d.Low < lo*0.999 || d.Low > lo*1.001 || d.High < hi*0.999 || d.High > hi*1.001 {
		t.Errorf("decode interval %.2f–%.2f, want %.2f–%.2f", d.Low, d.High, lo, hi)
	}
	// Prompt: 30 GOPS × the tinyBLAS factor (Q8_0) / (2 × parameters +
	// attention at 500 tokens).
	flops := 2*float64(ShapeParameters(handModel)) + 4*16*500*2048
	wantP := 30 * PromptKernelFactors["tinyBLAS"] * 1e9 / flops
	if pt := p.PromptTPS.Value; pt < wantP*0.999 || pt > wantP*1.001 {
		t.Errorf("prompt %.1f tokens/s, want %.1f", pt, wantP)
	}
	if !strings.Contains(p.PromptTPS.Basis, "prompt kernel 30.0 GOPS (AVX2, measured)") {
		t.Errorf("prompt basis %s", p.PromptTPS.Basis)
	}
	// Q4_K_M prompts go through llama.cpp's per-row K-quant dot products.
	pk := Predict(kernelMachine(24, 30), handModel, Quantization{Name: "Q4_K_M", SizeGB: 0.6}, chatCase)
	if r := pk.PromptTPS.Value / p.PromptTPS.Value; r < 0.999*PromptKernelFactors["k-quant"]/PromptKernelFactors["tinyBLAS"] || r > 1.001*PromptKernelFactors["k-quant"]/PromptKernelFactors["tinyBLAS"] {
		t.Errorf("Q4_K_M/Q8_0 prompt ratio %.3f", r)
	}
}

// TestKernelModelRoofline: decoding takes the slower of the kernel's
// streaming limit and the compute limit from the prompt kernel.
func TestKernelModelRoofline(t *testing.T) {
	q := Quantization{Name: "Q4_K_M", SizeGB: 0.6}
	// A slow core: 5 GOPS × the K-quant factor / (2 × parameters +
	// attention at 1050 tokens) is a few tokens/s, far below 24 GB/s /
	// 0.6 GB ≈ 38.
	p := Predict(kernelMachine(24, 5), handModel, q, chatCase)
	want := 5 * PromptKernelFactors["k-quant"] * 1e9 / (2*float64(ShapeParameters(handModel)) + attentionFlops(handModel.Shape, 1050))
	if d := p.DecodeTPS.Value; p.Limit != "compute" || d < want*0.999 || d > want*1.001 || want > 10 {
		t.Errorf("limit %s, decode %.2f, want %.2f", p.Limit, d, want)
	}
}

// TestWithoutKernelsTheBandwidthModelStays: a probe stored before the
// kernels (or a CPU without AVX2) is predicted as before.
func TestWithoutKernelsTheBandwidthModelStays(t *testing.T) {
	mc := kernelMachine(0, 0)
	mc.Compute.GOPS = 200
	p := Predict(mc, handModel, Quantization{Name: "Q8_0", SizeGB: 1.0}, chatCase)
	want := 40 * DecodeEfficiency / 1.0344064
	if d := p.DecodeTPS.Value; d < want*0.999 || d > want*1.001 || !strings.Contains(p.DecodeTPS.Basis, "read bandwidth 40.0 GB/s") {
		t.Errorf("decode %.3f, want %.3f; basis %s", d, want, p.DecodeTPS.Basis)
	}
	if !strings.Contains(p.PromptTPS.Basis, "compute estimate") {
		t.Errorf("prompt basis %s", p.PromptTPS.Basis)
	}
}

// TestCalibrationAgainstTheKernel: a local measurement calibrates the
// efficiency against the figure the prediction uses (the kernel), and the
// calibrated prediction reproduces it.
func TestCalibrationAgainstTheKernel(t *testing.T) {
	mc := kernelMachine(20, 30)
	q := Quantization{Name: "Q8_0", SizeGB: 1.0}
	bytes := weightsReadPerToken(handModel, q)
	c := Calibrate(mc, []Observation{{Source: "bench", Model: "hand", Quantization: "Q8_0", BytesPerToken: bytes, Params: float64(ShapeParameters(handModel)), DecodeTPS: 17, PromptTPS: 40}})
	if c == nil {
		t.Fatal("no calibration")
	}
	if want := 17 * bytes / 20e9; c.DecodeEfficiency < want*0.999 || c.DecodeEfficiency > want*1.001 {
		t.Errorf("efficiency %.3f, want %.3f (against the kernel's 20 GB/s, not the read's 40)", c.DecodeEfficiency, want)
	}
	if want := 40 * 2 * float64(ShapeParameters(handModel)) / (30 * PromptKernelFactors["tinyBLAS"] * 1e9); c.ComputeScale < want*0.999 || c.ComputeScale > want*1.001 {
		t.Errorf("compute scale %.3f, want %.3f", c.ComputeScale, want)
	}
}

// TestBandwidthTextNamesTheKernel: the Eignung details and the report say
// that the prediction comes from the measured kernel, in both languages.
func TestBandwidthTextNamesTheKernel(t *testing.T) {
	mc := kernelMachine(24.5, 61)
	de, en := BandwidthText(mc, probe.Result{}, "de"), BandwidthText(mc, probe.Result{}, "en")
	if !strings.Contains(de, "Rechenkern") || !strings.Contains(de, "24 GB/s (Bereich 23 bis 26") || !strings.Contains(en, "compute kernel") || !strings.Contains(en, "24 GB/s (range 23 to 26") {
		t.Errorf("de %q\nen %q", de, en)
	}
	if s := BandwidthText(kernelMachine(0, 0), probe.Result{}, "de"); strings.Contains(s, "Rechenkern") {
		t.Errorf("without kernels: %q", s)
	}
}

// TestKernelDecodeFactorPerFamily: a K-quant decodes with its family's
// factor over the Q8_0 efficiency, and a calibration from a K-quant
// measurement is stored as the Q8_0 efficiency, so that a Q8_0 model is not
// credited with the K-quant's advantage and the family ratio stays.
func TestKernelDecodeFactorPerFamily(t *testing.T) {
	mc := kernelMachine(24, 300) // a fast prompt kernel: decoding stays bandwidth-bound
	q4, q8 := Quantization{Name: "Q4_K_M", SizeGB: 0.6}, Quantization{Name: "Q8_0", SizeGB: 1.0}
	factor := KernelDecodeFactors["k-quant"]
	if factor == 1 {
		t.Fatal("the K-quant factor is 1: this test would not tell the families apart")
	}
	with := Predict(mc, handModel, q4, chatCase)
	KernelDecodeFactors["k-quant"] = 1
	without := Predict(mc, handModel, q4, chatCase)
	KernelDecodeFactors["k-quant"] = factor
	if r := with.DecodeTPS.Value / without.DecodeTPS.Value; with.Limit != "bandwidth" || r < factor*0.999 || r > factor*1.001 {
		t.Errorf("Q4_K_M decode with/without the family factor %.3f (%s), want %.3f", r, with.Limit, factor)
	}
	if !strings.Contains(with.DecodeTPS.Basis, fmt.Sprintf("efficiency %.2f", KernelDecodeEfficiency*factor)) {
		t.Errorf("basis does not name the family's efficiency: %s", with.DecodeTPS.Basis)
	}
	uncalRatio := with.DecodeTPS.Value / Predict(mc, handModel, q8, chatCase).DecodeTPS.Value

	bytes := weightsReadPerToken(handModel, q4)
	c := Calibrate(mc, []Observation{{Source: "bench", Model: "hand", Quantization: "Q4_K_M", BytesPerToken: bytes, DecodeTPS: 30}})
	if c == nil {
		t.Fatal("no calibration")
	}
	if want := 30 * bytes / 24e9 / factor; c.DecodeEfficiency < want*0.999 || c.DecodeEfficiency > want*1.001 {
		t.Errorf("calibrated efficiency %.3f, want the Q8_0 equivalent %.3f", c.DecodeEfficiency, want)
	}
	mc.Calibration = c
	cal4, cal8 := Predict(mc, handModel, q4, chatCase).DecodeTPS.Value, Predict(mc, handModel, q8, chatCase).DecodeTPS.Value
	if want := with.DecodeTPS.Value * c.DecodeEfficiency / KernelDecodeEfficiency; cal4 < want*0.999 || cal4 > want*1.001 {
		t.Errorf("calibrated Q4_K_M prediction %.3f tokens/s, want %.3f", cal4, want)
	}
	if r := cal4 / cal8; r < uncalRatio*0.999 || r > uncalRatio*1.001 {
		t.Errorf("calibrated Q4_K_M/Q8_0 ratio %.3f, want the uncalibrated %.3f (the factor counted once)", r, uncalRatio)
	}
}

// twoLimitMachine is kernelMachine with the one-thread kernel figure of a
// probe run with threads threads.
func twoLimitMachine(team, oneThread float64, threads int) Machine {
	mc := kernelMachine(team, 300)
	mc.DecodeKernelOneThreadGBps, mc.KernelThreads = oneThread, threads
	return mc
}

// TestKernelModelTwoLimits: with the one-thread figure, decoding streams
// the smaller of threads × one-thread figure × KernelDecodeEfficiency ×
// the family factor (per-thread limit) and the all-threads figure ×
// KernelTeamEfficiency (the memory's limit, the same for every family).
func TestKernelModelTwoLimits(t *testing.T) {
	q8 := Quantization{Name: "Q8_0", SizeGB: 1.0}
	q4 := Quantization{Name: "Q4_K_M", SizeGB: 0.6}
	const kv = 0.0344064 // GB of KV cache read per token at chatCase's position (TestKernelModelHandWorked)
	for _, c := range []struct {
		name            string
		mc              Machine
		q               Quantization
		wantGBps        float64
		perThreadLimits bool
	}{
		// The development VM: two threads, memory-bound.
		{"2 threads, Q8_0", twoLimitMachine(30, 22, 2), q8, 30 * KernelTeamEfficiency, false},
		{"2 threads, Q4_K_M", twoLimitMachine(30, 22, 2), q4, 30 * KernelTeamEfficiency, false},
		// Slow cores and a wide memory: the threads are the limit, and
		// K-quants get their factor.
		{"4 slow threads, Q8_0", twoLimitMachine(30, 5, 4), q8, 4 * 5 * KernelDecodeEfficiency, true},
		{"4 slow threads, Q4_K_M", twoLimitMachine(30, 5, 4), q4, 4 * 5 * KernelDecodeEfficiency * KernelDecodeFactors["k-quant"], true},
	} {
		p := Predict(c.mc, handModel, c.q, chatCase)
		want := c.wantGBps / (c.q.SizeGB + kv)
		if d := p.DecodeTPS.Value; d < want*0.999 || d > want*1.001 {
			t.Errorf("%s: decode %.3f tokens/s, want %.3f", c.name, d, want)
		}
		if d := p.DecodeTPS; !(d.Low < d.Value && d.Value < d.High) {
			t.Errorf("%s: interval %.2f–%.2f around %.2f", c.name, d.Low, d.High, d.Value)
		}
		b := p.DecodeTPS.Basis
		if !strings.Contains(b, "the smaller of two limits: ") || !strings.Contains(b, fmt.Sprintf("%d threads × ", c.mc.KernelThreads)) || !strings.Contains(b, "(decode kernel with all threads)") {
			t.Errorf("%s: basis %s", c.name, b)
		}
	}
	one := Predict(twoLimitMachine(22, 22, 1), handModel, q8, chatCase)
	if b := one.DecodeTPS.Basis; !strings.Contains(b, "1 thread × 22.0 GB/s") {
		t.Errorf("one thread: basis %s", b)
	}
	if de := Predict(twoLimitMachine(30, 22, 2), handModel, q8, chatCase).DecodeTPS.BasisMsg.Text("de"); !strings.Contains(de, "der kleinere von zwei Grenzwerten: 2 Threads × 22,0 GB/s") {
		t.Errorf("German basis %s", de)
	}
}

// TestCalibrationScalesBothLimits: a measurement calibrates the two-limit
// model as one scale, and the calibrated prediction reproduces it in
// whichever limit holds.
func TestCalibrationScalesBothLimits(t *testing.T) {
	for _, mc := range []Machine{twoLimitMachine(30, 22, 2), twoLimitMachine(30, 5, 4)} {
		q := Quantization{Name: "Q4_K_M", SizeGB: 0.6}
		before := Predict(mc, handModel, q, chatCase).DecodeTPS.Value
		measured := before * 0.8
		c := Calibrate(mc, []Observation{{Source: "bench", Model: "hand", Quantization: q.Name, BytesPerToken: weightsReadPerToken(handModel, q) + 0.0344064e9, Params: float64(ShapeParameters(handModel)), DecodeTPS: measured}})
		if c == nil {
			t.Fatal("no calibration")
		}
		mc.Calibration = c
		if after := Predict(mc, handModel, q, chatCase).DecodeTPS.Value; after < measured*0.999 || after > measured*1.001 {
			t.Errorf("%d threads: calibrated %.3f tokens/s, measured %.3f (uncalibrated %.3f)", mc.KernelThreads, after, measured, before)
		}
	}
}
