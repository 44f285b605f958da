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
// or holds nonsense. An unknown flag is not among them: the flag parser's
// texts are English in either language; a command's own usage errors (a
// missing or wrong value, too many arguments) are (badUsageWork).
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
	for _, args := range append(badInputs(t), badUsageWork(t)...) {
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
	for _, m := range append(germanMarkers, " gibt es nicht", " ist ", "nicht", "kein", "Datei", "Bericht", "Aufruf:", " braucht ", "erlaubt sind", " erwartet ", " angeben") {
		if strings.Contains(said, m) {
			return
		}
	}
	t.Errorf("--lang de %v: the error is not German: %q", args, said)
}

// badUsageWork are the usage errors of the work-phase commands (hotspot,
// policy, policyfile, strategy, training, quiz): a missing required flag
// or argument, a wrong value, too many arguments. Each is a message id,
// so it speaks the language asked for.
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
