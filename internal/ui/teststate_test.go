package ui

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// newScreenState builds the state a screen test starts from, the one
// set-up of the GUI tests: Fyne's test app with the UI loop
// (uiloop_test.go), a window of size, German, the data in a temp dir and a
// real database there with schemas. When the test ends, the background
// work is stopped and waited for, then the window and the database close.
// newTestState adds the shell on top.
func newScreenState(t *testing.T, size fyne.Size, schemas ...store.Schema) *state {
	t.Helper()
	a := newTestApp(t)
	applyLanguage("de")
	t.Cleanup(func() { applyLanguage("de") })
	dir := t.TempDir()
	db, err := store.Open(t.Context(), filepath.Join(dir, store.FileName), schemas...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := &state{app: a, win: a.NewWindow("KI-Check"), settings: settings.Settings{Language: "de"}, dataDir: dir, db: db}
	t.Cleanup(st.win.Close)
	st.win.Resize(size)
	stopBackgroundAtEnd(t, st)
	return st
}
