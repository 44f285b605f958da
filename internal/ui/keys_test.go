package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Enter presses the focused button, like Space: "Arbeitsplatz prüfen" on
// the overview, reached with Tab. The test swaps the button's action for
// a counter so that no full check runs (the check's dialog is tested
// below).
func TestEnterPressesFocusedButton(t *testing.T) {
	st := newTestState(t)
	ov := st.shell.screens[0].(*overview)
	pressed := 0
	ov.checkBtn.OnTapped = func() { pressed++ }
	c := st.win.Canvas()
	for i := 0; i < 20 && c.Focused() != fyne.Focusable(ov.checkBtn); i++ {
		c.FocusNext()
	}
	if c.Focused() != fyne.Focusable(ov.checkBtn) {
		t.Fatalf("Tab never reaches %q", ov.checkBtn.Text)
	}
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace} {
		c.Focused().TypedKey(&fyne.KeyEvent{Name: k})
	}
	if pressed != 3 {
		t.Errorf("Return, Enter and Space pressed the button %d times, want 3", pressed)
	}
	ov.checkBtn.Disable()
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if pressed != 3 {
		t.Error("Enter pressed a disabled button")
	}
}

// Esc closes the check's dialog, with the focus on one of its buttons
// and with no focus at all; Enter on "Schließen" closes it too.
func TestEscapeClosesDialog(t *testing.T) {
	st := newTestState(t)
	f := newCheckFlow(st)
	f.build()
	c := st.win.Canvas()
	open := func() {
		f.dlg.Show()
		if c.Overlays().Top() == nil {
			t.Fatal("the dialog did not open")
		}
	}
	open()
	windowKeyDown(c)(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Overlays().Top() != nil {
		t.Error("Esc with no focus left the dialog open")
	}
	open()
	c.Focus(f.cancelBtn)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Overlays().Top() != nil {
		t.Error("Esc on the focused Abbrechen button left the dialog open")
	}
	open()
	f.running.Hide()
	f.finished.Show()
	c.Focus(f.closeBtn)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.Overlays().Top() != nil {
		t.Error("Enter on Schließen left the dialog open")
	}
	// Esc with no dialog open does nothing (and does not panic).
	windowKeyDown(c)(&fyne.KeyEvent{Name: fyne.KeyEscape})
}

// The quiz's tabs (Teilnehmen, Für Schulende, Lernangebote) take no focus
// in Fyne; Alt+1 … Alt+3 select them, so the trainer part is reachable
// by keyboard.
func TestQuizTabsByKeyboard(t *testing.T) {
	st := newTestState(t)
	var q *quizScreen
	for i, s := range st.shell.screens {
		if qs, ok := s.(*quizScreen); ok {
			q = qs
			st.shell.nav.Select(i)
		}
	}
	if q == nil || q.tabs == nil {
		t.Fatal("no quiz screen with tabs")
	}
	for _, i := range []int{1, 2, 0} {
		sc := &desktop.CustomShortcut{KeyName: fyne.KeyName(rune('1' + i)), Modifier: fyne.KeyModifierAlt}
		st.win.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
		if got := q.tabs.SelectedIndex(); got != i {
			t.Errorf("Alt+%d selected tab %d, want %d", i+1, got, i)
		}
	}
}

// Every button of the GUI is a kcButton, so Enter presses each of them:
// no widget.NewButton in the screens' code (dialogs of Fyne's own keep
// theirs).
func TestEveryButtonTakesEnter(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "widget.NewButton(") || strings.Contains(line, "widget.NewButtonWithIcon(") {
				t.Errorf("%s:%d: widget.NewButton; use newKCButton so that Enter presses it", f, i+1)
			}
		}
	}
}
