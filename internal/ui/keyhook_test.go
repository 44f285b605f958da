package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// focusPlainButton moves the focus with Tab until one of Fyne's own
// buttons (not a kcButton) in the topmost dialog has it.
func focusPlainButton(t *testing.T, c fyne.Canvas) *widget.Button {
	t.Helper()
	for i := 0; i < 40; i++ {
		c.FocusNext()
		if b, ok := c.Focused().(*widget.Button); ok {
			return b
		}
	}
	t.Fatalf("Tab never reached a button of the dialog (focus on %T)", c.Focused())
	return nil
}

// Esc closes Fyne's standard dialogs while one of their buttons has the
// focus. Fyne's button alone ignores Esc (checked first, so the test
// fails if that changes and the hook became pointless, and shows what the
// hook fixes); the window's key hook closes the dialog.
func TestEscapeClosesFyneDialogs(t *testing.T) {
	st := newTestState(t)
	w := st.win
	c := w.Canvas()
	confirmed := 0
	cases := []struct {
		name string
		show func()
	}{
		{"ShowConfirm", func() { dialog.ShowConfirm("Löschen?", "Wirklich löschen?", func(ok bool) { confirmed++ }, w) }},
		{"ShowError", func() { dialog.ShowError(errors.New("kaputt"), w) }},
		{"ShowInformation", func() { dialog.ShowInformation("Hinweis", "Gespeichert.", w) }},
		{"ShowCustom", func() { dialog.ShowCustom("Erklärung", "Schließen", widget.NewLabel("Text"), w) }},
		{"FileOpen", func() { dialog.ShowFileOpen(func(fyne.URIReadCloser, error) {}, w) }},
		{"FileSave", func() { dialog.ShowFileSave(func(fyne.URIWriteCloser, error) {}, w) }},
		{"FolderOpen", func() { dialog.ShowFolderOpen(func(fyne.ListableURI, error) {}, w) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.show()
			if c.Overlays().Top() == nil {
				t.Fatal("the dialog did not open")
			}
			b := focusPlainButton(t, c)
			b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if c.Overlays().Top() == nil {
				t.Fatalf("Fyne's own button %q closed the dialog on Esc: the key hook is no longer needed", b.Text)
			}
			if !onEscape(c) {
				t.Error("the key hook did not take Esc")
			}
			if top := c.Overlays().Top(); top != nil {
				t.Errorf("Esc with the focus on %q left the dialog open", b.Text)
				for c.Overlays().Top() != nil {
					c.Overlays().Top().Hide()
				}
			}
		})
	}
	if confirmed != 0 {
		t.Errorf("Esc confirmed a dialog %d times", confirmed)
	}
	// With no dialog open Esc is not used up: it goes on to Fyne.
	if onEscape(c) {
		t.Error("the key hook took Esc with no dialog open")
	}
}

// A test window with a column of buttons taller than the window: Tab to a
// button below the fold scrolls it into view, Tab back to the first
// scrolls back up.
func TestTabScrollsFocusIntoView(t *testing.T) {
	a := newTestApp(t)
	w := a.NewWindow("scroll")
	var btns []*kcButton
	box := container.NewVBox()
	for i := 0; i < 40; i++ {
		b := newKCButton(fmt.Sprintf("Knopf %d", i+1), func() {})
		btns = append(btns, b)
		box.Add(b)
	}
	sc := container.NewVScroll(box)
	w.SetContent(sc)
	w.Resize(fyne.NewSize(300, 300))
	c := w.Canvas()
	last := btns[len(btns)-1]
	for i := 0; i < len(btns); i++ {
		c.FocusNext()
		onTabbed(c)
		assertVisibleIn(t, sc, c.Focused().(fyne.CanvasObject))
	}
	if c.Focused() != fyne.Focusable(last) {
		t.Fatalf("focus on %v, want the last button", c.Focused())
	}
	if sc.Offset.Y <= 0 {
		t.Fatalf("offset %v after Tab to the last button, want scrolled down", sc.Offset)
	}
	// Shift+Tab back to the first button scrolls back to the top.
	for i := 0; i < len(btns)-1; i++ {
		c.FocusPrevious()
		onTabbed(c)
		assertVisibleIn(t, sc, c.Focused().(fyne.CanvasObject))
	}
	if c.Focused() != fyne.Focusable(btns[0]) || sc.Offset.Y != 0 {
		t.Fatalf("after Shift+Tab to the first button: focus %v, offset %v; want the first button at offset 0", c.Focused(), sc.Offset)
	}
	// Without the reveal the scroll stays where it is (what Fyne does).
	c.Focus(last)
	if sc.Offset.Y != 0 {
		t.Fatalf("Fyne scrolled by itself to offset %v: revealFocused may be unneeded", sc.Offset)
	}
}

// assertVisibleIn fails unless obj lies inside the viewport of s.
func assertVisibleIn(t *testing.T, s *container.Scroll, obj fyne.CanvasObject) {
	t.Helper()
	drv := fyne.CurrentApp().Driver()
	op, sp := drv.AbsolutePositionForObject(obj), drv.AbsolutePositionForObject(s)
	if op.Y < sp.Y || op.Y+obj.Size().Height > sp.Y+s.Size().Height {
		name := fmt.Sprintf("%T", obj)
		if f, ok := obj.(fyne.Focusable); ok {
			name = describe(f)
		}
		t.Fatalf("%s at y %.0f…%.0f, outside the viewport y %.0f…%.0f (offset %.0f)",
			name, op.Y, op.Y+obj.Size().Height, sp.Y, sp.Y+s.Size().Height, s.Offset.Y)
	}
}

// Ctrl+1 … (screens) and Alt+1 … (quiz tabs) work while an entry has the
// focus: Fyne hands the shortcut to the entry alone, which drops it
// (checked first); the key hook hands it to the window.
func TestWindowShortcutsFromEntry(t *testing.T) {
	st := newFullTestState(t, "de", 1100, 700)
	c := st.win.Canvas()
	qi := -1
	for i, s := range st.shell.screens {
		if _, ok := s.(*quizScreen); ok {
			qi = i
		}
	}
	if qi < 0 {
		t.Fatal("no quiz screen")
	}
	st.shell.nav.Select(qi)
	q := st.shell.screens[qi].(*quizScreen)
	q.tabs.SelectIndex(1)
	var entry *widget.Entry
	for _, f := range interactive(t, q.tabs.Selected().Content) {
		if e, ok := f.(*widget.Entry); ok {
			entry = e
			break
		}
	}
	if entry == nil {
		t.Fatal("no entry on the trainer tab")
	}
	c.Focus(entry)
	alt1 := windowShortcut(glfw.Key1, glfw.ModAlt)
	entry.TypedShortcut(alt1) // what Fyne does with the focus in an entry
	if q.tabs.SelectedIndex() != 1 {
		t.Fatal("the entry passed Alt+1 on: the hook is no longer needed")
	}
	if !onWindowShortcut(c, alt1) || q.tabs.SelectedIndex() != 0 {
		t.Errorf("Alt+1 from an entry: tab %d, want 0 (Teilnehmen)", q.tabs.SelectedIndex())
	}
	c.Focus(entry)
	if !onWindowShortcut(c, windowShortcut(glfw.Key1, glfw.ModControl)) || st.shell.current != 0 {
		t.Errorf("Ctrl+1 from an entry: screen %d, want 0 (Übersicht)", st.shell.current)
	}
	// With a button focused Fyne delivers the shortcut itself.
	c.Focus(st.shell.screens[0].(*overview).checkBtn)
	if onWindowShortcut(c, windowShortcut(glfw.Key2, glfw.ModControl)) {
		t.Error("the hook took a shortcut that Fyne delivers")
	}
	for _, tc := range []struct {
		key  glfw.Key
		mods glfw.ModifierKey
		want string
	}{
		{glfw.Key0, glfw.ModControl, "CustomDesktop:Control+0"},
		{glfw.Key3, glfw.ModAlt, "CustomDesktop:Alt+3"},
		{glfw.KeyL, glfw.ModControl, "CustomDesktop:Control+L"},
		{glfw.KeyB, glfw.ModControl, "CustomDesktop:Control+B"},
		{glfw.KeyA, glfw.ModControl, ""}, // select all: the entry's
		{glfw.KeyV, glfw.ModControl, ""}, // paste: the entry's
		{glfw.KeyF1, glfw.ModControl, ""},
		{glfw.Key1, glfw.ModControl | glfw.ModShift, ""},
		{glfw.Key1, 0, ""},
	} {
		got := ""
		if sc := windowShortcut(tc.key, tc.mods); sc != nil {
			got = sc.ShortcutName()
		}
		if got != tc.want {
			t.Errorf("windowShortcut(%v, %v) = %q, want %q", tc.key, tc.mods, got, tc.want)
		}
	}
}

// The audit's case: after a check with a long result and an export, Tab
// moved the focus to the dialog's buttons below its visible part and
// nothing on screen changed. Now each Tab scrolls the dialog's body so
// that the focused button is inside it.
func TestTabScrollsCheckDialogToButtons(t *testing.T) {
	st := newTestState(t)
	f := newCheckFlow(st)
	f.build()
	c := st.win.Canvas()
	f.dlg.Show()
	var lines []string
	for i := 1; i <= 40; i++ {
		lines = append(lines, fmt.Sprintf("• Anwendungsfall %d: bereit. Das Modell antwortet flüssig.", i))
	}
	f.verdicts.SetText(strings.Join(lines, "\n"))
	f.sentence.SetText("Dieser Arbeitsplatz ist bereit.")
	f.hasStored = true
	f.showFinished()
	f.setStatus("Exportiert: /home/anna/Dokumente/kicheck-x.json (mit Signatur), lesbar als kicheck-x.pdf.")
	c.Focus(f.exportBtn)
	onTabbed(c) // the focus set in code shows too once Tab is pressed
	for _, b := range []*kcButton{f.exportBtn, f.openBtn, f.closeBtn} {
		if c.Focused() != fyne.Focusable(b) {
			t.Fatalf("focus on %v, want %q", c.Focused(), b.Text)
		}
		onTabbed(c)
		assertVisibleIn(t, f.body, b)
		c.FocusNext()
	}
	if f.body.Offset.Y <= 0 {
		t.Errorf("the dialog's body did not scroll (offset %v); the result is not taller than it?", f.body.Offset)
	}
}

// Enter presses a focused button of Fyne's own dialogs, which react to
// Space only (checked first): the confirmation's answer arrives.
func TestEnterPressesFyneDialogButton(t *testing.T) {
	st := newTestState(t)
	c := st.win.Canvas()
	answers := 0
	dialog.ShowConfirm("Löschen?", "Wirklich löschen?", func(bool) { answers++ }, st.win)
	b := focusPlainButton(t, c)
	b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if answers != 0 || c.Overlays().Top() == nil {
		t.Fatalf("Fyne's button %q took Enter by itself: the hook is no longer needed", b.Text)
	}
	if !onEnter(c) {
		t.Fatal("the hook did not take Enter on a focused dialog button")
	}
	if answers != 1 || c.Overlays().Top() != nil {
		t.Errorf("Enter on %q: %d answers, dialog open %v; want 1 answer and the dialog closed", b.Text, answers, c.Overlays().Top() != nil)
	}
	// Our own buttons take Enter themselves; the hook leaves them alone.
	c.Focus(st.shell.screens[0].(*overview).checkBtn)
	if onEnter(c) {
		t.Error("the hook took Enter on a kcButton")
	}
}

// Enter on the navigation list opens the highlighted screen, as Space
// does (Fyne's list takes Space only; checked first).
func TestEnterOnNavigationList(t *testing.T) {
	st := newTestState(t)
	c := st.win.Canvas()
	c.Focus(st.shell.nav)
	st.shell.nav.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // highlight Hardware
	st.shell.nav.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if st.shell.current != 0 {
		t.Fatal("Fyne's list took Enter by itself: the hook is no longer needed")
	}
	if !onEnter(c) || st.shell.current != 1 {
		t.Errorf("Enter on the highlighted Hardware: screen %d, want 1", st.shell.current)
	}
}
