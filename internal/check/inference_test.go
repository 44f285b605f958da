package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/store"
)

// The whole check against a real Ollama (KICHECK_OLLAMA) serving a small
// synthetic model: the inference step runs the test bundle, the report
// carries the run's summary, not the answers, and verifies.
func TestCheckWithRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "kc-tiny", ollamatest.TinyShape, gguf.QuantQ8_0)
	ctx := context.Background()
	dataDir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dataDir, store.FileName), report.Schema, bench.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A small test bundle in the data dir, chosen by the policy as IT would.
	own := filepath.Join(dataDir, "bundles", "prompts")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(own, "test-small.yaml"), []byte(smallBundle), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, Options{DataDir: dataDir, DB: db, RuntimeEndpoints: []string{srv.URL()}, InferenceRepeat: 1,
		Probe: quickProbe, Policy: Policy{Bundles: []string{"test-small"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Report.Summary.Steps {
		if s.Name == "inference" && s.Status != report.StepDone {
			t.Fatalf("inference step %+v", s)
		}
	}
	inf := res.Report.Sections.Inference
	if inf == nil || len(inf.Runs) != 1 || strings.TrimSuffix(inf.Runs[0].Summary.Model, ":latest") != "kc-tiny" || len(inf.Runs[0].Prompts) == 0 {
		t.Fatalf("inference section %+v", inf)
	}
	if strings.Contains(string(res.Data), `"answer"`) {
		t.Error("the report carries answers")
	}
	if v := report.Verify(res.Data, res.Sig, report.VerifyOptions{}); !v.Valid {
		t.Fatal(v.Message)
	}
	t.Logf("report %d bytes, inference %d prompts", len(res.Data), len(inf.Runs[0].Prompts))
}

const smallBundle = `format: 1
id: test-small
version: "1"
title: Test
language: de
cloud_allowed: false
prompts:
  - id: fixed
    use_case: summarise
    messages:
      - role: user
        content: Fasse den Bescheid der Stadt Musterstadt zusammen.
    params: {temperature: 0, max_tokens: 12, seed: 1}
    checks:
      - length: {min: 1}
`
