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
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/aggregate"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/signing"
	"github.com/ki-reise/kicheck/internal/store"
)

// landPanel is the Sammelstelle's Land view (docs/aggregate.md): a Land
// database of the municipalities' signed summaries, taken from a folder
// against the Land's allowed_signers, and readiness per municipality and
// in total with the date of each municipality's data. It runs its work
// through the screen's background (collectScreen.background).
type landPanel struct {
	s *collectScreen

	dbPath      *widget.Label
	openBtn     *kcButton
	newBtn      *kcButton
	signersBtn  *kcButton
	signersPath *widget.Label
	importBtn   *kcButton
	htmlBtn     *kcButton
	status      *widget.Label
	total       *widget.Label
	table       *fyne.Container

	db             *store.DB
	allowedSigners string
	view           *aggregate.LandView
	busy           bool
}

func newLandPanel(s *collectScreen) *landPanel { return &landPanel{s: s} }

// buildUI is the panel's card.
func (p *landPanel) buildUI() fyne.CanvasObject {
	intro := wrapped(lang.L("aggregate.ui.intro"))
	p.dbPath = selectable(lang.L("aggregate.ui.no_db"))
	p.dbPath.Wrapping = fyne.TextWrapBreak
	p.openBtn = newKCButtonWithIcon(lang.L("aggregate.ui.open_db"), theme.FolderOpenIcon(), p.onOpenDB)
	p.newBtn = newKCButtonWithIcon(lang.L("aggregate.ui.new_db"), theme.ContentAddIcon(), p.onNewDB)
	p.signersPath = widget.NewLabel(lang.L("aggregate.ui.no_signers"))
	p.signersBtn = newKCButtonWithIcon(lang.L("aggregate.ui.choose_signers"), theme.FileIcon(), p.onChooseSigners)
	p.importBtn = newKCButtonWithIcon(lang.L("aggregate.ui.import"), theme.FolderIcon(), p.onImport)
	p.htmlBtn = newKCButtonWithIcon(lang.L("aggregate.ui.save_html"), theme.DocumentSaveIcon(), p.onSaveHTML)
	p.status = wrapped("")
	p.status.Hide()
	p.total = wrapped("")
	p.table = newTable(6, 4) // the other levels take the room
	p.updateButtons()
	return widget.NewCard(lang.L("aggregate.ui.heading"), "", container.NewVBox(intro,
		container.NewBorder(nil, nil, nil, container.NewHBox(p.openBtn, p.newBtn), p.dbPath),
		container.NewHBox(p.signersBtn, p.signersPath), container.NewHBox(p.importBtn, p.htmlBtn), p.status, p.total, p.table))
}

func (p *landPanel) lang() string { return p.s.lang() }

func (p *landPanel) setStatus(text string) {
	p.status.SetText(text)
	if text == "" {
		p.status.Hide()
	} else {
		p.status.Show()
	}
}

func (p *landPanel) updateButtons() {
	for _, b := range []*kcButton{p.openBtn, p.newBtn, p.signersBtn} {
		if p.busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	for _, b := range []*kcButton{p.importBtn, p.htmlBtn} {
		if p.busy || p.db == nil {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

func (p *landPanel) onOpenDB() {
	choosePath(p.s.st.win, []string{".db", ".sqlite"}, p.openDB)
}

func (p *landPanel) onNewDB() {
	// The dialog leaves an empty file: store.Open makes it a database.
	chooseSavePath(p.s.st.win, "land.db", nil, p.openDB)
}

func (p *landPanel) onChooseSigners() {
	choosePath(p.s.st.win, nil, p.setSigners)
}

func (p *landPanel) setSigners(path string) {
	p.allowedSigners = path
	p.signersPath.SetText(path)
}

func (p *landPanel) onImport() {
	if p.allowedSigners == "" {
		p.setStatus(lang.L("aggregate.ui.need_signers"))
		return
	}
	chooseFolder(p.s.st.win, "", func(dir string) { p.importPaths([]string{dir}) })
}

// openDB opens (or creates) the Land database at path and shows its view.
func (p *landPanel) openDB(path string) {
	p.busy = true
	p.updateButtons()
	p.s.background(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		db, err := aggregate.OpenLand(ctx, path)
		var v *aggregate.LandView
		if err == nil {
			v, err = aggregate.View(ctx, aggregate.SQLiteStore{DB: db}, time.Now())
		}
		fyne.Do(func() {
			defer p.s.workDone()
			p.busy = false
			defer p.updateButtons()
			if err != nil {
				if db != nil {
					db.Close()
				}
				p.setStatus(p.errorText(err))
				return
			}
			p.closeDB()
			p.db = db
			p.dbPath.SetText(path)
			p.setStatus("")
			p.show(v)
			p.remember(path)
		})
	})
}

// importPaths takes the summaries in paths (files or folders) into the
// Land database: all or nothing, with each file's outcome listed.
func (p *landPanel) importPaths(paths []string) {
	if p.db == nil || p.busy {
		return
	}
	allowed, err := signing.ReadAllowedSigners(p.allowedSigners)
	if err != nil {
		p.setStatus(p.errorText(err))
		return
	}
	p.busy = true
	p.updateButtons()
	p.setStatus(lang.L("aggregate.ui.importing"))
	db := p.db
	code := p.lang()
	p.s.background(func(ctx context.Context) {
		var sum aggregate.Summary
		var v *aggregate.LandView
		files, err := aggregate.Files(paths)
		if err == nil {
			sum, err = aggregate.Import(ctx, aggregate.SQLiteStore{DB: db}, files, allowed, time.Now())
		}
		if err == nil {
			v, err = aggregate.View(ctx, aggregate.SQLiteStore{DB: db}, time.Now())
		}
		fyne.Do(func() {
			defer p.s.workDone()
			p.busy = false
			defer p.updateButtons()
			if err != nil {
				p.setStatus(p.errorText(err))
				return
			}
			sum = sum.Localize(code)
			var b strings.Builder
			b.WriteString(sum.Line(code))
			for _, f := range sum.Files {
				fmt.Fprintf(&b, "\n%s: %s: %s", i18n.Escape(f.File), i18n.T(code, "aggregate.outcome."+f.Outcome), f.Message)
			}
			p.setStatus(b.String())
			p.show(v)
		})
	})
}

func (p *landPanel) onSaveHTML() {
	if p.view == nil {
		return
	}
	chooseSavePath(p.s.st.win, "land.html", []string{".html", ".htm"}, p.saveHTML)
}

// saveHTML writes the Land view shown as an HTML page (kicheck fleet
// --by-municipality --html) in the background.
func (p *landPanel) saveHTML(path string) {
	v, code := p.view, p.lang()
	p.s.background(func(context.Context) {
		err := aggregate.WriteHTMLFile(path, v, code)
		fyne.Do(func() {
			defer p.s.workDone()
			if err != nil {
				p.setStatus(lang.L("aggregate.ui.html_failed", map[string]any{"Detail": describeError(err)}))
				return
			}
			p.setStatus(lang.L("aggregate.ui.html_done", map[string]any{"Path": path}))
		})
	})
}

// show fills the total and the table.
func (p *landPanel) show(v *aggregate.LandView) {
	p.view = v
	code := p.lang()
	var total strings.Builder
	if err := aggregate.WriteText(&total, &aggregate.LandView{Total: v.Total, MinBucket: v.MinBucket, Municipalities: []aggregate.LandRow{{}}}, code); err == nil {
		// The first line of the text view is the total.
		line, _, _ := strings.Cut(total.String(), "\n")
		p.total.SetText(line)
	}
	if len(v.Municipalities) == 0 {
		setRows(p.table, nil, lang.L("aggregate.view.none"))
		return
	}
	rows := [][]fyne.CanvasObject{{bold(lang.L("aggregate.html.col_ags")), bold(lang.L("common.municipality")), bold(lang.L("fleet.html.col_devices")),
		bold(lang.L("level.ready")), bold(lang.L("aggregate.ui.col_other")), bold(lang.L("aggregate.ui.col_data"))}}
	for _, r := range v.Municipalities {
		other := []string{}
		for _, k := range []string{"limited", "not_ready", "unknown"} {
			if c := aggregate.Cell(code, r, k); c != "–" {
				other = append(other, c+" "+i18n.T(code, "level."+k))
			}
		}
		for _, g := range r.Merged {
			other = append(other, i18n.Int(g.Devices).Text(code)+" "+aggregate.LevelsText(code, g))
		}
		ready := aggregate.Cell(code, r, "ready")
		if ready != "–" {
			ready += " (" + aggregate.ShareCell(code, r) + ")"
		}
		rows = append(rows, []fyne.CanvasObject{widget.NewLabel(r.AGS), widget.NewLabel(i18n.Escape(r.Name)), right(i18n.Int(r.Devices).Text(code)),
			right(ready), wrapped(strings.Join(other, ", ")),
			widget.NewLabel(aggregate.DateText(code, r.From) + " – " + aggregate.DateText(code, r.To))})
	}
	setRows(p.table, rows, "")
}

func (p *landPanel) errorText(err error) string {
	var t i18n.Texter
	if errors.As(err, &t) {
		return t.Text(p.lang())
	}
	return describeError(err)
}

// remember keeps the Land database in the settings, so that the panel
// opens it again next time.
func (p *landPanel) remember(path string) {
	if p.s.st.settings.LandDB == path {
		return
	}
	p.s.st.settings.LandDB = path
	if err := settings.Save(p.s.st.loc, p.s.st.settings); err != nil {
		fyne.LogError("sammelstelle: remember the Land database", err)
	}
}

// reopen opens the Land database of the settings, if there is one.
func (p *landPanel) reopen() {
	if path := p.s.st.settings.LandDB; path != "" {
		if _, err := os.Stat(path); err == nil {
			p.openDB(path)
		}
	}
}

func (p *landPanel) closeDB() {
	if p.db != nil {
		p.db.Close()
		p.db = nil
	}
}
