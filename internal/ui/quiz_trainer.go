package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/quizsession"
	"github.com/ki-reise/kicheck/internal/quizstats"
)

// quizTrainer is the trainer part of the Quiz screen: start a session,
// see the sessions and their participants, merge result files from other
// PCs, finish a session, read the item statistics, save the CSV and the
// Art. 4 evidence, delete a participant's data.
type quizTrainer struct {
	q *quizScreen

	quizSel   *widget.Select
	quizIDs   []string
	titleIn   *widget.Entry
	perCell   *widget.Entry
	seedIn    *widget.Entry
	minutes   *widget.Entry
	cbm       *widget.Check
	startBtn  *kcButton
	status    *widget.Label
	sessions  *widget.List
	list      []quizsession.Summary
	selected  string
	detail    *widget.Label
	statsBox  *fyne.Container
	partSel   *widget.Select
	buttons   []*kcButton
	lastStats *quizstats.Report
}

func newQuizTrainer(q *quizScreen) *quizTrainer { return &quizTrainer{q: q} }

func (t *quizTrainer) buildUI() fyne.CanvasObject {
	t.quizSel = widget.NewSelect(nil, nil)
	t.titleIn = widget.NewEntry()
	t.titleIn.SetPlaceHolder(lang.L("quiz.title_hint"))
	t.perCell = widget.NewEntry()
	t.perCell.SetPlaceHolder(lang.L("quiz.per_cell_hint"))
	t.seedIn = widget.NewEntry()
	t.seedIn.SetPlaceHolder(lang.L("quiz.seed_hint"))
	t.minutes = widget.NewEntry()
	t.minutes.SetPlaceHolder(lang.L("quiz.minutes_hint"))
	t.cbm = widget.NewCheck(lang.L("quiz.cbm"), nil)
	t.startBtn = newKCButtonWithIcon(lang.L("quiz.new_session"), theme.ContentAddIcon(), t.onNewSession)
	t.startBtn.Importance = widget.HighImportance
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("common.quiz"), t.quizSel),
		widget.NewFormItem(lang.L("quiz.title"), t.titleIn),
		widget.NewFormItem(lang.L("quiz.per_cell"), t.perCell),
		widget.NewFormItem(lang.L("quiz.seed"), t.seedIn),
		widget.NewFormItem(lang.L("quiz.minutes"), t.minutes),
		widget.NewFormItem("", t.cbm),
	)
	newCard := widget.NewCard(lang.L("quiz.new_heading"), "", container.NewVBox(form, container.NewHBox(t.startBtn), t.status))

	t.sessions = widget.NewList(func() int { return len(t.list) },
		func() fyne.CanvasObject {
			return widget.NewLabel("Sitzung mit langem Titel – s-20261126-abcdef (12)")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			s := t.list[i]
			status := lang.L("quiz.status_open")
			if s.Status == quizsession.StatusFinished {
				status = lang.L("quiz.status_finished")
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s – %s (%d, %s)", s.Title, s.ID, s.Participants, status))
		})
	t.sessions.OnSelected = func(i widget.ListItemID) { t.selectSession(t.list[i].ID) }
	t.detail = widget.NewLabel(lang.L("quiz.pick_session"))
	t.detail.Wrapping = fyne.TextWrapWord
	t.partSel = widget.NewSelect(nil, nil)
	t.partSel.PlaceHolder = lang.L("quiz.participant")
	btn := func(label string, icon fyne.Resource, f func()) *kcButton {
		b := newKCButtonWithIcon(label, icon, f)
		t.buttons = append(t.buttons, b)
		return b
	}
	actions := container.NewGridWrap(fyne.NewSize(230, 36),
		btn(lang.L("quiz.stats"), theme.InfoIcon(), t.onStats),
		btn(lang.L("quiz.csv"), theme.DocumentSaveIcon(), t.onSaveCSV),
		btn(lang.L("quiz.evidence"), theme.DocumentSaveIcon(), t.onSaveEvidence),
		btn(lang.L("quiz.merge"), theme.FolderOpenIcon(), t.onMerge),
		btn(lang.L("quiz.finish_session"), theme.MediaStopIcon(), t.onFinishSession),
	)
	deleteRow := container.NewBorder(nil, nil, nil,
		container.NewHBox(btn(lang.L("quiz.export_result"), theme.UploadIcon(), t.onExportResult), btn(lang.L("quiz.delete"), theme.DeleteIcon(), t.onDelete)), t.partSel)
	t.statsBox = container.NewVBox()
	sessionsCard := widget.NewCard(lang.L("quiz.sessions_heading"), "", container.NewBorder(nil, nil, nil, nil,
		container.NewVBox(container.NewGridWrap(fyne.NewSize(600, 180), t.sessions), t.detail, actions, deleteRow, t.statsBox)))
	parts := []fyne.CanvasObject{newCard, sessionsCard}
	if imp := t.importWidget(); imp != nil {
		parts = append(parts, imp)
	}
	t.refresh()
	t.setActionsEnabled(false)
	return container.NewVScroll(container.NewVBox(parts...))
}

// refresh reloads the quizzes and sessions.
func (t *quizTrainer) refresh() {
	ctx := context.Background()
	lib, err := quizsession.LoadLibrary(t.q.st.dataDir)
	if err != nil {
		t.q.showError(err)
		return
	}
	if err := lib.AddBank(ctx, t.q.st.db); err != nil {
		t.q.showError(err)
	}
	if len(lib.Warnings) > 0 {
		lines := make([]string, len(lib.Warnings))
		for i, w := range lib.Warnings {
			lines[i] = describeError(w) // a refused quiz file in the chosen language
		}
		t.status.SetText(strings.Join(lines, "\n"))
	}
	var labels []string
	t.quizIDs = nil
	for _, b := range lib.Quizzes() {
		labels = append(labels, fmt.Sprintf("%s (%s %s)", b.Title, b.ID, b.Version))
		t.quizIDs = append(t.quizIDs, b.ID)
	}
	t.quizSel.SetOptions(labels)
	if t.quizSel.SelectedIndex() < 0 && len(labels) > 0 {
		t.quizSel.SetSelectedIndex(0)
	}
	t.list, err = quizsession.List(ctx, t.q.st.db)
	if err != nil {
		t.q.showError(err)
	}
	t.sessions.Refresh()
	if t.selected != "" {
		t.selectSession(t.selected)
	}
	t.q.refreshSessions()
}

func (t *quizTrainer) onNewSession() {
	i := t.quizSel.SelectedIndex()
	if i < 0 {
		t.status.SetText(lang.L("quiz.choose_quiz"))
		return
	}
	opts := quizsession.Options{Title: strings.TrimSpace(t.titleIn.Text), CBM: t.cbm.Checked}
	var bad []string
	if v := strings.TrimSpace(t.perCell.Text); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad = append(bad, lang.L("quiz.per_cell"))
		}
		opts.PerCell = n
	}
	if v := strings.TrimSpace(t.seedIn.Text); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			bad = append(bad, lang.L("quiz.seed"))
		}
		opts.Seed = n
	}
	if v := strings.TrimSpace(t.minutes.Text); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad = append(bad, lang.L("quiz.minutes"))
		}
		opts.TimeLimit = time.Duration(n) * time.Minute
	}
	if len(bad) > 0 {
		t.status.SetText(lang.L("quiz.bad_number", map[string]any{"Fields": strings.Join(bad, ", ")}))
		return
	}
	ctx := context.Background()
	lib, err := quizsession.LoadLibrary(t.q.st.dataDir)
	if err == nil {
		err = lib.AddBank(ctx, t.q.st.db)
	}
	if err != nil {
		t.q.showError(err)
		return
	}
	b, self, err := lib.Resolve(t.quizIDs[i])
	if err != nil {
		t.q.showError(err)
		return
	}
	s, _, err := quizsession.Start(ctx, t.q.st.db, b, self, opts, t.q.now())
	if err != nil {
		t.status.SetText(err.Error())
		return
	}
	status := lang.L("quiz.session_started", map[string]any{"ID": s.ID, "Items": len(s.Knowledge()), "Seed": s.Seed})
	// The trainer sees when the legal statements were last checked.
	if d, err := i18n.ParseDate(b.LegalAsOf); err == nil && b.LegalAsOf != "" {
		status += "\n" + lang.L("quizcli.legal_as_of", map[string]any{"Date": d.Text(t.q.st.settings.Language), "Basis": b.LegalBasis})
	}
	t.status.SetText(status)
	t.selected = s.ID
	t.refresh()
}

func (t *quizTrainer) setActionsEnabled(on bool) {
	for _, b := range t.buttons {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (t *quizTrainer) selectSession(id string) {
	ctx := context.Background()
	t.selected = id
	s, err := quizsession.Get(ctx, t.q.st.db, id)
	if err != nil {
		t.q.showError(err)
		return
	}
	as, err := quizsession.Attempts(ctx, t.q.st.db, id)
	if err != nil {
		t.q.showError(err)
		return
	}
	limit := lang.L("quiz.no_limit")
	if s.TimeLimit > 0 {
		limit = fmt.Sprintf("%.0f min", s.TimeLimit.Minutes())
	}
	var names []string
	for _, a := range as {
		names = append(names, a.Pseudonym)
	}
	t.detail.SetText(lang.L("quiz.session_detail", map[string]any{"ID": s.ID, "Content": s.BundleID + "@" + s.BundleVersion,
		"Items": len(s.Knowledge()), "Seed": s.Seed, "Draw": orAll(s.Draw), "Limit": limit, "CBM": yesNo(s.CBM),
		"N": len(as), "Names": strings.Join(names, ", ")}))
	t.partSel.SetOptions(names)
	t.partSel.ClearSelected()
	t.setActionsEnabled(true)
	t.statsBox.Objects = nil
	t.statsBox.Refresh()
}

func orAll(s string) string {
	if s == "" {
		return lang.L("quiz.all_items")
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return lang.L("quiz.yes")
	}
	return lang.L("quiz.no")
}

// onStats shows the item analysis as a table.
func (t *quizTrainer) onStats() {
	rep, err := quizsession.Stats(context.Background(), t.q.st.db, t.selected)
	if err != nil {
		t.q.showError(err)
		return
	}
	t.lastStats = rep
	alpha := "–"
	if rep.Alpha != nil {
		alpha = i18n.Short(textLang(), *rep.Alpha)
	}
	head := widget.NewLabel(lang.L("quiz.stats_head", map[string]any{"N": rep.N, "Mean": i18n.Short(textLang(), rep.MeanTotal), "Max": i18n.Short(textLang(), rep.MaxTotal), "Alpha": alpha}))
	head.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{head}
	for _, w := range rep.Warnings {
		l := widget.NewLabel("⚠ " + w.Msg().Text(textLang()))
		l.Importance = widget.WarningImportance
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}
	cols := []string{"Item", lang.L("common.area"), "F %", "SD %", "DI %", "DE %", lang.L("quiz.col_flags")}
	pct := func(f *float64) string {
		if f == nil {
			return "–"
		}
		return fmt.Sprintf("%.1f", 100**f)
	}
	table := widget.NewTable(
		func() (int, int) { return len(rep.Items) + 1, len(cols) },
		func() fyne.CanvasObject { return widget.NewLabel("wide cell text") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Importance = widget.MediumImportance
			if id.Row == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
				l.SetText(cols[id.Col])
				return
			}
			it := rep.Items[id.Row-1]
			l.TextStyle = fyne.TextStyle{}
			vals := []string{it.ID, it.Area, fmt.Sprintf("%.1f", 100*it.Facility), fmt.Sprintf("%.1f", 100*it.SD), pct(it.Discrimination), pct(it.Efficiency), quizstats.FlagsText(textLang(), it.Flags)}
			if len(it.Flags) > 0 {
				l.Importance = widget.WarningImportance
			}
			l.SetText(vals[id.Col])
		})
	for c, w := range []float32{90, 60, 70, 70, 70, 70, 320} {
		table.SetColumnWidth(c, w)
	}
	objs = append(objs, container.NewGridWrap(fyne.NewSize(760, 260), table))
	var areas []string
	for _, a := range rep.Areas {
		areas = append(areas, fmt.Sprintf("%s %.0f %%", a.Area, 100*a.Facility))
	}
	objs = append(objs, widget.NewLabel(lang.L("quiz.area_avgs", map[string]any{"Areas": strings.Join(areas, " · ")})))
	t.statsBox.Objects = objs
	t.statsBox.Refresh()
}

func (t *quizTrainer) onSaveCSV() {
	rep, err := quizsession.Stats(context.Background(), t.q.st.db, t.selected)
	if err != nil {
		t.q.showError(err)
		return
	}
	var b bytes.Buffer
	if err := quizstats.WriteCSV(&b, rep); err != nil {
		t.q.showError(err)
		return
	}
	t.saveFile(t.selected+"-statistik.csv", b.Bytes())
}

func (t *quizTrainer) onSaveEvidence() {
	c := t.q.content()
	if c == nil {
		return
	}
	ev, err := quizsession.BuildEvidence(context.Background(), t.q.st.db, c, t.selected, false)
	if err != nil {
		t.q.showError(err)
		return
	}
	var b bytes.Buffer
	quizsession.WriteEvidenceMarkdown(&b, ev, textLang())
	t.saveFile(t.selected+"-nachweis-art4.md", b.Bytes())
}

func (t *quizTrainer) onExportResult() {
	if t.partSel.Selected == "" {
		t.status.SetText(lang.L("quiz.pick_participant"))
		return
	}
	data, err := quizsession.Export(context.Background(), t.q.st.db, t.selected, t.partSel.Selected)
	if err != nil {
		t.q.showError(err)
		return
	}
	t.saveFile(t.selected+"-"+t.partSel.Selected+".json", data)
}

// saveFile asks where to save data.
func (t *quizTrainer) saveFile(name string, data []byte) {
	chooseSavePath(t.q.st.win, name, nil, func(path string) {
		if _, err := document.Export(path, data, nil); err != nil {
			t.q.showError(err)
			return
		}
		t.status.SetText(lang.L("quiz.saved_to", map[string]any{"File": path}))
	})
}

// onMerge reads a result file exported on another PC.
func (t *quizTrainer) onMerge() {
	choosePath(t.q.st.win, []string{".json"}, func(path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.q.showError(err)
			return
		}
		t.mergeData(filepath.Base(path), data)
	})
}

func (t *quizTrainer) mergeData(name string, data []byte) {
	out, err := quizsession.Merge(context.Background(), t.q.st.db, name, data)
	if err != nil {
		t.q.showError(err)
		return
	}
	who := map[string]any{"Pseudonym": out.Pseudonym, "Session": out.SessionID}
	if out.Added {
		t.status.SetText(lang.L("quiz.merged", who))
	} else {
		t.status.SetText(lang.L("quiz.merged_before", who))
	}
	t.selected = out.SessionID
	t.refresh()
}

func (t *quizTrainer) onFinishSession() {
	if err := quizsession.Finish(context.Background(), t.q.st.db, t.selected, t.q.now()); err != nil {
		t.q.showError(err)
		return
	}
	t.refresh()
}

// onDelete removes the chosen participant's answers and results from the
// session, after asking.
func (t *quizTrainer) onDelete() {
	name := t.partSel.Selected
	if name == "" {
		t.status.SetText(lang.L("quiz.pick_participant"))
		return
	}
	do := func() {
		if _, err := quizsession.DeleteParticipant(context.Background(), t.q.st.db, name, t.selected); err != nil {
			t.q.showError(err)
			return
		}
		t.status.SetText(lang.L("quiz.deleted", map[string]any{"Pseudonym": name}))
		t.refresh()
	}
	dialog.ShowConfirm(lang.L("quiz.delete"), lang.L("quiz.delete_confirm", map[string]any{"Pseudonym": name}), func(ok bool) {
		if ok {
			do()
		}
	}, t.q.st.win)
}

// importWidget is branch quiz's "Fragen importieren" (GIFT, Moodle XML,
// YAML by file dialog or drag and drop); an import refreshes the quizzes
// a session can be started from.
func (t *quizTrainer) importWidget() fyne.CanvasObject {
	imp := newQuizImport(t.q.st)
	imp.onImported = func(quiz.StoredBundle) { t.refresh() }
	return imp.buildUI()
}

// showErrorDialog shows an error in words a person can act on.
func showErrorDialog(win fyne.Window, err error) {
	msg := describeError(err)
	var h interface{ Hint() string }
	if errors.As(err, &h) && h.Hint() != "" {
		msg += "\n\n" + h.Hint()
	}
	d := dialog.NewInformation(lang.L("common.error_title"), msg, win)
	d.Show()
}
