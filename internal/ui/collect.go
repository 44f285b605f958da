package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/settings"
)

// collectScreen ("Sammelstelle") is IT's view of a central database of
// reports: open or create it, import a folder or ZIP file of reports, see
// the fleet overview and export the device table as CSV.
type collectScreen struct {
	st *state

	dbPath  *widget.Label
	openBtn *kcButton
	newBtn  *kcButton
	// pgDSN and pgPassword connect to a PostgreSQL database instead of a
	// file (a district's or the Land's collection); the password is kept
	// only while the window is open, never in the settings.
	pgDSN       *widget.Entry
	pgPassword  *widget.Entry
	pgBtn       *kcButton
	enroll      *widget.Check
	signersBtn  *kcButton
	signersPath *widget.Label
	folderBtn   *kcButton
	zipBtn      *kcButton
	cancelBtn   *kcButton
	csvBtn      *kcButton
	htmlBtn     *kcButton
	progress    *widget.ProgressBarInfinite
	status      *widget.Label
	rejected    *widget.Label
	view        *fleetView
	portfolio   *unitPortfolio
	land        *landPanel // the Land view (collect_land.go)

	db             collect.Store
	allowedSigners string
	cancel         context.CancelFunc
	fleet          *collect.Fleet
	staleDays      int
	catalogue      *fit.Catalogue // names of use cases and models; nil if it cannot be read
	// inFlight counts the background tasks not yet done; released is set
	// when a language change replaced the screen (release).
	inFlight int
	released bool
}

// setStatus shows text under the buttons; an empty one takes no room.
func (s *collectScreen) setStatus(text string) {
	s.status.SetText(text)
	if text == "" {
		s.status.Hide()
	} else {
		s.status.Show()
	}
}

// background runs work like state.goBackground and counts it, so that a
// replaced screen closes its database only after its last task.
func (s *collectScreen) background(work func(ctx context.Context)) {
	s.inFlight++
	s.st.goBackground(work)
}

// workDone ends a background task, on the UI goroutine.
func (s *collectScreen) workDone() {
	s.inFlight--
	if s.released && s.inFlight == 0 {
		s.closeDB()
	}
}

// release gives the central database back when a language change replaces
// the screen (the new screen opens it again): at once, or when the last
// background task has ended; a running import is cancelled.
func (s *collectScreen) release() {
	s.released = true
	if s.cancel != nil {
		s.cancel()
	}
	if s.inFlight == 0 {
		s.closeDB()
	}
}

func (s *collectScreen) closeDB() {
	if s.db != nil {
		s.db.Close()
		s.db = nil
	}
	if s.land != nil {
		s.land.closeDB()
	}
}

func newCollectScreen(st *state) *collectScreen { return &collectScreen{st: st, staleDays: 30} }

func (s *collectScreen) title() string       { return lang.L("nav.collect") }
func (s *collectScreen) icon() fyne.Resource { return theme.StorageIcon() }

func (s *collectScreen) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("collect.heading"))
	intro := wrapped(lang.L("collect.intro"))

	s.dbPath = selectable(lang.L("collect.no_db"))
	s.dbPath.Wrapping = fyne.TextWrapBreak
	s.openBtn = newKCButtonWithIcon(lang.L("collect.open_db"), theme.FolderOpenIcon(), s.onOpenDB)
	s.newBtn = newKCButtonWithIcon(lang.L("collect.new_db"), theme.ContentAddIcon(), s.onNewDB)
	s.pgDSN = widget.NewEntry()
	s.pgDSN.SetPlaceHolder("postgres://kicheck@db.example/kicheck")
	s.pgDSN.OnSubmitted = func(string) { s.onConnectPostgres() }
	s.pgPassword = widget.NewPasswordEntry()
	s.pgPassword.SetPlaceHolder(lang.L("collect.pg_password"))
	s.pgPassword.OnSubmitted = func(string) { s.onConnectPostgres() }
	s.pgBtn = newKCButtonWithIcon(lang.L("collect.pg_connect"), theme.LoginIcon(), s.onConnectPostgres)
	s.enroll = widget.NewCheck(lang.L("collect.enroll"), nil)
	s.enroll.SetChecked(true)
	s.signersPath = widget.NewLabel(lang.L("collect.no_signers"))
	s.signersBtn = newKCButtonWithIcon(lang.L("collect.choose_signers"), theme.FileIcon(), s.onChooseSigners)
	s.folderBtn = newKCButtonWithIcon(lang.L("collect.import_folder"), theme.FolderIcon(), s.onImportFolder)
	s.zipBtn = newKCButtonWithIcon(lang.L("collect.import_zip"), theme.DownloadIcon(), s.onImportZip)
	s.cancelBtn = newKCButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), s.onCancel)
	s.csvBtn = newKCButtonWithIcon(lang.L("collect.export_csv"), theme.DocumentSaveIcon(), s.onExportCSV)
	s.htmlBtn = newKCButtonWithIcon(lang.L("collect.save_html"), theme.DocumentSaveIcon(), s.onSaveHTML)
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.cancelBtn.Hide()
	s.status = wrapped("")
	s.status.Hide()
	s.rejected = widget.NewLabel("")
	s.rejected.Wrapping = fyne.TextWrapBreak
	s.rejected.Hide() // shown when an import rejected files
	s.view = newFleetView()
	s.portfolio = newUnitPortfolio(s.st)
	s.view.besideOrgs = s.portfolio.card()
	s.view.staleApply = newKCButtonWithIcon(lang.L("collect.stale_apply"), theme.ViewRefreshIcon(), s.onStaleDays)
	s.view.staleDays.OnSubmitted = func(string) { s.onStaleDays() }

	// Database and intake share one card, so that the overview starts
	// high on the screen.
	dbCard := widget.NewCard(lang.L("collect.db"), "", container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(s.openBtn, s.newBtn), s.dbPath),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("collect.pg_label")), s.pgBtn,
			container.NewGridWithColumns(2, s.pgDSN, s.pgPassword)),
		s.enroll, container.NewHBox(s.signersBtn, s.signersPath),
		container.NewHBox(s.folderBtn, s.zipBtn, s.cancelBtn), s.progress, s.status, s.rejected))
	s.updateButtons()
	if path := s.st.settings.CollectDB; collect.IsPostgres(path) {
		s.pgDSN.SetText(path)
		s.openDB(path) // the password from PGPASSWORD or ~/.pgpass, if any
	} else if path != "" {
		if _, err := os.Stat(path); err == nil {
			s.openDB(path)
		} else {
			s.setStatus(lang.L("collect.last_db_missing", map[string]any{"Path": path}))
		}
	}
	s.land = newLandPanel(s)
	landCard := s.land.buildUI()
	s.land.reopen()
	return container.NewVScroll(container.NewVBox(heading, intro, dbCard, s.view.cards(s.csvBtn, s.htmlBtn), landCard))
}

func (s *collectScreen) updateButtons() {
	running := s.cancel != nil
	for _, b := range []*kcButton{s.folderBtn, s.zipBtn, s.csvBtn, s.htmlBtn, s.view.staleApply} {
		if s.db == nil || running {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	for _, b := range []*kcButton{s.openBtn, s.newBtn, s.signersBtn, s.pgBtn} {
		if running {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if running {
		s.enroll.Disable()
	} else {
		s.enroll.Enable()
	}
}

func (s *collectScreen) onOpenDB() {
	choosePath(s.st.win, []string{".db", ".sqlite"}, s.openDB)
}

func (s *collectScreen) onNewDB() {
	// The dialog leaves an empty file: store.Open makes it a database.
	chooseSavePath(s.st.win, "sammelstelle.db", nil, s.openDB)
}

// dbErrorText says why the central database could not be opened: a
// PostgreSQL problem with its hint (the address without its password),
// else as other database errors are said.
func (s *collectScreen) dbErrorText(err error) string {
	var de *collect.DBError
	if errors.As(err, &de) {
		de = de.Localize(s.lang())
		return de.Error() + "\n" + de.Hint()
	}
	return describeError(err)
}

// onConnectPostgres connects to the PostgreSQL database typed in.
func (s *collectScreen) onConnectPostgres() {
	dsn := strings.TrimSpace(s.pgDSN.Text)
	if !collect.IsPostgres(dsn) {
		s.setStatus(lang.L("collect.pg_not_url"))
		return
	}
	s.openDB(dsn)
}

// openDB opens (or creates) the central database at path (a file, or a
// postgres:// URL) and shows its overview. The work runs off the UI
// goroutine.
func (s *collectScreen) openDB(path string) {
	s.setStatus(lang.L("collect.opening"))
	days := s.staleDays
	opts := collect.OpenOptions{DB: path, Postgres: collect.PostgresOptions{Password: s.pgPassword.Text, Lang: s.lang()}}
	s.background(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		db, err := collect.Open(ctx, opts)
		var f *collect.Fleet
		if err == nil {
			f, err = collect.ComputeFleet(ctx, db, collect.FleetOptions{StaleDays: days})
		}
		cat := s.loadCatalogue()
		fyne.Do(func() {
			defer s.workDone()
			if err != nil {
				if db != nil {
					db.Close()
				}
				s.setStatus(s.dbErrorText(err))
				return
			}
			if s.db != nil {
				s.db.Close()
			}
			s.db = db
			s.catalogue = cat
			s.dbPath.SetText(db.Location())
			s.setStatus("")
			s.showFleet(f)
			s.updateButtons()
			s.remember(path)
		})
	})
}

func (s *collectScreen) onChooseSigners() {
	choosePath(s.st.win, nil, func(path string) {
		s.allowedSigners = path
		s.signersPath.SetText(s.allowedSigners)
		s.enroll.SetChecked(false)
	})
}

func (s *collectScreen) onImportFolder() {
	chooseFolder(s.st.win, "", func(dir string) { s.importPaths([]string{dir}) })
}

func (s *collectScreen) onImportZip() {
	choosePath(s.st.win, []string{".zip"}, func(path string) { s.importPaths([]string{path}) })
}

func (s *collectScreen) onCancel() {
	if s.cancel != nil {
		s.cancel()
	}
}

// importPaths runs the intake over paths in the background, with progress
// and a cancel button, and refreshes the overview when it ends.
func (s *collectScreen) importPaths(paths []string) {
	if s.db == nil || s.cancel != nil {
		return
	}
	trust, err := collect.NewTrust(s.allowedSigners, s.enroll.Checked)
	if err != nil {
		s.setStatus(describeError(err))
		return
	}
	ctx, cancel := context.WithCancel(s.st.windowContext())
	s.cancel = cancel
	s.progress.Show()
	s.progress.Start()
	s.cancelBtn.Show()
	s.rejected.SetText("")
	s.rejected.Hide()
	s.setStatus(lang.L("collect.importing", map[string]any{"Done": 0}))
	s.updateButtons()
	db := s.db
	days := s.staleDays
	s.background(func(context.Context) {
		sum, err := collect.Collect(ctx, db, trust, paths, collect.Options{Progress: func(done int) {
			fyne.Do(func() { s.setStatus(lang.L("collect.importing", map[string]any{"Done": done})) })
		}})
		var f *collect.Fleet
		if err == nil {
			// Not ctx: a cancelled import still shows what it took in
			// (closing the window still ends it).
			f, err = collect.ComputeFleet(s.st.windowContext(), db, collect.FleetOptions{StaleDays: days})
		}
		fyne.Do(func() {
			cancel()
			s.progress.Stop()
			s.progress.Hide()
			s.cancelBtn.Hide()
			// Cleared last: tests (and the buttons) take it as "done".
			defer func() { s.cancel = nil; s.updateButtons(); s.workDone() }()
			if err != nil {
				s.setStatus(describeError(err))
				return
			}
			msg := lang.L("collect.imported", map[string]any{"Accepted": sum.Accepted, "Duplicate": sum.Duplicate, "Rejected": sum.Rejected})
			if sum.Incomplete {
				msg += " " + lang.L("collect.import_cancelled")
			}
			s.setStatus(msg)
			if sum.Rejected > 0 {
				s.rejected.SetText(rejectedText(sum.Localize(s.st.settings.Language))) // reasons in the GUI's language
				s.rejected.Show()
			}
			s.showFleet(f)
		})
	})
}

// maxRejectedShown caps the rejected files listed on screen; the CLI
// (kicheck collect --json) lists all.
const maxRejectedShown = 20

func rejectedText(sum collect.Summary) string {
	var b strings.Builder
	n := 0
	for _, f := range sum.Files {
		if f.Outcome != collect.Rejected {
			continue
		}
		if n == maxRejectedShown {
			b.WriteString(lang.L("collect.more_rejected", map[string]any{"Count": sum.Rejected - n}))
			break
		}
		fmt.Fprintf(&b, "%s: %s\n", f.Source, f.Message)
		n++
	}
	return strings.TrimSpace(b.String())
}

// showFleet fills the overview.
func (s *collectScreen) showFleet(f *collect.Fleet) {
	s.fleet = f
	s.view.show(f, s.lang(), s.catalogue)
	s.portfolio.update(f) // the processes' portfolio per unit (collect_portfolio.go)
}

func (s *collectScreen) lang() string { return s.st.settings.Language }

// loadCatalogue reads the model catalogue (the municipality's own, if it
// has one) for the names of use cases and models; without it the overview
// shows their ids.
func (s *collectScreen) loadCatalogue() *fit.Catalogue {
	cat, err := fit.LoadCatalogue(s.st.dataDir)
	if err != nil {
		fyne.LogError("sammelstelle: model catalogue", err)
		return nil
	}
	return cat
}

// remember keeps path in the settings, so that the screen opens the same
// database next time.
func (s *collectScreen) remember(path string) {
	if s.st.settings.CollectDB == path {
		return
	}
	s.st.settings.CollectDB = path
	if err := settings.Save(s.st.loc, s.st.settings); err != nil {
		fyne.LogError("sammelstelle: remember the database", err)
	}
}

// onStaleDays recomputes the overview with the number of days typed.
func (s *collectScreen) onStaleDays() {
	days, err := strconv.Atoi(strings.TrimSpace(s.view.staleDays.Text))
	if err != nil || days < 1 || days > 3650 {
		// Said beside the entry, where the eyes are.
		s.view.stale.SetText(lang.L("collect.stale_days_invalid", map[string]any{"Text": s.view.staleDays.Text}))
		return
	}
	s.staleDays = days
	if s.db == nil || s.cancel != nil {
		return
	}
	db := s.db
	s.background(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		f, err := collect.ComputeFleet(ctx, db, collect.FleetOptions{StaleDays: days})
		fyne.Do(func() {
			defer s.workDone()
			if err != nil {
				s.setStatus(describeError(err))
				return
			}
			s.setStatus("")
			s.showFleet(f)
		})
	})
}

func (s *collectScreen) onSaveHTML() {
	if s.fleet == nil {
		return
	}
	chooseSavePath(s.st.win, "sammelstelle.html", []string{".html", ".htm"}, s.saveHTML)
}

// saveHTML writes the overview shown as an HTML page (kicheck fleet
// --html) in the background.
func (s *collectScreen) saveHTML(path string) {
	f, code := s.fleet, s.lang()
	s.background(func(context.Context) {
		err := writeFleetHTML(f, code, path)
		fyne.Do(func() {
			defer s.workDone()
			if err != nil {
				s.setStatus(lang.L("collect.html_failed", map[string]any{"Detail": describeError(err)}))
				return
			}
			s.setStatus(lang.L("collect.html_done", map[string]any{"Path": path}))
		})
	})
}

func writeFleetHTML(fl *collect.Fleet, code, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := collect.WriteHTML(f, fl, code); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (s *collectScreen) onExportCSV() {
	if s.db == nil {
		return
	}
	chooseSavePath(s.st.win, "geraete.csv", nil, s.exportCSV)
}

// exportCSV writes the device table to path in the background.
func (s *collectScreen) exportCSV(path string) {
	db := s.db
	s.background(func(ctx context.Context) {
		err := writeDeviceCSV(ctx, db, path)
		fyne.Do(func() {
			defer s.workDone()
			if err != nil {
				s.setStatus(lang.L("collect.csv_failed", map[string]any{"Detail": describeError(err)}))
				return
			}
			s.setStatus(lang.L("collect.csv_done", map[string]any{"Path": path}))
		})
	})
}

func writeDeviceCSV(ctx context.Context, db collect.Store, path string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rows, err := collect.DeviceTable(ctx, db)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := collect.WriteCSV(f, rows); err != nil {
		f.Close()
		return err
	}
	return errors.Join(f.Close())
}
