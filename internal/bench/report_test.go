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
	text := func(lang string) string {
		var buf bytes.Buffer
		if err := WriteText(&buf, lang, handResult()); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	de, en := text("de"), text("en")
	for _, want := range []string{"Lauf 7", "vollständig", "11,0 ±1,4", "Score: ", "Prüfungen bestanden: 2 von 2", "2 Wiederholungen"} {
		if !strings.Contains(de, want) {
			t.Errorf("missing %q in\n%s", want, de)
		}
	}
	for _, want := range []string{"Run 7", "complete", "11.0 ±1.4", "Score: ", "Checks passed: 2 of 2", "2 repetitions", "Tokens in/out"} {
		if !strings.Contains(en, want) {
			t.Errorf("missing %q in\n%s", want, en)
		}
	}
	for _, german := range []string{"ä", "ö", "ü", "ß", "Lauf", "Prüf", "Modell", "Bündel", "Wiederholung", "siehe"} {
		if strings.Contains(en, german) {
			t.Errorf("English text contains German %q:\n%s", german, en)
		}
	}
}

// TestCompareWarningsInBothLanguages: the warnings of two runs that differ
// in bundle and model, in German by default and in English after Localize
// and in WriteCompareText.
func TestCompareWarningsInBothLanguages(t *testing.T) {
	a, b := handResult(), handResult()
	b.RunID, b.Bundle, b.Model.Name, b.Complete = 8, BundleRef{ID: "c", Version: "2"}, "n", false
	c := Compare(a, b)
	if len(c.Warnings) != 3 || c.Warnings[0] != "Lauf 7 nutzte das Bündel b 1, Lauf 8 c 2: die Prompts unterscheiden sich" {
		t.Fatalf("German warnings = %q", c.Warnings)
	}
	if en := c.Localize("en").Warnings; len(en) != 3 || en[1] != "run 7 measured model m, run 8 n: different models" || en[2] != "at least one run is incomplete" {
		t.Fatalf("English warnings = %q", en)
	}
	var de, en bytes.Buffer
	WriteCompareText(&de, "de", c)
	WriteCompareText(&en, "en", c)
	if !strings.Contains(de.String(), "Achtung: Lauf 7") || !strings.Contains(de.String(), "11,0 ±1,4") || !strings.Contains(de.String(), "Prüfungen") {
		t.Errorf("German comparison:\n%s", de.String())
	}
	if !strings.Contains(en.String(), "Note: run 7") || !strings.Contains(en.String(), "11.0 ±1.4") || !strings.Contains(en.String(), "Run 8: ") ||
		strings.ContainsAny(en.String(), "äöüß") || strings.Contains(en.String(), "Lauf") {
		t.Errorf("English comparison:\n%s", en.String())
	}
}
