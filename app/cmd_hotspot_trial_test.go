package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/hotspot"
)

// The Erprobung on the command line: the bundle is made from the example
// inputs with a warning on personal data, the KI-Test finds it, and
// --record says to run it first.
func TestHotspotTrialCommand(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := kicheck(t, "--data-dir", dir, "hotspot", "import", sozialamtSheet); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	inputs := "../internal/hotspot/testdata/erprobung-so-01.txt"
	stdout, stderr, code := kicheck(t, "--data-dir", dir, "hotspot", "trial", "so-01", "--inputs", inputs)
	if code != 0 || !strings.Contains(stdout, "Testbündel erprobung-so-01 mit 3 Beispielen geschrieben") {
		t.Fatalf("trial: %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "Warnung: Beispiel 3 (ab Zeile 9) eine gültige IBAN: DE8") || strings.Contains(stderr, "DE89 3704") {
		t.Errorf("warning on the IBAN missing or not masked:\n%s", stderr)
	}
	if !strings.Contains(stdout, "kicheck bench --bundle erprobung-so-01 --model MODELL (lokal)") || strings.Contains(stdout, "--cloud") {
		t.Errorf("next step (local only: social data, personal data in an example):\n%s", stdout)
	}
	cat, err := bench.LoadCatalogue(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := cat.Get("erprobung-so-01")
	if err != nil || len(b.Prompts) != 3 || b.AllowsCloud() {
		t.Fatalf("bundle in the KI-Test: %v %+v", err, b)
	}
	stdout, _, code = kicheck(t, "--data-dir", dir, "--lang", "en", "hotspot", "trial", "so-01", "--inputs", inputs, "--json")
	var out struct {
		Bundle string               `json:"bundle"`
		Cloud  bool                 `json:"cloud_allowed"`
		Inputs []hotspot.TrialInput `json:"inputs"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil || out.Bundle != "erprobung-so-01" || len(out.Inputs[2].PII) != 4 {
		t.Fatalf("--json: %d %s", code, stdout)
	}
	_, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "trial", "so-01", "--record")
	if code != 1 || !strings.Contains(stderr, "kicheck bench --bundle erprobung-so-01") {
		t.Errorf("record before a run: %d %s", code, stderr)
	}
	// Bad inputs: file and line, nothing written.
	bad := filepath.Join(t.TempDir(), "leer.txt")
	os.WriteFile(bad, []byte("erwartet: X\n---\n"), 0o644)
	_, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "trial", "so-02", "--inputs", bad)
	if code != 1 || !strings.Contains(stderr, "leer.txt, Zeile 1: Zu diesem Beispiel steht nur „erwartet:“") {
		t.Errorf("bad inputs: %d %s", code, stderr)
	}
	if _, err := os.Stat(hotspot.TrialBundleFile(dir, "so-02")); err == nil {
		t.Error("a bundle was written from bad inputs")
	}
	// The id may also come after the flags.
	if _, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "trial", "--inputs", inputs, "gibtsnicht"); code != 1 || !strings.Contains(stderr, "„gibtsnicht“") {
		t.Errorf("unknown process: exit %d %s", code, stderr)
	}
}
