package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/golden"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/signing"
)

const (
	sozialamtSheet  = "../internal/hotspot/testdata/sozialamt-excel.csv"
	buergeramtSheet = "../internal/hotspot/testdata/buergeramt.csv"
)

func TestHotspotSurveyImportAndScore(t *testing.T) {
	dir := t.TempDir()
	out := t.TempDir()
	// The template: an empty sheet and its explanations; a filled sheet
	// is never overwritten.
	stdout, stderr, code := kicheck(t, "--data-dir", dir, "hotspot", "template", "--out", out)
	if code != 0 || !strings.Contains(stdout, hotspot.TemplateSheet) {
		t.Fatalf("template: %d %q %q", code, stdout, stderr)
	}
	readme, _ := os.ReadFile(filepath.Join(out, hotspot.TemplateReadme))
	if !strings.Contains(string(readme), "leichte_sprache") || !strings.Contains(string(readme), "oeffentliche_leistungen") {
		t.Errorf("readme lacks the valid values:\n%s", readme)
	}
	if _, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "template", "--out", out); code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("template over a sheet: %d %q", code, stderr)
	}

	// Two departments: merged, the one conflict shown, exit code 8.
	stdout, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "import", sozialamtSheet, buergeramtSheet)
	if code != exitConflicts || !strings.Contains(stdout, "Neu: 14") || !strings.Contains(stdout, "Konflikt bei post-01") ||
		!strings.Contains(stdout, `minuten_pro_fall       "2" ≠ "3"`) || !strings.Contains(stdout, "(windows-1252)") {
		t.Fatalf("import: %d\n%s\n%s", code, stdout, stderr)
	}
	golden.CheckString(t, "hotspot-import.de.golden", stdout)
	listText, _, _ := kicheck(t, "--data-dir", dir, "--lang", "en", "hotspot", "list")
	golden.CheckString(t, "hotspot-list.en.golden", listText)
	stdout, _, _ = kicheck(t, "--data-dir", dir, "hotspot", "list", "--json")
	var listed []hotspot.Process
	if err := json.Unmarshal([]byte(stdout), &listed); err != nil || len(listed) != 14 {
		t.Fatalf("list: %v %d", err, len(listed))
	}

	// A bad sheet: file, line, column and what to do; nothing stored.
	bad := filepath.Join(t.TempDir(), "kaputt.csv")
	os.WriteFile(bad, []byte("id;prozess;organisationseinheit;leika;faelle_pro_jahr;minuten_pro_fall;textanteil_prozent;ki_aufgabe;datenklasse;wirkung;bereich;profiling;anmerkung\r\n"+
		"ba-01;Neu;Bürgeramt;;-5;600;50;raten;intern;vorbereitend;keiner;nein;\r\n"), 0o644)
	stdout, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "import", bad)
	if code != 1 || !strings.Contains(stderr, "kaputt.csv, Zeile 2, Spalte E (faelle_pro_jahr): „-5“ ist negativ.") ||
		!strings.Contains(stderr, "Spalte F (minuten_pro_fall)") || !strings.Contains(stderr, "Spalte H (ki_aufgabe)") ||
		!strings.Contains(stderr, "nichts wurde gespeichert") || !strings.Contains(stderr, "hint:") {
		t.Fatalf("bad sheet: %d %q %q", code, stdout, stderr)
	}
	stdout, _, _ = kicheck(t, "--data-dir", dir, "hotspot", "list", "--json")
	var after []hotspot.Process
	json.Unmarshal([]byte(stdout), &after)
	if len(after) != 14 {
		t.Fatalf("a bad sheet changed the stored processes: %d", len(after))
	}
	for _, p := range after {
		if p.ID == "ba-01" && p.Name != "Bürgeranfragen per E-Mail beantworten" {
			t.Errorf("ba-01 changed: %+v", p)
		}
	}

	// Deciding the conflict, then the ranking (no probe in this data dir:
	// readiness not measured, which the output says).
	if _, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "import", sozialamtSheet, buergeramtSheet, "--prefer", sozialamtSheet); code != 0 {
		t.Fatalf("prefer: %d %s", code, stderr)
	}
	for _, lang := range []string{"de", "en"} {
		stdout, stderr, code = kicheck(t, "--data-dir", dir, "--lang", lang, "hotspot", "score", "--rate", "50")
		if code != 0 {
			t.Fatalf("score: %d %s", code, stderr)
		}
		golden.CheckString(t, "hotspot-score."+lang+".golden", stdout)
	}
	// With a Sammelstelle database (empty here: no unit has devices).
	fleet := filepath.Join(t.TempDir(), "central.db")
	if _, _, code := kicheck(t, "--data-dir", t.TempDir(), "collect", "--db", fleet, "--enroll", t.TempDir()); code != 0 && code != 7 {
		t.Fatalf("collect: %d", code)
	}
	if _, stderr, code := kicheck(t, "--data-dir", dir, "hotspot", "score", "--fleet-db", fleet); code != 0 {
		t.Errorf("score --fleet-db: %d %s", code, stderr)
	}
	if _, stderr, code := kicheck(t, "--data-dir", dir, "hotspot", "score", "--fleet-db", filepath.Join(t.TempDir(), "none.db")); code != 1 || !strings.Contains(stderr, "fleet database") {
		t.Errorf("score --fleet-db missing: %d %s", code, stderr)
	}
	stdout, _, code = kicheck(t, "--data-dir", dir, "hotspot", "show", "so-03", "--rate", "50")
	if code != 0 || !strings.Contains(stdout, "Hochrisiko") || !strings.Contains(stdout, "§ 35a VwVfG") || !strings.Contains(stdout, "13.125 €") {
		t.Errorf("show: %d\n%s", code, stdout)
	}
	if _, stderr, code = kicheck(t, "--data-dir", dir, "hotspot", "show", "gibt-es-nicht"); code != 1 || !strings.Contains(stderr, "hotspot list") {
		t.Errorf("unknown id: %d %q", code, stderr)
	}
}

func TestHotspotExportsAreSignedAndTravel(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := kicheck(t, "--data-dir", dir, "hotspot", "import", sozialamtSheet); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	out := t.TempDir()
	files := map[string]string{}
	for _, f := range hotspot.Formats {
		stdout, stderr, code := kicheck(t, "--data-dir", dir, "hotspot", "export", "--format", f, "--out", out, "--kommune", "Musterstadt", "--rate", "50", "--json")
		var res struct{ Files []string }
		if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || len(res.Files) != 2 {
			t.Fatalf("export %s: %d %q %q", f, code, stdout, stderr)
		}
		data, _ := os.ReadFile(res.Files[0])
		sig, _ := os.ReadFile(res.Files[1])
		if _, err := signing.Verify(data, sig); err != nil {
			t.Errorf("%s: %v", res.Files[0], err)
		}
		files[f] = res.Files[0]
	}
	if _, _, code := kicheck(t, "--data-dir", dir, "hotspot", "export", "--format", "pdf", "--id", "so-01", "--out", out); code != 0 {
		t.Error("steckbrief pdf")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "steckbrief-so-01.pdf")); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Error("no Steckbrief PDF")
	}
	// The real ssh-keygen verifies the JSON export with `kicheck key show`.
	if kg, err := exec.LookPath("ssh-keygen"); err == nil {
		line, _, _ := kicheck(t, "--data-dir", dir, "key", "show")
		allowed := filepath.Join(t.TempDir(), "allowed_signers")
		os.WriteFile(allowed, []byte(line), 0o644)
		cmd := exec.Command(kg, "-Y", "verify", "-f", allowed, "-I", strings.Fields(line)[0], "-n", signing.Namespace, "-s", files["json"]+".sig")
		data, _ := os.ReadFile(files["json"])
		cmd.Stdin = bytes.NewReader(data)
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("ssh-keygen -Y verify: %v\n%s", err, o)
		}
	}
	// Another municipality imports it: verified, kept apart.
	other := t.TempDir()
	stdout, stderr, code := kicheck(t, "--data-dir", other, "hotspot", "import", files["json"])
	if code != 0 || !strings.Contains(stdout, "12 Beispiele aus Musterstadt") {
		t.Fatalf("example import: %d %q %q", code, stdout, stderr)
	}
	stdout, _, _ = kicheck(t, "--data-dir", other, "hotspot", "list")
	if !strings.Contains(stdout, "Keine Prozesse") {
		t.Errorf("examples mixed with own processes:\n%s", stdout)
	}
	stdout, _, _ = kicheck(t, "--data-dir", other, "hotspot", "list", "--examples")
	if !strings.Contains(stdout, "Beispiele aus Musterstadt") || !strings.Contains(stdout, "so-01") {
		t.Errorf("examples:\n%s", stdout)
	}
	// A changed export is refused.
	data, _ := os.ReadFile(files["json"])
	tampered := filepath.Join(t.TempDir(), "hotspots.json")
	os.WriteFile(tampered, bytes.Replace(data, []byte(`"faelle_pro_jahr": 3500`), []byte(`"faelle_pro_jahr": 35000`), 1), 0o644)
	sig, _ := os.ReadFile(files["json"] + ".sig")
	os.WriteFile(tampered+".sig", sig, 0o644)
	if _, stderr, code = kicheck(t, "--data-dir", other, "hotspot", "import", tampered); code != 1 || !strings.Contains(stderr, "no valid signature") {
		t.Errorf("tampered: %d %q", code, stderr)
	}
	// The register record: exactly the standard's fields.
	var recs []map[string]any
	reg, _ := os.ReadFile(files["algoritmeregister"])
	if err := json.Unmarshal(reg, &recs); err != nil || len(recs) != 12 || len(recs[0]) != 29 || recs[0]["standard_version"] != "0.3.1" {
		t.Errorf("register: %v %d", err, len(recs))
	}
}
