package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/theme"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// testSchemas are the database parts of the screens under test.
var testSchemas = append([]store.Schema{report.Schema, offers.Schema, hotspot.Schema, hotspot.TrialSchema, load.Schema}, cloudrun.Schemas...) // includes bench.Schema

// newTestState builds what Run builds, on Fyne's test driver with the UI
// loop (uiloop_test.go), with the data in a temp dir and a real database.
// When the test ends, the screens' background work is cancelled and
// waited for before the database closes.
func newTestState(t *testing.T) *state {
	t.Helper()
	st := newScreenState(t, fyne.NewSize(1024, 720), testSchemas...)
	loc, err := settings.Locate(st.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	st.loc, st.settings = loc, settings.Defaults()
	applyLanguage(st.settings.Language)
	newShell(st).show()
	currentShell = st.shell
	// The overview looks the host up in the background: let its result
	// land, so every test starts from a settled window.
	awaitIdle(t, st, "the screens to settle")
	return st
}

func TestShellIsGermanByDefault(t *testing.T) {
	st := newTestState(t)
	titles := st.shell.screenTitles()
	if titles[0] != "Übersicht" || titles[len(titles)-1] != "Einstellungen" {
		t.Fatalf("navigation = %v, want Übersicht first and Einstellungen last", titles)
	}
	if !hasText(t, st.win.Content(), "Ist dieser Arbeitsplatz bereit für KI?") {
		t.Fatal("the overview's German heading is not shown")
	}
}

func TestNavigationReachesEveryScreen(t *testing.T) {
	st := newTestState(t)
	for i, title := range st.shell.screenTitles() {
		st.shell.nav.Select(i)
		if st.shell.current != i || len(st.shell.content.Objects) != 1 || st.shell.content.Objects[0] != st.shell.built[i] {
			t.Fatalf("selecting %q did not show its screen", title)
		}
		if !st.shell.content.Objects[0].Visible() {
			t.Fatalf("screen %q is hidden", title)
		}
	}
}

func TestKeyboardShortcutsSwitchScreens(t *testing.T) {
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	press(st.win, last)
	if st.shell.current != last {
		t.Fatalf("after Ctrl+%d current screen = %d, want %d", last+1, st.shell.current, last)
	}
	press(st.win, 0)
	if st.shell.current != 0 {
		t.Fatalf("after Ctrl+1 current screen = %d, want 0", st.shell.current)
	}
}

// press types the shortcut of screen i on the window, as a keyboard user
// would: Ctrl+1 … Ctrl+9, Ctrl+0 in order, skipping screens with a letter
// of their own (keyed), which get Ctrl+letter.
func press(w fyne.Window, i int) {
	st := currentShell
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9, fyne.Key0}
	key := keys[min(i, len(keys)-1)]
	if st != nil {
		n := 0
		for j, sc := range st.screens {
			k, isKeyed := sc.(keyed)
			if j == i {
				if isKeyed {
					key = k.shortcut()
				} else {
					key = keys[n]
				}
				break
			}
			if !isKeyed {
				n++
			}
		}
	}
	w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
}

// currentShell is the shell of the test running now (set by newTestState).
var currentShell *shell

// TestLoadScreenShortcut: the load test has Ctrl+L; the number keys keep
// their screens, Einstellungen on Ctrl+0.
func TestLoadScreenShortcut(t *testing.T) {
	st := newTestState(t)
	w := st.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) })
	w.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})
	if _, ok := st.shell.screens[st.shell.current].(*loadScreen); !ok {
		t.Fatalf("Ctrl+L opened %q", st.shell.screens[st.shell.current].title())
	}
	w.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierShortcutDefault})
	if _, ok := st.shell.screens[st.shell.current].(*settingsScreen); !ok {
		t.Fatalf("Ctrl+0 opened %q, want Einstellungen", st.shell.screens[st.shell.current].title())
	}
}

func TestSwitchingToEnglish(t *testing.T) {
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	set := st.shell.screens[last].(*settingsScreen)
	set.language.SetSelected("English")

	titles := st.shell.screenTitles()
	if titles[0] != "Overview" || titles[last] != "Settings" {
		t.Fatalf("navigation after switching = %v, want English", titles)
	}
	if st.shell.current != last {
		t.Fatalf("the settings screen should stay open after the switch, got %d", st.shell.current)
	}
	saved, err := settings.Load(st.loc)
	if err != nil || saved.Language != "en" {
		t.Fatalf("saved language = %q (%v), want en", saved.Language, err)
	}
	st.shell.nav.Select(0)
	if !hasText(t, st.win.Content(), "Is this workplace ready for AI?") {
		t.Fatal("the overview's English heading is not shown")
	}
}

func TestThemeChoiceIsSaved(t *testing.T) {
	st := newTestState(t)
	last := len(st.shell.screens) - 1
	st.shell.nav.Select(last)
	set := st.shell.screens[last].(*settingsScreen)
	set.themeSel.SetSelectedIndex(2) // dark
	saved, _ := settings.Load(st.loc)
	if saved.Theme != "dark" {
		t.Fatalf("saved theme = %q, want dark", saved.Theme)
	}
	if th, ok := st.app.Settings().Theme().(kcTheme); !ok || !th.fixed || th.variant != theme.VariantDark {
		t.Fatal("the dark theme was not applied")
	}
}

func TestDatabaseErrorIsShownInGerman(t *testing.T) {
	st := newTestState(t)
	st.dbErr = &store.Error{Path: "/daten/kicheck.db", Err: store.ErrCorrupt}
	ov := newOverview(st)
	content := ov.buildUI()
	awaitIdle(t, st, "the host name")
	if !hasTextContaining(t, content, "Die Datenbank /daten/kicheck.db ist beschädigt") {
		t.Fatal("the damaged-database message is not shown")
	}
}

// hasText reports whether a label in the tree shows exactly text.
func hasText(t *testing.T, o fyne.CanvasObject, text string) bool {
	return findLabel(t, o, func(s string) bool { return s == text })
}

func hasTextContaining(t *testing.T, o fyne.CanvasObject, part string) bool {
	return findLabel(t, o, func(s string) bool { return strings.Contains(s, part) })
}

// findLabel walks the rendered tree for a label whose text matches.
func findLabel(t *testing.T, o fyne.CanvasObject, match func(string) bool) bool {
	switch w := o.(type) {
	case *widget.Label:
		return match(w.Text)
	case *fyne.Container:
		for _, c := range w.Objects {
			if findLabel(t, c, match) {
				return true
			}
		}
	case fyne.Widget:
		for _, c := range test.TempWidgetRenderer(t, w).Objects() {
			if findLabel(t, c, match) {
				return true
			}
		}
	}
	return false
}
