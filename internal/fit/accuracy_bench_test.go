package fit

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// BenchmarkPredictionAccuracy compares the predicted decode speed with what
// the real Ollama ($KICHECK_OLLAMA, pinned v0.6.5 built -march=native,
// started by internal/ollamatest on a free loopback port with its models in
// a temp folder) measures on a synthetic ~1 GB Q8_0 llama model written by
// internal/gguf, in the same run: each round measures the bandwidth with
// the probe, predicts, then lets Ollama generate 96 tokens and reads its
// eval_count/eval_duration. Reports the medians and predicted/measured
// (goal: 0.75–1.25), plus the efficiencies this machine implies (for
// calibrating DecodeEfficiency and probe.ComputeEfficiency).
//
//	KICHECK_OLLAMA=$(scripts/ollama.sh) go test -run '^$' -bench PredictionAccuracy -benchtime 1x -v ./internal/fit
//
// KICHECK_ACCURACY_ROUNDS sets the rounds (default 5). KICHECK_ACCURACY_THREADS
// runs both Ollama (num_thread) and the probe with that many threads: on a
// machine shared with other busy processes llama.cpp's spinning thread
// barrier collapses when its threads are descheduled, and one thread on
// each side still compares like with like.
func BenchmarkPredictionAccuracy(b *testing.B) {
	srv := ollamatest.Start(b)
	rounds := 5
	if n, err := strconv.Atoi(envOr("KICHECK_ACCURACY_ROUNDS", "")); err == nil && n > 0 {
		rounds = n
	}
	threads := 0 // Ollama's and the probe's defaults
	if n, err := strconv.Atoi(envOr("KICHECK_ACCURACY_THREADS", "")); err == nil && n > 0 {
		threads = n
	}
	// Llama-3.2-1B-like body: 16 layers, hidden 2048, GQA 32/8, FFN 8192;
	// the byte-level vocabulary keeps the file to the weights that matter.
	shape := Shape{Layers: 16, HiddenSize: 2048, AttentionHeads: 32, KVHeads: 8, HeadDim: 64, FFNSize: 8192, VocabSize: gguf.MinVocab}
	layout := srv.CreateSynthetic(b, "kicheck-accuracy", ggufShape(shape, 4096), gguf.QuantQ8_0)
	b.Logf("synthetic model: %.3f GB Q8_0", float64(layout.Size)/1e9)

	model := Model{ID: "synthetic", Kind: "chat", Family: "llama", ContextLength: 4096, Shape: shape}
	quant := Quantization{Name: "Q8_0", SizeGB: float64(layout.Size) / 1e9}
	const answer = 96
	shortPrompt := "Bitte fassen Sie den Bescheid zusammen."
	longPrompt := strings.Repeat("Der Antrag auf Wohngeld wurde geprüft und bewilligt. ", 10)
	ctx := context.Background()
	gen := func(prompt string, n int) runtime.GenerateResult {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		opts := map[string]any{"num_predict": n, "temperature": 0, "num_ctx": 2048, "seed": 1}
		if threads > 0 {
			opts["num_thread"] = threads
		}
		r, err := srv.Client.Generate(cctx, runtime.GenerateRequest{Model: "kicheck-accuracy", Prompt: prompt, Raw: true, Options: opts})
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	gen(shortPrompt, 4) // load the model

	var predicted, measured, bw, pp, ppPred []float64
	var basis string
	for b.Loop() {
		for i := range rounds {
			pr, err := probe.Run(ctx, probe.Options{Repetitions: 9, SkipCompute: true, Threads: threads}, nil)
			if err != nil {
				b.Fatal(err)
			}
			mc := MachineFromProbe(Machine{RAMTotalBytes: 1 << 40, RAMAvailableBytes: 1 << 40}, pr)
			g := gen(shortPrompt+strconv.Itoa(i), answer)
			if g.EvalCount < answer/2 {
				b.Fatalf("Ollama stopped after %d tokens (%s)", g.EvalCount, g.DoneReason)
			}
			u := UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: g.PromptEvalCount, AnswerTokens: g.EvalCount}
			p := Predict(mc, model, quant, u)
			predicted = append(predicted, p.DecodeTPS.Value)
			measured = append(measured, g.DecodeTPS())
			bw = append(bw, mc.MemoryReadGBps)
			basis = p.DecodeTPS.Basis

			// Prompt processing, for the compute calibration; the number
			// varies the prompt so Ollama's prompt cache cannot help.
			lg := gen(strconv.Itoa(i)+longPrompt, 1)
			pp = append(pp, lg.PromptTPS())
			up := UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: lg.PromptEvalCount, AnswerTokens: 1}
			ppPred = append(ppPred, Predict(mc, model, quant, up).PromptTPS.Value)
		}
	}
	pm, mm := med(predicted), med(measured)
	b.ReportMetric(pm, "predicted_tok/s")
	b.ReportMetric(mm, "measured_tok/s")
	b.ReportMetric(pm/mm, "predicted/measured")
	// Tokens read all weights; the KV cache at ~50 tokens is negligible.
	b.ReportMetric(mm*float64(layout.Size)/1e9/med(bw), "implied_decode_efficiency")
	b.ReportMetric(med(ppPred)/med(pp), "prompt_predicted/measured")
	est := probe.EstimateCompute(probe.DetectCPU(ctx))
	peak := est.PeakGOPS
	if threads > 0 && threads < est.Cores {
		peak = peak * float64(threads) / float64(est.Cores) // the cores Ollama used
	}
	b.ReportMetric(med(pp)*2*float64(ShapeParameters(model))/1e9/peak, "implied_compute_efficiency")
	b.Logf("threads %d (0 = defaults); rounds %d; probe bandwidth %v GB/s; predicted %v tok/s; Ollama measured %v tok/s; median ratio %.3f",
		threads, rounds, round2(bw), round2(predicted), round2(measured), pm/mm)
	b.Logf("prompt processing: Ollama %v tok/s, predicted %v tok/s", round2(pp), round2(ppPred))
	b.Logf("basis of the last prediction: %s", basis)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func med(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round2(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(int(x*100+0.5)) / 100
	}
	return out
}
