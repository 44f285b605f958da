package fit

import (
	"context"
	"fmt"
	"os"
	goruntime "runtime"
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

// BenchmarkPredictionAccuracy compares the predicted decode and prompt
// speeds with what the real Ollama ($KICHECK_OLLAMA, pinned v0.6.5 built
// -march=native, started by internal/ollamatest on a free loopback port
// with its models in a temp folder) measures, in the same run, for
// synthetic llama models written by internal/gguf: about 1 GB and about
// 4 GB, each in Q8_0 and Q4_K_M, each with one thread and with all
// threads (one per physical core, as llama.cpp and the probe default to).
// Every round pairs a fresh probe (bandwidth only, steady, the same
// threads) and its uncalibrated prediction with an Ollama decode of 64
// tokens and a prompt of about 110 tokens (byte vocabulary). Goal
// (issue 22): every round within 15 % (predicted/measured 0.85–1.15) for
// decode and for prompt processing. It logs every round with the load
// average and reports how many rounds met the goal.
//
//	KICHECK_OLLAMA=$(scripts/ollama.sh) go test -run '^$' -bench PredictionAccuracy -benchtime 1x -timeout 90m -v ./internal/fit
//
// KICHECK_ACCURACY_QUICK=1 is the mode for `make bench` (about 10 minutes
// on a quiet 2-core PC, so it can be run twice a day): the two 1 GB models
// only, 32 answer tokens, a probe limited to 3 s of bandwidth and 2 s of
// decode kernel, and a generation limit of 1 minute; every other setting
// below still overrides it. A generation that runs past its limit (all
// threads on a busy machine: llama.cpp's spinning thread barrier waits for
// a thread the OS took away) is stopped and the model unloaded, so that it
// does not burn the cores under the next configuration.
//
// Each round probes before and after the runtime's generations and
// predicts from the two probes combined with this PC's earlier probes of
// the same thread count (the run's, newest first, up to
// probe.MaxCombined), as the fit combines a PC's stored probes
// (KICHECK_ACCURACY_BRACKET=0: the probe before with the earlier ones).
// The probe before alone, without any history, is logged too and
// counted ("fresh probe alone").
//
// KICHECK_ACCURACY_ROUNDS sets the rounds per configuration (default 5);
// KICHECK_ACCURACY_SIZES ("1,4"; "real" adds the catalogue's Llama 3.2 1B
// shape with its whole vocabulary), KICHECK_ACCURACY_QUANTS ("Q8_0,Q4_K_M")
// and KICHECK_ACCURACY_THREADS ("1,all", or a number) choose the
// configurations; KICHECK_ACCURACY_ANSWER (tokens, default 64),
// KICHECK_ACCURACY_PROMPT_REPEAT (times the 53-byte sentence, default 2)
// and KICHECK_ACCURACY_GEN_LIMIT (default 5m: a generation that takes
// longer ends its configuration, counted as skipped) bound the time on a
// busy machine.
func BenchmarkPredictionAccuracy(b *testing.B) {
	srv := ollamatest.Start(b)
	quick := envOr("KICHECK_ACCURACY_QUICK", "") == "1"
	rounds := 5
	if n, err := strconv.Atoi(envOr("KICHECK_ACCURACY_ROUNDS", "")); err == nil && n > 0 {
		rounds = n
	}
	ctx := context.Background()
	cpu := probe.DetectCPU(ctx)
	cores := max(1, cpu.PhysicalCores)
	var threadSet []int
	for _, f := range strings.Split(envOr("KICHECK_ACCURACY_THREADS", "1,all"), ",") {
		if f = strings.TrimSpace(f); f == "all" {
			threadSet = append(threadSet, cores)
		} else if n, err := strconv.Atoi(f); err == nil && n > 0 {
			threadSet = append(threadSet, n)
		}
	}
	type config struct {
		key   string // what KICHECK_ACCURACY_SIZES selects it by
		quant gguf.Quant
		shape Shape
	}
	// Llama-like bodies; the byte vocabulary keeps the files to the
	// weights that matter. Layers are chosen for the file size.
	small := Shape{HiddenSize: 2048, AttentionHeads: 32, KVHeads: 8, HeadDim: 64, FFNSize: 8192, VocabSize: gguf.MinVocab}
	mid := Shape{HiddenSize: 3072, AttentionHeads: 24, KVHeads: 8, HeadDim: 128, FFNSize: 8192, VocabSize: gguf.MinVocab}
	big := Shape{HiddenSize: 4096, AttentionHeads: 32, KVHeads: 8, HeadDim: 128, FFNSize: 14336, VocabSize: gguf.MinVocab}
	withLayers := func(s Shape, n int) Shape { s.Layers = n; return s }
	all := []config{
		{"1", gguf.QuantQ8_0, withLayers(small, 16)},  // 1.04 GB
		{"1", gguf.QuantQ4_KM, withLayers(small, 28)}, // 1.02 GB
		{"4", gguf.QuantQ8_0, withLayers(mid, 38)},    // 4.07 GB
		{"4", gguf.QuantQ4_KM, withLayers(big, 30)},   // 3.93 GB
	}
	// "real": the catalogue's Llama 3.2 1B shape with its whole
	// vocabulary (128,256 tokens, tied embeddings): whether the per-token
	// work (KernelTokenGOP, measured with the byte vocabulary) holds for a
	// real model's output layer and sampler.
	if cat, err := LoadCatalogue(b.TempDir()); err == nil {
		if m, ok := cat.Model("llama3.2-1b"); ok {
			all = append(all, config{"real", gguf.QuantQ8_0, m.Shape}, config{"real", gguf.QuantQ4_KM, m.Shape})
		}
	}
	defSizes, answer := "1,4", 64
	probeOpts := probe.Options{CPU: cpu}
	if quick {
		defSizes, answer = "1", 32
		probeOpts.MaxBandwidthSeconds, probeOpts.MaxKernelSeconds = 3, 2
	}
	sizes := envOr("KICHECK_ACCURACY_SIZES", defSizes)
	quants := strings.ToUpper(envOr("KICHECK_ACCURACY_QUANTS", "Q8_0,Q4_K_M"))
	if n, err := strconv.Atoi(envOr("KICHECK_ACCURACY_ANSWER", "")); err == nil && n >= 8 {
		answer = n
	}
	reps := 2
	if n, err := strconv.Atoi(envOr("KICHECK_ACCURACY_PROMPT_REPEAT", "")); err == nil && n > 0 {
		reps = n
	}
	longPrompt := strings.Repeat("Der Antrag auf Wohngeld wurde geprüft und bewilligt. ", reps)
	// A generation that takes longer than this (a collapsed thread barrier
	// on a busy machine) ends the configuration's rounds, logged.
	genLimit := 5 * time.Minute
	if quick {
		genLimit = time.Minute
	}
	if d, err := time.ParseDuration(envOr("KICHECK_ACCURACY_GEN_LIMIT", "")); err == nil && d > 0 {
		genLimit = d
	}
	bracket := envOr("KICHECK_ACCURACY_BRACKET", "1") != "0"
	skipped := 0
	type row struct {
		cfg                          string
		round                        int
		load                         string
		gbps, spread, share          float64
		kernel, promptGOPS           float64
		stable                       bool
		dPred, dLo, dHi, dMeas       float64
		pPred, pMeas                 float64
		implDecodeEff, implComputeSc float64
		implKernelEff, implFactor    float64
		dPred1, pPred1               float64 // from the probe before alone
		kernel1, kernelAlone         float64 // one-thread kernel (combined); the probe before's own team figure
		q8Kernel                     float64 // the Q8_0 decode kernel (combined), beside the K-quant one
		quant                        string
	}
	var rows []row
	within := func(r float64) bool { return r >= 0.85 && r <= 1.15 }
	// history holds this PC's probes per thread count, newest first, as
	// probe.History returns the stored ones.
	history := map[int][]probe.Result{}
	remember := func(threads int, r probe.Result) {
		history[threads] = append([]probe.Result{r}, history[threads][:min(len(history[threads]), probe.MaxCombined)]...)
	}
	for b.Loop() {
		for _, c := range all {
			if !slices.Contains(strings.Split(sizes, ","), c.key) || !slices.Contains(strings.Split(quants, ","), string(c.quant)) {
				continue
			}
			name := fmt.Sprintf("kicheck-acc-%s-%s", c.key, strings.ToLower(string(c.quant)))
			layout := srv.CreateSynthetic(b, name, ggufShape(c.shape, 4096), c.quant)
			model := Model{ID: name, Kind: "chat", Family: "llama", ContextLength: 4096, Shape: c.shape}
			quant := Quantization{Name: string(c.quant), SizeGB: float64(layout.Size) / 1e9}
			for _, threads := range threadSet {
				cfgName := fmt.Sprintf("%.2f GB %s, %d thread(s)", quant.SizeGB, c.quant, threads)
				unload := func() {
					// keep_alive 0 with no prompt unloads the model once the
					// cancelled request has let go of it.
					cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
					defer cancel()
					if _, err := srv.Client.Generate(cctx, runtime.GenerateRequest{Model: name, KeepAlive: 0}); err != nil {
						b.Logf("unload %s: %v", name, err)
					}
				}
				gen := func(prompt string, n int) (runtime.GenerateResult, error) {
					cctx, cancel := context.WithTimeout(ctx, genLimit)
					defer cancel()
					opts := map[string]any{"num_predict": n, "temperature": 0, "num_ctx": 2048, "seed": 1, "num_thread": threads}
					return srv.Client.Generate(cctx, runtime.GenerateRequest{Model: name, Prompt: prompt, Raw: true, Options: opts})
				}
				if _, err := gen("Bitte.", 2); err != nil { // load the model with these threads
					b.Logf("%s: loading did not finish within %s (%v); its %d rounds are skipped", cfgName, genLimit, err, rounds)
					skipped += rounds
					unload()
					continue
				}
				for i := range rounds {
					load := loadAvg()
					po := probeOpts
					po.Threads = threads
					pr, err := probe.Run(ctx, po, nil)
					if err != nil {
						b.Fatal(err)
					}
					alone := MachineFromProbe(Machine{RAMTotalBytes: 1 << 40, RAMAvailableBytes: 1 << 40}, pr)
					mc := alone.WithHistory(pr, history[threads])
					remember(threads, pr)
					// The compute estimate counts all physical cores; Ollama
					// runs with threads of them here (the kernels ran with
					// these threads already).
					mc.Compute.GOPS *= float64(min(threads, cores)) / float64(cores)
					alone.Compute.GOPS = mc.Compute.GOPS
					wake := wakeLatency()
					g, err := gen(fmt.Sprintf("Runde %d: Bitte fassen Sie den Bescheid zusammen.", i), answer)
					if err != nil {
						pre := Predict(mc, model, quant, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: 16, AnswerTokens: answer})
						b.Logf("%s round %d, load %s: decode kernel %.1f GB/s, predicted %.2f tokens/s; Ollama did not finish %d tokens within %s (under %.2f tokens/s: %v); the configuration's remaining rounds are skipped",
							cfgName, i+1, load, mc.DecodeKernelGBps, pre.DecodeTPS.Value, answer, genLimit, float64(answer)/genLimit.Seconds(), err)
						skipped += rounds - i
						unload()
						break
					}
					if g.EvalCount < answer/2 {
						b.Fatalf("Ollama stopped after %d tokens (%s)", g.EvalCount, g.DoneReason)
					}
					p := Predict(mc, model, quant, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: g.PromptEvalCount, AnswerTokens: g.EvalCount})
					// Prompt processing; the number varies the prompt so
					// Ollama's prompt cache cannot help.
					lg, err := gen(strconv.Itoa(i)+longPrompt, 1)
					if err != nil {
						b.Logf("%s round %d, load %s: prompt did not finish within %s (%v); the configuration's remaining rounds are skipped", cfgName, i+1, load, genLimit, err)
						skipped += rounds - i
						unload()
						break
					}
					pp := Predict(mc, model, quant, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: lg.PromptEvalCount, AnswerTokens: 1})
					// The probe before alone, and (the figures judged) the
					// probes before and after the runtime combined as the fit
					// combines a PC's probes: on a machine whose load moves
					// within seconds, bracketing the runtime's measurement is
					// the fair pairing.
					d1 := Predict(alone, model, quant, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: g.PromptEvalCount, AnswerTokens: g.EvalCount}).DecodeTPS.Value
					p1 := Predict(alone, model, quant, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: lg.PromptEvalCount, AnswerTokens: 1}).PromptTPS.Value
					if bracket {
						pr2, err := probe.Run(ctx, po, nil)
						if err != nil {
							b.Fatal(err)
						}
						mc = MachineFromProbe(Machine{RAMTotalBytes: 1 << 40, RAMAvailableBytes: 1 << 40}, pr2).WithHistory(pr2, history[threads])
						remember(threads, pr2)
						mc.Compute.GOPS *= float64(min(threads, cores)) / float64(cores)
						p = Predict(mc, model, quant, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: g.PromptEvalCount, AnswerTokens: g.EvalCount})
						pp = Predict(mc, model, quant, UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: lg.PromptEvalCount, AnswerTokens: 1})
					}
					r := row{dPred1: d1, pPred1: p1, cfg: cfgName, round: i + 1, load: load, gbps: mc.MemoryReadGBps, spread: pr.Steady.SpreadPercent, stable: pr.Steady.Stable, share: pr.Steady.CPUShare,
						dPred: p.DecodeTPS.Value, dLo: p.DecodeTPS.Low, dHi: p.DecodeTPS.High, dMeas: g.DecodeTPS(),
						pPred: pp.PromptTPS.Value, pMeas: lg.PromptTPS()}
					r.implDecodeEff = r.dMeas * weightsReadPerToken(model, quant) / (r.gbps * 1e9)
					r.implComputeSc = r.pMeas / r.pPred
					// The kernel this quantization is streamed at: the K-quant
					// kernel for Q4_K_M, the Q8_0 decode kernel for Q8_0.
					db := mc.decodeBase(string(c.quant))
					r.kernel, r.promptGOPS, r.quant, r.q8Kernel = db.GBps, mc.PromptKernelGOPS, string(c.quant), mc.DecodeKernelGBps
					r.kernel1, r.kernelAlone = pr.DecodeKernelOneThreadSustained(), alone.decodeBase(string(c.quant)).GBps
					if r.kernel > 0 {
						// What the constants would have to be for this round.
						kv := float64(KVCacheBytes(model.Shape, min(2048, g.PromptEvalCount+g.EvalCount/2), DefaultKVType))
						if stream := 1/r.dMeas - mc.tokenOverheadS(InRAM); stream > 0 {
							r.implKernelEff = (weightsReadPerToken(model, quant) + kv) / (stream * r.kernel * 1e9) / db.Factor
						}
						flops := 2*float64(promptParameters(model)) + attentionFlops(model.Shape, lg.PromptEvalCount/2)
						r.implFactor = r.pMeas * flops / (r.promptGOPS * 1e9)
					}
					if r.kernel > 0 && wake > 0 {
						// Diagnostic (not in the prediction): how many waits for
						// the scheduler per token would explain the gap between
						// Ollama and the kernel (docs/fit.md, "Published constants").
						gap := 1/r.dMeas - weightsReadPerToken(model, quant)/(r.kernel*KernelDecodeEfficiency*db.Factor*1e9) - mc.tokenOverheadS(InRAM)
						b.Logf("%s round %d: wake-up latency %.2f ms; Ollama %.1f ms per token, the kernel model %.1f ms: gap %.1f ms = %.1f wake-ups",
							cfgName, i+1, wake*1e3, 1e3/r.dMeas, 1e3/r.dPred, gap*1e3, gap/wake)
					}
					rows = append(rows, r)
					b.Logf("%s round %d, load %s (after: %s): probe %.1f GB/s (spread %.1f %%, stable %v, CPU share %.2f), decode kernel %.1f GB/s (one thread %.1f, probe before alone %.1f, Q8_0 team %.1f), prompt kernel %.1f GOPS; decode predicted %.2f (%.2f–%.2f) measured %.2f → %.3f %s (probe before alone %.3f); prompt predicted %.1f measured %.1f → %.3f %s (before alone %.3f)",
						cfgName, r.round, load, loadAvg(), r.gbps, r.spread, r.stable, r.share, r.kernel, r.kernel1, r.kernelAlone, r.q8Kernel, r.promptGOPS, r.dPred, r.dLo, r.dHi, r.dMeas, r.dPred/r.dMeas, mark(within(r.dPred/r.dMeas)), r.dPred1/r.dMeas,
						r.pPred, r.pMeas, r.pPred/r.pMeas, mark(within(r.pPred/r.pMeas)), r.pPred1/r.pMeas)
				}
			}
			// Free the disk and memory before the next model.
			if err := srv.Client.Delete(ctx, name); err != nil {
				b.Logf("delete %s: %v", name, err)
			}
		}
	}
	dOK, pOK, dAloneOK, pAloneOK := 0, 0, 0, 0
	var ratios, pRatios, effs, scales, kEffs []float64
	factors := map[string][]float64{}
	b.Logf("| configuration | round | load (1/5/15 min) | read GB/s (spread, CPU share) | decode kernel GB/s | prompt kernel GOPS | decode predicted (interval) | decode Ollama | ratio | within 15 %% | prompt predicted | prompt Ollama | ratio | within 15 %% |")
	for _, r := range rows {
		dr, pr := r.dPred/r.dMeas, r.pPred/r.pMeas
		if within(dr) {
			dOK++
		}
		if within(pr) {
			pOK++
		}
		if within(r.dPred1 / r.dMeas) {
			dAloneOK++
		}
		if within(r.pPred1 / r.pMeas) {
			pAloneOK++
		}
		ratios, pRatios = append(ratios, dr), append(pRatios, pr)
		effs, scales = append(effs, r.implDecodeEff), append(scales, r.implComputeSc)
		b.Logf("| %s | %d | %s | %.1f (%.1f %%, %.2f) | %.1f | %.1f | %.2f (%.2f–%.2f) | %.2f | %.3f | %s | %.1f | %.1f | %.3f | %s |", r.cfg, r.round, r.load, r.gbps, r.spread, r.share,
			r.kernel, r.promptGOPS, r.dPred, r.dLo, r.dHi, r.dMeas, dr, yesNo(within(dr)), r.pPred, r.pMeas, pr, yesNo(within(pr)))
		if r.implKernelEff > 0 {
			kEffs = append(kEffs, r.implKernelEff)
			factors[promptKernelClass(r.quant)] = append(factors[promptKernelClass(r.quant)], r.implFactor)
		}
	}
	if len(rows) == 0 {
		b.Fatal("no configuration selected")
	}
	b.ReportMetric(float64(dOK), "decode_rounds_within_15%")
	b.ReportMetric(float64(pOK), "prompt_rounds_within_15%")
	b.ReportMetric(float64(dAloneOK), "decode_rounds_within_15%_fresh_probe_alone")
	b.ReportMetric(float64(pAloneOK), "prompt_rounds_within_15%_fresh_probe_alone")
	b.ReportMetric(float64(len(rows)), "rounds")
	b.ReportMetric(float64(skipped), "rounds_skipped")
	b.ReportMetric(med(ratios), "decode_predicted/measured")
	b.ReportMetric(med(pRatios), "prompt_predicted/measured")
	b.ReportMetric(med(effs), "implied_decode_efficiency")
	b.ReportMetric(med(scales)*probe.ComputeEfficiency, "implied_compute_efficiency")
	if len(kEffs) > 0 {
		b.ReportMetric(med(kEffs), "implied_kernel_decode_efficiency")
		for class, fs := range factors {
			b.ReportMetric(med(fs), "implied_prompt_factor_"+class)
		}
		b.Logf("implied kernel decode efficiency (over the kernel each quantization is streamed at, divided by KernelDecodeFactors %v where that is the Q8_0 kernel) per round %v (constant %.2f); implied prompt kernel factors %v (constants %v)", KernelDecodeFactors, round2(kEffs), KernelDecodeEfficiency, factors, PromptKernelFactors)
	}
	b.Logf("decode: %d of %d rounds within 15 %% (ratios %.2f–%.2f); prompt: %d of %d (ratios %.2f–%.2f); %d rounds skipped (not finished within %s); from the fresh probe alone, without this PC's other probes: decode %d, prompt %d",
		dOK, len(rows), slices.Min(ratios), slices.Max(ratios), pOK, len(rows), slices.Min(pRatios), slices.Max(pRatios), skipped, genLimit, dAloneOK, pAloneOK)
}

// wakeLatency is the median overshoot of 1 ms sleeps on a locked OS
// thread: how long a woken thread waits for a core (about 0.1 ms on an
// idle PC, tens of ms on a crowded one), in seconds.
func wakeLatency() float64 {
	done := make(chan float64)
	go func() {
		goruntime.LockOSThread()
		defer goruntime.UnlockOSThread()
		var d []float64
		for range 15 {
			t0 := time.Now()
			time.Sleep(time.Millisecond)
			d = append(d, time.Since(t0).Seconds()-0.001)
		}
		done <- med(d)
	}()
	return max(0, <-done)
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

func mark(ok bool) string {
	if ok {
		return "ok"
	}
	return "OUTSIDE 15 %"
}

// loadAvg is /proc/loadavg's three load averages ("" where there is none).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], "/")
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
