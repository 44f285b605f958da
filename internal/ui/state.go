package ui

import (
	"fyne.io/fyne/v2"

	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// state is what all screens share: the app, its window, the settings and
// the open database (or why it could not be opened).
type state struct {
	app      fyne.App
	win      fyne.Window
	loc      settings.Location
	settings settings.Settings
	dataDir  string
	db       *store.DB
	dbErr    error

	shell *shell // what the window shows now; replaced on a language change

	// onReportsChanged are called (on the UI goroutine) after a check or
	// an export added to the list of reports.
	onReportsChanged []func()
}

// reportsChanged tells the screens that show reports to reload.
func (st *state) reportsChanged() {
	for _, f := range st.onReportsChanged {
		f()
	}
}
