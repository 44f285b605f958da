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
	// Per token 1.0344064 GB (as TestPredictHandWorked), streamed at the
	// decode kernel's 24 GB/s × KernelDecodeEfficiency, plus the per-token
	// work KernelTokenGOP at the prompt kernel's 30 GOPS.
	want := 1 / (1.0344064/(24*KernelDecodeEfficiency) + KernelTokenGOP/30)
	if d := p.DecodeTPS.Value; d < want*0.999 || d > want*1.001 {
		t.Errorf("decode %.3f tokens/s, want %.3f", d, want)
	}
	if !strings.Contains(p.DecodeTPS.Basis, "decode kernel (AVX2, measured) 24.0 GB/s") || p.Limit != "bandwidth" {
		t.Errorf("limit %s, basis %s", p.Limit, p.DecodeTPS.Basis)
	}
	// The read bandwidth's swings (32–58 GB/s) do not enter: the interval
	// comes from the kernel's range and its efficiency's uncertainty.
	lo := 1 / (1.0344064/(24*0.95*KernelDecodeEfficiencyLow) + KernelTokenGOP/30)
	hi := 1 / (1.0344064/(24*1.05*KernelDecodeEfficiencyHigh) + KernelTokenGOP/30)
	if d := p.DecodeTPS; d.Low < lo*0.999 || d.Low > lo*1.001 || d.High < hi*0.999 || d.High > hi*1.001 {
		t.Errorf("decode interval %.2f–%.2f, want %.2f–%.2f", d.Low, d.High, lo, hi)
	}
	// Prompt: 30 GOPS × the tinyBLAS factor (Q8_0) / (2 × the layers'
	// parameters + attention at 500 tokens).
	flops := 2*(float64(ShapeParameters(handModel))-32000*2048) + 4*16*500*2048
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
	// The weights were streamed in what the per-token work left of 1/17 s.
	if want := bytes / ((1.0/17 - KernelTokenGOP/30) * 20e9); c.DecodeEfficiency < want*0.999 || c.DecodeEfficiency > want*1.001 {
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
	if strings.Contains(de, "K-Quants") || strings.Contains(en, "K-quants") {
		t.Errorf("a K-quant kernel named where the probe had none: %q", de)
	}
	mc.KQuantKernelGBps, mc.KQuantKernelLowGBps, mc.KQuantKernelHighGBps = 18.2, 17.1, 19.4
	de, en = BandwidthText(mc, probe.Result{}, "de"), BandwidthText(mc, probe.Result{}, "en")
	if !strings.Contains(de, "Rechenkern für diese Art (K-Quants): 18 GB/s (Bereich 17 bis 19 GB/s)") || !strings.Contains(en, "(K-quants): 18 GB/s (range 17 to 19 GB/s)") {
		t.Errorf("with the K-quant kernel:\nde %q\nen %q", de, en)
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
	// Per token: the weights plus the KV cache (0.0344064 GB here, as in
	// TestKernelModelHandWorked), streamed at 24 GB/s × the efficiency,
	// plus the per-token work at the prompt kernel's 300 GOPS.
	kv := 0.0344064e9
	b4, b8 := weightsReadPerToken(handModel, q4)+kv, weightsReadPerToken(handModel, q8)+kv
	overhead := KernelTokenGOP / 300
	tps := func(bytes, eff float64) float64 { return 1 / (bytes/(24e9*eff) + overhead) }
	with := Predict(mc, handModel, q4, chatCase)
	if want := tps(b4, KernelDecodeEfficiency*factor); with.Limit != "bandwidth" || with.DecodeTPS.Value < want*0.999 || with.DecodeTPS.Value > want*1.001 {
		t.Errorf("Q4_K_M decode %.3f tokens/s (%s), want %.3f with the family factor %.2f", with.DecodeTPS.Value, with.Limit, want, factor)
	}
	if !strings.Contains(with.DecodeTPS.Basis, fmt.Sprintf("efficiency %.2f", KernelDecodeEfficiency*factor)) {
		t.Errorf("basis does not name the family's efficiency: %s", with.DecodeTPS.Basis)
	}
	if q8tps, want := Predict(mc, handModel, q8, chatCase).DecodeTPS.Value, tps(b8, KernelDecodeEfficiency); q8tps < want*0.999 || q8tps > want*1.001 {
		t.Errorf("Q8_0 decode %.3f tokens/s, want %.3f without a family factor", q8tps, want)
	}

	bytes := weightsReadPerToken(handModel, q4)
	c := Calibrate(mc, []Observation{{Source: "bench", Model: "hand", Quantization: "Q4_K_M", BytesPerToken: bytes, DecodeTPS: 30}})
	if c == nil {
		t.Fatal("no calibration")
	}
	if want := bytes / ((1.0/30 - overhead) * 24e9) / factor; c.DecodeEfficiency < want*0.999 || c.DecodeEfficiency > want*1.001 {
		t.Errorf("calibrated efficiency %.3f, want the Q8_0 equivalent %.3f", c.DecodeEfficiency, want)
	}
	mc.Calibration = c
	cal4, cal8 := Predict(mc, handModel, q4, chatCase).DecodeTPS.Value, Predict(mc, handModel, q8, chatCase).DecodeTPS.Value
	if want := tps(b4, c.DecodeEfficiency*factor); cal4 < want*0.999 || cal4 > want*1.001 {
		t.Errorf("calibrated Q4_K_M prediction %.3f tokens/s, want %.3f", cal4, want)
	}
	if want := tps(b8, c.DecodeEfficiency); cal8 < want*0.999 || cal8 > want*1.001 {
		t.Errorf("calibrated Q8_0 prediction %.3f tokens/s, want %.3f (the K-quant factor counted once, not carried into Q8_0)", cal8, want)
	}
}

// TestTokenWorkIsTheSameForEverySize: the time per token is the weights
// over the kernel's streaming plus the same per-token work for a 1 GB and
// a 4 GB model (runs 8 and 9), and the basis names it.
func TestTokenWorkIsTheSameForEverySize(t *testing.T) {
	mc := kernelMachine(24, 52)
	const kv = 0.0344064 // GB of KV cache read per token at chatCase's position (TestKernelModelHandWorked)
	for _, gb := range []float64{1, 4} {
		p := Predict(mc, handModel, Quantization{Name: "Q8_0", SizeGB: gb}, chatCase)
		work := 1/p.DecodeTPS.Value - (gb+kv)/(24*KernelDecodeEfficiency)
		if want := KernelTokenGOP / 52; work < want*0.999 || work > want*1.001 {
			t.Errorf("%.0f GB: per-token work %.2f ms, want %.2f", gb, work*1e3, want*1e3)
		}
		if !strings.Contains(p.DecodeTPS.Basis, "plus 12.5 ms per token for the work beside the weights (0.65 billion operations / 52.0 GOPS prompt kernel)") {
			t.Errorf("%.0f GB: basis %s", gb, p.DecodeTPS.Basis)
		}
		if de := p.DecodeTPS.BasisMsg.Text("de"); !strings.Contains(de, "dazu 12,5 ms je Token für die Arbeit neben den Gewichten (0,65 Mrd.") {
			t.Errorf("%.0f GB: German basis %s", gb, de)
		}
	}
	// Without the kernels (an older probe) there is no such term.
	old := kernelMachine(0, 0)
	old.Compute.GOPS = 200
	if b := Predict(old, handModel, Quantization{Name: "Q8_0", SizeGB: 1}, chatCase).DecodeTPS.Basis; strings.Contains(b, "beside the weights") {
		t.Errorf("without kernels: basis %s", b)
	}
}

// TestCalibrationReproducesWithTheTokenWork: a measurement calibrates the
// kernel model's streaming share around the per-token work, and the
// calibrated prediction reproduces it.
func TestCalibrationReproducesWithTheTokenWork(t *testing.T) {
	for _, mc := range []Machine{kernelMachine(20, 30), kernelMachine(40, 100), kernelMachine(22, 52)} {
		q := Quantization{Name: "Q4_K_M", SizeGB: 0.6}
		before := Predict(mc, handModel, q, chatCase).DecodeTPS.Value
		measured := before * 0.8
		c := Calibrate(mc, []Observation{{Source: "bench", Model: "hand", Quantization: q.Name, BytesPerToken: weightsReadPerToken(handModel, q) + 0.0344064e9, Params: float64(ShapeParameters(handModel)), DecodeTPS: measured}})
		if c == nil {
			t.Fatal("no calibration")
		}
		mc.Calibration = c
		if after := Predict(mc, handModel, q, chatCase).DecodeTPS.Value; after < measured*0.999 || after > measured*1.001 {
			t.Errorf("kernel %.0f GB/s: calibrated %.3f tokens/s, measured %.3f (uncalibrated %.3f)", mc.DecodeKernelGBps, after, measured, before)
		}
	}
}

// TestSpareCoreHasNoTokenWork: the per-token work is counted when the
// runtime's threads take every physical core (or the counts are not
// known), and not when a core is left for it (one thread on a two-core PC:
// run 10, docs/fit.md "Per-token work"); the basis says so by leaving it
// out.
func TestSpareCoreHasNoTokenWork(t *testing.T) {
	q := Quantization{Name: "Q8_0", SizeGB: 1.0}
	stream := 1.0344064 / (24 * KernelDecodeEfficiency) // seconds per token, as TestKernelModelHandWorked
	for _, c := range []struct {
		name           string
		threads, cores int
		overhead       bool
	}{
		{"one thread of two cores", 1, 2, false},
		{"two threads of two cores", 2, 2, true},
		{"four threads of two cores", 4, 2, true},
		{"threads not known", 0, 2, true},
		{"cores not known", 1, 0, true},
	} {
		mc := kernelMachine(24, 30)
		mc.KernelThreads, mc.CPU.PhysicalCores = c.threads, c.cores
		want := 1 / stream
		if c.overhead {
			want = 1 / (stream + KernelTokenGOP/30)
		}
		p := Predict(mc, handModel, q, chatCase)
		if d := p.DecodeTPS.Value; d < want*0.999 || d > want*1.001 {
			t.Errorf("%s: decode %.3f tokens/s, want %.3f", c.name, d, want)
		}
		if got := strings.Contains(p.DecodeTPS.Basis, "per token for the work beside the weights"); got != c.overhead {
			t.Errorf("%s: basis names the per-token work %v, want %v: %s", c.name, got, c.overhead, p.DecodeTPS.Basis)
		}
	}
}

// TestPromptSkipsTheOutputMatrix: a prompt token multiplies with the
// layers only (the runtime computes the logits of the last prompt token
// alone), a decoded token with the layers and the output matrix, never
// with the input embedding (looked up). Measured with the catalogue's
// Llama 3.2 1B shape, where the output matrix is a fifth of the weights:
// counting it put the prompt predictions at 0.70–0.87 of Ollama's
// (docs/fit.md, "Speed").
func TestPromptSkipsTheOutputMatrix(t *testing.T) {
	layers := float64(ShapeParameters(handModel)) - 32000*2048
	for _, tied := range []bool{true, false} {
		m := handModel
		m.Shape.TiedEmbeddings = tied
		mc := kernelMachine(24, 3)                    // a slow prompt kernel: decoding is compute-bound
		mc.KernelThreads, mc.CPU.PhysicalCores = 1, 2 // no per-token work beside it
		q := Quantization{Name: "Q8_0", SizeGB: 1.0}
		u := UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: 2, AnswerTokens: 2}
		p := Predict(mc, m, q, u)
		gops := 3 * PromptKernelFactors["tinyBLAS"] * 1e9
		if want := gops / (2*layers + 4*16*1*2048); p.PromptTPS.Value < want*0.999 || p.PromptTPS.Value > want*1.001 {
			t.Errorf("tied %v: prompt %.3f tokens/s, want %.3f from the layers' weights alone", tied, p.PromptTPS.Value, want)
		}
		if want := gops / (2*(layers+32000*2048) + 4*16*3*2048); p.Limit != "compute" || p.DecodeTPS.Value < want*0.999 || p.DecodeTPS.Value > want*1.001 {
			t.Errorf("tied %v: decode %.3f tokens/s (%s), want %.3f compute-bound from the layers and the output matrix", tied, p.DecodeTPS.Value, p.Limit, want)
		}
	}
}

// TestKQuantKernelStreamsKQuants: where the probe ran the K-quant decode
// kernel, a K-quant model is streamed at that kernel's figure ×
// KQuantKernelFactor (not the Q8_0 family factor) with its own range, the basis names it, a Q8_0 model stays
// on the Q8_0 kernel, and a K-quant measurement calibrates against the
// K-quant kernel (so the calibrated prediction reproduces it and a Q8_0
// prediction is scaled by the same efficiency over its own kernel).
func TestKQuantKernelStreamsKQuants(t *testing.T) {
	mc := kernelMachine(24, 300) // a fast prompt kernel: decoding stays bandwidth-bound
	mc.KQuantKernelGBps, mc.KQuantKernelLowGBps, mc.KQuantKernelHighGBps = 18, 17, 19
	q4, q8 := Quantization{Name: "Q4_K_M", SizeGB: 0.6}, Quantization{Name: "Q8_0", SizeGB: 1.0}
	kv := 0.0344064e9 // as TestKernelModelHandWorked
	b4, b8 := weightsReadPerToken(handModel, q4)+kv, weightsReadPerToken(handModel, q8)+kv
	overhead := KernelTokenGOP / 300
	tps := func(bytes, gbps, eff float64) float64 { return 1 / (bytes/(gbps*1e9*eff) + overhead) }

	p4 := Predict(mc, handModel, q4, chatCase)
	if want := tps(b4, 18, KernelDecodeEfficiency*KQuantKernelFactor); p4.DecodeTPS.Value < want*0.999 || p4.DecodeTPS.Value > want*1.001 {
		t.Errorf("Q4_K_M decode %.3f tokens/s, want %.3f from the K-quant kernel's 18 GB/s × %.2f", p4.DecodeTPS.Value, want, KQuantKernelFactor)
	}
	if lo, hi := tps(b4, 17, KernelDecodeEfficiencyLow*KQuantKernelFactor), tps(b4, 19, KernelDecodeEfficiencyHigh*KQuantKernelFactor); p4.DecodeTPS.Low < lo*0.999 || p4.DecodeTPS.Low > lo*1.001 || p4.DecodeTPS.High < hi*0.999 || p4.DecodeTPS.High > hi*1.001 {
		t.Errorf("Q4_K_M interval %.3f–%.3f, want %.3f–%.3f from the K-quant kernel's range", p4.DecodeTPS.Low, p4.DecodeTPS.High, lo, hi)
	}
	if b := p4.DecodeTPS.Basis; !strings.Contains(b, "K-quant decode kernel (AVX2, measured) 18.0 GB/s") {
		t.Errorf("Q4_K_M basis: %s", b)
	}
	if de := p4.DecodeTPS.BasisMsg.Text("de"); !strings.Contains(de, "K-Quant-Decode-Kernel (AVX2, gemessen) 18,0 GB/s") {
		t.Errorf("German Q4_K_M basis: %s", de)
	}
	p8 := Predict(mc, handModel, q8, chatCase)
	if want := tps(b8, 24, KernelDecodeEfficiency); p8.DecodeTPS.Value < want*0.999 || p8.DecodeTPS.Value > want*1.001 || strings.Contains(p8.DecodeTPS.Basis, "K-quant") {
		t.Errorf("Q8_0 decode %.3f tokens/s (%s), want %.3f from the Q8_0 kernel", p8.DecodeTPS.Value, p8.DecodeTPS.Basis, want)
	}

	measured := p4.DecodeTPS.Value * 0.9
	c := Calibrate(mc, []Observation{{Source: "bench", Model: "hand", Quantization: "Q4_K_M", BytesPerToken: b4, DecodeTPS: measured}})
	if c == nil {
		t.Fatal("no calibration")
	}
	if want := b4 / ((1/measured - overhead) * 18e9 * KQuantKernelFactor); c.DecodeEfficiency < want*0.999 || c.DecodeEfficiency > want*1.001 {
		t.Errorf("calibrated efficiency %.3f, want %.3f over the K-quant kernel", c.DecodeEfficiency, want)
	}
	mc.Calibration = c
	if got := Predict(mc, handModel, q4, chatCase).DecodeTPS.Value; got < measured*0.999 || got > measured*1.001 {
		t.Errorf("calibrated Q4_K_M %.3f tokens/s, measured %.3f", got, measured)
	}
	if got, want := Predict(mc, handModel, q8, chatCase).DecodeTPS.Value, tps(b8, 24, c.DecodeEfficiency); got < want*0.999 || got > want*1.001 {
		t.Errorf("calibrated Q8_0 %.3f tokens/s, want %.3f", got, want)
	}
}

// TestMachineFromProbeTakesTheKQuantKernel: the probe's K-quant kernel
// reaches the machine through Combine, and a probe stored before it
// existed leaves the fallback (the Q8_0 kernel × the family factor).
func TestMachineFromProbeTakesTheKQuantKernel(t *testing.T) {
	pr := probe.Result{Complete: true, Threads: 2, KernelISA: "AVX2",
		Steady:             &probe.Steadiness{SustainedGBps: 40, LowGBps: 39, HighGBps: 41},
		DecodeKernel:       &probe.Steadiness{MedianGBps: 45, LowGBps: 44, HighGBps: 46},
		PromptKernelSteady: &probe.Steadiness{MedianGBps: 140},
		KQuantKernel:       &probe.Steadiness{MedianGBps: 36, LowGBps: 35, HighGBps: 37}}
	mc := MachineFromProbe(Machine{RAMTotalBytes: 16e9, RAMAvailableBytes: 12e9}, pr)
	if mc.KQuantKernelGBps != 36 || mc.KQuantKernelLowGBps != 35 || mc.KQuantKernelHighGBps != 37 {
		t.Errorf("K-quant kernel %v (%v–%v), want 36 (35–37)", mc.KQuantKernelGBps, mc.KQuantKernelLowGBps, mc.KQuantKernelHighGBps)
	}
	if db := mc.decodeBase("Q4_K_M"); !db.KQuant || db.GBps != 36 || db.Factor != KQuantKernelFactor {
		t.Errorf("Q4_K_M decode base %+v", db)
	}
	pr.KQuantKernel = nil
	old := MachineFromProbe(Machine{RAMTotalBytes: 16e9, RAMAvailableBytes: 12e9}, pr)
	if db := old.decodeBase("Q4_K_M"); db.KQuant || db.GBps != 45 || db.Factor != KernelDecodeFactors["k-quant"] {
		t.Errorf("without the K-quant kernel: Q4_K_M decode base %+v, want the Q8_0 kernel × %.2f", db, KernelDecodeFactors["k-quant"])
	}
}

// TestKQuantKernelOneThreadHasNoInterleaving: a runtime on one thread
// streams a K-quant model at the K-quant kernel × KQuantKernelOneThreadFactor
// (no chunks interleaved to make up for), a team at × KQuantKernelFactor,
// and the basis prints the factor used.
func TestKQuantKernelOneThreadHasNoInterleaving(t *testing.T) {
	q4 := Quantization{Name: "Q4_K_M", SizeGB: 0.6}
	kv := 0.0344064e9 // as TestKernelModelHandWorked
	b4 := weightsReadPerToken(handModel, q4) + kv
	for _, tc := range []struct {
		threads, cores int
		factor         float64
		overhead       float64 // KernelTokenGOP / prompt kernel, or 0 with a spare core
	}{
		{threads: 1, cores: 2, factor: KQuantKernelOneThreadFactor},
		{threads: 2, cores: 2, factor: KQuantKernelFactor, overhead: KernelTokenGOP / 300},
		{threads: 4, cores: 4, factor: KQuantKernelFactor, overhead: KernelTokenGOP / 300},
	} {
		mc := kernelMachine(24, 300)
		mc.KQuantKernelGBps, mc.KQuantKernelLowGBps, mc.KQuantKernelHighGBps = 18, 17, 19
		mc.KernelThreads, mc.CPU.PhysicalCores = tc.threads, tc.cores
		if db := mc.decodeBase("Q4_K_M"); db.Factor != tc.factor {
			t.Errorf("%d of %d cores: factor %.2f, want %.2f", tc.threads, tc.cores, db.Factor, tc.factor)
		}
		p := Predict(mc, handModel, q4, chatCase)
		want := 1 / (b4/(18e9*KernelDecodeEfficiency*tc.factor) + tc.overhead)
		if got := p.DecodeTPS.Value; got < want*0.999 || got > want*1.001 {
			t.Errorf("%d of %d cores: decode %.3f tokens/s, want %.3f", tc.threads, tc.cores, got, want)
		}
		if basis := fmt.Sprintf("K-quant decode kernel (AVX2, measured) 18.0 GB/s × efficiency %.2f", KernelDecodeEfficiency*tc.factor); !strings.Contains(p.DecodeTPS.Basis, basis) {
			t.Errorf("%d of %d cores: basis %s", tc.threads, tc.cores, p.DecodeTPS.Basis)
		}
	}
}
