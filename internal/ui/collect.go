package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// collectScreen ("Sammelstelle") is IT's view of a central database of
// reports: open or create it, import a folder or ZIP file of reports, see
// the fleet overview and export the device table as CSV.
type collectScreen struct {
	st *state

	dbPath      *widget.Label
	openBtn     *widget.Button
	newBtn      *widget.Button
	enroll      *widget.Check
	signersBtn  *widget.Button
	signersPath *widget.Label
	folderBtn   *widget.Button
	zipBtn      *widget.Button
	cancelBtn   *widget.Button
	csvBtn      *widget.Button
	progress    *widget.ProgressBarInfinite
	status      *widget.Label
	rejected    *widget.Label
	counts      *widget.Label
	upgrade     *widget.Label
	readiness   *fyne.Container
	stale       *widget.Label

	db             *store.DB
	allowedSigners string
	cancel         context.CancelFunc
	fleet          *collect.Fleet
	// afterWork, when set (tests), runs on the UI goroutine after each
	// background task has updated the screen.
	afterWork func()
}

func (s *collectScreen) workDone() {
	if s.afterWork != nil {
		s.afterWork()
	}
}

func newCollectScreen(st *state) *collectScreen { return &collectScreen{st: st} }

func (s *collectScreen) title() string       { return lang.L("nav.collect") }
func (s *collectScreen) icon() fyne.Resource { return theme.StorageIcon() }

func (s *collectScreen) buildUI() fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(lang.L("collect.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("collect.intro"))
	intro.Wrapping = fyne.TextWrapWord

	s.dbPath = selectable(lang.L("collect.no_db"))
	s.dbPath.Wrapping = fyne.TextWrapBreak
	s.openBtn = widget.NewButtonWithIcon(lang.L("collect.open_db"), theme.FolderOpenIcon(), s.onOpenDB)
	s.newBtn = widget.NewButtonWithIcon(lang.L("collect.new_db"), theme.ContentAddIcon(), s.onNewDB)
	s.enroll = widget.NewCheck(lang.L("collect.enroll"), nil)
	s.enroll.SetChecked(true)
	s.signersPath = widget.NewLabel(lang.L("collect.no_signers"))
	s.signersBtn = widget.NewButtonWithIcon(lang.L("collect.choose_signers"), theme.FileIcon(), s.onChooseSigners)
	s.folderBtn = widget.NewButtonWithIcon(lang.L("collect.import_folder"), theme.FolderIcon(), s.onImportFolder)
	s.zipBtn = widget.NewButtonWithIcon(lang.L("collect.import_zip"), theme.DownloadIcon(), s.onImportZip)
	s.cancelBtn = widget.NewButtonWithIcon(lang.L("collect.cancel"), theme.CancelIcon(), s.onCancel)
	s.csvBtn = widget.NewButtonWithIcon(lang.L("collect.export_csv"), theme.DocumentSaveIcon(), s.onExportCSV)
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.cancelBtn.Hide()
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.rejected = widget.NewLabel("")
	s.rejected.Wrapping = fyne.TextWrapBreak
	s.counts = widget.NewLabel("")
	s.counts.Wrapping = fyne.TextWrapWord
	s.upgrade = widget.NewLabel("")
	s.upgrade.Wrapping = fyne.TextWrapWord
	s.readiness = container.New(layout.NewFormLayout()) // names aligned, bars of one width
	s.stale = widget.NewLabel("")
	s.stale.Wrapping = fyne.TextWrapWord

	dbCard := widget.NewCard(lang.L("collect.db"), "", container.NewVBox(s.dbPath, container.NewHBox(s.openBtn, s.newBtn)))
	importCard := widget.NewCard(lang.L("collect.import"), "", container.NewVBox(
		s.enroll, container.NewHBox(s.signersBtn, s.signersPath),
		container.NewHBox(s.folderBtn, s.zipBtn, s.cancelBtn), s.progress, s.status, s.rejected))
	overviewCard := widget.NewCard(lang.L("collect.overview"), "", container.NewVBox(
		s.counts, s.upgrade,
		widget.NewLabelWithStyle(lang.L("collect.readiness"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.readiness,
		widget.NewLabelWithStyle(lang.L("collect.stale_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.stale,
		container.NewHBox(s.csvBtn)))
	s.updateButtons()
	return container.NewVScroll(container.NewVBox(heading, intro, dbCard, importCard, overviewCard))
}

func (s *collectScreen) updateButtons() {
	running := s.cancel != nil
	for _, b := range []*widget.Button{s.folderBtn, s.zipBtn, s.csvBtn} {
		if s.db == nil || running {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	for _, b := range []*widget.Button{s.openBtn, s.newBtn, s.signersBtn} {
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
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.status.SetText(describeError(err))
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		s.openDB(path)
	}, s.st.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".sqlite"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (s *collectScreen) onNewDB() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			s.status.SetText(describeError(err))
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close() // an empty file: store.Open makes it a database
		s.openDB(path)
	}, s.st.win)
	d.SetFileName("sammelstelle.db")
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// openDB opens (or creates) the central database at path and shows its
// overview. The work runs off the UI goroutine.
func (s *collectScreen) openDB(path string) {
	s.status.SetText(lang.L("collect.opening"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db, err := store.Open(ctx, path, collect.Schema)
		var f *collect.Fleet
		if err == nil {
			f, err = collect.ComputeFleet(ctx, db, collect.FleetOptions{})
		}
		fyne.Do(func() {
			defer s.workDone()
			if err != nil {
				if db != nil {
					db.Close()
				}
				s.status.SetText(describeError(err))
				return
			}
			if s.db != nil {
				s.db.Close()
			}
			s.db = db
			s.dbPath.SetText(path)
			s.status.SetText("")
			s.showFleet(f)
			s.updateButtons()
		})
	}()
}

func (s *collectScreen) onChooseSigners() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		s.allowedSigners = r.URI().Path()
		r.Close()
		s.signersPath.SetText(s.allowedSigners)
		s.enroll.SetChecked(false)
	}, s.st.win)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (s *collectScreen) onImportFolder() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		s.importPaths([]string{dir.Path()})
	}, s.st.win)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (s *collectScreen) onImportZip() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		s.importPaths([]string{path})
	}, s.st.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".zip"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
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
	trust := collect.Trust{Enroll: s.enroll.Checked}
	if s.allowedSigners != "" && !s.enroll.Checked {
		a, err := signing.ReadAllowedSigners(s.allowedSigners)
		if err != nil {
			s.status.SetText(describeError(err))
			return
		}
		trust.AllowedSigners = a
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.progress.Show()
	s.progress.Start()
	s.cancelBtn.Show()
	s.rejected.SetText("")
	s.status.SetText(lang.L("collect.importing", map[string]any{"Done": 0}))
	s.updateButtons()
	db := s.db
	go func() {
		sum, err := collect.Collect(ctx, db, trust, paths, collect.Options{Progress: func(done int) {
			fyne.Do(func() { s.status.SetText(lang.L("collect.importing", map[string]any{"Done": done})) })
		}})
		var f *collect.Fleet
		if err == nil {
			f, err = collect.ComputeFleet(context.Background(), db, collect.FleetOptions{})
		}
		fyne.Do(func() {
			cancel()
			s.progress.Stop()
			s.progress.Hide()
			s.cancelBtn.Hide()
			// Cleared last: tests (and the buttons) take it as "done".
			defer func() { s.cancel = nil; s.updateButtons(); s.workDone() }()
			if err != nil {
				s.status.SetText(describeError(err))
				return
			}
			msg := lang.L("collect.imported", map[string]any{"Accepted": sum.Accepted, "Duplicate": sum.Duplicate, "Rejected": sum.Rejected})
			if sum.Incomplete {
				msg += " " + lang.L("collect.import_cancelled")
			}
			s.status.SetText(msg)
			s.rejected.SetText(rejectedText(sum.Localize(s.st.settings.Language))) // reasons in the GUI's language
			s.showFleet(f)
		})
	}()
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
	o := f.Overall
	s.counts.SetText(lang.L("collect.counts", map[string]any{"Devices": f.Devices, "Reports": f.Reports,
		"Ready": o.Ready, "Limited": o.Limited, "NotReady": o.NotReady, "Unknown": o.Unknown}))
	if b := f.Upgrade.Best; b != nil {
		s.upgrade.SetText(lang.L("collect.upgrade", map[string]any{"GB": b.RAMGB, "Devices": b.Devices}))
	} else {
		s.upgrade.SetText(lang.L("collect.no_upgrade", map[string]any{"Unjudged": f.Upgrade.WithoutFitData}))
	}
	s.readiness.RemoveAll()
	rows := append(append([]collect.Readiness{}, f.UseCases...), f.Models...)
	if len(rows) == 0 {
		s.readiness.Add(widget.NewLabel(lang.L("collect.no_verdicts")))
		s.readiness.Add(widget.NewLabel(""))
	}
	for _, r := range rows {
		name := r.UseCase
		if r.Model != "" {
			name += " · " + r.Model
		}
		bar := widget.NewProgressBar()
		bar.SetValue(r.ReadyShare)
		bar.TextFormatter = func() string {
			return lang.L("collect.bar", map[string]any{"Ready": r.Ready, "Limited": r.Limited, "NotReady": r.NotReady})
		}
		s.readiness.Add(widget.NewLabel(name))
		s.readiness.Add(bar)
	}
	s.readiness.Refresh()
	if f.Stale.Count == 0 {
		s.stale.SetText(lang.L("collect.no_stale", map[string]any{"Days": f.Stale.Days}))
	} else {
		var b strings.Builder
		b.WriteString(lang.L("collect.stale", map[string]any{"Count": f.Stale.Count, "Days": f.Stale.Days}))
		for i, d := range f.Stale.Devices {
			if i == 10 {
				b.WriteString("\n…")
				break
			}
			fmt.Fprintf(&b, "\n%s · %s · %s", d.DeviceID, d.OrgUnit, strings.TrimSuffix(strings.Replace(d.LastReport, "T", " ", 1), "Z"))
		}
		s.stale.SetText(b.String())
	}
}

func (s *collectScreen) onExportCSV() {
	if s.db == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		s.exportCSV(path)
	}, s.st.win)
	d.SetFileName("geraete.csv")
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// exportCSV writes the device table to path in the background.
func (s *collectScreen) exportCSV(path string) {
	db := s.db
	go func() {
		err := writeDeviceCSV(db, path)
		fyne.Do(func() {
			defer s.workDone()
			if err != nil {
				s.status.SetText(lang.L("collect.csv_failed", map[string]any{"Detail": describeError(err)}))
				return
			}
			s.status.SetText(lang.L("collect.csv_done", map[string]any{"Path": path}))
		})
	}()
}

func writeDeviceCSV(db *store.DB, path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
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
