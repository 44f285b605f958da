package ui

import (
	"fmt"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// allTestSchemas are every capability's database parts, as the app opens
// the database (app/schemas.go): every screen works, none shows an error.
var allTestSchemas = append([]store.Schema{quiz.Schema, report.Schema, offers.Schema, hotspot.Schema, hotspot.TrialSchema, load.Schema}, cloudrun.Schemas...)

// newFullTestState is newTestState with the whole database, in language
// lng, with the window of size w×h.
func newFullTestState(t *testing.T, lng string, w, h float32) *state {
	t.Helper()
	a := newTestApp(t)
	dir := t.TempDir()
	loc, err := settings.Locate(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := &state{app: a, loc: loc, settings: settings.Defaults(), dataDir: dir}
	st.settings.Language = lng
	st.db, st.dbErr = store.Open(t.Context(), filepath.Join(dir, store.FileName), allTestSchemas...)
	if st.dbErr != nil {
		t.Fatal(st.dbErr)
	}
	t.Cleanup(func() { st.db.Close() })
	stopBackgroundAtEnd(t, st)
	applyLanguage(lng)
	t.Cleanup(func() { applyLanguage("de") })
	st.win = a.NewWindow("test")
	st.win.Resize(fyne.NewSize(w, h))
	newShell(st).show()
	awaitIdle(t, st, "the Übersicht")
	return st
}

// interactive lists the widgets under o that a user operates: focusable,
// shown (with every ancestor) and not disabled, the ones Tab must reach.
func interactive(t *testing.T, o fyne.CanvasObject) []fyne.Focusable {
	var out []fyne.Focusable
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if f, ok := o.(fyne.Focusable); ok {
			if d, ok := o.(fyne.Disableable); !ok || !d.Disabled() {
				out = append(out, f)
			}
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.TempWidgetRenderer(t, w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// describe names a focusable widget for a failure message.
func describe(f fyne.Focusable) string {
	switch w := f.(type) {
	case *kcButton:
		return fmt.Sprintf("button %q", w.Text)
	case *widget.Button:
		return fmt.Sprintf("button %q", w.Text)
	case *widget.Entry:
		return fmt.Sprintf("entry (placeholder %q, text %q)", w.PlaceHolder, w.Text)
	case *widget.Select:
		return fmt.Sprintf("select %q", w.Selected)
	case *widget.Check:
		return fmt.Sprintf("check box %q", w.Text)
	case *widget.Hyperlink:
		return fmt.Sprintf("link %q", w.Text)
	}
	return fmt.Sprintf("%T", f)
}

// tabWalk presses Tab from the start of the window until the focus comes
// round again, scrolling the focus into view as the window's key hook
// does, and returns what got the focus. A focused widget in the screen's
// scroll container must then lie inside its viewport.
func tabWalk(t *testing.T, c fyne.Canvas, want int, screen string) map[fyne.Focusable]bool {
	t.Helper()
	seen := map[fyne.Focusable]bool{}
	c.Unfocus()
	for i := 0; i < 2*want+40; i++ {
		c.FocusNext()
		f := c.Focused()
		if f == nil {
			break
		}
		if seen[f] {
			break // round once
		}
		seen[f] = true
		onTabbed(c)
		if obj, ok := f.(fyne.CanvasObject); ok {
			drv := fyne.CurrentApp().Driver()
			p, s := drv.AbsolutePositionForObject(obj), c.Size()
			if p.Y+obj.Size().Height > s.Height+1 || p.Y < -1 {
				t.Errorf("%s: Tab to %s left it outside the window (y %.0f…%.0f, window height %.0f)",
					screen, describe(f), p.Y, p.Y+obj.Size().Height, s.Height)
			}
		}
	}
	return seen
}

// Every screen of the navigation (shell.go), each tab of the quiz
// included, walked with Tab alone: every button, entry, choice and list
// that is shown and enabled gets the focus, and once focused it is on
// screen (scrolled into view). The window is small (1100×500, the overview's width at 1024 px and less height) so that
// screens need scrolling.
func TestTabReachesEveryWidgetOnEveryScreen(t *testing.T) {
	for _, lng := range []string{"de", "en"} {
		t.Run(lng, func(t *testing.T) {
			st := newFullTestState(t, lng, 1100, 500)
			c := st.win.Canvas()
			for i, title := range st.shell.screenTitles() {
				st.shell.nav.Select(i)
				// Let the screen's background loading land.
				awaitIdle(t, st, "the screen "+title)
				views := []string{title}
				var tabs *container.AppTabs
				if q, ok := st.shell.screens[i].(*quizScreen); ok && q.tabs != nil {
					tabs = q.tabs
					views = nil
					for _, it := range tabs.Items {
						views = append(views, title+" › "+it.Text)
					}
				}
				if n := len(c.Overlays().List()); n > 0 {
					t.Fatalf("%s: %d dialogs open (an error?) before the walk", title, n)
				}
				for v, name := range views {
					if tabs != nil {
						tabs.SelectIndex(v)
					}
					all := interactive(t, st.win.Content())
					if len(all) < 2 {
						t.Errorf("%s: only %d interactive widgets found; the walk is broken", name, len(all))
					}
					seen := tabWalk(t, c, len(all), name)
					missed := 0
					for _, f := range all {
						if !seen[f] {
							missed++
							t.Errorf("%s: Tab never reaches %s", name, describe(f))
						}
					}
					t.Logf("%s: %d interactive widgets, %d reached by Tab", name, len(all), len(all)-missed)
				}
			}
		})
	}
}
