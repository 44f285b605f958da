package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
)

// processesScreen is "Prozesse" (Phase 2, "Wo bringt KI am meisten?"):
// the municipality's surveyed processes ranked with their benefit,
// feasibility, quadrant and legal class; a form to add or edit one (the
// legal facts asked as internal/aiact's plain questions); survey sheets
// imported with their conflicts shown to decide, never overwritten; the
// empty template; the portfolio matrix with a text list beside it; a
// hotspot's Steckbrief and the exports; the Erprobung (processes_trial.go).
// Everything it shows is computed by internal/hotspot.
type processesScreen struct {
	st *state

	newBtn, editBtn, deleteBtn *kcButton
	importBtn, templateBtn     *kcButton
	steckbriefBtn, exportBtn   *kcButton
	trialBtn                   *kcButton
	format                     *widget.Select
	status                     *widget.Label
	problems                   *widget.Label
	conflictBox                *fyne.Container
	conflictList               *fyne.Container
	conflictApply              *kcButton
	table                      *widget.Table
	matrix                     *portfolioMatrix
	matrixText                 *widget.Label
	summary                    *widget.Label

	pf        hotspot.Portfolio
	in        hotspot.Inputs
	selected  string // process id
	conflicts []hotspot.Conflict
	choices   []*widget.RadioGroup
	form      *processForm // the open form, if any
	trial     *trialPanel  // the open Erprobung, if any
	loaded    bool
	shown     int // how often show ran (tests wait for it)
}

func newProcessesScreen(st *state) *processesScreen { return &processesScreen{st: st} }

func (s *processesScreen) title() string       { return lang.L("nav.processes") }
func (s *processesScreen) icon() fyne.Resource { return theme.ListIcon() }
func (s *processesScreen) lang() string        { return s.st.settings.Language }

// columns of the ranked list.
var processColumns = []string{"rank", "name", "unit", "hours", "feasibility", "quadrant", "class"}

func (s *processesScreen) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("processes.heading"))
	intro := wrapped(lang.L("processes.intro"))

	s.newBtn = newKCButtonWithIcon(lang.L("processes.new"), theme.ContentAddIcon(), s.onNew)
	s.editBtn = newKCButtonWithIcon(lang.L("processes.edit"), theme.DocumentCreateIcon(), s.onEdit)
	s.deleteBtn = newKCButtonWithIcon(lang.L("processes.delete"), theme.DeleteIcon(), s.onDelete)
	s.importBtn = newKCButtonWithIcon(lang.L("processes.import"), theme.FolderOpenIcon(), s.onImport)
	s.templateBtn = newKCButtonWithIcon(lang.L("processes.template"), theme.DocumentSaveIcon(), s.onTemplate)
	s.steckbriefBtn = newKCButtonWithIcon(lang.L("processes.steckbrief"), theme.InfoIcon(), s.onSteckbrief)
	s.trialBtn = newKCButtonWithIcon(lang.L("processes.trial"), theme.MediaPlayIcon(), s.onTrial)
	s.format = widget.NewSelect(exportFormatLabels(), nil)
	s.format.SetSelectedIndex(0)
	s.exportBtn = newKCButtonWithIcon(lang.L("common.export"), theme.UploadIcon(), s.onExport)
	s.status = wrapped("")
	s.status.Hide()
	s.problems = wrapped("")
	s.problems.Importance = widget.DangerImportance
	s.problems.Hide()
	s.conflictList = container.NewVBox()
	s.conflictApply = newKCButtonWithIcon(lang.L("processes.conflicts_apply"), theme.ConfirmIcon(), s.onResolve)
	s.conflictApply.Importance = widget.HighImportance
	s.conflictBox = container.NewVBox(
		widget.NewLabelWithStyle(lang.L("processes.conflicts_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(lang.L("processes.conflicts_intro")), s.conflictList, container.NewHBox(s.conflictApply))
	s.conflictBox.Hide()

	s.table = widget.NewTable(s.tableSize, func() fyne.CanvasObject {
		l := widget.NewLabel("Schnell umsetzen 000")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, s.tableCell)
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(processColumns) {
			o.(*widget.Label).SetText(columnTitle(processColumns[id.Col]))
		}
	}
	for i, w := range []float32{46, 240, 100, 90, 115, 140, 190} {
		s.table.SetColumnWidth(i, w)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.pf.Hotspots) {
			s.selected = s.pf.Hotspots[id.Row].Process.ID
		}
		s.updateButtons()
	}

	s.matrix = newPortfolioMatrix()
	s.matrixText = wrapped("")
	s.summary = wrapped("")

	tools := container.NewHBox(s.newBtn, s.editBtn, s.deleteBtn, s.steckbriefBtn, s.trialBtn)
	files := container.NewHBox(s.importBtn, s.templateBtn, widget.NewLabel(lang.L("processes.export_format")), s.format, s.exportBtn)
	listCard := widget.NewCard(lang.L("hotspot.portfolio.ranking"), "", minHeight(s.table, 330))
	matrixCard := widget.NewCard(lang.L("processes.matrix"), lang.L("processes.matrix_sub"),
		container.NewBorder(nil, nil, nil, minSize(container.NewVScroll(s.matrixText), 330, 430), minHeight(s.matrix, 430)))
	s.updateButtons()
	s.reload()
	return container.NewVScroll(container.NewVBox(heading, intro, tools, files, s.status, s.problems, s.conflictBox,
		s.summary, listCard, matrixCard))
}

// minHeight gives o at least height h in a VBox (a table or chart has no
// height of its own there).
func minHeight(o fyne.CanvasObject, h float32) fyne.CanvasObject { return minSize(o, 0, h) }

func minSize(o fyne.CanvasObject, w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, h))
	return container.NewStack(r, o)
}

func exportFormatLabels() []string {
	out := make([]string, len(hotspot.Formats))
	for i, f := range hotspot.Formats {
		out[i] = formatLabel(f)
	}
	return out
}

func (s *processesScreen) selectedFormat() string {
	i := s.format.SelectedIndex()
	if i < 0 || i >= len(hotspot.Formats) {
		return hotspot.FormatPDF
	}
	return hotspot.Formats[i]
}

func (s *processesScreen) setStatus(text string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(text)
	if text == "" {
		s.status.Hide()
	} else {
		s.status.Show()
	}
}

func (s *processesScreen) updateButtons() {
	have := s.selected != "" && s.st.db != nil
	for _, b := range []*kcButton{s.editBtn, s.deleteBtn, s.steckbriefBtn, s.trialBtn} {
		if have {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	for _, b := range []*kcButton{s.newBtn, s.importBtn} {
		if s.st.db != nil && s.in.Catalogue != nil {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if len(s.pf.Hotspots) > 0 {
		s.exportBtn.Enable()
	} else {
		s.exportBtn.Disable()
	}
}

// reload scores the stored processes in the background and shows them.
func (s *processesScreen) reload() {
	if s.st.db == nil {
		if s.st.dbErr != nil {
			s.setStatus(describeError(s.st.dbErr), widget.DangerImportance)
		}
		return
	}
	s.st.goBackground(func(ctx context.Context) {
		in, warn, err := hotspot.LoadInputs(ctx, s.st.db, s.st.dataDir)
		if path := s.st.settings.CollectDB; err == nil && path != "" {
			// The Sammelstelle's share of ready PCs per unit counts as
			// measured readiness; without it the portfolio still scores.
			if shares, ferr := hotspot.ReadFleetShares(ctx, path); ferr == nil {
				in.Readiness.UnitReadyShare = shares
			}
		}
		var ps []hotspot.Process
		if err == nil {
			ps, err = hotspot.List(ctx, s.st.db)
		}
		var pf hotspot.Portfolio
		if err == nil {
			pf = hotspot.Score(ps, in)
			// The Erprobung's pass rate and speed on the Steckbrief.
			if ts, terr := hotspot.LatestTrials(ctx, s.st.db); terr == nil {
				hotspot.AttachTrials(&pf, ts)
			}
		}
		fyne.Do(func() {
			if err != nil {
				s.setStatus(describeError(err), widget.DangerImportance)
				return
			}
			if warn != nil {
				s.setStatus(lang.L("processes.cost_warning", map[string]any{"Detail": warn.Error()}), widget.WarningImportance)
			}
			s.in, s.pf, s.loaded = in, pf, true
			s.show()
		})
	})
}

// show fills the list, the matrix and its text list from s.pf.
func (s *processesScreen) show() {
	s.shown++
	l := s.lang()
	sel := s.selected
	s.selected = ""
	s.table.UnselectAll()
	s.table.Refresh()
	if sel != "" {
		s.selectID(sel)
	}
	s.matrix.set(&s.pf, l)
	s.matrixText.SetText(matrixListText(&s.pf, l))
	if len(s.pf.Hotspots) == 0 {
		s.summary.SetText(lang.L("processes.empty"))
	} else {
		counts := map[string]int{}
		for _, h := range s.pf.Hotspots {
			counts[h.Quadrant]++
		}
		var parts []string
		for _, q := range hotspot.Quadrants {
			parts = append(parts, fmt.Sprintf("%s: %d", i18n.Msg{ID: "hotspot.quadrant." + q}.Text(l), counts[q]))
		}
		s.summary.SetText(lang.L("processes.summary", map[string]any{"Count": len(s.pf.Hotspots),
			"Quadrants": strings.Join(parts, " · "), "Stand": s.pf.LegalStand}))
	}
	s.updateButtons()
}

func (s *processesScreen) tableSize() (int, int) { return len(s.pf.Hotspots), len(processColumns) }

func (s *processesScreen) tableCell(id widget.TableCellID, o fyne.CanvasObject) {
	lbl := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(s.pf.Hotspots) {
		lbl.SetText("")
		return
	}
	lbl.SetText(hotspotCell(s.pf.Hotspots[id.Row], processColumns[id.Col], s.lang()))
}

// hotspotCell is one cell of the ranked list.
func hotspotCell(h hotspot.Hotspot, col, l string) string {
	switch col {
	case "rank":
		return fmt.Sprint(h.Rank)
	case "id":
		return h.Process.ID
	case "name":
		return h.Process.Name
	case "unit":
		return h.Process.Unit
	case "task":
		return h.Task.Title(l)
	case "hours":
		return i18n.Grouped(l, h.Hours, 0) + " h"
	case "feasibility":
		return i18n.Grouped(l, h.Feasibility, 0) + " / 100"
	case "quadrant":
		return i18n.Msg{ID: "hotspot.quadrant." + h.Quadrant}.Text(l)
	case "class":
		return h.Legal.Result.Class.Label().Text(l)
	}
	return ""
}

// matrixListText is the matrix as text, one line per bubble, so that the
// colour is never the only carrier of the legal class.
func matrixListText(pf *hotspot.Portfolio, l string) string {
	if len(pf.Hotspots) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(lang.L("processes.matrix_axes", map[string]any{"Threshold": i18n.Grouped(l, pf.BenefitThreshold, 0),
		"FThreshold": i18n.Grouped(l, pf.FeasibilityThreshold, 0)}))
	for _, h := range pf.Hotspots {
		b.WriteString("\n")
		b.WriteString(lang.L("processes.matrix_line", map[string]any{"Rank": h.Rank, "Name": h.Process.Name,
			"Hours": i18n.Grouped(l, h.Hours, 0), "Feasibility": i18n.Grouped(l, h.Feasibility, 0),
			"Class": h.Legal.Result.Class.Label().Text(l), "Quadrant": i18n.Msg{ID: "hotspot.quadrant." + h.Quadrant}.Text(l)}))
	}
	return b.String()
}

func (s *processesScreen) selectedHotspot() (*hotspot.Hotspot, bool) {
	if s.selected == "" {
		return nil, false
	}
	return s.pf.Get(s.selected)
}

// selectID selects a process in the list (tests, after saving the form).
func (s *processesScreen) selectID(id string) bool {
	for i, h := range s.pf.Hotspots {
		if h.Process.ID == id {
			s.table.Select(widget.TableCellID{Row: i, Col: 1})
			s.selected = id
			s.updateButtons()
			return true
		}
	}
	return false
}

func (s *processesScreen) onNew() {
	if s.in.Catalogue == nil {
		return
	}
	s.openForm(hotspot.Process{Area: "keiner"}, true)
}

func (s *processesScreen) onEdit() {
	h, ok := s.selectedHotspot()
	if !ok {
		return
	}
	s.openForm(h.Process, false)
}

func (s *processesScreen) onDelete() {
	h, ok := s.selectedHotspot()
	if !ok {
		return
	}
	id := h.Process.ID
	dialog.ShowConfirm(lang.L("processes.delete_title"), lang.L("processes.delete_confirm", map[string]any{"Name": h.Process.Name, "ID": id}),
		func(yes bool) {
			if yes {
				s.deleteID(id)
			}
		}, s.st.win)
}

func (s *processesScreen) deleteID(id string) {
	s.st.goBackground(func(ctx context.Context) {
		_, err := hotspot.Delete(ctx, s.st.db, id)
		fyne.Do(func() {
			if err != nil {
				s.setStatus(describeError(err), widget.DangerImportance)
				return
			}
			s.setStatus(lang.L("processes.deleted", map[string]any{"ID": id}), widget.MediumImportance)
			s.reload()
		})
	})
}

// onImport asks for a survey sheet (CSV) and imports it.
func (s *processesScreen) onImport() {
	choosePath(s.st.win, []string{".csv", ".txt"}, func(path string) { s.importPaths([]string{path}) })
}

// importPaths reads and imports survey sheets: with any problem nothing is
// stored and every problem is listed; conflicts are shown to decide.
func (s *processesScreen) importPaths(paths []string) {
	if s.in.Catalogue == nil || s.st.db == nil {
		return
	}
	tasks := s.in.Catalogue.TaskIDs()
	l := s.lang()
	s.setStatus(lang.L("processes.importing"), widget.MediumImportance)
	s.importBtn.Disable()
	s.st.goBackground(func(ctx context.Context) {
		sheets, probs := hotspot.ReadFiles(paths, tasks)
		var res hotspot.ImportResult
		var err error
		if probs == nil {
			res, err = hotspot.Import(ctx, s.st.db, sheets, hotspot.ImportOptions{})
		}
		fyne.Do(func() {
			s.updateButtons()
			switch {
			case probs != nil:
				s.showProblems(probs, l)
				s.setStatus(lang.L("processes.import_refused", map[string]any{"Count": len(probs)}), widget.DangerImportance)
				return
			case err != nil:
				s.setStatus(describeError(err), widget.DangerImportance)
				return
			}
			s.problems.Hide()
			var names []string
			for _, p := range paths {
				names = append(names, filepath.Base(p))
			}
			s.setStatus(lang.L("processes.imported", map[string]any{"Files": strings.Join(names, ", "), "Added": len(res.Added),
				"Updated": len(res.Updated), "Unchanged": len(res.Unchanged), "Conflicts": len(res.Conflicts)}), widget.SuccessImportance)
			s.showConflicts(res.Conflicts)
			s.reload()
		})
	})
}

func (s *processesScreen) showProblems(ps hotspot.Problems, l string) {
	var lines []string
	for i, p := range ps {
		if i == maxShownErrors {
			lines = append(lines, lang.L("common.more_errors", map[string]any{"Count": len(ps) - maxShownErrors}))
			break
		}
		line := p.Where(l) + ": " + p.Msg.Text(l)
		if p.Hint.ID != "" {
			line += " " + lang.L("processes.hint", map[string]any{"Hint": p.Hint.Text(l)})
		}
		lines = append(lines, line)
	}
	s.problems.SetText(strings.Join(lines, "\n"))
	s.problems.Show()
}

// showConflicts lists each conflict with its differences and a choice of
// which side to keep; nothing is stored until "Auswahl übernehmen".
func (s *processesScreen) showConflicts(cs []hotspot.Conflict) {
	s.conflicts = cs
	s.choices = nil
	s.conflictList.Objects = nil
	if len(cs) == 0 {
		s.conflictBox.Hide()
		return
	}
	for _, c := range cs {
		aSrc := filepath.Base(c.A.Source.File)
		if c.Stored {
			aSrc = lang.L("processes.conflict_stored", map[string]any{"File": aSrc})
		}
		bSrc := filepath.Base(c.B.Source.File)
		var diffs []string
		for _, d := range c.Diffs {
			diffs = append(diffs, lang.L("processes.conflict_diff", map[string]any{"Column": d.Column, "A": d.A, "B": d.B}))
		}
		text := lang.L("processes.conflict", map[string]any{"ID": c.ID, "Name": c.A.Name, "A": aSrc, "B": bSrc}) + "\n" + strings.Join(diffs, "\n")
		keepA := lang.L("processes.keep", map[string]any{"Source": aSrc})
		keepB := lang.L("processes.keep", map[string]any{"Source": bSrc})
		undecided := lang.L("processes.keep_undecided")
		radio := widget.NewRadioGroup([]string{undecided, keepA, keepB}, nil)
		radio.SetSelected(undecided)
		s.choices = append(s.choices, radio)
		s.conflictList.Add(widget.NewCard("", "", container.NewVBox(wrapped(text), radio)))
	}
	s.conflictBox.Show()
	s.conflictBox.Refresh()
}

// onResolve stores the side chosen for every decided conflict.
func (s *processesScreen) onResolve() {
	var keep []hotspot.Process
	var open []hotspot.Conflict
	for i, c := range s.conflicts {
		switch s.choices[i].Selected {
		case s.choices[i].Options[1]:
			if !c.Stored {
				keep = append(keep, c.A)
			}
		case s.choices[i].Options[2]:
			keep = append(keep, c.B)
		default:
			open = append(open, c)
		}
	}
	tasks := s.in.Catalogue.TaskIDs()
	l := s.lang()
	s.st.goBackground(func(ctx context.Context) {
		var probs hotspot.Problems
		var err error
		for _, p := range keep {
			var ps hotspot.Problems
			if ps, err = hotspot.Save(ctx, s.st.db, p, tasks); err != nil {
				break
			}
			probs = append(probs, ps...)
		}
		fyne.Do(func() {
			if err != nil {
				s.setStatus(describeError(err), widget.DangerImportance)
				return
			}
			if probs != nil {
				s.showProblems(probs, l)
			}
			s.setStatus(lang.L("processes.resolved", map[string]any{"Count": len(s.conflicts) - len(open), "Open": len(open)}), widget.SuccessImportance)
			s.showConflicts(open)
			s.reload()
		})
	})
}

// onTemplate asks where to write the empty survey sheet; its explanations
// are written beside it.
func (s *processesScreen) onTemplate() {
	if s.in.Catalogue == nil {
		return
	}
	chooseSavePath(s.st.win, hotspot.TemplateSheet, []string{".csv"}, s.writeTemplate)
}

func (s *processesScreen) writeTemplate(path string) {
	cat, l := s.in.Catalogue, s.lang()
	s.st.goBackground(func(context.Context) {
		paths, err := hotspot.WriteTemplate(path, cat, l)
		fyne.Do(func() {
			if err != nil {
				s.setStatus(describeError(err), widget.DangerImportance)
				return
			}
			s.setStatus(lang.L("processes.template_written", map[string]any{"Files": strings.Join(paths, ", ")}), widget.SuccessImportance)
		})
	})
}

// onExport asks for a folder and writes the chosen export (signed).
func (s *processesScreen) onExport() {
	chooseFolder(s.st.win, "", func(dir string) { s.export(dir, s.selectedFormat(), "") })
}

// export writes one export file and its signature into dir; id is a
// Steckbrief's process ("" = the whole portfolio).
func (s *processesScreen) export(dir, format, id string) {
	pf, cat := s.pf, s.in.Catalogue
	m := hotspot.Meta{Created: time.Now(), Lang: s.lang()}
	s.st.goBackground(func(context.Context) {
		paths, err := exportHotspots(&pf, cat, m, format, id, s.st.dataDir, dir)
		fyne.Do(func() {
			if err != nil {
				s.setStatus(describeError(err), widget.DangerImportance)
				return
			}
			s.setStatus(lang.L("processes.exported", map[string]any{"Files": strings.Join(paths, ", ")}), widget.SuccessImportance)
		})
	})
}

func exportHotspots(pf *hotspot.Portfolio, cat *hotspot.Catalogue, m hotspot.Meta, format, id, dataDir, dir string) ([]string, error) {
	name, data, err := hotspot.Render(pf, cat, m, format, id)
	if err != nil {
		return nil, err
	}
	key, err := signing.Load(dataDir)
	if err != nil {
		return nil, err
	}
	signed, err := hotspot.Sign(key, name, data)
	if err != nil {
		return nil, err
	}
	return hotspot.WriteFiles(dir, []hotspot.Signed{signed})
}

// onSteckbrief shows the selected hotspot's Steckbrief with buttons to
// save it as PDF or HTML.
func (s *processesScreen) onSteckbrief() {
	h, ok := s.selectedHotspot()
	if !ok {
		return
	}
	id := h.Process.ID
	text := steckbriefText(*h, len(s.pf.Hotspots), s.lang())
	body := wrapped(text)
	trials := wrapped("")
	l := s.lang()
	s.st.goBackground(func(ctx context.Context) {
		ts, err := hotspot.Trials(ctx, s.st.db, id)
		if err != nil {
			return
		}
		fyne.Do(func() { trials.SetText(lang.L("processes.sb.trial") + "\n" + trialsText(ts, l)) })
	})
	var d dialog.Dialog
	pdf := newKCButtonWithIcon(lang.L("processes.save_pdf"), theme.DocumentSaveIcon(), func() {
		d.Hide()
		chooseFolder(s.st.win, "", func(dir string) { s.export(dir, hotspot.FormatPDF, id) })
	})
	html := newKCButtonWithIcon(lang.L("processes.save_html"), theme.DocumentSaveIcon(), func() {
		d.Hide()
		chooseFolder(s.st.win, "", func(dir string) { s.export(dir, hotspot.FormatHTML, id) })
	})
	content := container.NewBorder(nil, container.NewHBox(pdf, html), nil, nil, container.NewVScroll(container.NewVBox(body, trials)))
	d = dialog.NewCustom(lang.L("processes.steckbrief_title", map[string]any{"Name": h.Process.Name}), lang.L("common.close"), content, s.st.win)
	d.Resize(fyne.NewSize(900, 640))
	d.Show()
}

// steckbriefText is the Steckbrief as text for the dialog: the same
// figures as the PDF (internal/hotspot renders those).
func steckbriefText(h hotspot.Hotspot, of int, l string) string {
	pf := hotspot.Portfolio{Hotspots: []hotspot.Hotspot{h}}
	pf.Localize(l)
	h = pf.Hotspots[0]
	var b strings.Builder
	line := func(k string, v string) { fmt.Fprintf(&b, "%s: %s\n", k, v) }
	line(lang.L("processes.sb.unit"), h.Process.Unit)
	line(lang.L("hotspot.portfolio.rank"), lang.L("processes.sb.rank_of", map[string]any{"Rank": h.Rank, "Of": of})+" · "+h.QuadrantText)
	line(lang.L("hotspot.portfolio.task"), h.Task.Title(l)+" – "+h.Task.Text(l))
	model := h.Model
	if model == "" {
		model = lang.L("processes.sb.no_model")
	}
	line(lang.L("processes.sb.model"), model)
	for _, p := range h.Places {
		mark := lang.L("processes.sb.allowed")
		if !p.Allowed {
			mark = lang.L("processes.sb.not_allowed")
		}
		line(lang.L("processes.sb.place"), i18n.Msg{ID: "hotspot.place." + p.ID}.Text(l)+" ("+mark+"): "+p.Text)
	}
	line(lang.L("processes.sb.hours"), i18n.Grouped(l, h.Hours, 1)+" h")
	if h.EUR != nil {
		line(lang.L("processes.sb.eur"), i18n.Grouped(l, *h.EUR, 0)+" €")
	} else {
		line(lang.L("processes.sb.eur"), lang.L("processes.sb.eur_missing"))
	}
	line(lang.L("hotspot.sb.feasibility"), i18n.Grouped(l, h.Feasibility, 1)+" / 100")
	for _, p := range h.Parts {
		b.WriteString("  · " + p.Text + "\n")
	}
	line(lang.L("processes.col.class"), h.Legal.ClassLabel+" ("+lang.L("processes.sb.stand", map[string]any{"Stand": h.Legal.Stand})+")")
	if h.Legal.Automation != "" {
		line(lang.L("processes.sb.automation"), h.Legal.Automation)
	}
	for _, d := range h.Legal.Duties {
		b.WriteString("  · " + d.Article + ": " + d.Text + "\n")
	}
	b.WriteString("\n" + lang.L("processes.sb.trace") + "\n")
	for _, t := range h.TraceText {
		b.WriteString("  · " + t + "\n")
	}
	b.WriteString("\n" + lang.L("processes.sb.next") + "\n")
	for i, t := range h.NextText {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, t)
	}
	return strings.TrimRight(b.String(), "\n")
}

// Literal message ids, so TestEveryUIStringIsTranslated can check them.

func columnTitle(col string) string {
	switch col {
	case "rank":
		return lang.L("hotspot.portfolio.rank")
	case "name":
		return lang.L("hotspot.portfolio.process")
	case "unit":
		return lang.L("common.unit")
	case "hours":
		return lang.L("processes.col.hours")
	case "feasibility":
		return lang.L("hotspot.sb.feasibility")
	case "quadrant":
		return lang.L("hotspot.portfolio.quadrant")
	case "class":
		return lang.L("processes.col.class")
	}
	return col
}

func formatLabel(f string) string {
	switch f {
	case hotspot.FormatJSON:
		return lang.L("processes.format.json")
	case hotspot.FormatCSV:
		return lang.L("processes.format.csv")
	case hotspot.FormatHTML:
		return lang.L("processes.format.html")
	case hotspot.FormatPDF:
		return lang.L("processes.format.pdf")
	case hotspot.FormatRegister:
		return lang.L("processes.format.algoritmeregister")
	}
	return f
}
