package load

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// ollamaMix is one short German request; the tiny generated model answers
// nonsense, which is fine for timing.
func ollamaMix(tokens int) []Work {
	return []Work{{ID: "antwort-entwerfen", UseCase: "antwort-entwurf", MaxTokens: tokens, Weight: 1,
		Limits:   Limits{FirstTokenS: 3, DecodeTPS: 10},
		Messages: []bench.Message{{Role: "user", Content: "Bitte antworten Sie kurz auf die Anfrage von Frau Beispiel."}}}}
}

// oneThread keeps the runner from spinning threads against the other
// work of a busy 2-core machine (without it one tiny answer took 20 s here).
// loadShape is about 4 MB: slow enough per token that the slots show,
// small enough for the test suite.
var loadShape = gguf.Shape{Layers: 2, Hidden: 256, Heads: 4, KVHeads: 2, FFN: 768, Vocab: 4000, Context: 4096}

var oneThread = map[string]any{"num_thread": 1}

func ollamaWith(t *testing.T, env ...string) *ollamatest.Server {
	t.Helper()
	srv := ollamatest.StartEnv(t, env...)
	srv.CreateSynthetic(t, "kc-load", loadShape, gguf.QuantQ8_0)
	return srv
}

// sweepOllama runs a bounded sweep 1, 2, 4, 8 against srv.
func sweepOllama(t *testing.T, srv *ollamatest.Server) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{URL: srv.URL(), Model: "kc-load", Shape: ShapeSweep, MaxConc: 8, RequestsPerLevel: 32, FullSweep: true,
		Mix: ollamaMix(64), MaxDuration: 2 * time.Minute, MaxRequests: 200, OllamaOptions: oneThread})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestOllamaParallelSlots: the real Ollama, once with one parallel slot and
// once with four, under the same sweep. With four slots the server decodes
// four answers in one batch, so at four concurrent requests its output
// throughput is higher and the first token comes sooner (no queue).
func TestOllamaParallelSlots(t *testing.T) {
	one := sweepOllama(t, ollamaWith(t, "OLLAMA_NUM_PARALLEL=1"))
	four := sweepOllama(t, ollamaWith(t, "OLLAMA_NUM_PARALLEL=4"))
	t.Logf("\n%s", levelTable("1 slot", one)+levelTable("4 slots", four))
	// KICHECK_LOAD_HTML_DIR keeps the two runs as HTML pages and PDFs
	// (pictures for the closing note).
	if dir := os.Getenv("KICHECK_LOAD_HTML_DIR"); dir != "" {
		for name, r := range map[string]*Result{"slots1": one, "slots4": four} {
			page, err := HTML(r, "de")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name+".html"), page, 0o644); err != nil {
				t.Fatal(err)
			}
			pdf, err := PDF(r, "de", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	at4 := func(r *Result) Level {
		for _, l := range r.Levels {
			if l.Level == 4 {
				return l
			}
		}
		t.Fatalf("no level 4 in %+v (saturation %d)", r.Levels, r.Saturation)
		return Level{}
	}
	a, b := at4(one), at4(four)
	if a.OK != a.Requests || b.OK != b.Requests {
		t.Fatalf("errors: 1 slot %v, 4 slots %v", a.Errors, b.Errors)
	}
	if b.TokPerS <= a.TokPerS {
		t.Errorf("at 4 concurrent: %.0f tokens/s with 4 slots, %.0f with 1", b.TokPerS, a.TokPerS)
	}
	if b.TTFT.P50.Value >= a.TTFT.P50.Value {
		t.Errorf("at 4 concurrent: TTFT p50 %.0f ms with 4 slots, %.0f with 1 (queue)", b.TTFT.P50.Value, a.TTFT.P50.Value)
	}
	// Ollama does not report its slots; the sweep shows the one slot as
	// a queue from 2 concurrent requests on.
	if s := one.Slots; s == nil || s.Readable || !s.Inferred || s.Lo != 1 || s.Hi != 1 {
		t.Errorf("1 slot: inferred %+v", one.Slots)
	}
	t.Logf("1 slot: %s\n4 slots: %s", one.Slots.Msg().Text("de"), four.Slots.Msg().Text("de"))
	// The client's count of streamed tokens against Ollama's eval_count.
	for _, r := range []*Result{one, four} {
		for _, s := range r.Samples {
			if s.Error == "" && (s.Tokens > s.Server || s.Tokens < s.Server-1) {
				t.Errorf("client counted %d tokens, eval_count %d", s.Tokens, s.Server)
			}
		}
	}
}

// TestOllamaQueueFullIsBusy: with OLLAMA_MAX_QUEUE=1 and one slot, eight
// clerks at once get 503 answers, counted as "server busy", and the run
// goes on with the others.
func TestOllamaQueueFullIsBusy(t *testing.T) {
	srv := ollamaWith(t, "OLLAMA_NUM_PARALLEL=1", "OLLAMA_MAX_QUEUE=1")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{URL: srv.URL(), Model: "kc-load", Shape: ShapeDay, Clerks: 8, MaxRequests: 40,
		Mix: ollamaMix(32), MaxDuration: time.Minute, OllamaOptions: oneThread})
	if err != nil {
		t.Fatal(err)
	}
	lv := res.Levels[0]
	t.Logf("ok %d, errors %v of %d", lv.OK, lv.Errors, lv.Requests)
	if lv.Errors[ErrBusy] == 0 || lv.OK == 0 {
		t.Fatalf("want busy answers and answered ones: ok %d, errors %v", lv.OK, lv.Errors)
	}
	if n := lv.Errors[ErrBusy] + lv.OK; n != lv.Requests {
		t.Errorf("errors other than busy: %v", lv.Errors)
	}
}

func levelTable(name string, r *Result) string {
	s := fmt.Sprintf("%s (saturation %d)\nlevel  req  ok  tok/s  tok/s/user  TTFT p50  TTFT p90  ITL p50  TPOT p50  E2E p50  goodput\n", name, r.Saturation)
	for _, l := range r.Levels {
		s += fmt.Sprintf("%5d %4d %3d %6.0f %11.1f %9.0f %9.0f %8.1f %9.1f %8.0f %7.0f%%\n", l.Level, l.Requests, l.OK, l.TokPerS, l.TokPerSPU,
			l.TTFT.P50.Value, l.TTFT.P90.Value, l.ITL.P50.Value, l.TPOT.P50.Value, l.E2E.P50.Value, 100*l.Goodput.P)
	}
	return s
}

// TestOllamaRecordSweep records a full sweep 1…16 against the real Ollama
// with 4 slots as testdata for the saturation rule (levels as JSON to the
// file named by KICHECK_LOAD_RECORD; skipped without it). The recording in
// testdata/noisy_sweep.json was made on the busy 2-core machine with a
// CPU-bound process (sha256sum /dev/zero) running beside it.
func TestOllamaRecordSweep(t *testing.T) {
	path := os.Getenv("KICHECK_LOAD_RECORD")
	if path == "" {
		t.Skip("set KICHECK_LOAD_RECORD=FILE to record a sweep")
	}
	srv := ollamaWith(t, "OLLAMA_NUM_PARALLEL=4")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	res, err := Run(ctx, Options{URL: srv.URL(), Model: "kc-load", Shape: ShapeSweep, MaxConc: 16, RequestsPerLevel: 32, FullSweep: true,
		Mix: ollamaMix(64), MaxDuration: 3 * time.Minute, MaxRequests: 400, OllamaOptions: oneThread})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", levelTable("4 slots", res))
	b, err := json.MarshalIndent(res.Levels, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
