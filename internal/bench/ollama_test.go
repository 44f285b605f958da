package bench

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.RunShared(m)) }

// tinyModel creates the tiny synthetic model once per package run.
var tinyOnce sync.Once

func tinyModel(t *testing.T) (*ollamatest.Server, string) {
	t.Helper()
	srv := ollamatest.Shared(t)
	tinyOnce.Do(func() { srv.CreateSynthetic(t, "kc-tiny", ollamatest.TinyShape, gguf.QuantQ8_0) })
	return srv, "kc-tiny"
}

// testBundle is a small bundle for the real-Ollama tests: one fixed prompt
// with checks and one synthetic speed scenario.
func testBundle(t *testing.T) *Bundle {
	t.Helper()
	src := `format: 1
id: test-small
version: "1"
title: Test
language: de
cloud_allowed: false
prompts:
  - id: fixed
    use_case: summarise
    messages:
      - role: system
        content: Antworte auf Deutsch.
      - role: user
        content: Fasse den Bescheid der Stadt Musterstadt zusammen.
    params: {temperature: 0, max_tokens: 12, seed: 1}
    checks:
      - length: {min: 1}
      - contains: "Bescheid"
  - id: pp-small
    use_case: prompt_processing
    synthetic: {prompt_tokens: 200, definition: synth-de/1}
    params: {temperature: 0, max_tokens: 8, seed: 1}
`
	b, err := ParseBundle("test-small.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ollamaEndpoint(srv *ollamatest.Server) Endpoint {
	return Endpoint{URL: srv.URL(), Runtime: RuntimeOllama, RuntimeVersion: "test"}
}

// The runner against the real Ollama, through both protocols: every
// repetition is measured, both client and runtime figures are present where
// the protocol has them, and the synthetic prompt has about the asked size.
func TestRunAgainstOllama(t *testing.T) {
	srv, model := tinyModel(t)
	for _, proto := range []string{ProtocolOllama, ProtocolOpenAI} {
		t.Run(proto, func(t *testing.T) {
			var progress []Progress
			var tokens strings.Builder
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			res, err := Run(ctx, Options{
				Endpoint: ollamaEndpoint(srv), Model: ModelInfo{Name: model}, Bundle: testBundle(t),
				Protocol: proto, Repeat: 2, MeasureLoad: proto == ProtocolOllama,
				OnProgress: func(p Progress) { progress = append(progress, p) },
				OnToken:    func(_, _ int, s string) { tokens.WriteString(s) },
			})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Complete || res.Status != "done" || len(res.Prompts) != 2 {
				t.Fatalf("status %s complete %v prompts %d", res.Status, res.Complete, len(res.Prompts))
			}
			if res.Model.Digest == "" || res.Model.Quantization != "Q8_0" {
				t.Errorf("model info not filled: %+v", res.Model)
			}
			for _, pr := range res.Prompts {
				if len(pr.Samples) != 3 || !pr.Samples[0].Warmup || len(pr.Measured()) != 2 {
					t.Fatalf("%s: %d samples", pr.PromptID, len(pr.Samples))
				}
				answers := map[string]bool{}
				for _, s := range pr.Measured() {
					if s.TokensOut != pr.MaxTokens || s.TokensIn == 0 {
						t.Errorf("%s rep %d: tokens in %d out %d", pr.PromptID, s.Rep, s.TokensIn, s.TokensOut)
					}
					if !(s.TTFTms > 0 && s.E2Ems >= s.TTFTms && s.DecodeTPS > 0 && s.PromptTPS > 0) {
						t.Errorf("%s rep %d: client figures %+v", pr.PromptID, s.Rep, s)
					}
					if proto == ProtocolOllama {
						rf := s.Runtime
						if rf.Source != RuntimeOllama || rf.EvalTokens != pr.MaxTokens || !(rf.DecodeTPS > 0) || !(rf.PromptTPS > 0) || math.IsNaN(rf.LoadMS) {
							t.Errorf("runtime figures %+v", rf)
						}
					} else if s.Runtime.Source != "" || !math.IsNaN(s.Runtime.DecodeTPS) {
						t.Errorf("Ollama's /v1 has no runtime figures, got %+v", s.Runtime)
					}
					answers[s.Answer] = true
				}
				if pr.PromptID == "fixed" && len(pr.Measured()[0].Checks) != 2 {
					t.Errorf("checks not run: %+v", pr.Measured()[0].Checks)
				}
				if pr.PromptID == "pp-small" {
					in := pr.Measured()[0].TokensIn
					if in < 180 || in > 220 {
						t.Errorf("synthetic prompt has %d tokens, want about 200 (calibration %+v)", in, res.Calibration)
					}
				}
			}
			if res.Calibration == nil || !res.Calibration.Measured {
				t.Errorf("calibration %+v", res.Calibration)
			}
			if proto == ProtocolOllama && !(res.Load.ClientMS > 0 && res.Load.RuntimeMS > 0) {
				t.Errorf("load %+v", res.Load)
			}
			if tokens.Len() == 0 {
				t.Error("token callback got nothing")
			}
			last := progress[len(progress)-1]
			if last.Phase != "done" || last.Fraction() != 1 {
				t.Errorf("last progress %+v", last)
			}
		})
	}
}

// A model the runtime does not have ends the run with model_not_found.
func TestRunModelMissing(t *testing.T) {
	srv := ollamatest.Shared(t)
	for _, proto := range []string{ProtocolOllama, ProtocolOpenAI} {
		res, err := Run(context.Background(), Options{Endpoint: ollamaEndpoint(srv), Model: ModelInfo{Name: "gibt-es-nicht"},
			Bundle: testBundle(t), Protocol: proto, Repeat: 1})
		var re *RunError
		if !errors.As(err, &re) || re.Kind != KindModelNotFound {
			t.Fatalf("%s: want model_not_found, got %v", proto, err)
		}
		if res.Status != "failed" || res.Complete || res.ErrorKind != KindModelNotFound {
			t.Errorf("%s: result %s %v %s", proto, res.Status, res.Complete, res.ErrorKind)
		}
	}
}
