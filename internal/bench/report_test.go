package bench

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func handResult() *Result {
	nan := math.NaN()
	s := func(rep int, dec float64) Sample {
		return Sample{Rep: rep, Started: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), TTFTms: 100, E2Ems: 1100, DecodeMS: 1000,
			TokensIn: 50, TokensOut: 11, DecodeTPS: dec, PromptTPS: 500,
			Runtime: RuntimeFigures{DecodeTPS: nan, PromptTPS: nan, LoadMS: nan, PromptMS: nan, EvalMS: nan, TTFTms: nan},
			Answer:  "<b>kein Markup</b>", Checks: []CheckResult{{Kind: "contains", Passed: true}}}
	}
	return &Result{RunID: 7, Status: "done", Complete: true, Runtime: RuntimeGeneric, Endpoint: "http://127.0.0.1:8080",
		Model: ModelInfo{Name: "m"}, Bundle: BundleRef{ID: "b", Version: "1"}, Repeat: 2,
		Load:    LoadFigures{ClientMS: nan, RuntimeMS: nan},
		Prompts: []PromptResult{{PromptID: "p", Samples: []Sample{s(1, 10), s(2, 12)}}}}
}

// The JSON shape the CLI promises: per prompt decode_tps, runtime_decode_tps,
// prompt_tps, ttft_ms and load_ms as statistics; not-measured as null.
func TestReportJSON(t *testing.T) {
	b, err := json.Marshal(NewReport(handResult()))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		RunID         int64 `json:"run_id"`
		Score         *float64
		Load          map[string]any               `json:"load"`
		PromptResults []map[string]json.RawMessage `json:"prompt_results"`
		Prompts       any                          `json:"prompts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if m.RunID != 7 || m.Score == nil || m.Load["client_ms"] != nil || m.Prompts != nil {
		t.Errorf("top level: %s", b)
	}
	p := m.PromptResults[0]
	for _, k := range []string{"decode_tps", "runtime_decode_tps", "prompt_tps", "ttft_ms", "load_ms"} {
		var st Stat
		if err := json.Unmarshal(p[k], &st); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	var dec Stat
	json.Unmarshal(p["decode_tps"], &dec)
	if dec.N != 2 || dec.Mean != 11 || dec.Median != 11 || dec.Min != 10 || dec.Max != 12 {
		t.Errorf("decode_tps %+v", dec)
	}
	var rdec Stat
	json.Unmarshal(p["runtime_decode_tps"], &rdec)
	if rdec.N != 0 {
		t.Errorf("runtime figure without data: %+v", rdec)
	}
	var samples []Sample
	json.Unmarshal(p["samples"], &samples)
	if len(samples) != 2 || samples[0].Answer != "<b>kein Markup</b>" {
		t.Errorf("answer must be kept verbatim: %s", p["samples"])
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, handResult()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Lauf 7", "11.0 ±1.4", "Score:", "Prüfungen bestanden: 2 von 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}
