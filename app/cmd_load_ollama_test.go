package main

import (
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
