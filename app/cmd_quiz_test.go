package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runKicheck(t *testing.T, dataDir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), append([]string{"--data-dir", dataDir, "--lang", "en"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

const moodleDocs = "../internal/quiz/testdata/moodle-docs.gift"
const allTypes = "../internal/quiz/testdata/all-types.yaml"

func TestQuizImportJSON(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runKicheck(t, dir, "quiz", "import", moodleDocs, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var qs []map[string]any
	if err := json.Unmarshal([]byte(out), &qs); err != nil {
		t.Fatal(err)
	}
	if len(qs) != 35 {
		t.Fatalf("%d questions", len(qs))
	}
	first := qs[0]
	for _, k := range []string{"type", "title", "id", "tags", "category", "text", "answers"} {
		if _, ok := first[k]; !ok {
			t.Errorf("question JSON lacks %q: %v", k, first)
		}
	}
	if first["type"] != "single" || len(first["answers"].([]any)) != 3 {
		t.Errorf("first question %v", first)
	}
	num := qs[9]["numeric"].([]any)[0].(map[string]any)
	if num["min"] != 3.141 || num["max"] != 3.142 {
		t.Errorf("range %v", num)
	}
	if _, err := os.Stat(filepath.Join(dir, "kicheck.db")); err == nil {
		t.Error("--json created the database")
	}
}

func TestQuizImportSyntaxErrorChangesNothing(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runKicheck(t, dir, "quiz", "import", allTypes); code != 0 {
		t.Fatalf("import yaml: %s", errOut)
	}
	_, before, _ := runKicheck(t, dir, "quiz", "list", "--json")

	bad := filepath.Join(t.TempDir(), "kaputt.gift")
	os.WriteFile(bad, []byte("::Q1:: Richtig? {T}\n\n::Q2:: Offen {=a ~b\n\n::Q3:: Drei {=x ~y}\n"), 0o600)
	code, out, errOut := runKicheck(t, dir, "quiz", "import", bad)
	if code != 1 || !strings.Contains(errOut, "kaputt.gift:3:14: question \"Q2\": the answer block opened here is not closed") || !strings.Contains(errOut, "hint: ") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	_, after, _ := runKicheck(t, dir, "quiz", "list", "--json")
	if before != after {
		t.Fatalf("bank changed:\n%s\n%s", before, after)
	}
	// --json of a broken file prints nothing either.
	code, out, _ = runKicheck(t, dir, "quiz", "import", bad, "--json")
	if code != 1 || out != "" {
		t.Fatalf("--json with errors: exit %d, %q", code, out)
	}
	// --valid-only imports the two good ones and says what was left out.
	code, out, errOut = runKicheck(t, dir, "quiz", "import", "--valid-only", bad)
	if code != 0 || !strings.Contains(out, "imported 2 questions (Single choice 1, True/false 1) as kaputt") || !strings.Contains(errOut, "warning: 1 problem(s) in") {
		t.Fatalf("valid-only: exit %d\n%s\n%s", code, out, errOut)
	}
	// The same file again changes nothing.
	code, out, _ = runKicheck(t, dir, "quiz", "import", "--valid-only", bad)
	if code != 0 || !strings.Contains(out, "nothing changed") {
		t.Fatalf("second import: %d %s", code, out)
	}
}

func TestQuizImportBadInputMessages(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	cases := []struct {
		name, content, want string
	}{
		{"dup.gift", "// [id:a]\nQ1 {T}\n\n// [id:a]\nQ2 {F}\n", `dup.gift:4:1: question "a": duplicate id "a"`},
		{"empty.gift", "Q {=a ~}\n", `answer 2 is empty`},
		{"type.yaml", "format: kicheck-quiz/1\nid: x\nversion: '1'\ntitle: X\nquestions:\n  - {id: a, type: cloze, text: T}\n", `type.yaml:6:19: question "a": questions[0].type: value must be one of`},
		{"nothing.gift", "// only a comment\n", "no questions found"},
	}
	for _, c := range cases {
		p := filepath.Join(tmp, c.name)
		os.WriteFile(p, []byte(c.content), 0o600)
		code, _, errOut := runKicheck(t, dir, "quiz", "import", p)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", c.name, code, errOut, c.want)
		}
	}
	if code, _, errOut := runKicheck(t, dir, "quiz", "import", filepath.Join(tmp, "x.doc")); code != 2 || !strings.Contains(errOut, "--format") {
		t.Errorf("unknown extension: %d %s", code, errOut)
	}
}

func TestQuizExportFormats(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runKicheck(t, dir, "quiz", "import", allTypes); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runKicheck(t, dir, "quiz", "import", moodleDocs, "--bundle", "moodle"); code != 0 {
		t.Fatal(errOut)
	}
	out := t.TempDir()
	gift := filepath.Join(out, "all.gift")
	if code, _, errOut := runKicheck(t, dir, "quiz", "export", "--format", "gift", "--out", gift); code != 0 {
		t.Fatal(errOut)
	}
	code, js, errOut := runKicheck(t, dir, "quiz", "import", gift, "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var qs []map[string]any
	json.Unmarshal([]byte(js), &qs)
	if len(qs) != 9+35 {
		t.Errorf("exported GIFT has %d questions, want 44", len(qs))
	}
	code, xmlOut, _ := runKicheck(t, dir, "quiz", "export", "--format", "xml", "--bundle", "beispiel")
	if code != 0 || !strings.Contains(xmlOut, `<question type="matching">`) {
		t.Errorf("xml export: %d %.200s", code, xmlOut)
	}
	x := filepath.Join(out, "b.xml")
	os.WriteFile(x, []byte(xmlOut), 0o600)
	if code, js, errOut := runKicheck(t, dir, "quiz", "import", x, "--json"); code != 0 || strings.Count(js, `"type":`) != 9 {
		t.Errorf("xml re-import: %d %s", code, errOut)
	}
	if code, _, errOut := runKicheck(t, dir, "quiz", "export", "--format", "yaml"); code != 2 || !strings.Contains(errOut, "--bundle") {
		t.Errorf("yaml without bundle: %d %s", code, errOut)
	}
	y := filepath.Join(out, "b.yaml")
	if code, _, errOut := runKicheck(t, dir, "quiz", "export", "--format", "yaml", "--bundle", "beispiel", "--out", y); code != 0 {
		t.Fatal(errOut)
	}
	// Re-importing the exported YAML is the same version with the same content.
	if code, o, errOut := runKicheck(t, dir, "quiz", "import", y); code != 0 || !strings.Contains(o, "nothing changed") {
		t.Errorf("yaml re-import: %d %s %s", code, o, errOut)
	}
	code, list, _ := runKicheck(t, dir, "quiz", "list")
	if code != 0 || !strings.Contains(list, "beispiel") || !strings.Contains(list, "moodle") {
		t.Errorf("list: %s", list)
	}
}

func TestQuizSubcommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runKicheck(t, dir, "quiz"); code != 2 || !strings.Contains(errOut, "import") {
		t.Errorf("no subcommand: %d %s", code, errOut)
	}
	if code, out, _ := runKicheck(t, dir, "quiz", "help"); code != 0 || !strings.Contains(out, "export") {
		t.Errorf("help: %d %s", code, out)
	}
	if code, _, _ := runKicheck(t, dir, "quiz", "frobnicate"); code != 2 {
		t.Errorf("unknown subcommand: %d", code)
	}
	if code, out, _ := runKicheck(t, dir, "quiz", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("empty list: %d %q", code, out)
	}
}

func TestQuizImportMessagesInGerman(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "kaputt.gift")
	os.WriteFile(bad, []byte(brokenGIFTForCLI), 0o600)
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "--lang", "de", "quiz", "import", bad}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), `kaputt.gift:3:14: Frage „Q2“: der hier begonnene Antwortblock wird nicht mit } geschlossen`) ||
		!strings.Contains(errb.String(), "hint: die Datei an den genannten Stellen korrigieren") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	out.Reset()
	code = Main(context.Background(), []string{"--data-dir", t.TempDir(), "--lang", "de", "quiz", "import", "--valid-only", bad}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "2 Fragen (Einfachauswahl 1, Wahr/Falsch 1) als kaputt Version") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
}

const brokenGIFTForCLI = "::Q1:: Richtig? {T}\n\n::Q2:: Offen {=a ~b\n\n::Q3:: Drei {=x ~y}\n"

func TestQuizImportSameVersionOtherContent(t *testing.T) {
	dir := t.TempDir()
	y := filepath.Join(t.TempDir(), "b.yaml")
	const v1 = "format: kicheck-quiz/1\nid: b\nversion: '1'\ntitle: B\nquestions:\n  - {id: a, type: essay, text: Eins}\n"
	os.WriteFile(y, []byte(v1), 0o600)
	if code, _, errOut := runKicheck(t, dir, "quiz", "import", y); code != 0 {
		t.Fatal(errOut)
	}
	os.WriteFile(y, []byte(strings.Replace(v1, "Eins", "Zwei", 1)), 0o600)
	code, _, errOut := runKicheck(t, dir, "quiz", "import", y)
	if code != 1 || !strings.Contains(errOut, "error: b version 1 is already in the bank with other content") || !strings.Contains(errOut, "hint: raise the version") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// As the hint says: --version imports the changed file as a new version.
	if code, out, errOut := runKicheck(t, dir, "quiz", "import", y, "--version", "2"); code != 0 || !strings.Contains(out, "as b version 2") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
}
