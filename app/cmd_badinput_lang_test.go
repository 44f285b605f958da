package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// badInputs are commands that fail on bad input: an unknown run, session,
// participant or quiz, an empty question bank, a file that is not there
// or holds nonsense. Usage errors are in their own lists
// (badUsageMeasure, badUsageWork); the flag parser's own texts (an
// unknown flag) are English in either language and are in none.
func badInputs(t *testing.T) [][]string {
	dir := t.TempDir()
	junk := filepath.Join(dir, "kaputt.json")
	if err := os.WriteFile(junk, []byte("{ kein json"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "fehlt.json")
	sheet := filepath.Join(dir, "prozesse.csv")
	if err := os.WriteFile(sheet, []byte("x;y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "kaputt.yaml")
	if err := os.WriteFile(broken, []byte("{\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return [][]string{
		{"bench", "--show", "99"},
		{"bench", "compare", "98", "99"},
		{"compare", "--local", "98", "--cloud", "99"},
		{"quiz", "export"},
		{"quiz", "export", "--bundle", "gibt-es-nicht", "--version", "9"},
		{"quiz", "session", "answer", "nirgends", "--pseudonym", "Falke"},
		{"quiz", "session", "finish", "nirgends"},
		{"quiz", "session", "export", "nirgends", "Falke"},
		{"quiz", "result", "Niemand"},
		{"quiz", "stats", "nirgends"},
		{"quiz", "evidence", "nirgends"},
		{"quiz", "delete-participant", "Niemand"},
		{"quiz", "merge", junk},
		{"verify", missing},
		{"cost", "--local", "98", "--cloud", "99"},
		{"runtimes", "--endpoint", "ftp://ki.example"},
		{"hotspot", "show", "gibt-es-nicht"},
		{"hotspot", "import", sheet},
		{"training", "offers", "import", broken},
		{"quiz", "import", broken},
		{"cloud", "show"},
	}
}

// sentences are the fixed parts (between template fields) of a
// language's texts that are longer than 20 characters and do not occur in
// the other language's texts (commands, paths and names stay the same in
// both).
func sentences(lang, other string) []string {
	field := regexp.MustCompile(`\{\{[^}]*\}\}`)
	var others []string
	for _, v := range i18n.Catalog(other) {
		others = append(others, v)
	}
	all := strings.Join(others, "\n")
	seen := map[string]bool{}
	var out []string
	for _, v := range i18n.Catalog(lang) {
		for _, part := range field.Split(v, -1) {
			part = strings.TrimSpace(part)
			if len(part) <= 20 || seen[part] || strings.Contains(all, part) || strings.Count(part, " ") < 2 {
				continue
			}
			seen[part] = true
			out = append(out, part)
		}
	}
	sort.Strings(out)
	return out
}

// TestBadInputSpeaksOneLanguage runs every command of badInputs with
// --lang de and --lang en: each fails, says so in the language asked
// for, and prints no sentence of the other language's texts.
func TestBadInputSpeaksOneLanguage(t *testing.T) {
	english, german := sentences("en", "de"), sentences("de", "en")
	if len(english) < 100 || len(german) < 100 {
		t.Fatalf("only %d English and %d German sentences: the scan is broken", len(english), len(german))
	}
	for _, args := range append(append(append(badInputs(t), badInputsMeasure(t)...), badUsageWork(t)...), badDetailsMeasure(t)...) {
		for _, lang := range []string{"de", "en"} {
			dir := t.TempDir()
			out, errOut, code := kicheck(t, append([]string{"--data-dir", dir, "--lang", lang}, args...)...)
			text := out + errOut
			if code == 0 || !strings.Contains(errOut, "error: ") {
				t.Errorf("--lang %s %v: exit %d, no error:\n%s", lang, args, code, text)
				continue
			}
			foreign := english
			if lang == "en" {
				foreign = german
			}
			for _, s := range foreign {
				if strings.Contains(text, s) {
					t.Errorf("--lang %s %v prints the other language's %q:\n%s", lang, args, s, text)
				}
			}
			if lang == "de" {
				assertSaysGerman(t, args, errOut)
			} else {
				assertNoGerman(t, strings.Join(args, " "), text)
			}
		}
	}
}

// assertSaysGerman fails when neither the error line nor its hint carries
// a German marker: a German run whose message is an English text that is
// not in the catalogue, so the scan above cannot see it. (A library's
// words, such as a YAML parser's, may stand in the error line when the
// hint says in German what to do.)
func assertSaysGerman(t *testing.T, args []string, errOut string) {
	t.Helper()
	lines := strings.SplitN(errOut[strings.Index(errOut, "error: "):], "\n", 3)
	said := strings.Join(lines[:min(2, len(lines))], "\n")
	for _, m := range append(germanMarkers, " gibt es nicht", " ist ", "nicht", "kein", "Datei", "DATEI", "Bericht", "Aufruf:", " braucht ", "erlaubt sind", " erwartet ", " angeben") {
		if strings.Contains(said, m) {
			return
		}
	}
	t.Errorf("--lang de %v: the error is not German: %q", args, said)
}

// badQuestionFile is a question file with problems and what
// `kicheck quiz import` says about it per language: every problem with
// file:line:col (or its question element in Moodle XML), the question and
// the message.
type badQuestionFile struct {
	name, content string
	want          map[string][]string // lang → lines after the file name
}

func badQuestionFiles() []badQuestionFile {
	return []badQuestionFile{
		{"kaputt.gift", "::Q1:: Richtig? {T}\n\n::Q2:: Offen {=a ~b\n\n// [id:q3]\n::Q3:: Gewicht {=%150%a ~b ~c}\n", map[string][]string{
			"de": {
				`:3:14: Frage „Q2“: der hier begonnene Antwortblock wird nicht mit } geschlossen; eine Klammer als Text wird als \{ geschrieben`,
				`:6:18: Frage „q3“: die Gewichtung %150% ist kein Prozentsatz zwischen -100 und 100`,
				`hint: die Datei an den genannten Stellen korrigieren (die Formate beschreibt docs/quiz-format.md) oder nur die gültigen Fragen mit --valid-only importieren`,
			},
			"en": {
				`:3:14: question "Q2": the answer block opened here is not closed with }; write \{ for a literal brace`,
				`:6:18: question "q3": weight %150% is not a percentage between -100 and 100`,
				`hint: fix the file at the named lines (docs/quiz-format.md describes the formats), or import only the valid questions with --valid-only`,
			},
		}},
		{"kaputt.yaml", "format: kicheck-quiz/1\nid: k\nversion: \"1\"\ntitle: K\nquestions:\n  - id: a1\n    type: single\n    text: Wer?\n    answers:\n      - {text: A, fraction: 1}\n", map[string][]string{
			"de": {`:10:7: Frage „a1“: questions[0].answers: eine Einfachauswahl braucht mindestens 2 Antworten, hat aber 1`},
			"en": {`:10:7: question "a1": questions[0].answers: a single-choice question needs at least 2 answers, has 1`},
		}},
		{"kaputt.xml", `<?xml version="1.0"?><quiz><question type="cloze"><name><text>Luecke</text></name><questiontext><text>x</text></questiontext></question></quiz>`, map[string][]string{
			"de": {`: Frage „Luecke“: question[1]: der Fragetyp „cloze“ wird nicht unterstützt; KI-Check liest multichoice, truefalse, shortanswer, numerical, matching, essay und description`},
			"en": {`: question "Luecke": question[1]: question type "cloze" is not supported; KI-Check reads multichoice, truefalse, shortanswer, numerical, matching, essay and description`},
		}},
		{"leer.yaml", "", map[string][]string{
			"de": {`:1:1: die Datei ist leer (kein YAML-Dokument)`},
			"en": {`:1:1: the file is empty (no YAML document)`},
		}},
	}
}

// TestBadQuestionFileSpeaksOneLanguage imports question files with
// problems with --lang de and --lang en: each is refused, names where
// each problem is, the question and what is wrong in the language asked
// for, and prints no sentence of the other language.
func TestBadQuestionFileSpeaksOneLanguage(t *testing.T) {
	english, german := sentences("en", "de"), sentences("de", "en")
	dir := t.TempDir()
	for _, f := range badQuestionFiles() {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, []byte(f.content), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"de", "en"} {
			_, errOut, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", lang, "quiz", "import", path)
			if code == 0 || !strings.HasPrefix(errOut, "error: "+path) {
				t.Errorf("--lang %s %s: exit %d:\n%s", lang, f.name, code, errOut)
				continue
			}
			for _, w := range f.want[lang] {
				if !strings.HasPrefix(w, "hint: ") {
					w = path + w
				}
				if !strings.Contains(errOut, w+"\n") {
					t.Errorf("--lang %s %s: no line %q in:\n%s", lang, f.name, w, errOut)
				}
			}
			foreign := english
			if lang == "en" {
				foreign = german
			}
			for _, s := range foreign {
				if strings.Contains(errOut, s) {
					t.Errorf("--lang %s %s prints the other language's %q:\n%s", lang, f.name, s, errOut)
				}
			}
			if lang == "en" {
				assertNoGerman(t, "quiz import "+f.name, errOut)
			}
		}
	}
}

// badUsageMeasure are usage errors (exit 2) of the measuring and IT
// commands: a missing required flag, a wrong value, an argument too many.
// Each must speak the language asked for, like the errors of badInputs.
func badUsageMeasure(t *testing.T) [][]string {
	return [][]string{
		{"bench", "extra"},
		{"bench", "--protocol", "telnet"},
		{"bench", "--repeat", "0"},
		{"bench", "--warmup", "11"},
		{"bench", "--endpoint", "http://127.0.0.1:1"},
		{"bench", "compare", "1"},
		{"bench", "compare", "1", "x"},
		{"bench", "bundles", "extra"},
		{"bench", "--cloud"},
		{"bench", "--endpoint", "https://ki.example/v1", "--preset", "gibt-es-nicht"},
		{"bench", "--endpoint", "https://ki.example/v1", "--model", "m", "--data-class", "geheim"},
		{"cloud", "show", "extra"},
		{"cloud", "set"},
		{"check", "extra"},
		{"check", "--timeout", "0s"},
		{"check", "--upload", "ftp://sammelstelle.example"},
		{"collect", "bericht.json"},
		{"collect", "--db", "zentral.db"},
		{"collect", "--db", "zentral.db", "--enroll", "--allowed-signers", "as", "x"},
		{"collect", "--db", "zentral.db", "--aggregates", "x"},
		{"collect", "--db", "zentral.db", "--db-max-conns", "0", "x"},
		{"serve", "--token-file", "tokens"},
		{"serve", "--db", "zentral.db"},
		{"serve", "--db", "zentral.db", "--token-file", "tokens", "--tls-cert", "c.pem"},
		{"serve", "--db", "zentral.db", "--token-file", "tokens", "--rate", "0"},
		{"serve", "--db", "zentral.db", "--token-file", "tokens", "--enroll-limit", "-2"},
		{"serve", "extra"},
		{"verify"},
		{"verify", "a.json", "b.json"},
		{"key"},
		{"key", "drehen"},
		{"key", "show", "extra"},
		{"fleet"},
		{"fleet", "extra"},
		{"fleet", "--db", "zentral.db", "--stale-days", "0"},
		{"fleet", "--db", "land.db", "--by-municipality", "--csv", "x.csv"},
		{"compare", "--local", "1"},
		{"compare", "--local", "1", "--cloud", "2", "extra"},
		{"cost", "extra"},
		{"cost", "--local", "1"},
		{"cost", "--server-eur", "9000"},
		{"cost", "--fleet-db", "postgres://kicheck@db.example/fleet"},
		{"cost", "--fleet-db", "gibt-es-nicht.db"},
		{"hardware", "extra"},
		{"hardware", "--timeout", "0s"},
		{"probe", "extra"},
		{"models", "extra"},
		{"models", "--usecase", "gibt-es-nicht"},
		{"runtimes", "extra"},
		{"runtimes", "--only-endpoint"},
		{"load", "extra"},
		{"load", "--compare-runs", "3,x"},
		{"load", "--compare-runs", "3"},
		{"load", "--compare", "--endpoint", "ftp://ki.example", "--model", "m"},
		{"load", "--mix", "kaputt", "--model", "m"},
		{"loadprofile", "extra"},
		{"loadprofile", "--quant", "Q3_X"},
		{"loadprofile", "--model", "llama3.1-8b", "--layers", "2"},
		{"loadprofile"},
		{"loadprofile", "--layers", "0", "--hidden", "8", "--heads", "2", "--ffn", "16"},
		{"aiact"},
		{"aiact", "einstufen"},
		{"aiact", "questions", "extra"},
		{"aiact", "classify"},
		{"accessible", "extra"},
		{"info", "extra"},
		{"version", "extra"},
	}
}

// TestBadUsageSpeaksOneLanguage runs every usage error of
// badUsageMeasure with --lang de and --lang en: each is a usage error
// (exit 2) in the language asked for, with no sentence of the other one.
func TestBadUsageSpeaksOneLanguage(t *testing.T) {
	english, german := sentences("en", "de"), sentences("de", "en")
	for _, args := range badUsageMeasure(t) {
		for _, lang := range []string{"de", "en"} {
			_, errOut, code := kicheck(t, append([]string{"--data-dir", t.TempDir(), "--lang", lang}, args...)...)
			if code != exitUsage || !strings.Contains(errOut, "error: ") {
				t.Errorf("--lang %s %v: exit %d, want a usage error (%d):\n%s", lang, args, code, exitUsage, errOut)
				continue
			}
			foreign := english
			if lang == "en" {
				foreign = german
			}
			for _, s := range foreign {
				if strings.Contains(errOut, s) {
					t.Errorf("--lang %s %v prints the other language's %q:\n%s", lang, args, s, errOut)
				}
			}
			if lang == "de" {
				assertSaysGerman(t, args, errOut)
			} else {
				assertNoGerman(t, strings.Join(args, " "), errOut)
			}
		}
	}
}

// badInputsMeasure are the bad inputs of the measuring and IT commands
// (not usage errors): a file or database that is not there, a stored run
// that is missing or of another kind, a model the catalogue lacks.
func badInputsMeasure(t *testing.T) [][]string {
	dir := t.TempDir()
	missing := filepath.Join(dir, "fehlt")
	central := filepath.Join(dir, "zentral.db") // there (fleet checks the name and AGS before it opens it)
	if err := os.WriteFile(central, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return [][]string{
		{"fleet", "--db", missing + ".db"},
		{"fleet", "--db", missing + ".db", "--by-municipality"},
		{"load", "--compare-runs", "3,5"},
		{"cost", "--load-run", "7"},
		{"check", "--policy", missing + ".yaml", "--out", dir},
		{"serve", "--db", filepath.Join(dir, "c.db"), "--token-file", missing},
		{"collect", "--db", filepath.Join(dir, "c.db"), "--allowed-signers", missing, dir},
		{"verify", "--allowed-signers", missing, missing + ".json"},
		{"loadprofile", "--model", "gibt-es-nicht"},
		{"bench", "--model", "m", "--bundle", "gibt-es-nicht"},
		{"load", "--model", "m", "--bundle", "gibt-es-nicht"},
		{"fleet", "--db", central, "--kommune", "", "--ags", "1", "--export-aggregate", filepath.Join(dir, "a.json")},
		{"runtimes", "--only-endpoint", "--endpoint", "http://127.0.0.1:1"},
	}
}

// badUsageWork are the usage errors of the work-phase commands (hotspot,
// policy, policyfile, strategy, training, quiz): a missing required flag
// or argument, a wrong value, too many arguments; and the few bad inputs
// of these commands that badInputs does not have (marked). Each is a
// message id, so it speaks the language asked for.
func badUsageWork(t *testing.T) [][]string {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.odt")
	sheet := filepath.Join(dir, "prozesse.csv")
	if err := os.WriteFile(sheet, []byte("x;y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "fragen.doc")
	if err := os.WriteFile(doc, []byte("::Q1:: Frage {=a ~b}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return [][]string{
		{"hotspot", "template", "zuviel"},
		{"hotspot", "template", "--out", filepath.Join(sheet, "ordner")}, // not a usage error: a folder that cannot be made
		{"hotspot", "import"},
		{"hotspot", "import", sheet, "--prefer", "andere.csv"},
		{"hotspot", "list", "zuviel"},
		{"hotspot", "score", "--land", "XX"},
		{"hotspot", "show"},
		{"hotspot", "export", "--format", "doc"},
		{"hotspot", "export"}, // not a usage error: nothing stored to export
		{"hotspot", "trial"},
		{"hotspot", "trial", "so-01"},
		{"policy", "show", "zuviel"},
		{"policy", "check"},
		{"policy", "check", "--tool", "cloud", "--data-class", "geheim"},
		{"policy", "check", "--tool", "cloud", "--data-class", "intern", "--role", "chef"},
		{"policy", "render"},
		{"policy", "render", "--out", out, "--variant", "erlass"},
		{"policy", "render", "--out", out, "--format", "doc"},
		{"policy", "diff", "a.yaml", "b.yaml", "c.yaml"},
		{"policy", "diff", filepath.Join(dir, "fehlt.yaml")}, // not a usage error: a file that is not there
		{"policy"},
		{"policyfile", "write", "--out", filepath.Join(dir, "policy.yaml"), "--include-hostname", "vielleicht"},
		{"policyfile", "write", "zuviel"},
		{"strategy", "render"},
		{"strategy", "render", "--out", out, "--format", "doc"},
		{"strategy", "figures", "zuviel"},
		{"training", "offers", "import"},
		{"training", "offers", "list", "zuviel"},
		{"training", "offers", "show"},
		{"training", "offers", "show", "abc"},
		{"training", "offers", "assign"},
		{"training", "offers", "assign", "1"},
		{"training", "offers", "coverage", "--json", "--csv"},
		{"training", "offers", "coverage", "--role", "chef"},
		{"training", "offers", "compare", "1"},
		{"training", "paths", "--role", "chef"},
		{"training", "export"},
		{"training", "export", "--out", "-", "--format", "pdf"},
		{"quiz", "import"},
		{"quiz", "import", doc},
		{"quiz", "import", "--format", "doc", doc},
		{"quiz", "export", "zuviel"},
		{"quiz", "export", "--version", "2"},
		{"quiz", "export", "--format", "doc"},
		{"quiz", "list", "zuviel"},
		{"quiz", "evidence"},
		{"quiz", "merge"},
		{"quiz", "merge", filepath.Join(dir, "fehlt.json")}, // not a usage error: a file that is not there
		{"quiz", "delete-participant"},
		{"quiz", "result"},
		{"quiz", "stats"},
		{"quiz", "session", "export", "kurs-1"},
		{"quiz", "session", "finish"},
		{"quiz", "session", "list", "zuviel"},
		{"quiz", "session", "answer", "kurs-1"},
		{"quiz", "session", "answer", "kurs-1", "--pseudonym", "Falke", "--role", "chef"},
		{"quiz", "session", "start"},
		{"quiz", "session", "start", "--quiz", "ki-grundlagen", "zuviel"},
		{"quiz", "session", "start", "--quiz", "ki-grundlagen", "--draw", "A1/experte=2"},
	}
}

// badDetailsMeasure are bad inputs of the measuring and IT commands whose
// detail (a flag value, a fact, a mix entry, a connection) came from a
// capability package as an English text inside the German sentence; each
// is now a message id, so the scan of TestBadInputSpeaksOneLanguage sees
// an English detail in German output.
func badDetailsMeasure(t *testing.T) [][]string {
	dir := t.TempDir()
	signers := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(signers, []byte("15002000 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEWSAF5mcRmkVR9R/4qpYoeCoFUp4XVUyZQ9kFaxYb0S\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "land.json")
	if err := os.WriteFile(junk, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	return [][]string{
		{"collect", "--aggregates", "--db", filepath.Join(dir, "land.db"), "--allowed-signers", signers, junk},
		{"fleet", "--db", filepath.Join(dir, "zentral.db"), "--kommune", "Halle (Saale)", "--ags", "1", "--export-aggregate", filepath.Join(dir, "a.json")},
		{"cost", "--users", "viele"},
		{"cost", "--price-date", "2025"},
		{"cost", "--verdict", "gut"},
		{"cost", "--avv=vielleicht"},
		{"cost", "--server-date", "morgen"},
		{"aiact", "classify", "--answer", "x"},
		{"aiact", "classify", "--answer", "gibt-es-nicht=ja"},
		{"aiact", "classify", "--area", "gibt-es-nicht", "--effect", "entscheidet"},
		{"aiact", "classify", "--data-class", "geheim", "--practice", "keine"},
		{"aiact", "classify", "--profiling=vielleicht", "--practice", "keine"},
		{"load", "--mix", "antwort-entwerfen=-1", "--model", "m"},
		{"runtimes", "--only-endpoint", "--endpoint", "http://127.0.0.1:1"},
		{"bench", "--endpoint", "http://127.0.0.1:1", "--model", "m"},
		{"loadprofile", "--quant", "Q3_X"},
		{"loadprofile", "--layers", "1", "--hidden", "8", "--heads", "3", "--ffn", "16"},
		{"loadprofile", "--layers", "1", "--hidden", "8", "--heads", "2", "--ffn", "16", "--vocab", "3"},
	}
}
