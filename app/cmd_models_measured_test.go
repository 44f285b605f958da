package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
	"github.com/ki-reise/kicheck/internal/store"
)

// A bench run of llama3.2:1b (a synthetic model under that name in the real
// Ollama) shows up in kicheck models next to the prediction for the
// catalogue entry llama3.2-1b, with the ratio predicted/measured; models
// without a run have nulls.
func TestModelsShowsMeasuredFigureAndRatio(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "llama3.2:1b", ollamatest.TinyShape, gguf.QuantQ8_0)
	dir := t.TempDir()
	od := bench.OverrideDir(dir)
	if err := os.MkdirAll(od, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(od, "cli.yaml"), []byte(smallBundle), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Main(context.Background(), append([]string{"--data-dir", dir}, args...), &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, errb.String(), out.String())
		}
		return out.String()
	}
	run("probe", "--quick", "--json")
	var rep struct {
		RunID int64 `json:"run_id"`
	}
	if err := json.Unmarshal([]byte(run("bench", "--endpoint", srv.URL(), "--model", "llama3.2:1b", "--bundle", "cli-test",
		"--repeat", "3", "--json")), &rep); err != nil || rep.RunID == 0 {
		t.Fatalf("bench run: %v %+v", err, rep)
	}

	// The median worked out here from the stored samples: three
	// repetitions of one prompt, so the middle one after sorting.
	db, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	res, err := bench.Load(context.Background(), db, rep.RunID)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var tps []float64
	for _, s := range res.Prompts[0].Samples {
		if !s.Warmup {
			tps = append(tps, s.DecodeTPS)
		}
	}
	if len(tps) != 3 {
		t.Fatalf("want 3 measured samples, got %v", tps)
	}
	sort.Float64s(tps)
	median := tps[1]

	var got struct {
		UseCases []struct {
			Models []struct {
				Model      string `json:"model"`
				Prediction struct {
					DecodeTPS *struct{ Value float64 } `json:"decode_tps"`
				} `json:"prediction"`
				MeasuredDecodeTPS *float64 `json:"measured_decode_tps"`
				MeasuredRunID     *int64   `json:"measured_run_id"`
				Ratio             *float64 `json:"ratio_predicted_to_measured"`
			} `json:"models"`
		} `json:"usecases"`
	}
	out := run("models", "--json", "--usecase", "anfrage-klassifizieren")
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.UseCases) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{`"measured_decode_tps": null`, `"ratio_predicted_to_measured": null`} {
		if !strings.Contains(out, k) {
			t.Errorf("models without a run should have %s", k)
		}
	}
	found := false
	for _, c := range got.UseCases[0].Models {
		if c.Model != "llama3.2-1b" {
			if c.MeasuredDecodeTPS != nil {
				t.Errorf("%s: measured %v without a run", c.Model, *c.MeasuredDecodeTPS)
			}
			continue
		}
		found = true
		if c.MeasuredDecodeTPS == nil || c.MeasuredRunID == nil || c.Ratio == nil || c.Prediction.DecodeTPS == nil {
			t.Fatalf("llama3.2-1b: measurement missing: %+v", c)
		}
		if *c.MeasuredDecodeTPS != median || *c.MeasuredRunID != rep.RunID {
			t.Errorf("measured %v (run %d), want %v (run %d)", *c.MeasuredDecodeTPS, *c.MeasuredRunID, median, rep.RunID)
		}
		want := c.Prediction.DecodeTPS.Value / median
		if math.Abs(*c.Ratio-want) > 1e-9*want {
			t.Errorf("ratio %v, want %v / %v = %v", *c.Ratio, c.Prediction.DecodeTPS.Value, median, want)
		}
	}
	if !found {
		t.Fatalf("llama3.2-1b not assessed:\n%s", out)
	}

	text := run("models", "--usecase", "anfrage-klassifizieren")
	if !strings.Contains(text, "vorhergesagt/gemessen") || !strings.Contains(text, "(Lauf ") { // German, the default
		t.Errorf("text output lacks the measured column:\n%s", text)
	}
}
