package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
)

func newQuizImportForTest(t *testing.T) (*quizImport, *state) {
	t.Helper()
	st := newScreenState(t, fyne.NewSize(800, 600), quiz.Schema)
	q := newQuizImport(st)
	st.win.SetContent(q.buildUI())
	return q, st
}

// waitFor runs the UI loop until cond holds: the import and the drop run
// in the background and report through fyne.Do.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	awaitUI(t, what, 30*time.Second, cond)
}

const brokenGIFT = "::Q1:: Richtig? {T}\n\n::Q2:: Offen {=a ~b\n\n::Q3:: Drei {=x ~y}\n"

func TestQuizImportWithErrorsNeedsConsent(t *testing.T) {
	q, st := newQuizImportForTest(t)
	path := filepath.Join(t.TempDir(), "kaputt.gift")
	if err := os.WriteFile(path, []byte(brokenGIFT), 0o600); err != nil {
		t.Fatal(err)
	}
	q.show(readQuizFile("kaputt.gift", path, strings.NewReader(brokenGIFT)))

	if got := q.summary.Text; !strings.Contains(got, "2 Fragen gültig, 1 Fehler") || !strings.Contains(got, "Einfachauswahl: 1 · Wahr/Falsch: 1") {
		t.Errorf("summary %q", got)
	}
	if got := q.errList.Text; !strings.HasPrefix(got, "Zeile 3, Spalte 14: Frage „Q2“: der hier begonnene Antwortblock wird nicht mit } geschlossen") {
		t.Errorf("errors %q", got)
	}
	if !q.errBox.Visible() || !q.validOnly.Visible() {
		t.Error("errors or the valid-only choice are hidden")
	}
	if !q.importBtn.Disabled() {
		t.Fatal("import possible without consent to drop the broken question")
	}
	test.Tap(q.validOnly)
	if q.importBtn.Disabled() {
		t.Fatal("import still disabled after ticking valid-only")
	}
	test.Tap(q.importBtn)
	waitFor(t, "the import", func() bool { return q.status.Text != "" })
	if !strings.Contains(q.status.Text, "2 Fragen als „kaputt“") {
		t.Fatalf("status %q", q.status.Text)
	}
	bundles, err := quiz.ListBundles(context.Background(), st.db)
	if err != nil || len(bundles) != 1 || bundles[0].Questions != 2 || bundles[0].Source != path {
		t.Fatalf("bank %+v %v", bundles, err)
	}
	if !q.importBtn.Disabled() {
		t.Error("import still enabled after importing")
	}
}

// TestQuizImportErrorsInEnglish: with English chosen, the problems of a
// question file are listed in English (where, which question, what), and
// no German word of the parser's message is left.
func TestQuizImportErrorsInEnglish(t *testing.T) {
	q, st := newQuizImportForTest(t)
	st.settings.Language = "en"
	applyLanguage("en")
	t.Cleanup(func() { applyLanguage("de") })
	bad := brokenGIFT + "\n::Q4:: Gewicht {=%150%a ~b}\n"
	q.show(readQuizFile("kaputt.gift", "kaputt.gift", strings.NewReader(bad)))
	want := "Line 3, column 14: question \"Q2\": the answer block opened here is not closed with }; write \\{ for a literal brace\n" +
		"Line 7, column 18: question \"Q4\": weight %150% is not a percentage between -100 and 100\n" +
		"Line 7, column 1: question \"Q4\": answers: a single-choice question needs at least 2 answers, has 1\n" +
		"Line 7, column 1: question \"Q4\": answers: one answer must have fraction 1 (100 %)"
	if got := q.errList.Text; got != want {
		t.Errorf("errors\n%s\nwant\n%s", got, want)
	}
	if got := q.summary.Text; !strings.Contains(got, "2 questions valid") {
		t.Errorf("summary %q", got)
	}
}

func TestQuizImportDrop(t *testing.T) {
	q, st := newQuizImportForTest(t)
	path := filepath.Join(t.TempDir(), "gut.gift")
	os.WriteFile(path, []byte("::A:: Eins? {T}\n\n::B:: Zwei {=2 =zwei}\n\n::C:: Drei {#3:0.5}\n"), 0o600)
	q.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(path)})
	waitFor(t, "reading the dropped file", func() bool { return q.fileLabel.Text == "gut.gift" && q.summary.Text != "" })
	if !strings.Contains(q.summary.Text, "3 Fragen gelesen, keine Fehler") || q.errBox.Visible() || q.validOnly.Visible() {
		t.Errorf("summary %q", q.summary.Text)
	}
	if q.importBtn.Disabled() {
		t.Fatal("import disabled for a file without errors")
	}
	test.Tap(q.importBtn)
	waitFor(t, "the import", func() bool { return q.status.Text != "" })
	n, _ := quiz.ListBundles(context.Background(), st.db)
	if len(n) != 1 || n[0].Questions != 3 {
		t.Fatalf("bank %+v", n)
	}
}

func TestQuizImportUnknownFormat(t *testing.T) {
	q, _ := newQuizImportForTest(t)
	q.show(readQuizFile("notiz.docx", "notiz.docx", strings.NewReader("x")))
	if !strings.Contains(q.summary.Text, "Das Format von notiz.docx ist unbekannt") || !q.importBtn.Disabled() {
		t.Errorf("summary %q", q.summary.Text)
	}
}

func TestQuizImportSameVersionOtherContent(t *testing.T) {
	q, _ := newQuizImportForTest(t)
	const v1 = "format: kicheck-quiz/1\nid: b\nversion: '1'\ntitle: B\nquestions:\n  - {id: a, type: essay, text: Eins}\n"
	q.show(readQuizFile("b.yaml", "b.yaml", strings.NewReader(v1)))
	test.Tap(q.importBtn)
	waitFor(t, "the first import", func() bool { return q.status.Text != "" })
	q.show(readQuizFile("b.yaml", "b.yaml", strings.NewReader(strings.Replace(v1, "Eins", "Zwei", 1))))
	test.Tap(q.importBtn)
	waitFor(t, "the second import", func() bool { return q.status.Text != "" })
	if !strings.Contains(q.status.Text, "b Version 1 ist schon mit anderem Inhalt in der Fragensammlung") || !strings.Contains(q.status.Text, "die Version in der Datei erhöhen") {
		t.Fatalf("status %q", q.status.Text)
	}
}

func TestQuizImportManyErrorsAreCut(t *testing.T) {
	q, _ := newQuizImportForTest(t)
	var b strings.Builder
	for i := 0; i < 40; i++ {
		b.WriteString("Q {=a\n\n")
	}
	q.show(readQuizFile("viele.gift", "viele.gift", strings.NewReader(b.String())))
	lines := strings.Split(q.errList.Text, "\n")
	if len(lines) != maxShownErrors+1 || lines[maxShownErrors] != "… und 10 weitere Fehler" || !strings.HasPrefix(lines[29], "Zeile 59, Spalte 3:") {
		t.Fatalf("%d lines, last %q, 30th %q", len(lines), lines[len(lines)-1], lines[29])
	}
	if q.validOnly.Visible() || !q.importBtn.Disabled() {
		t.Error("a file without any valid question offers an import")
	}
}

// TestQuizTrainerNamesABrokenOwnQuizInGerman: a municipality's quiz file
// with a problem is left out, and the trainer reads why in German, with
// line, question and field.
func TestQuizTrainerNamesABrokenOwnQuizInGerman(t *testing.T) {
	st := newScreenState(t, fyne.NewSize(1000, 800), quiz.Schema, offers.Schema)
	dir := filepath.Join(st.dataDir, "bundles", "quizzes")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const broken = "format: kicheck-quiz/1\nid: k\nversion: \"1\"\ntitle: K\nquestions:\n  - id: a1\n    type: single\n    text: Wer?\n    answers:\n      - {text: A, fraction: 1}\n"
	if err := os.WriteFile(filepath.Join(dir, "kaputt.yaml"), []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	q := newQuizScreen(st)
	st.win.SetContent(q.buildUI())
	want := "kaputt.yaml:10:7: Frage „a1“: questions[0].answers: eine Einfachauswahl braucht mindestens 2 Antworten, hat aber 1 Die Datei an den genannten Stellen korrigieren"
	if got := q.trainer.status.Text; !strings.Contains(got, want) {
		t.Errorf("status %q, want it to contain %q", got, want)
	}
}
