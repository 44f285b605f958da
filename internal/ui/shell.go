package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// screen is one entry of the navigation.
type screen interface {
	title() string // translated
	icon() fyne.Resource
	buildUI() fyne.CanvasObject
}

// shell is the main window's layout: navigation on the left, the chosen
// screen on the right. It is rebuilt whole when the language changes.
type shell struct {
	st      *state
	screens []screen
	nav     *widget.List
	content *fyne.Container
	current int
	built   []fyne.CanvasObject
}

func newShell(st *state) *shell {
	s := &shell{st: st}
	// The order of the KI-Reise: what the app is, the PC, its AI test, the
	// quizzes, the reports, and the settings last. A screen is added here
	// once its capability works.
	s.screens = []screen{
		newOverview(st),
		newHardwareScreen(st),
		newFitScreen(st),   // Eignung: which models suit this PC
		newAITest(st),      // KI-Test: measured on this PC
		newLoadScreen(st),  // Lasttest: a central AI server under many clerks (Ctrl+L)
		newCloudScreen(st), // Betriebsmodelle (was: Lokal oder Cloud)
		newQuizScreen(st),
		newProcessesScreen(st), // Prozesse: where AI brings the most (Phase 2)
		newReportsScreen(st),
		newCollectScreen(st),
		newSettingsScreen(st, s.rebuild),
	}
	return s
}

// show puts the shell into the window and wires the keyboard shortcuts.
func (s *shell) show() {
	s.st.shell = s
	s.built = make([]fyne.CanvasObject, len(s.screens))
	s.content = container.NewStack()
	s.nav = widget.NewList(
		func() int { return len(s.screens) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(nil), widget.NewLabel("Einstellungen und mehr"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(s.screens[id].icon())
			row.Objects[1].(*widget.Label).SetText(s.screens[id].title())
		},
	)
	s.nav.OnSelected = s.onSelect
	s.st.win.SetTitle(lang.L("app.title"))
	split := container.NewHSplit(s.nav, s.content)
	split.Offset = 0.2
	s.st.win.SetContent(split)
	s.registerShortcuts()
	s.nav.Select(s.current)
}

// onSelect shows screen id, building it on first use.
func (s *shell) onSelect(id widget.ListItemID) {
	if id < 0 || id >= len(s.screens) {
		return
	}
	s.current = id
	if s.built[id] == nil {
		s.built[id] = s.screens[id].buildUI()
	}
	s.content.Objects = []fyne.CanvasObject{s.built[id]}
	s.content.Refresh()
}

// keyed is a screen with a letter shortcut of its own (Ctrl+L for the
// load test); it takes no number, so the others keep theirs.
type keyed interface{ shortcut() fyne.KeyName }

// registerShortcuts binds Ctrl+1 … Ctrl+9 and Ctrl+0 to the screens in order
// (a keyed screen gets its letter instead), so the whole navigation works
// from the keyboard (the list itself is reachable with Tab and the arrow
// keys).
func (s *shell) registerShortcuts() {
	registerEscape(s.st.win)
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9, fyne.Key0}
	n := 0
	for i, sc := range s.screens {
		var key fyne.KeyName
		if k, ok := sc.(keyed); ok {
			key = k.shortcut()
		} else if n < len(keys) {
			key = keys[n]
			n++
		} else {
			continue
		}
		cs := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
		s.st.win.Canvas().RemoveShortcut(cs)
		s.st.win.Canvas().AddShortcut(cs, func(fyne.Shortcut) { s.nav.Select(i) })
	}
	// Ctrl+B: the accessible view in the browser ("Barrierefreie Ansicht").
	view := &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault}
	s.st.win.Canvas().RemoveShortcut(view)
	s.st.win.Canvas().AddShortcut(view, func(fyne.Shortcut) {
		if o, ok := s.screens[0].(*overview); ok && o.webBtn != nil {
			o.onAccessibleView() // shows the address on the Übersicht too
			return
		}
		s.st.openAccessibleView(nil)
	})
}

// releaser is a screen holding a resource (a database connection) that it
// gives back when a rebuild replaces it.
type releaser interface{ release() }

// rebuild recreates every screen, used after a language change.
func (s *shell) rebuild() {
	for _, sc := range s.screens {
		if r, ok := sc.(releaser); ok {
			r.release()
		}
	}
	cur := s.current
	ns := newShell(s.st)
	ns.current = cur
	ns.show()
}

// screenTitles returns the navigation labels (for tests and screenshots).
func (s *shell) screenTitles() []string {
	out := make([]string, len(s.screens))
	for i, sc := range s.screens {
		out[i] = sc.title()
	}
	return out
}

func (s *shell) String() string { return fmt.Sprintf("shell%v", s.screenTitles()) }
