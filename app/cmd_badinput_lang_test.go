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

// assertSaysGerman fails when the error line carries no German marker:
// a German run whose message is the English error text (not from the
// catalogue, so the scan above cannot see it).
func assertSaysGerman(t *testing.T, args []string, errOut string) {
	t.Helper()
	line, _, _ := strings.Cut(errOut[strings.Index(errOut, "error: "):], "\n")
	for _, m := range append(germanMarkers, " gibt es nicht", " ist ", " nicht", "Datei", "Bericht") {
		if strings.Contains(line, m) {
			return
		}
	}
	t.Errorf("--lang de %v: the error is not German: %q", args, line)
}
