package ui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// The Erklärung zur Barrierefreiheit is reachable in the app: Tab to the
// Übersicht's button "Barrierefreiheit", Enter, and its short form shows
// with the date of the last check, the contact placeholder and the
// alternative, in German and English; the date is the one of
// docs/barrierefreiheit.md.
func TestStatementReachableInApp(t *testing.T) {
	doc, err := os.ReadFile("../../docs/barrierefreiheit.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "letzte Prüfung am **4. Dezember 2026**") {
		t.Fatal("docs/barrierefreiheit.md does not give the date of the last check as the app does")
	}
	for lng, want := range map[string][]string{
		"de": {"Erklärung zur Barrierefreiheit (Stand: 4. Dezember 2026)", "Letzte Prüfung: 4. Dezember 2026", "von der Kommune einzutragen", "kicheck --accessible", "Fyne 2.7", "Seite 1"},
		"en": {"Accessibility statement", "Last checked: 4 December 2026", "filled in by the municipality", "kicheck --accessible", "Fyne 2.7", "page 1"},
	} {
		t.Run(lng, func(t *testing.T) {
			st := newFullTestState(t, lng, 1100, 700)
			ov := st.shell.screens[0].(*overview)
			c := st.win.Canvas()
			c.Unfocus()
			for i := 0; i < 20 && c.Focused() != ov.a11yBtn; i++ {
				c.FocusNext()
			}
			if c.Focused() != ov.a11yBtn {
				t.Fatal("Tab never reaches the button Barrierefreiheit")
			}
			c.Focused().TypedKey(enterKey)
			top := c.Overlays().Top()
			if top == nil {
				t.Fatal("Enter on Barrierefreiheit opened nothing")
			}
			var texts []string
			findLabel(t, top, func(s string) bool { texts = append(texts, s); return false })
			all := strings.Join(texts, "\n")
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("the statement lacks %q", w)
				}
			}
			if !onEscape(c) || c.Overlays().Top() != nil {
				t.Error("Esc left the statement open")
			}
		})
	}
}

var enterKey = &fyne.KeyEvent{Name: fyne.KeyReturn}
