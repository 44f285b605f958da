package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"github.com/BurntSushi/toml"
	kicheck "github.com/ki-reise/kicheck"
	"github.com/ki-reise/kicheck/assets"
	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// Config is what the command line hands the GUI.
type Config struct {
	Location settings.Location
	Settings settings.Settings
	// Schemas are the database parts of every capability (app.allSchemas).
	Schemas []store.Schema
}

// appID must match FyneApp.toml (tested).
const appID = "de.ki-reise.kicheck"

// Run opens the main window and returns when it is closed.
func Run(ctx context.Context, cfg Config) error {
	dataDir := cfg.Location.DataDir(cfg.Settings)
	a := app.NewWithID(appID)
	meta, err := metadata()
	if err != nil {
		return err
	}
	app.SetMetadata(meta)
	a.SetIcon(meta.Icon)

	st := &state{app: a, loc: cfg.Location, settings: cfg.Settings, dataDir: dataDir, ctx: ctx}
	applyLanguage(st.settings.Language)
	applyTheme(a, st.settings.Theme, st.settings.TextSize)

	inst, err := store.AcquireInstance(dataDir, func() {
		fyne.Do(func() {
			if st.win != nil {
				st.win.Show()
				st.win.RequestFocus()
			}
		})
	})
	var held *store.InstanceHeldError
	if errors.As(err, &held) {
		if !held.Shown {
			// The first window could not be reached: say so in a window,
			// since a clerk who double-clicked sees no terminal.
			showAlreadyRunning(a)
		}
		return err
	}
	if err == nil {
		defer inst.Release()
	}
	// Any other guard failure (a read-only folder) is shown in the window
	// together with the database error it will cause.

	st.db, st.dbErr = store.Open(ctx, filepath.Join(dataDir, store.FileName), cfg.Schemas...)
	if st.db != nil {
		defer st.db.Close()
	}

	w := a.NewWindow("KI-Check")
	st.win = w
	w.SetMaster()
	w.Resize(fyne.NewSize(1024, 720))
	newShell(st).show()
	// Esc closes any dialog and Tab scrolls to the focus (keyhook.go).
	a.Lifecycle().SetOnStarted(func() { installKeyHook(w) })
	// SIGINT/SIGTERM (app/main.go) cancel ctx: close the window as if
	// the user had, so the background work stops and the database closes.
	stopQuit := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stopQuit()
	w.ShowAndRun()
	// The window is closed: cancel what still runs in the background (a
	// probe, an AI test, an import) and give it a moment to stop before the
	// deferred Close takes the database away. The UI loop has ended, so
	// the wait is bounded.
	select {
	case <-st.stopBackground():
	case <-time.After(backgroundGrace):
	}
	return nil
}

// metadata reads FyneApp.toml, embedded in the binary.
func metadata() (fyne.AppMetadata, error) {
	var f struct {
		Details struct {
			Icon    string
			Name    string
			ID      string
			Version string
			Build   int
		}
		Migrations map[string]bool
	}
	if err := toml.Unmarshal(kicheck.FyneAppTOML, &f); err != nil {
		return fyne.AppMetadata{}, fmt.Errorf("FyneApp.toml: %w", err)
	}
	return fyne.AppMetadata{
		ID:         f.Details.ID,
		Name:       f.Details.Name,
		Version:    f.Details.Version,
		Build:      f.Details.Build,
		Icon:       fyne.NewStaticResource("Icon.png", assets.Icon),
		Migrations: f.Migrations,
	}, nil
}

// showAlreadyRunning shows a small window saying KI-Check already runs.
func showAlreadyRunning(a fyne.App) {
	w := a.NewWindow(lang.L("app.title"))
	msg := wrapped(lang.L("app.already_running"))
	ok := newKCButton(lang.L("OK"), func() { w.Close() })
	w.SetContent(container.NewVBox(msg, ok))
	w.Resize(fyne.NewSize(420, 140))
	w.Canvas().Focus(ok)
	w.ShowAndRun()
}
