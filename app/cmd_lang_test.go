package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// germanMarkers betray a German text in English output: umlauts and
// words that are frequent in this project's German texts and are no
// English words.
var germanMarkers = []string{"ä", "ö", "ü", "ß", "Ä", "Ö", "Ü", " der ", " die ", " das ", " und ", " nicht ", " ist ", "Sie ", " für ",
	"Einstellung", "Prüf", "Zustimmung", "Schlüssel", "Empfehlung", "Lauf", "Modell", "Bündel", "Paket", "hinweis", "Achtung",
	"Anbieter", "Adresse", "Anfragen", "Wiederholung", "gespeichert", "Kosten", "Gemessen", "eingebaut"}

// quoted reports lines that quote content that is German by nature: the
// bundle's task titles in the consent list and the models' answers in the
// word diff.
func quoted(line string) bool {
	return strings.HasPrefix(line, "  • ") || strings.Contains(line, "the same): ") || strings.HasSuffix(line, ": same words")
}

// assertNoGerman fails for every line of an English output that holds a
// German marker.
func assertNoGerman(t *testing.T, what, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if quoted(line) {
			continue
		}
		for _, m := range germanMarkers {
			if strings.Contains(line, m) {
				t.Errorf("%s --lang en prints German %q in:\n%s", what, m, line)
				break
			}
		}
	}
}

// TestGermanMarkersCatchGerman: the scan above finds the texts it is
// meant to find (the German output of the same commands).
func TestGermanMarkersCatchGerman(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"cost"}, {"bench", "--list"}, {"cloud", "set", "--endpoint", "http://ki.example/v1", "--model", "m"}} {
		out, errOut, _ := kicheck(t, append([]string{"--data-dir", dir, "--lang", "de"}, args...)...)
		found := false
		for _, line := range strings.Split(out+errOut, "\n") {
			for _, m := range germanMarkers {
				if !quoted(line) && strings.Contains(line, m) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%v: the German output has no German marker:\n%s%s", args, out, errOut)
		}
	}
}

// TestCostAndCloudInBothLanguages runs kicheck cost and kicheck cloud
// (set, show, invalid input, a key variable that is empty, a cloud bench
// without --allow-cloud) with --lang de and --lang en. Nothing is sent:
// the only remote endpoint is refused before any connection.
func TestCostAndCloudInBothLanguages(t *testing.T) {
	t.Setenv("KICHECK_EMPTY_KEY", "")
	want := map[string][]string{
		"de": {"Kostenvergleich: 10.500 Anfragen im Monat", "pro Monat", "284,29 €", "Empfehlung: lokal betreiben", "Stand 01.11.2026",
			"Parameter aus: bundles/cost/default.yaml (eingebaut)", "Aus dem Prüfpaket kommune-basis geschätzt",
			"error: Einstellung base_url: unverschlüsselte Verbindung (http) zu ki.example ist nicht erlaubt", "hint: verwenden Sie https://",
			"error: Einstellung key_env: \"1X\" ist kein gültiger Name", "Anbieter: vLLM im kommunalen Rechenzentrum", "Schlüssel: Umgebungsvariable KICHECK_EMPTY_KEY",
			"Proxy:    Proxy des Systems", "error: Die Umgebungsvariable KICHECK_EMPTY_KEY ist leer oder nicht gesetzt",
			"KI-Check sendet für diesen einen Testlauf", "error: Abgelehnt: ki.example liegt nicht auf diesem PC", "hint: Prüfen Sie die oben aufgeführten Prüfaufgaben",
			"Noch keine Messläufe gespeichert", "error: kein Cloud-Endpunkt eingerichtet",
			"kein KI-Programm gefunden unter http://127.0.0.1:1", "hint: Starten Sie das KI-Programm", "hint: kicheck bench --list zeigt die gespeicherten Läufe"},
		"en": {"Cost comparison: 10,500 requests a month", "per month", "€284.29", "Recommendation: run locally", "as of 2026-11-01",
			"Parameters from: bundles/cost/default.yaml (built in)", "Estimated from the test bundle kommune-basis",
			"error: Setting base_url: an unencrypted connection (http) to ki.example is not allowed", "hint: use https://",
			"error: Setting key_env: \"1X\" is not a valid environment variable name", "Provider: vLLM in the municipal data centre", "Key:      environment variable KICHECK_EMPTY_KEY",
			"Proxy:    system proxy", "error: The environment variable KICHECK_EMPTY_KEY is empty or not set",
			"For this one test run, KI-Check sends", "error: Refused: ki.example is not on this PC", "hint: Check the test tasks listed above",
			"No runs stored yet", "error: no cloud endpoint configured",
			"no AI runtime found at http://127.0.0.1:1", "hint: start the runtime", "hint: kicheck bench --list shows the stored runs"},
	}
	for _, lang := range []string{"de", "en"} {
		dir := t.TempDir()
		var all strings.Builder
		run := func(wantCode int, args ...string) {
			t.Helper()
			out, errOut, code := kicheck(t, append([]string{"--data-dir", dir, "--lang", lang}, args...)...)
			if code != wantCode {
				t.Errorf("%s %v: exit %d, want %d\n%s%s", lang, args, code, wantCode, out, errOut)
			}
			all.WriteString(out + errOut)
		}
		run(1, "cloud", "show")
		run(0, "cost")
		run(0, "bench", "--list")
		run(1, "cloud", "set", "--endpoint", "http://ki.example/v1", "--model", "m")
		run(1, "cloud", "set", "--endpoint", "https://ki.example/v1", "--model", "m", "--key-env", "1X")
		run(0, "cloud", "set", "--preset", "vllm", "--endpoint", "https://ki.example/v1", "--model", "m", "--key-env", "KICHECK_EMPTY_KEY")
		run(0, "cloud", "show")
		run(1, "cloud", "test")
		run(1, "bench", "--cloud", "--bundle", "kommune-basis")
		run(1, "bench", "--endpoint", "http://127.0.0.1:1", "--model", "m") // nothing listens on port 1
		run(1, "compare", "--local", "1", "--cloud", "2")                   // no such runs
		for _, w := range want[lang] {
			if !strings.Contains(all.String(), w) {
				t.Errorf("--lang %s: output lacks %q:\n%s", lang, w, all.String())
			}
		}
		if lang == "en" {
			assertNoGerman(t, "cost/cloud", all.String())
		}
	}
}

// TestBenchAndCompareInBothLanguages: two real runs against Ollama (one
// printed in English, one in German, progress included), then bench
// --show, --list, bench compare, compare and cost with the runs, in both
// languages: labels, warnings and the decimal separator follow --lang.
func TestBenchAndCompareInBothLanguages(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateSynthetic(t, "cli-lang", ollamatest.TinyShape, gguf.QuantQ8_0)
	dir := t.TempDir()
	od := bench.OverrideDir(dir)
	os.MkdirAll(od, 0o755)
	if err := os.WriteFile(filepath.Join(od, "cli.yaml"), []byte(smallBundle), 0o644); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]*strings.Builder{"de": {}, "en": {}}
	run := func(lang string, args ...string) {
		t.Helper()
		out, errOut, code := kicheck(t, append([]string{"--data-dir", dir, "--lang", lang}, args...)...)
		if code != 0 {
			t.Fatalf("--lang %s %v: exit %d\n%s%s", lang, args, code, out, errOut)
		}
		outputs[lang].WriteString(out + errOut)
	}
	benchArgs := []string{"bench", "--endpoint", srv.URL(), "--model", "cli-lang", "--bundle", "cli-test", "--repeat", "2", "--warmup", "0"}
	run("en", benchArgs...) // run 1
	run("de", benchArgs...) // run 2
	for _, lang := range []string{"de", "en"} {
		run(lang, "bench", "--show", "1")
		run(lang, "bench", "--list")
		run(lang, "bench", "compare", "1", "2")
		run(lang, "compare", "--local", "1", "--cloud", "2") // run 2 is local too: a warning
		run(lang, "cost", "--local", "1", "--cloud", "2")
	}
	de, en := outputs["de"].String(), outputs["en"].String()
	for _, w := range []string{"[1/1] kurz: Wiederholung 2/2", "Lauf 1  ", "Bündel:   cli-test 1", "Prüfungen bestanden: 2 von 2",
		"Lauf  Zeit", "Lauf 1: ollama", "Vergleich lokal ↔ Cloud", "Achtung: Lauf 2 lief nicht in der Cloud", "Gemessen (Läufe 1 und 2)"} {
		if !strings.Contains(de, w) {
			t.Errorf("German output lacks %q:\n%s", w, de)
		}
	}
	for _, w := range []string{"[1/1] kurz: repetition 2/2", "Run 1  ", "Bundle:   cli-test 1", "Checks passed: 2 of 2",
		"Run  Time", "Run 1: ollama", "Comparison local ↔ cloud", "Note: Run 2 did not run in the cloud", "Measured (runs 1 and 2)"} {
		if !strings.Contains(en, w) {
			t.Errorf("English output lacks %q:\n%s", w, en)
		}
	}
	// Decimal comma in German, point in English (the decode speed "12,3 ±0,4").
	if !regexp.MustCompile(`\d,\d ±\d+,\d`).MatchString(de) || regexp.MustCompile(`\d\.\d ±\d+\.\d`).MatchString(de) {
		t.Errorf("German figures should use the decimal comma:\n%s", de)
	}
	if !regexp.MustCompile(`\d\.\d ±\d+\.\d`).MatchString(en) || regexp.MustCompile(`\d,\d ±\d+,\d`).MatchString(en) {
		t.Errorf("English figures should use the decimal point:\n%s", en)
	}
	assertNoGerman(t, "bench/compare/cost", en)
	t.Logf("--lang en:\n%s", en)
}

var fileName = regexp.MustCompile(`\.(json|yaml|md|go|csv|html|pdf|odt|txt|sig|zip|pub|db|toml|yml|xml|gift|png)$`)

// TestCLIMessageIDsExist: every literal message id in the commands and in
// every package but the GUI (internal/ui has its own test for lang.L) has
// a German and an English text, so no output shows a raw id. A literal is
// an id when it starts with a catalogue id's first part and a dot
// ("quizsession.taken"); one ending in "." is a prefix joined with a name
// at run time ("cost.reason." + id): some id must start with it.
func TestCLIMessageIDsExist(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	pkgs, _ := filepath.Glob(filepath.Join("..", "internal", "*", "*.go"))
	for _, f := range pkgs {
		if filepath.Base(filepath.Dir(f)) != "ui" {
			files = append(files, f)
		}
	}
	de, en := i18n.Catalog("de"), i18n.Catalog("en")
	prefixes := map[string]bool{}
	for id := range de {
		if p, _, ok := strings.Cut(id, "."); ok && p == strings.ToLower(p) {
			prefixes[p] = true
		}
	}
	var names []string
	for p := range prefixes {
		names = append(names, regexp.QuoteMeta(p))
	}
	idPattern := regexp.MustCompile(`^(` + strings.Join(names, "|") + `)\.[a-z0-9_.]+$`)
	hasPrefix := func(prefix string) bool {
		for id := range de {
			if strings.HasPrefix(id, prefix) {
				return true
			}
		}
		return false
	}
	fset := token.NewFileSet()
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		// strategy's add("fleet.devices", …) names a figure, not a text.
		figureKey := map[*ast.BasicLit]bool{}
		ast.Inspect(file, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && len(call.Args) > 0 {
				if fn, ok := call.Fun.(*ast.Ident); ok && fn.Name == "add" {
					if lit, ok := call.Args[0].(*ast.BasicLit); ok {
						figureKey[lit] = true
					}
				}
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if !idPattern.MatchString(s) || fileName.MatchString(s) || figureKey[lit] {
				return true
			}
			seen++
			switch {
			case strings.HasSuffix(s, ".") || strings.HasSuffix(s, "_"):
				if !hasPrefix(s) {
					t.Errorf("%s: no message id starts with %q", fset.Position(lit.Pos()), s)
				}
			case de[s] == "" || en[s] == "":
				t.Errorf("%s: %q has no German or English text", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if seen < 20 {
		t.Fatalf("found only %d message ids; the scan is broken", seen)
	}
}
