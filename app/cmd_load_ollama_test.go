package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// TestLoadCLIDayAgainstOllama: a clerks' day with a weighted mix of the
// kommune-basis prompts against the real Ollama (4 slots) on loopback,
// bounded in requests and time. It prints the answer the closing note
// quotes (run with -v).
func TestLoadCLIDayAgainstOllama(t *testing.T) {
	srv := ollamatest.StartEnv(t, "OLLAMA_NUM_PARALLEL=4")
	srv.CreateSynthetic(t, "kc-day", gguf.Shape{Layers: 2, Hidden: 256, Heads: 4, KVHeads: 2, FFN: 768, Vocab: 4000, Context: 4096}, gguf.QuantQ8_0)
	out, errOut, code := kicheck(t, "--data-dir", t.TempDir(), "load", "--url", srv.URL(), "--model", "kc-day", "--shape", "day",
		"--clerks", "8", "--think", "500ms", "--mix", "antwort-entwerfen=3,email-zuordnen=2,bescheid-zusammenfassen=1,aushang-englisch=0,aushang-arabisch=0,aushang-ukrainisch=0,formular-extrahieren=1,leichte-sprache=1",
		"--max-tokens", "64", "--num-thread", "1", "--max-requests", "80", "--max-duration", "2m")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	t.Logf("\n%s", out)
	if !strings.Contains(out, "Dieser Server bedient bis zu 8 gleichzeitig arbeitende Sachbearbeiter:innen") {
		t.Errorf("no answer for 8 clerks:\n%s", out)
	}
}

// TestLoadCLICompareOllamaSettings: the framework comparison. On this
// machine the only runtime is Ollama, so the comparison is between two
// settings of it: one started with OLLAMA_NUM_PARALLEL=1, one with 4. Both
// are found by internal/runtime at the given endpoints, get the same sweep,
// are stored, and are printed side by side with the note that only Ollama
// was compared. Run with -v for the table the closing note quotes.
func TestLoadCLICompareOllamaSettings(t *testing.T) {
	shape := gguf.Shape{Layers: 2, Hidden: 256, Heads: 4, KVHeads: 2, FFN: 768, Vocab: 4000, Context: 4096}
	one := ollamatest.StartEnv(t, "OLLAMA_NUM_PARALLEL=1")
	one.CreateSynthetic(t, "kc-cmp", shape, gguf.QuantQ8_0)
	four := ollamatest.StartEnv(t, "OLLAMA_NUM_PARALLEL=4")
	four.CreateSynthetic(t, "kc-cmp", shape, gguf.QuantQ8_0)
	dir := t.TempDir()
	out, errOut, code := kicheck(t, "--data-dir", dir, "load", "--compare", "--model", "kc-cmp",
		"--endpoint", one.URL()+"=1 Platz", "--endpoint", four.URL()+"=4 Plätze",
		"--shape", "sweep", "--max-concurrency", "8", "--full", "--requests-per-level", "32", "--mix", "antwort-entwerfen=1,email-zuordnen=0,bescheid-zusammenfassen=0,aushang-englisch=0,aushang-arabisch=0,aushang-ukrainisch=0,formular-extrahieren=0,leichte-sprache=0",
		"--max-tokens", "64", "--num-thread", "1", "--max-requests", "400", "--max-duration", "3m")
	if code != 0 {
		t.Fatalf("code %d: %s\n%s", code, errOut, out)
	}
	t.Logf("\n%s", out)
	for _, want := range []string{"1 Platz (Ollama", "4 Plätze (Ollama", "Gefunden wurde nur Ollama", "parallele Plätze", "1 (geschlossen)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The stored runs compare again without a new measurement.
	page := filepath.Join(dir, "vergleich.html")
	out2, errOut, code := kicheck(t, "--data-dir", dir, "load", "--compare-runs", "1,2", "--html", page)
	if code != 0 || !strings.Contains(out2, "4 Plätze") {
		t.Fatalf("--compare-runs: code %d: %s\n%s", code, errOut, out2)
	}
	b, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "4 Plätze") {
		t.Errorf("comparison page: %v", err)
	}
	js, _, code := kicheck(t, "--data-dir", dir, "load", "--compare-runs", "1,2", "--json")
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(js), "[") || strings.Count(js, `"format": "kicheck-load-v1"`) != 2 {
		t.Errorf("--compare-runs --json: code %d\n%s", code, js)
	}
	if d := os.Getenv("KICHECK_LOAD_HTML_DIR"); d != "" {
		os.WriteFile(filepath.Join(d, "compare.html"), b, 0o644)
	}
}
