package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sweepStep is one command of the work phases for the sweep below: its
// arguments, what it reads on stdin, whether it succeeds, and whether its
// standard output quotes bundle content that is German by nature (the
// policy's tool names and conditions, quiz questions, the training
// catalogue's module titles), which an English run shows as it is.
type sweepStep struct {
	args    []string
	stdin   string
	ok      bool
	content bool
	// library: the error's lines quote a library's words about a broken
	// file (the YAML parser's, the JSON schema validator's), which stay
	// English; the hint must be in the language asked for.
	library bool
}

// workSweep is the list of work-phase commands, in an order in which the
// successful ones build on each other on one data folder: quiz (import,
// list, session start/answer/list, stats, result, evidence), hotspot
// (template, import, list, score, show), policy (show, check, render),
// strategy figures, training (offers list and coverage, paths), aiact
// questions; and the failing commands that printed English in a German
// run (issue 18 point 2: an unknown tool or purpose, a session that
// cannot be drawn, an unknown quiz, a question file that is not there).
func workSweep(t *testing.T) []sweepStep {
	dir := t.TempDir()
	gift := filepath.Join(dir, "fragen.gift")
	if err := os.WriteFile(gift, []byte("::Q1:: Ist das richtig? {T}\n\n::Q2:: Welche Farbe hat der Himmel? {=blau ~grün ~rot}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sheet := filepath.Join("..", "internal", "hotspot", "testdata", "buergeramt.csv")
	return []sweepStep{
		{args: []string{"quiz", "import", gift}, ok: true},
		{args: []string{"quiz", "list"}, ok: true},
		{args: []string{"quiz", "session", "start", "--quiz", "ki-grundlagen", "--id", "kurs-1", "--seed", "7", "--draw", "A1/grundlage=1"}, ok: true, content: true}, // the bundle's legal basis
		{args: []string{"quiz", "session", "answer", "kurs-1", "--pseudonym", "Falke", "--role", "it"}, stdin: "1\n3\n3\n3\n", ok: true, content: true},
		{args: []string{"quiz", "session", "list"}, ok: true, content: true}, // the quiz bundle's title
		{args: []string{"quiz", "stats", "kurs-1"}, ok: true, content: true}, // question titles
		{args: []string{"quiz", "result", "Falke"}, ok: true, content: true}, // module titles of the training catalogue
		{args: []string{"quiz", "evidence", "kurs-1"}, ok: true, content: true},
		{args: []string{"hotspot", "template", "--out", filepath.Join(dir, "vorlage")}, ok: true},
		{args: []string{"hotspot", "list"}, ok: true},
		{args: []string{"hotspot", "import", sheet}, ok: true, content: true}, // process names
		{args: []string{"hotspot", "list"}, ok: true, content: true},
		{args: []string{"hotspot", "score"}, ok: true, content: true},
		{args: []string{"hotspot", "show", "ba-01"}, ok: true, content: true},
		{args: []string{"policy", "show"}, ok: true, content: true},                                               // the policy's tool names
		{args: []string{"policy", "check", "--tool", "cloud", "--data-class", "intern"}, ok: true, content: true}, // its conditions
		{args: []string{"policy", "render", "--out", filepath.Join(dir, "richtlinie.odt")}, ok: true},
		{args: []string{"strategy", "figures"}, ok: true},
		{args: []string{"training", "offers", "list"}, ok: true},
		{args: []string{"training", "offers", "coverage"}, ok: true},
		{args: []string{"training", "paths"}, ok: true, content: true}, // module titles
		{args: []string{"aiact", "questions"}, ok: true},

		{args: []string{"policy", "check", "--tool", "chatbot", "--data-class", "intern"}},
		{args: []string{"policy", "check", "--tool", "cloud", "--data-class", "intern", "--purpose", "wahrsagen"}},
		{args: []string{"quiz", "session", "start", "--quiz", "ki-grundlagen", "--id", "zwei worte"}},
		{args: []string{"quiz", "session", "start", "--quiz", "ki-grundlagen", "--draw", "A9/mittel=1"}},
		{args: []string{"quiz", "session", "start", "--quiz", "gibt-es-nicht"}},
		{args: []string{"quiz", "session", "start", "--quiz", "ki-grundlagen", "--id", "kurs-1"}},
		{args: []string{"quiz", "import", filepath.Join(dir, "gibt", "es", "nicht.gift")}},
		{args: []string{"quiz", "session", "start", "--quiz", filepath.Join(dir, "gibt", "es", "nicht.yaml")}},
		{args: []string{"training", "offers", "import", filepath.Join(dir, "gibt", "es", "nicht.json"), filepath.Join(dir, "gibt", "es", "nicht.csv")}},
		{args: []string{"policy", "render", "--out", filepath.Join(dir, "gibt", "es", "nicht", "richtlinie.odt")}},
		{args: []string{"strategy", "render", "--out", filepath.Join(gift, "strategie.odt")}}, // a file where the folder should be
		{args: []string{"quiz", "export", "--out", filepath.Join(gift, "x.gift")}},
		{args: []string{"quiz", "evidence", "kurs-1", "--out", filepath.Join(gift, "nachweis.md")}},
		{args: []string{"training", "export", "--format", "coverage-csv", "--out", filepath.Join(dir, "gibt", "es", "nicht", "x.csv")}},
		{args: []string{"policy", "diff", gift}, library: true},
		{args: []string{"policyfile", "write", "--out", filepath.Join(gift, "policy.yaml")}},
	}
}

// englishWords betray an English text in a German run that is in no
// catalogue (a capability's own English message), so the scan of the
// catalogue's sentences cannot see it.
var englishWords = []string{" is not ", "unknown ", "read question file", "must be", " must not ", "cannot ", "use one of", " not found", "valid: ", " the ", " has no ", "use letters", " already"}

// TestWorkPhaseSpeaksOneLanguage runs every command of workSweep with
// --lang de and --lang en, each language on a fresh data folder: each
// succeeds or fails as it should, and prints no sentence of the other
// language's texts; a German run prints none of englishWords, an English
// run no German marker outside bundle content (and none in its errors).
func TestWorkPhaseSpeaksOneLanguage(t *testing.T) {
	english, german := sentences("en", "de"), sentences("de", "en")
	content := bundleTexts(t)
	for _, lang := range []string{"de", "en"} {
		dir := t.TempDir()
		for _, s := range workSweep(t) {
			var out, errb bytes.Buffer
			code := mainWith(context.Background(), append([]string{"--data-dir", dir, "--lang", lang}, s.args...), strings.NewReader(s.stdin), &out, &errb)
			what := "--lang " + lang + " " + strings.Join(s.args, " ")
			text := out.String() + errb.String()
			if s.ok != (code == 0) || (!s.ok && !strings.Contains(errb.String(), "error: ")) {
				t.Errorf("%s: exit %d, want success %v:\n%s", what, code, s.ok, text)
				continue
			}
			foreign := english
			if lang == "en" {
				foreign = german
			}
			for _, f := range foreign {
				if strings.Contains(text, f) && !(lang == "en" && s.content && strings.Contains(content, f)) {
					t.Errorf("%s prints the other language's %q:\n%s", what, f, text)
				}
			}
			if lang == "de" {
				said := text
				if s.library {
					said = hintLine(errb.String())
				}
				for _, w := range englishWords {
					if strings.Contains(said, w) {
						t.Errorf("%s prints English %q:\n%s", what, w, text)
					}
				}
				if s.library {
					assertSaysGerman(t, s.args, "error: \n"+said)
				} else if !s.ok {
					assertSaysGerman(t, s.args, errb.String())
				}
				continue
			}
			assertNoGerman(t, strings.Join(s.args, " "), errb.String())
			if !s.content {
				assertNoGerman(t, strings.Join(s.args, " "), out.String())
			}
		}
	}
}

// hintLine is the "hint: …" line of an error output ("" when none).
func hintLine(errOut string) string {
	for _, line := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(line, "hint: ") {
			return line
		}
	}
	return ""
}

// bundleTexts is the text of all packaged bundles: content that is German
// by nature, which an English run quotes as it is (a policy's tool names
// are also texts of the German catalogue).
func bundleTexts(t *testing.T) string {
	var b strings.Builder
	err := filepath.WalkDir(filepath.Join("..", "bundles"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		b.Write(data)
		return err
	})
	if err != nil || b.Len() < 10000 {
		t.Fatalf("bundles: %v (%d bytes)", err, b.Len())
	}
	return b.String()
}

// TestEnglishWordsCatchEnglish: the word list finds what it is meant to
// find (the English run's errors of the same commands).
func TestEnglishWordsCatchEnglish(t *testing.T) {
	dir := t.TempDir()
	for _, s := range workSweep(t) {
		var out, errb bytes.Buffer
		mainWith(context.Background(), append([]string{"--data-dir", dir, "--lang", "en"}, s.args...), strings.NewReader(s.stdin), &out, &errb)
		if s.ok {
			continue
		}
		errOut := errb.String()
		found := false
		for _, w := range englishWords {
			found = found || strings.Contains(errOut, w)
		}
		if !found {
			t.Errorf("--lang en %v: no English word in %q", s.args, errOut)
		}
	}
}
