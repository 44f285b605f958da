package fit

import (
	"math"
	"slices"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// Calibration of the speed prediction (docs/fit.md, "Calibration").
var (
	// DecodeEfficiency is the share of the probe's measured read
	// bandwidth that llama.cpp's decoding turns into weight reads. 0.85 is
	// the middle of the published range for desktop CPUs (0.8–0.9 of
	// STREAM). BenchmarkPredictionAccuracy measures it against the real
	// Ollama; on the shared development VM the runs so far were dominated
	// by other processes (docs/fit.md, "Accuracy"), so the published value
	// stays until a run on a quiet machine says otherwise.
	DecodeEfficiency = 0.85
	// GPUDecodeEfficiency: share of a card's bandwidth reached by
	// llama.cpp's CUDA/Vulkan decoding (published: 0.6–0.8).
	GPUDecodeEfficiency = 0.7
	// KernelDecodeEfficiency is llama.cpp's weight streaming (weight
	// bytes per token over the part of a token's time that is not
	// KernelTokenGOP) over the probe's decode kernel figure (docs/probe.md,
	// "Kernels"; docs/fit.md, "Per-token work"): both stream the weights
	// through SIMD dot products with a thread team. Q8_0's figure, fitted
	// with KernelTokenGOP and the K-quant factor by least squares: 1.02 on
	// the development VM's AMD Zen 5 host (run 10, 40 rounds, the decode
	// kernel at its lower level), 0.95 on its earlier Zen 4 host (runs 8
	// and 9); 1.0 is taken. BenchmarkPredictionAccuracy reports the
	// implied value.
	KernelDecodeEfficiency = 1.0
	// KernelTokenGOP is the work per decoded token beside streaming the
	// weights, in 10^9 operations of the probe's prompt kernel, counted
	// when the runtime's threads take every physical core
	// (Machine.spareCore): about 5 ms per token at the 135 GOPS of the
	// development VM's two threads. It is the same for a 1 GB and a 4 GB
	// model and shrinks with the cores' speed like arithmetic; what it is
	// (the runtime's own work per token, the sampler, the streaming of
	// each token to the client, waiting for the thread team) was not taken
	// apart. With one thread on a two-core PC the Zen 5 host showed none
	// of it (run 10), the Zen 4 host 15–20 ms (runs 8 and 9).
	//
	// 0.65 since the fifth session: refitted with KQuantKernelFactor to
	// the 180 rounds of runs 14–17 and the real-vocabulary run on the Zen
	// 5 host, the value that keeps the worst round nearest 1. Before, 0.9
	// (0.8 on the Zen 5 host, 0.9 on the Zen 4 host, fitted while K-quants
	// were streamed at the Q8_0 kernel × 0.88, whose overestimate on two
	// threads the larger figure had absorbed). docs/fit.md, "Refit of the
	// fifth session".
	KernelTokenGOP = 0.65
)

// PromptKernelFactors: llama.cpp's prompt processing (operations/s) over
// the probe's prompt kernel, per class of quantization (promptKernelClass).
// llama.cpp multiplies Q8_0/Q4_0/Q5_0 prompts with its tinyBLAS matrix
// kernels (several tokens per loaded weight, VNNI where there is one), and
// K-quants with per-row dot products like the probe's kernel; measured
// against Ollama 0.6.5 on the development VM (docs/fit.md, "Published
// constants": tinyBLAS 2.1 at low load, medians 2.6 and 2.2 of loaded
// paired rounds; K-quants 0.8–1.4 at low load, medians 1.1 and 1.5).
// F16/BF16/F32 prompts were not measured: 1.0 is an assumption.
var PromptKernelFactors = map[string]float64{"tinyBLAS": 2.2, "k-quant": 1.4, "float": 1.0}

// promptKernelClass is the llama.cpp kernel family that multiplies prompts
// in quantization q.
func promptKernelClass(q string) string {
	switch q {
	case "Q8_0", "Q4_0", "Q5_0":
		return "tinyBLAS"
	case "F16", "BF16", "F32":
		return "float"
	}
	return "k-quant"
}

func promptKernelFactor(q string) float64 { return PromptKernelFactors[promptKernelClass(q)] }

// KernelDecodeFactors: llama.cpp's weight streaming in a quantization
// family over its Q8_0 streaming, per byte, relative to the probe's Q8_0
// decode kernel (KernelDecodeEfficiency is the Q8_0 figure). Q4_K_M
// streamed 0.85 (Zen 5, run 10) and 0.94 (Zen 4, runs 8 and 9) of Q8_0's
// share: its dot products do more arithmetic per byte; the same on one
// and on two threads. 0.88 is taken. Float weights were not
// measured: 1.0 is an assumption. (Before the per-token work was
// separated, the K-quant factor came out above 1, 1.15: Q4_K_M's fewer
// bytes per token had hidden that work.)
var KernelDecodeFactors = map[string]float64{"tinyBLAS": 1.0, "k-quant": 0.88, "float": 1.0}

// KQuantKernelFactor: llama.cpp's streaming of a K-quant model over the
// probe's K-quant decode kernel (docs/probe.md, "K-quant kernel") when the
// runtime runs a team of threads: the kernel hands out ggml's row chunks
// and loses more to their interleaving than Ollama does (why was not
// found). The two-thread K-quant rounds of run 14 implied 1.09–1.20.
// 1.09 since the fifth session, fitted with KernelTokenGOP to the 180
// rounds of runs 14–17 and the real-vocabulary run as the value that
// keeps the worst round nearest 1 (docs/fit.md, "Refit of the fifth
// session"); before, 1.05 for one and two threads alike. The interval
// (KernelDecodeEfficiencyLow/High) covers both ends.
const KQuantKernelFactor = 1.09

// KQuantKernelOneThreadFactor is KQuantKernelFactor for a runtime on one
// thread (Machine.KernelThreads 1): one thread walks the chunks in order,
// so there is no interleaving to make up for, and the kernel's figure is
// what llama.cpp streams. The one-thread K-quant rounds of runs 14–17 and
// the real-vocabulary run implied 0.92–1.02; with 1.05 they had come out
// 1.03–1.14 over.
const KQuantKernelOneThreadFactor = 1.0

// kernelDecodeFactor is KernelDecodeFactors for quantization q.
func kernelDecodeFactor(q string) float64 { return KernelDecodeFactors[promptKernelClass(q)] }

// Placement says where a model runs.
type Placement string

const (
	OnGPU    Placement = "gpu"       // whole model in one card's free VRAM
	InRAM    Placement = "ram"       // in main memory, with room to spare
	RAMTight Placement = "ram_tight" // only if other programs are closed
	NoFit    Placement = "none"      // does not fit at all
)

// Uncertainty of the published constants: the range the prediction's
// interval spans when no local measurement calibrates them
// (docs/fit.md, "Intervals").
var (
	// DecodeEfficiencyLow/High: published 0.8–0.9 on desktop CPUs; laptop
	// clusters, NUMA and busy virtual machines reach less.
	DecodeEfficiencyLow, DecodeEfficiencyHigh = 0.65, 0.95
	// ComputeScaleLow/High scale the compute estimate (efficiency 0.12,
	// published results and the development VM lie between 0.08 and 0.16).
	ComputeScaleLow, ComputeScaleHigh = 0.67, 1.33
	// GPUDecodeEfficiencyLow/High: published 0.6–0.8, less on old drivers.
	GPUDecodeEfficiencyLow, GPUDecodeEfficiencyHigh = 0.5, 0.8
	// KernelDecodeEfficiencyLow/High and KernelComputeScaleLow/High: the
	// measured kernels leave less unknown than the published constants:
	// how llama.cpp's kernels and thread pool differ from the probe's on
	// another CPU.
	KernelDecodeEfficiencyLow, KernelDecodeEfficiencyHigh = 0.7, 1.1
	KernelComputeScaleLow, KernelComputeScaleHigh         = 0.75, 1.3
)

// Figure is a predicted number with the measurement and formula behind it.
type Figure struct {
	Value float64 `json:"value"`
	// Low and High bound Value: the bandwidth's spread over the probes and
	// the efficiency's uncertainty (narrower once calibrated). Both are 0
	// in predictions made before intervals existed.
	Low   float64 `json:"low,omitempty"`
	High  float64 `json:"high,omitempty"`
	Basis string  `json:"basis"` // English, BasisMsg rendered (JSON)
	// BasisMsg is the basis as a message, for BasisText.
	BasisMsg i18n.Msg `json:"-"`
}

// Interval says whether the figure has bounds.
func (f *Figure) Interval() bool { return f != nil && f.High > 0 && f.High >= f.Low }

// scenario is one set of the prediction's inputs: the middle one and the
// two ends of the interval.
type scenario struct {
	bw, eff, gpuEff, computeScale float64
}

// scenarios returns the middle, low and high inputs for mc.
func (mc Machine) scenarios(q string) [3]scenario {
	db := mc.decodeBase(q)
	bw, lo, hi, kernel := db.GBps, db.Low, db.High, db.Kernel
	if lo <= 0 || lo > bw {
		lo = bw
	}
	if hi < bw {
		hi = bw
	}
	eff, effLo, effHi := DecodeEfficiency, DecodeEfficiencyLow, DecodeEfficiencyHigh
	if kernel {
		eff, effLo, effHi = KernelDecodeEfficiency, KernelDecodeEfficiencyLow, KernelDecodeEfficiencyHigh
	}
	cs, csLo, csHi := 1.0, ComputeScaleLow, ComputeScaleHigh
	if mc.PromptKernelGOPS > 0 {
		csLo, csHi = KernelComputeScaleLow, KernelComputeScaleHigh
	}
	if c := mc.Calibration; c != nil {
		if c.DecodeEfficiency > 0 {
			// The runtime's own speed was measured against this bandwidth
			// figure: its spread is in the calibration's range already.
			eff, effLo, effHi = c.DecodeEfficiency, c.DecodeEfficiencyLow, c.DecodeEfficiencyHigh
			lo, hi = bw, bw
		}
		if c.ComputeScale > 0 {
			cs, csLo, csHi = c.ComputeScale, c.ComputeScaleLow, c.ComputeScaleHigh
		}
	}
	return [3]scenario{
		{bw, eff, GPUDecodeEfficiency, cs},
		{lo, effLo, GPUDecodeEfficiencyLow, csLo},
		{hi, effHi, GPUDecodeEfficiencyHigh, csHi},
	}
}

// bound sets f's Low and High from the same figure in the low and high
// scenario (either may be the larger: seconds fall as speed rises).
func bound(f, a, b *Figure) {
	if f == nil || a == nil || b == nil {
		return
	}
	vals := []float64{f.Value, a.Value, b.Value}
	f.Low, f.High = slices.Min(vals), slices.Max(vals)
	if math.IsInf(f.High, 0) || math.IsNaN(f.Low) || math.IsNaN(f.High) {
		f.Low, f.High = 0, 0
	}
}

// Prediction is one model file at one use case's context on one machine.
type Prediction struct {
	ModelID   string    `json:"model"`
	Quant     string    `json:"quantization"`
	Memory    Memory    `json:"memory"`
	Placement Placement `json:"placement"`
	GPUIndex  int       `json:"gpu_index,omitempty"` // with OnGPU
	// Limit names what bounds decoding: "bandwidth" or "compute".
	Limit string `json:"limit,omitempty"`
	// DecodeTPS: answer tokens per second (chat models).
	DecodeTPS *Figure `json:"decode_tps,omitempty"`
	// PromptTPS: prompt tokens processed per second.
	PromptTPS *Figure `json:"prompt_tps,omitempty"`
	// FirstTokenS: seconds from sending the use case's prompt to the first
	// answer token (model already loaded).
	FirstTokenS *Figure `json:"first_token_s,omitempty"`
	// RealtimeFactor: processing time / audio length (transcription).
	RealtimeFactor *Figure `json:"realtime_factor,omitempty"`
}

// Predict computes memory, placement and speed of model m in quantization q
// for use case u on machine mc; every speed carries its interval.
func Predict(mc Machine, m Model, q Quantization, u UseCase) Prediction {
	sc := mc.scenarios(q.Name)
	p := predictWith(mc, m, q, u, sc[0])
	lo := predictWith(mc, m, q, u, sc[1])
	hi := predictWith(mc, m, q, u, sc[2])
	bound(p.DecodeTPS, lo.DecodeTPS, hi.DecodeTPS)
	bound(p.PromptTPS, lo.PromptTPS, hi.PromptTPS)
	bound(p.FirstTokenS, lo.FirstTokenS, hi.FirstTokenS)
	bound(p.RealtimeFactor, lo.RealtimeFactor, hi.RealtimeFactor)
	return p
}

func predictWith(mc Machine, m Model, q Quantization, u UseCase, sc scenario) Prediction {
	ctx := min(u.ContextTokens, m.ContextLength)
	p := Prediction{ModelID: m.ID, Quant: q.Name, Memory: EstimateMemory(m, q, ctx, DefaultKVType)}
	p.Placement, p.GPUIndex = place(mc, p.Memory)

	var calNote any = ""
	if c := mc.Calibration; c != nil && c.DecodeEfficiency > 0 {
		calNote = c.basis()
	}
	db := mc.decodeBase(q.Name)
	base := basisMsg("read_bandwidth", nil)
	switch {
	case db.KQuant:
		base = basisMsg("kquant_kernel", map[string]any{"ISA": mc.KernelISA})
	case db.Kernel:
		base = basisMsg("decode_kernel", map[string]any{"ISA": mc.KernelISA})
	}
	eff := sc.eff * db.Factor // the efficiency is the kernel's own (KernelDecodeFactors)
	bw, bwBasis := sc.bw*eff, basisMsg("bandwidth", map[string]any{"Base": base, "GBps": num{sc.bw, 1}, "Eff": num{eff, 2}, "Cal": calNote})
	if p.Placement == OnGPU {
		g := mc.GPUs[p.GPUIndex]
		gbw := g.BandwidthGBps
		note := basisMsg("gpu_known", nil)
		if gbw == 0 {
			gbw, note = AssumedGPUBandwidthGBps, basisMsg("gpu_assumed", nil)
		}
		bw, bwBasis = gbw*sc.gpuEff, basisMsg("gpu_bandwidth", map[string]any{"Name": i18n.Escape(g.Name), "GBps": num{gbw, 0}, "Note": note, "Eff": num{sc.gpuEff, 2}})
	}
	// Prompt processing (and the compute side of decoding): the prompt
	// kernel × its factor for this quantization, else the estimate. Not
	// scaled by the probe's CPU share (issue 22): what the kernel got is
	// in its figure, combined over the PC's probes.
	gops0, computeBasis, _ := mc.promptGOPS(q.Name)
	gops := gops0 * sc.computeScale
	if sc.computeScale != 1 {
		var cal any = ""
		if c := mc.Calibration; c != nil && c.ComputeScale > 0 {
			cal = c.basis()
		}
		computeBasis = basisMsg("scaled", map[string]any{"GOPS": num{gops0, 0}, "Scale": num{sc.computeScale, 2}, "Inner": computeBasis, "Cal": cal})
	}

	switch m.Kind {
	case "transcription":
		p.RealtimeFactor = transcriptionRTF(m, q, u, bw, bwBasis, gops, computeBasis)
		return p
	case "embedding":
		flops := 2 * float64(ShapeParameters(m)) * float64(u.PromptTokens)
		secs := flops / (gops * 1e9)
		p.PromptTPS = figure(float64(u.PromptTokens)/secs, basisMsg("embed_prompt", map[string]any{"Compute": computeBasis, "Params": num{float64(ShapeParameters(m)) / 1e9, 2}}))
		p.FirstTokenS = figure(secs, basisMsg("embed_first", map[string]any{"Tokens": u.PromptTokens, "TPS": num{p.PromptTPS.Value, 0}}))
		return p
	}

	// Decoding: every token reads all weights once (except the input
	// embedding table, looked up one row at a time unless it doubles as the
	// output matrix) and the KV cache so far. Average position during the
	// answer: prompt + half the answer.
	pos := min(ctx, u.PromptTokens+u.AnswerTokens/2)
	weightsRead := float64(q.Bytes())
	if !m.Shape.TiedEmbeddings {
		weightsRead -= float64(m.Shape.VocabSize) * float64(m.Shape.HiddenSize) * bitsPerWeight[q.Name] / 8
	}
	kvRead := float64(KVCacheBytes(m.Shape, pos, DefaultKVType))
	bytesPerToken := weightsRead + kvRead
	overhead := mc.tokenOverheadS(p.Placement)
	bwTPS := 1 / (bytesPerToken/(bw*1e9) + overhead)
	decodeFlops := 2*float64(decodeParameters(m)) + attentionFlops(m.Shape, pos)
	computeTPS := gops * 1e9 / decodeFlops
	if mc.decodeBase(q.Name).GBps == 0 && p.Placement != OnGPU {
		bwTPS = math.Inf(1)
		bwBasis = basisMsg("bandwidth_none", nil)
	}
	p.Limit = "bandwidth"
	decode := bwTPS
	if computeTPS < bwTPS {
		p.Limit, decode = "compute", computeTPS
	}
	if p.Placement == OnGPU {
		p.Limit, decode = "bandwidth", bwTPS // a GPU decodes far from its compute limit
	}
	p.DecodeTPS = figure(decode, basisMsg("decode", map[string]any{
		"BwTPS": num{bwTPS, 1}, "Bw": bwBasis, "PerToken": num{bytesPerToken / 1e9, 2}, "Weights": num{weightsRead / 1e9, 2}, "Pos": pos, "KV": num{kvRead / 1e9, 3},
		"Overhead": overheadNum(overhead), "OverheadGOP": num{KernelTokenGOP, 2}, "PromptGOPS": num{mc.PromptKernelGOPS, 1},
		"CompTPS": num{computeTPS, 1}, "Compute": computeBasis, "GFLOP": num{decodeFlops / 1e9, 1}, "Limit": basisMsg("limit."+p.Limit, nil)}))

	// Prompt processing is matrix × matrix: compute-bound. On a GPU it is
	// an order of magnitude faster; the CPU figure is a safe floor there.
	promptFlops := 2*float64(promptParameters(m)) + attentionFlops(m.Shape, u.PromptTokens/2)
	ptps := gops * 1e9 / promptFlops
	p.PromptTPS = figure(ptps, basisMsg("prompt", map[string]any{"Compute": computeBasis, "GFLOP": num{promptFlops / 1e9, 1}, "At": u.PromptTokens / 2, "GPU": p.Placement == OnGPU}))
	first := float64(u.PromptTokens)/ptps + 1/decode
	p.FirstTokenS = figure(first, basisMsg("first", map[string]any{"Tokens": u.PromptTokens, "TPS": num{ptps, 0}}))
	return p
}

// overheadNum is the per-token time in ms for the basis, nil when there
// is none (the template leaves the part out).
func overheadNum(s float64) any {
	if s <= 0 {
		return nil
	}
	return num{s * 1e3, 1}
}

// tokenOverheadS is the time per decoded token beside streaming the
// weights (KernelTokenGOP over the prompt kernel), 0 without the kernels,
// on a GPU, or where the runtime's threads leave a physical core spare.
func (mc Machine) tokenOverheadS(p Placement) float64 {
	if mc.PromptKernelGOPS <= 0 || mc.DecodeKernelGBps <= 0 || p == OnGPU || mc.spareCore() {
		return 0
	}
	return KernelTokenGOP / mc.PromptKernelGOPS
}

// attentionFlops per token attending to pos earlier tokens: scores and
// weighted sum, 2 × 2 × heads × head_dim per position and layer.
func attentionFlops(s Shape, pos int) float64 {
	var sum float64
	for l := range s.Layers {
		sum += float64(layerContext(s, l, pos))
	}
	return 4 * sum * float64(s.AttentionHeads*s.HeadDim)
}

// transcriptionRTF predicts whisper.cpp's time per 30 s window over 30 s:
// the encoder (compute-bound: 2 × encoder parameters × audio frames plus
// attention) and the decoder writing the window's text tokens
// (bandwidth-bound: decoder weights read per token).
func transcriptionRTF(m Model, q Quantization, u UseCase, bw float64, bwBasis i18n.Msg, gops float64, computeBasis i18n.Msg) *Figure {
	s := m.Shape
	params := float64(ShapeParameters(m))
	layer := float64(attentionParams(s) + ffnParams(m))
	encParams := float64(s.EncoderLayers) * layer
	frames := float64(s.AudioFrames)
	encFlops := 2*encParams*frames + 4*float64(s.EncoderLayers)*frames*frames*float64(s.AttentionHeads*s.HeadDim)
	encSecs := encFlops / (gops * 1e9)
	decBytes := float64(q.Bytes()) * (params - encParams) / params
	decSecs := float64(u.AnswerTokens) * decBytes / (bw * 1e9)
	rtf := (encSecs + decSecs) / 30
	return figure(rtf, basisMsg("rtf", map[string]any{"GFLOP": num{encFlops / 1e9, 0}, "Compute": computeBasis, "EncS": num{encSecs, 1},
		"Tokens": u.AnswerTokens, "DecGB": num{decBytes / 1e9, 2}, "Bw": bwBasis, "DecS": num{decSecs, 1}}))
}

// place finds where mem fits: the first discrete card whose free memory
// holds all of it, else RAM.
func place(mc Machine, mem Memory) (Placement, int) {
	for i, g := range mc.GPUs {
		if g.Discrete && g.VRAMBytes > 0 && mem.TotalBytes-mem.OverheadBytes <= g.usableVRAM() {
			return OnGPU, i
		}
	}
	switch {
	case mc.RAMAvailableBytes > 0 && mem.TotalBytes <= mc.RAMAvailableBytes/10*9:
		return InRAM, 0
	case mem.TotalBytes <= mc.RAMTotalBytes/10*8:
		// Fits in the PC's memory, but only if other programs make room.
		return RAMTight, 0
	}
	return NoFit, 0
}
