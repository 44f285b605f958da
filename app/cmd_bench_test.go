package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// smallBundle is a municipality's own bundle placed in the data dir: it
// keeps the CLI test short and exercises the override folder.
const smallBundle = `format: 1
id: cli-test
version: "1"
title: CLI-Test
language: de
cloud_allowed: false
prompts:
  - id: kurz
    use_case: summarise
    messages:
      - role: user
        content: Fasse den Bescheid kurz zusammen.
    params: {temperature: 0, max_tokens: 12, seed: 1}
    checks:
      - length: {min: 1}
`

// kicheck bench against the real Ollama: the JSON carries the promised
// figures per prompt, the run is stored, listed and can be compared.
func TestBenchCommandAgainstOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "cli-bench", ollamatest.TinyShape, gguf.QuantQ8_0)
	dir := t.TempDir()
	od := bench.OverrideDir(dir)
	if err := os.MkdirAll(od, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(od, "cli.yaml"), []byte(smallBundle), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"--data-dir", dir}, args...), &out, &errb)
		return out.String(), errb.String(), code
	}
	var ids []int64
	for _, proto := range []string{"ollama", "openai"} {
		out, errs, code := run("bench", "--endpoint", srv.URL(), "--model", "cli-bench", "--bundle", "cli-test",
			"--repeat", "2", "--protocol", proto, "--json")
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, errs, out)
		}
		var rep struct {
			RunID    int64  `json:"run_id"`
			Status   string `json:"status"`
			Complete bool   `json:"complete"`
			Runtime  string `json:"runtime"`
			Model    struct {
				Digest string `json:"digest"`
			} `json:"model"`
			Bundle struct {
				ID     string `json:"id"`
				SHA256 string `json:"sha256"`
			} `json:"bundle"`
			Score         *float64                     `json:"score"`
			PromptResults []map[string]json.RawMessage `json:"prompt_results"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if rep.RunID == 0 || rep.Status != "done" || !rep.Complete || rep.Runtime != "ollama" || rep.Model.Digest == "" ||
			rep.Bundle.ID != "cli-test" || len(rep.Bundle.SHA256) != 64 || rep.Score == nil || len(rep.PromptResults) != 1 {
			t.Fatalf("run: %s", out)
		}
		p := rep.PromptResults[0]
		for _, k := range []string{"decode_tps", "runtime_decode_tps", "prompt_tps", "ttft_ms", "load_ms"} {
			var st bench.Stat
			if err := json.Unmarshal(p[k], &st); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			wantN := 2
			if proto == "openai" && (k == "runtime_decode_tps" || k == "load_ms") {
				wantN = 0 // Ollama's /v1 reports no timings of its own
			}
			if st.N != wantN || (wantN > 0 && !(st.Median >= 0 && st.Min <= st.Median && st.Median <= st.Max)) {
				t.Errorf("%s %s: %+v", proto, k, st)
			}
		}
		ids = append(ids, rep.RunID)
	}

	out, errs, code := run("bench", "--list", "--json")
	var list struct {
		Runs []bench.RunListing `json:"runs"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list.Runs) != 2 || list.Runs[0].RunID != ids[1] {
		t.Fatalf("list: %d %s %s", code, out, errs)
	}

	out, errs, code = run("bench", "compare", "1", "2", "--json")
	var cmp bench.Comparison
	if code != 0 || json.Unmarshal([]byte(out), &cmp) != nil || len(cmp.Runs) != 2 || len(cmp.Prompts) != 1 || len(cmp.Prompts[0].Results) != 2 {
		t.Fatalf("compare: %d %s %s", code, out, errs)
	}
	if len(cmp.Warnings) != 0 {
		t.Errorf("same bundle and model should compare cleanly: %v", cmp.Warnings)
	}

	out, _, code = run("bench", "--show", "1")
	if code != 0 || !strings.Contains(out, "Lauf 1") || !strings.Contains(out, "kurz") {
		t.Errorf("show: %d %s", code, out)
	}
}

func TestBenchCommandUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"bench"}, // no model
		{"bench", "--model", "m", "--repeat", "0"},
		{"bench", "--model", "m", "--protocol", "grpc"},
		{"bench", "compare", "1"},
		{"bench", "compare", "1", "x"},
	} {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), append([]string{"--data-dir", dir}, args...), &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errb.String())
		}
	}
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", dir, "bench", "--show", "99"}, &out, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), "hint: kicheck bench --list") {
		t.Errorf("unknown run: %d %s", code, errb.String())
	}
}
