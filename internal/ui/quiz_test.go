package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/store"
)

func newQuizScreenForTest(t *testing.T) (*quizScreen, fyne.Window) {
	t.Helper()
	st := newScreenState(t, fyne.NewSize(1000, 800), quiz.Schema, offers.Schema)
	q := newQuizScreen(st)
	st.win.SetContent(q.buildUI())
	return q, st.win
}

// typeKeys types keys the way the desktop driver routes them: to the focused
// widget if there is one, else to the canvas (where the quiz listens for
// 1–9 and Enter).
func typeKeys(w fyne.Window, chars string, enter bool) {
	c := w.Canvas()
	if f := c.Focused(); f != nil {
		test.Type(f, chars)
		if enter {
			f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		}
		return
	}
	test.TypeOnCanvas(c, chars)
	if enter {
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
}

func keyboardBundle() (*quiz.Bundle, *quiz.Bundle) {
	b := &quiz.Bundle{ID: "tastatur", Version: "1", Title: "Tastaturtest", Questions: []quiz.Question{
		{ID: "t1", Type: quiz.Single, Text: "Welche ist richtig?", Area: "A1", Level: quiz.Grundlage,
			Answers: []quiz.Answer{{Text: "falsch A", Fraction: 0}, {Text: "richtig", Fraction: 1}, {Text: "falsch B", Fraction: 0}}},
		{ID: "t2", Type: quiz.Multi, Text: "Zwei sind richtig.", Area: "A1", Level: quiz.Grundlage,
			Answers: []quiz.Answer{{Text: "ja 1", Fraction: 0.5}, {Text: "ja 2", Fraction: 0.5}, {Text: "nein", Fraction: -1}}},
		{ID: "t3", Type: quiz.TrueFalse, Text: "Wahr?", Area: "A4", Level: quiz.Grundlage,
			Answers: []quiz.Answer{{Text: quiz.TrueText, Fraction: 1}, {Text: quiz.FalseText, Fraction: 0}}},
		{ID: "t4", Type: quiz.Numerical, Text: "600 ÷ 20?", Area: "A4", Level: quiz.Mittel,
			Numeric: []quiz.NumericAnswer{{Value: 30, Fraction: 1}}},
	}}
	self := &quiz.Bundle{ID: "tastatur-selbst", Version: "1", Title: "Selbst", Questions: []quiz.Question{
		{ID: "s1", Type: quiz.SelfRating, Text: "Ich kann KI erklären.", Area: "A1", Level: quiz.Grundlage,
			Scale: []string{"nein", "eher nein", "teils", "eher ja", "ja"}},
	}}
	return b, self
}

// A participant takes a quiz with the keyboard only: Enter in the
// pseudonym field starts, number keys choose, Enter goes on; the result
// shows the per-area chart and the learning path.
func TestQuizKeyboardOnly(t *testing.T) {
	q, w := newQuizScreenForTest(t)
	b, self := keyboardBundle()
	s, _, err := quizsession.Start(context.Background(), q.st.db, b, self, quizsession.Options{ID: "tast-1", Seed: 1, NoShuffle: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	q.refreshSessions()
	if q.sessionSel.Selected == "" || !strings.Contains(q.sessionSel.Selected, "tast-1") {
		t.Fatalf("open session not offered: %q", q.sessionSel.Selected)
	}

	w.Canvas().Focus(q.pseudonym)
	typeKeys(w, "Falke", true) // Enter in the pseudonym field starts the test
	if q.attempt == nil {
		t.Fatalf("Enter did not start the attempt: %q", q.startStatus.Text)
	}
	if w.Canvas().Focused() != nil {
		t.Fatal("a widget holds the focus; the number keys would not reach the quiz")
	}
	typeKeys(w, "2", false) // single: "richtig"
	saveScreenshot(t, w, "quiz-frage.png")
	if got := q.attempt.choices.Selected; got != "2) richtig" {
		t.Fatalf("key 2 selected %q", got)
	}
	typeKeys(w, "", true)
	typeKeys(w, "123", false) // multi: tick 1, 2 and 3 …
	typeKeys(w, "3", true)    // … untick 3, Enter
	typeKeys(w, "1", true)    // truefalse: 1 = wahr
	if w.Canvas().Focused() != q.attempt.entry {
		t.Fatal("the numeric answer field has no focus")
	}
	typeKeys(w, "30", true) // numerical: typed into the focused field
	typeKeys(w, "5", true)  // self-rating: "ja"
	if q.attempt == nil || !q.attempt.done {
		t.Fatal("the attempt did not finish")
	}

	as, err := quizsession.Attempts(context.Background(), q.st.db, s.ID)
	if err != nil || len(as) != 1 {
		t.Fatal(err, len(as))
	}
	a := as[0]
	if a.Pseudonym != "Falke" || a.Score != 4 || a.MaxScore != 4 {
		t.Errorf("attempt %s: %v of %v", a.Pseudonym, a.Score, a.MaxScore)
	}
	if got := a.Answers[4].Response.Rating; got != 4 {
		t.Errorf("self-rating %d, want 4 (the fifth step)", got)
	}
	text := labelsText(q.resultBox)
	for _, want := range []string{"Ergebnis von Falke", "4 von 4 Punkten (100 %)", "A1 KI verstehen", "Grundlage (Ziel: Grundlage)", "Ihr Lernpfad (Anwender:in)", "Selbsteinschätzung (100 %) passt"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	// A4: truefalse (grundlage) and numerical (mittel) right → Mittel reached.
	if !strings.Contains(text, "A4 Risiken und Halluzinationen") || !strings.Contains(text, "Mittel (Ziel: Mittel)") {
		t.Errorf("A4 row missing:\n%s", text)
	}
	saveScreenshot(t, w, "quiz-result.png")
	// After the attempt the number keys no longer change anything.
	if w.Canvas().OnTypedRune() != nil {
		t.Error("the quiz still listens to the keyboard after finishing")
	}

	// The next person answers everything wrong: the learning path
	// recommends the modules for A1 and A4 in path order.
	q.showStartForm()
	w.Canvas().Focus(q.pseudonym)
	typeKeys(w, "Eule", true)
	typeKeys(w, "1", true)  // falsch A
	typeKeys(w, "3", true)  // nein
	typeKeys(w, "2", true)  // falsch
	typeKeys(w, "99", true) // numerical, wrong
	typeKeys(w, "5", true)  // rates herself at the top
	text = labelsText(q.resultBox)
	for _, want := range []string{"0 von 4 Punkten (0 %)", "unter Grundlage (Ziel: Grundlage)", "liegt deutlich über", "1. KI verstehen: Wie Sprachmodelle arbeiten", "2. Halluzinationen erkennen und Ergebnisse prüfen", "von der Kommune einzutragen"} {
		if !strings.Contains(text, want) {
			t.Errorf("result of Eule lacks %q:\n%s", want, text)
		}
	}
	saveScreenshot(t, w, "quiz-lernpfad.png")
}

// labelsText collects the text of every label below o.
func labelsText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widget.Card:
			b.WriteString(x.Title + "\n")
			if x.Content != nil {
				walk(x.Content)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

// The trainer starts a session from the form, a participant's result from
// another PC is merged, and the statistics show with a small-sample
// warning.
func TestQuizTrainerFlow(t *testing.T) {
	q, w := newQuizScreenForTest(t)
	tr := q.trainer
	for i, o := range tr.quizSel.Options {
		if strings.Contains(o, "(ki-grundlagen ") {
			tr.quizSel.SetSelectedIndex(i)
		}
	}
	tr.perCell.SetText("1")
	tr.seedIn.SetText("77")
	tr.minutes.SetText("abc")
	test.Tap(tr.startBtn)
	if !strings.Contains(tr.status.Text, "ganze Zahl") {
		t.Fatalf("bad minutes accepted: %q", tr.status.Text)
	}
	tr.minutes.SetText("0")
	test.Tap(tr.startBtn)
	if !strings.Contains(tr.status.Text, "Startwert 77") || len(tr.list) != 1 {
		t.Fatalf("status %q, %d sessions", tr.status.Text, len(tr.list))
	}
	if !strings.Contains(tr.status.Text, "Rechtsstand der Fragen: 04.12.2026") {
		t.Errorf("the trainer does not see the Rechtsstand: %q", tr.status.Text)
	}
	id := tr.list[0].ID

	// A result from a laptop: the same session there, answered, exported.
	ctx := context.Background()
	laptop, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName), quiz.Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	s, _ := quizsession.Get(ctx, q.st.db, id)
	s2 := *s
	if err := quizsession.Create(ctx, laptop, &s2); err != nil {
		t.Fatal(err)
	}
	a := &quizsession.Attempt{SessionID: id, Pseudonym: "Kranich", Role: quiz.IT, Started: time.Now(), Finished: time.Now()}
	for _, it := range s.Items {
		a.Answers = append(a.Answers, quizsession.Answer{Position: it.Position, QID: it.Question.ID})
	}
	if err := quizsession.SaveAttempt(ctx, laptop, &s2, a); err != nil {
		t.Fatal(err)
	}
	data, err := quizsession.Export(ctx, laptop, id, "Kranich")
	if err != nil {
		t.Fatal(err)
	}
	tr.mergeData("kranich.json", data)
	if !strings.Contains(tr.status.Text, "Kranich in Sitzung "+id+" übernommen") {
		t.Errorf("merge status %q", tr.status.Text)
	}
	tr.mergeData("kranich.json", data)
	if !strings.Contains(tr.status.Text, "schon übernommen") {
		t.Errorf("second merge status %q", tr.status.Text)
	}
	if !strings.Contains(tr.detail.Text, "1 Teilnehmende: Kranich") {
		t.Errorf("detail %q", tr.detail.Text)
	}
	tr.onStats()
	q.tabs.SelectIndex(1)
	saveScreenshot(t, w, "quiz-schulende.png")
	if text := labelsText(tr.statsBox); !strings.Contains(text, "1 Teilnehmende") || !strings.Contains(text, "kleine Stichprobe") {
		t.Errorf("stats:\n%s", text)
	}
	// Delete the participant (no window dialog in the test: st.win is a
	// test window, so confirm directly).
	tr.partSel.SetSelected("Kranich")
	if _, err := quizsession.DeleteParticipant(ctx, q.st.db, "Kranich", id); err != nil {
		t.Fatal(err)
	}
	tr.refresh()
	if !strings.Contains(tr.detail.Text, "0 Teilnehmende") {
		t.Errorf("after delete: %q", tr.detail.Text)
	}
}

// saveScreenshot writes the window to docs/screenshots/NAME when
// KICHECK_SCREENSHOTS is set (rendered by Fyne's software test driver).
func saveScreenshot(t *testing.T, w fyne.Window, name string) {
	if os.Getenv("KICHECK_SCREENSHOTS") == "" {
		return
	}
	f, err := os.Create(filepath.Join("..", "..", "docs", "screenshots", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// With confidence-based marking, Enter after the answer asks for the
// certainty (keys 1–3), the next Enter goes on; marks follow Moodle's CBM.
func TestQuizKeyboardCBM(t *testing.T) {
	q, w := newQuizScreenForTest(t)
	b, _ := keyboardBundle()
	b.Questions = b.Questions[:1]
	if _, _, err := quizsession.Start(context.Background(), q.st.db, b, nil, quizsession.Options{ID: "cbm-1", Seed: 1, NoShuffle: true, CBM: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	q.refreshSessions()
	w.Canvas().Focus(q.pseudonym)
	typeKeys(w, "Luchs", true)
	typeKeys(w, "2", true) // the right answer, Enter → certainty
	if !q.attempt.certaintyStep || q.attempt.done {
		t.Fatal("Enter did not move to the certainty")
	}
	typeKeys(w, "3", true) // very sure, Enter → finish
	as, err := quizsession.Attempts(context.Background(), q.st.db, "cbm-1")
	if err != nil || len(as) != 1 {
		t.Fatal(err)
	}
	if a := as[0]; a.Answers[0].Certainty != 3 || a.CBMMark == nil || *a.CBMMark != 3 {
		t.Errorf("certainty %d, CBM %v; want 3 and 3", a.Answers[0].Certainty, a.CBMMark)
	}
}

// Who may take part is quizsession.CanTakePart's decision, as in the CLI:
// a session finished after the form listed it refuses the start, and so
// does a pseudonym that took part already (the GUI once checked only the
// pseudonym).
func TestQuizStartRefusesFinishedSessionAndTakenPseudonym(t *testing.T) {
	q, w := newQuizScreenForTest(t)
	b, self := keyboardBundle()
	ctx := context.Background()
	for _, id := range []string{"offen-1", "zu-1"} {
		if _, _, err := quizsession.Start(ctx, q.st.db, b, self, quizsession.Options{ID: id, Seed: 1, NoShuffle: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	q.refreshSessions()
	if len(q.sessionIDs) != 2 {
		t.Fatalf("open sessions offered: %v", q.sessionIDs)
	}
	// The trainer finishes "zu-1" while the form still offers it.
	if err := quizsession.Finish(ctx, q.st.db, "zu-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	q.sessionSel.SetSelectedIndex(indexOf(q.sessionIDs, "zu-1"))
	q.pseudonym.SetText("Falke")
	q.onStart()
	if q.attempt != nil {
		t.Fatal("a finished session started an attempt")
	}
	if got, want := q.startStatus.Text, "Die Sitzung „zu-1“ ist beendet und nimmt keine Teilnahme mehr an. Für weitere Teilnehmende eine neue Sitzung starten."; got != want {
		t.Errorf("finished session:\n got %q\nwant %q", got, want)
	}
	if dir := os.Getenv("KICHECK_PICS"); dir != "" { // a look at the refusal
		if f, err := os.Create(filepath.Join(dir, "quiz-finished-session.png")); err == nil {
			png.Encode(f, w.Canvas().Capture())
			f.Close()
		}
	}

	// A pseudonym that took part already is refused in the open session.
	s, err := quizsession.Get(ctx, q.st.db, "offen-1")
	if err != nil {
		t.Fatal(err)
	}
	a := &quizsession.Attempt{SessionID: s.ID, Pseudonym: "Eule", Role: quiz.Anwender, Started: time.Now(), Finished: time.Now()}
	if err := quizsession.SaveAttempt(ctx, q.st.db, s, a); err != nil {
		t.Fatal(err)
	}
	q.sessionSel.SetSelectedIndex(indexOf(q.sessionIDs, "offen-1"))
	q.pseudonym.SetText("Eule")
	q.onStart()
	if q.attempt != nil || !strings.Contains(q.startStatus.Text, "„Eule“ hat in der Sitzung offen-1 schon teilgenommen") {
		t.Errorf("taken pseudonym: attempt %v, status %q", q.attempt != nil, q.startStatus.Text)
	}
	// An empty pseudonym is refused too.
	q.pseudonym.SetText("  ")
	q.onStart()
	if q.attempt != nil || q.startStatus.Text != "Bitte geben Sie ein Pseudonym ein." {
		t.Errorf("empty pseudonym: %q", q.startStatus.Text)
	}
	// The open session with a new pseudonym starts.
	q.pseudonym.SetText("Dachs")
	q.onStart()
	if q.attempt == nil {
		t.Fatalf("open session, new pseudonym: %q", q.startStatus.Text)
	}
}
