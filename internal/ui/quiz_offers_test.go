package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

const offersTestdata = "../offers/testdata/"

// labelsIn collects the texts of the labels under o.
func labelsIn(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *widget.Card:
			walk(w.Content)
		}
	}
	walk(o)
	return out
}

// The trainer's "Lernangebote": import in the background, coverage with
// gaps per role, an offer chosen with the keyboard, a proposal
// confirmed, a course chosen for a module (which the learning path then
// names), two offers compared.
func TestQuizOffersPanel(t *testing.T) {
	q, w := newQuizScreenForTest(t)
	p := q.offersPart
	q.tabs.SelectIndex(2)
	// One file through the panel (background work, progress via fyne.Do),
	// the rest directly.
	p.importInput(offersTestdata+"akademie.json", false)
	awaitUI(t, "the import to finish", 30*time.Second, func() bool { return strings.Contains(p.status.Text, "4 neu") })
	c := q.content()
	for _, f := range []string{"campus-page1.json", "campus-page2.json", "mooc-verbund.json", "papier.csv"} {
		if _, err := offers.Import(context.Background(), q.st.db, c.Framework, offersTestdata+f, offers.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	p.refresh()
	if len(p.items) != 14 {
		t.Fatalf("%d offers listed", len(p.items))
	}
	cells := strings.Join(labelsIn(p.coverage), "|")
	if strings.Count(cells, "LÜCKE") < 10 || !strings.Contains(cells, "KI-Verordnung für Kommunen") {
		t.Errorf("coverage cells: %s", cells)
	}
	// A URL without the check box is refused and says what to do.
	p.urlIn.SetText("https://example.org/moochub")
	p.onImportURL()
	awaitUI(t, "the refusal", 10*time.Second, func() bool { return strings.Contains(p.status.Text, "nicht importiert") })
	// With the check box the address is fetched (nobody answers on this
	// loopback port); the permission is for that one import only.
	p.urlIn.SetText("http://127.0.0.1:1/moochub")
	p.allowNet.SetChecked(true)
	p.onImportURL()
	if p.allowNet.Checked {
		t.Error("network permission still set after the import")
	}
	awaitUI(t, "the fetch to fail", 30*time.Second, func() bool { return strings.Contains(p.status.Text, "nicht importiert") && !p.urlBtn.Disabled() })

	// Keyboard: focus the list, arrow down to "Einführung in die
	// Künstliche Intelligenz" (second by provider and name), Space selects.
	w.Canvas().Focus(p.list)
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	o := p.offer(p.selected)
	if o == nil || o.Name != "Einführung in die Künstliche Intelligenz" {
		t.Fatalf("selected %+v", o)
	}
	detail := strings.Join(labelsIn(p.detail), "\n")
	if !strings.Contains(detail, "• Begriffe") || strings.Contains(detail, "<") || strings.Contains(detail, "alert") || !strings.Contains(detail, "Vorschlag: A1 KI verstehen") {
		t.Errorf("detail: %s", detail)
	}
	// Confirm the proposal with its button (Tab reaches it; tapping is
	// what Space on the focused button does).
	var confirm *kcButton
	for _, obj := range p.detail.Objects {
		if b, ok := obj.(*fyne.Container); ok {
			for _, x := range b.Objects {
				if hb, ok := x.(*fyne.Container); ok {
					for _, y := range hb.Objects {
						if btn, ok := y.(*kcButton); ok && btn.Text == "Bestätigen" {
							confirm = btn
						}
					}
				}
			}
		}
	}
	if confirm == nil {
		t.Fatal("no confirm button")
	}
	test.Tap(confirm)
	if m := p.offer(o.ID).Mapping("A1"); m == nil || m.Level != quiz.Grundlage || m.Origin != offers.OriginTrainer {
		t.Fatalf("mapping %+v", m)
	}
	if !strings.Contains(strings.Join(labelsIn(p.coverage), "|"), "#"+itoa(o.ID)+" Einführung in die Künstliche") {
		t.Error("coverage does not show the confirmed offer")
	}
	// Choose it for module m01 and see the learning path name it.
	p.moduleSel.SetSelectedIndex(0)
	test.Tap(p.moduleBtn)
	if !strings.Contains(p.moduleInfo.Text, "https://campus.example.org/courses/ki-einfuehrung") {
		t.Errorf("module info %q", p.moduleInfo.Text)
	}
	if m := q.content().Catalogue.Module("m01-ki-verstehen"); len(m.Offers) != 1 || m.Offers[0].URL != "https://campus.example.org/courses/ki-einfuehrung" {
		t.Errorf("catalogue module %+v", m.Offers)
	}
	// A participant below Grundlage in A1 sees the course in the result.
	ev, err := learning.Evaluate(q.content().Framework, q.content().Catalogue, quiz.Anwender,
		[]learning.Outcome{{Type: quiz.Single, Area: "A1", Level: quiz.Grundlage, Fraction: 0}})
	if err != nil {
		t.Fatal(err)
	}
	q.showResult(&quizsession.Result{Pseudonym: "Eule", Evaluation: ev}, q.content())
	if res := labelsText(q.resultBox); !strings.Contains(res, "→ Beispiel-Campus (fiktiv): Einführung in die Künstliche Intelligenz") ||
		!strings.Contains(res, "https://campus.example.org/courses/ki-einfuehrung") {
		t.Errorf("result does not name the course: %s", res)
	}
	// Role filter: Anwender:in has 9 gaps before anything else is confirmed.
	p.roleSel.SetSelectedIndex(1)
	if !strings.HasPrefix(p.gaps.Text, "9 Lücken") {
		t.Errorf("anwender gaps: %s", p.gaps.Text)
	}
	// Compare two offers.
	test.Tap(p.addCmpBtn)
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	test.Tap(p.addCmpBtn)
	if p.compareBtn.Disabled() {
		t.Fatal("compare not enabled with two offers")
	}
	test.Tap(p.compareBtn)
	cmp := strings.Join(labelsIn(p.compareBox), "|")
	if !strings.Contains(cmp, "Kosten") || !strings.Contains(cmp, "Einführung in die Künstliche Intelligenz") {
		t.Errorf("comparison %s", cmp)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
