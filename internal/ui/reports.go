package ui

import (
	"context"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// reportsScreen ("Berichte") lists the past checks, exports a report to a
// folder the user picks, opens its PDF, and shows the key IT needs to
// trust this PC's reports.
type reportsScreen struct {
	st *state

	deviceID    *widget.Label
	fingerprint *widget.Label
	signerLine  *widget.Label
	copyBtn     *kcButton
	list        *widget.List
	empty       *widget.Label
	exportBtn   *kcButton
	openBtn     *kcButton
	status      *widget.Label

	rows     []report.Stored
	selected int
}

func newReportsScreen(st *state) *reportsScreen { return &reportsScreen{st: st, selected: -1} }

func (s *reportsScreen) title() string       { return lang.L("nav.reports") }
func (s *reportsScreen) icon() fyne.Resource { return theme.DocumentIcon() }

func (s *reportsScreen) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("nav.reports"))
	intro := wrapped(lang.L("reports.intro"))

	s.deviceID = selectable("")
	s.fingerprint = selectable("")
	s.signerLine = selectable("")
	s.signerLine.Wrapping = fyne.TextWrapBreak
	s.copyBtn = newKCButtonWithIcon(lang.L("reports.copy_line"), theme.ContentCopyIcon(), s.onCopyLine)
	keyNote := wrapped(lang.L("reports.key_note"))
	keyCard := widget.NewCard(lang.L("reports.key"), "", container.NewVBox(
		widget.NewForm(
			widget.NewFormItem(lang.L("reports.device_id"), s.deviceID),
			widget.NewFormItem(lang.L("reports.fingerprint"), s.fingerprint),
			widget.NewFormItem(lang.L("reports.allowed_signers"), s.signerLine),
		),
		container.NewHBox(s.copyBtn), keyNote))

	s.list = widget.NewList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			return widget.NewLabel("26.11.2026 23:30 · eingeschränkt · unvollständig")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.rowText(id)) },
	)
	s.list.OnSelected = s.onSelect
	s.list.OnUnselected = func(widget.ListItemID) { s.selected = -1; s.updateButtons() }
	s.empty = widget.NewLabel(lang.L("reports.none"))
	s.exportBtn = newKCButtonWithIcon(lang.L("reports.export"), theme.DocumentSaveIcon(), s.onExport)
	s.openBtn = newKCButtonWithIcon(lang.L("reports.open_pdf"), theme.FileIcon(), s.onOpenPDF)
	s.status = wrapped("")

	listArea := container.NewStack(s.list, s.empty)
	top := container.NewVBox(heading, intro, keyCard,
		widget.NewLabelWithStyle(lang.L("reports.past"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	bottom := container.NewVBox(container.NewHBox(s.exportBtn, s.openBtn), s.status)

	s.st.onReportsChanged = append(s.st.onReportsChanged, s.reload)
	s.loadKey()
	s.reload()
	return container.NewBorder(top, bottom, nil, nil, listArea)
}

// selectable is a label whose text can be selected and copied.
func selectable(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Selectable = true
	return l
}

// loadKey shows the installation's key (made now if this is the first use).
func (s *reportsScreen) loadKey() {
	k, err := signing.Load(s.st.dataDir)
	if err != nil {
		s.deviceID.SetText(describeError(err))
		s.copyBtn.Disable()
		return
	}
	s.deviceID.SetText(k.DeviceID())
	s.fingerprint.SetText(k.Fingerprint())
	s.signerLine.SetText(signing.AllowedSignersLine(k.Public()))
}

func (s *reportsScreen) onCopyLine() {
	s.st.app.Clipboard().SetContent(s.signerLine.Text)
	s.status.SetText(lang.L("reports.copied"))
}

// reload reads the list of checks from the database.
func (s *reportsScreen) reload() {
	s.rows = nil
	if s.st.db != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		rows, err := report.List(ctx, s.st.db, 500)
		cancel()
		if err != nil {
			s.status.SetText(describeError(err))
		}
		s.rows = rows
	} else if s.st.dbErr != nil {
		s.status.SetText(describeError(s.st.dbErr))
	}
	s.selected = -1
	s.list.UnselectAll()
	s.list.Refresh()
	if len(s.rows) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
		s.list.Select(0)
	}
	s.updateButtons()
}

func (s *reportsScreen) rowText(id int) string {
	if id < 0 || id >= len(s.rows) {
		return ""
	}
	r := s.rows[id]
	text := i18n.DateTime(s.st.settings.Language, r.Created.Local()) + " · " + levelText(r.Overall)
	if r.Status == report.StatusIncomplete {
		text += " · " + lang.L("common.incomplete")
	}
	if r.LastExport != nil {
		text += " · " + lang.L("reports.exported_to", map[string]any{"Path": r.LastExport.JSON})
	}
	return text
}

func (s *reportsScreen) onSelect(id widget.ListItemID) {
	s.selected = id
	s.updateButtons()
}

func (s *reportsScreen) updateButtons() {
	if s.selected >= 0 && s.selected < len(s.rows) {
		s.exportBtn.Enable()
		s.openBtn.Enable()
	} else {
		s.exportBtn.Disable()
		s.openBtn.Disable()
	}
}

func (s *reportsScreen) current() (report.Stored, bool) {
	if s.selected < 0 || s.selected >= len(s.rows) {
		return report.Stored{}, false
	}
	return s.rows[s.selected], true
}

func (s *reportsScreen) onExport() {
	r, ok := s.current()
	if !ok {
		return
	}
	exportWithDialog(s.st, r, func(f report.Files, err error) {
		if err != nil {
			s.status.SetText(lang.L("reports.export_failed", map[string]any{"Detail": err.Error()}))
			return
		}
		s.status.SetText(lang.L("reports.exported", map[string]any{"Path": f.JSON, "PDF": f.PDF}))
		s.st.reportsChanged()
	})
}

func (s *reportsScreen) onOpenPDF() {
	r, ok := s.current()
	if !ok {
		return
	}
	openPDF(s.st, r, func(err error) {
		if err != nil {
			s.status.SetText(lang.L("reports.open_failed", map[string]any{"Detail": err.Error()}))
		}
	})
}

// exportWithDialog asks for a folder (starting in Documents) and exports
// the report there; done runs on the UI goroutine.
func exportWithDialog(st *state, r report.Stored, done func(report.Files, error)) {
	chooseFolder(st.win, documentsFolder(), func(dir string) {
		st.goBackground(func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			f, err := check.Export(ctx, st.db, r.ID, r.JSONPath, dir, st.settings.Language)
			fyne.Do(func() { done(f, err) })
		})
	})
}

// openPDF makes (if needed) and opens the report's PDF in the PDF viewer.
func openPDF(st *state, r report.Stored, done func(error)) {
	st.goBackground(func(context.Context) {
		path, err := check.PDFFor(r, st.settings.Language)
		fyne.Do(func() {
			if err != nil {
				done(err)
				return
			}
			u, err := url.Parse(storage.NewFileURI(path).String())
			if err == nil {
				err = st.app.OpenURL(u)
			}
			done(err)
		})
	})
}

// levelText is the level's word in the UI language.
func levelText(level string) string {
	switch level {
	case report.LevelReady:
		return lang.L("level.ready")
	case report.LevelLimited:
		return lang.L("level.limited")
	case report.LevelNotReady:
		return lang.L("level.not_ready")
	}
	return lang.L("level.unknown")
}
