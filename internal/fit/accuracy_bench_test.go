//go:build unix

package fit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/probe"
)

// BenchmarkPredictionAccuracy compares the predicted decode speed with what
// the real Ollama ($KICHECK_OLLAMA, pinned v0.6.5 built -march=native)
// measures on a synthetic ~1 GB Q8_0 llama model, in the same run: each
// round measures the bandwidth with the probe, predicts, then lets Ollama
// generate 128 tokens and reads its eval_count/eval_duration. Reports the
// medians and predicted/measured (goal: within 0.75–1.25), plus the
// efficiencies this machine implies (for calibrating DecodeEfficiency and
// probe.ComputeEfficiency).
//
//	KICHECK_OLLAMA=$(scripts/ollama.sh) go test -run '^$' -bench PredictionAccuracy -benchtime 1x -v ./internal/fit
//
// KICHECK_ACCURACY_ROUNDS sets the rounds (default 5).
func BenchmarkPredictionAccuracy(b *testing.B) {
	bin := os.Getenv("KICHECK_OLLAMA")
	if bin == "" {
		if os.Getenv("KICHECK_REQUIRE_OLLAMA") == "1" {
			b.Fatal("KICHECK_OLLAMA is not set (run scripts/ollama.sh)")
		}
		b.Skip("KICHECK_OLLAMA not set")
	}
	rounds := 5
	if n, err := strconv.Atoi(os.Getenv("KICHECK_ACCURACY_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	dir := b.TempDir()
	// Llama-3.2-1B-like body: 16 layers, hidden 2048, GQA 32/8, FFN 8192;
	// a byte-level vocabulary keeps the file to the weights that matter.
	synth := syntheticLlama{ctx: 4096, shape: Shape{Layers: 16, HiddenSize: 2048, AttentionHeads: 32, KVHeads: 8, HeadDim: 64, FFNSize: 8192, VocabSize: 259}}
	gguf := filepath.Join(dir, "synthetic.gguf")
	size, err := synth.write(gguf, true)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("synthetic model: %.3f GB Q8_0, %.2fB parameters", float64(size)/1e9, float64(ShapeParameters(Model{Shape: synth.shape, Family: "llama"}))/1e9)

	srv := startOllama(b, bin, dir)
	if out, err := srv.cli("create", "kicheck-synth", "-f", writeModelfile(b, dir, gguf)); err != nil {
		b.Fatalf("ollama create: %v\n%s", err, out)
	}
	os.Remove(gguf) // Ollama keeps its own copy in OLLAMA_MODELS

	model := Model{ID: "synthetic", Kind: "chat", Family: "llama", ContextLength: synth.ctx, Shape: synth.shape}
	quant := Quantization{Name: "Q8_0", SizeGB: float64(size) / 1e9}
	const answer = 128
	shortPrompt := "Bitte fassen Sie den Bescheid zusammen."
	longPrompt := strings.Repeat("Der Antrag auf Wohngeld wurde geprüft und bewilligt. ", 10) // ~530 byte tokens
	if _, err := srv.generate(shortPrompt, 8); err != nil {                                   // load the model
		b.Fatal(err)
	}

	var predicted, measured, bw, pp, ppPred []float64
	var basis string
	for b.Loop() {
		for range rounds {
			pr, err := probe.Run(context.Background(), probe.Options{Repetitions: 9, SkipCompute: true}, nil)
			if err != nil {
				b.Fatal(err)
			}
			mc := MachineFromProbe(Machine{RAMTotalBytes: 1 << 40, RAMAvailableBytes: 1 << 40}, pr)
			u := UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: len(shortPrompt) + 1, AnswerTokens: answer}
			p := Predict(mc, model, quant, u)
			g, err := srv.generate(shortPrompt, answer)
			if err != nil {
				b.Fatal(err)
			}
			if g.EvalCount < answer/2 {
				b.Fatalf("Ollama stopped after %d tokens", g.EvalCount)
			}
			predicted = append(predicted, p.DecodeTPS.Value)
			measured = append(measured, float64(g.EvalCount)/(float64(g.EvalDuration)/1e9))
			bw = append(bw, mc.MemoryReadGBps)
			basis = p.DecodeTPS.Basis

			// Prompt processing, for the compute calibration.
			lg, err := srv.generate(longPrompt+strconv.Itoa(len(pp)), 1) // vary: no prompt cache
			if err != nil {
				b.Fatal(err)
			}
			pp = append(pp, float64(lg.PromptEvalCount)/(float64(lg.PromptEvalDuration)/1e9))
			up := UseCase{Kind: "chat", ContextTokens: 2048, PromptTokens: lg.PromptEvalCount, AnswerTokens: 1}
			ppPred = append(ppPred, Predict(mc, model, quant, up).PromptTPS.Value)
		}
	}
	pm, mm := med(predicted), med(measured)
	bytesPerToken := float64(size) // tokens read all weights; KV at ~40 tokens is negligible
	b.ReportMetric(pm, "predicted_tok/s")
	b.ReportMetric(mm, "measured_tok/s")
	b.ReportMetric(pm/mm, "predicted/measured")
	b.ReportMetric(mm*bytesPerToken/1e9/med(bw), "implied_decode_efficiency")
	b.ReportMetric(med(ppPred)/med(pp), "prompt_predicted/measured")
	est := probe.EstimateCompute(probe.DetectCPU(context.Background()))
	flops := 2 * float64(ShapeParameters(model))
	b.ReportMetric(med(pp)*flops/1e9/est.PeakGOPS, "implied_compute_efficiency")
	b.Logf("rounds %d; probe bandwidth %v GB/s; predicted %v tok/s; Ollama measured %v tok/s; median ratio %.3f",
		rounds, round2(bw), round2(predicted), round2(measured), pm/mm)
	b.Logf("prompt processing: Ollama %v tok/s, predicted %v tok/s", round2(pp), round2(ppPred))
	b.Logf("basis of the last prediction: %s", basis)
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

func writeModelfile(b *testing.B, dir, gguf string) string {
	path := filepath.Join(dir, "Modelfile")
	if err := os.WriteFile(path, []byte("FROM "+gguf+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

type ollamaServer struct {
	bin, host string
	env       []string
}

// startOllama runs `ollama serve` on a free loopback port with its models
// in dir, and stops it (and its runner) when the benchmark ends.
func startOllama(b *testing.B, bin, dir string) *ollamaServer {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	host := l.Addr().String()
	l.Close()
	s := &ollamaServer{bin: bin, host: host, env: append(os.Environ(),
		"OLLAMA_HOST="+host, "OLLAMA_MODELS="+filepath.Join(dir, "models"), "HOME="+dir,
		"OLLAMA_KEEP_ALIVE=10m", "OLLAMA_NOPRUNE=1")}
	cmd := exec.Command(bin, "serve")
	cmd.Env = s.env
	logf, _ := os.Create(filepath.Join(dir, "ollama.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		logf.Close()
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + host + "/api/version")
		if err == nil {
			resp.Body.Close()
			return s
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "ollama.log"))
			b.Fatalf("ollama did not start: %v\n%s", err, log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (s *ollamaServer) cli(args ...string) ([]byte, error) {
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	return cmd.CombinedOutput()
}

type generateResult struct {
	EvalCount          int   `json:"eval_count"`
	EvalDuration       int64 `json:"eval_duration"`
	PromptEvalCount    int   `json:"prompt_eval_count"`
	PromptEvalDuration int64 `json:"prompt_eval_duration"`
}

func (s *ollamaServer) generate(prompt string, n int) (generateResult, error) {
	body, _ := json.Marshal(map[string]any{
		"model": "kicheck-synth", "prompt": prompt, "raw": true, "stream": false,
		"options": map[string]any{"num_predict": n, "temperature": 0, "num_ctx": 2048, "seed": 1},
	})
	client := &http.Client{Timeout: 5 * time.Minute}
	resp, err := client.Post("http://"+s.host+"/api/generate", "application/json", bytes.NewReader(body))
	if err != nil {
		return generateResult{}, err
	}
	defer resp.Body.Close()
	var g generateResult
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		return g, fmt.Errorf("ollama generate: %s: %s", resp.Status, e.Error)
	}
	return g, json.NewDecoder(resp.Body).Decode(&g)
}
