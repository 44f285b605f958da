//go:build unix

package bench

import (
	"context"
	"math"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// measureShape is a synthetic llama model of about 530 MB at Q8_0 (11
// layers of a 2048-wide model, a small vocabulary): large enough that
// decoding is bound by memory traffic as with real models.
var measureShape = gguf.Shape{Layers: 11, Hidden: 2048, Heads: 16, KVHeads: 4, FFN: 5632, Vocab: gguf.MinVocab, Context: 1024}

// BenchmarkMeasurementQuality runs one prompt against the real Ollama with
// a ≥ 500 MB synthetic model (native protocol, so client and runtime
// measure the same answers) and reports:
//
//   - decode_diff_%: the median over repetitions of
//     |client decode tok/s − Ollama eval_count/eval_duration| / Ollama's,
//     in percent (goal: under 3);
//   - overhead_%: the runner's CPU time (user+sys of this process during
//     the run) per streamed token, as a share of Ollama's time per token
//     (eval_duration / eval_count) (goal: under 1).
//
// Unix only (it reads the CPU time with getrusage). It ignores b.N (one run of -bench with -benchtime=1x is meant):
//
//	KICHECK_OLLAMA=… go test -run=NONE -bench=MeasurementQuality -benchtime=1x ./internal/bench/
func BenchmarkMeasurementQuality(b *testing.B) {
	srv := ollamatest.Shared(b)
	layout := srv.CreateSynthetic(b, "kc-measure", measureShape, gguf.QuantQ8_0)
	b.Logf("model: %.0f MB", float64(layout.Size)/1e6)
	bundle, err := ParseBundle("measure.yaml", []byte(`format: 1
id: measure
version: "1"
title: Messqualität
cloud_allowed: false
prompts:
  - id: decode
    use_case: generation
    synthetic: {prompt_tokens: 64, definition: synth-de/1}
    params: {temperature: 0, max_tokens: 96, seed: 1}
`))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	b.ResetTimer()
	cpu0 := cpuTime()
	res, err := Run(ctx, Options{Endpoint: ollamaEndpoint(srv), Model: ModelInfo{Name: "kc-measure"}, Bundle: bundle,
		Protocol: ProtocolOllama, Repeat: 5})
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	var diffs []float64
	var tokens int
	var evalMS float64
	var evalTokens int
	for _, s := range res.Prompts[0].Samples {
		// All answers, warm-up and calibration excluded from the ratio but
		// their tokens count for the CPU time (the runner streamed them).
		tokens += s.Chunks
		if s.Warmup {
			continue
		}
		d := math.Abs(s.DecodeTPS-s.Runtime.DecodeTPS) / s.Runtime.DecodeTPS * 100
		diffs = append(diffs, d)
		evalMS += s.Runtime.EvalMS
		evalTokens += s.Runtime.EvalTokens
		b.Logf("rep %d: client %.2f tok/s, ollama %.2f tok/s (%d tokens in %.0f ms), diff %.2f %%",
			s.Rep, s.DecodeTPS, s.Runtime.DecodeTPS, s.Runtime.EvalTokens, s.Runtime.EvalMS, d)
	}
	sort.Float64s(diffs)
	median := diffs[len(diffs)/2]
	perTokenRuntime := evalMS / float64(evalTokens)                              // ms
	perTokenRunner := float64(cpu) / float64(time.Millisecond) / float64(tokens) // ms
	b.ReportMetric(median, "decode_diff_%")
	b.ReportMetric(perTokenRunner/perTokenRuntime*100, "overhead_%")
	b.ReportMetric(perTokenRunner*1000, "runner_µs/token")
	b.ReportMetric(perTokenRuntime, "ollama_ms/token")
	b.Logf("median decode difference %.2f %%; runner CPU %.1f µs/token vs Ollama %.1f ms/token = %.3f %%",
		median, perTokenRunner*1000, perTokenRuntime, perTokenRunner/perTokenRuntime*100)
}

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
