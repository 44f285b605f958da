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
// or holds nonsense. Usage errors (a wrong flag) are not among them: the
// flag parser's texts are English in either language.
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
	for _, args := range badInputs(t) {
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
	for _, m := range append(germanMarkers, " gibt es nicht", " ist ", "nicht", "kein", "Datei", "Bericht") {
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
