package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// processForm adds or edits one process: the survey's columns, and the
// legal facts asked as internal/aiact's plain questions (a question shows
// only when the earlier answers make it matter).
type processForm struct {
	s     *processesScreen
	isNew bool
	old   hotspot.Process

	entries   map[string]*widget.Entry // text and number columns
	task      *widget.Select
	dataClass *widget.Select
	digital   *widget.Select
	quality   *widget.Select
	questions []formQuestion
	problems  *widget.Label
	save      *kcButton
	dlg       dialog.Dialog
}

type formQuestion struct {
	q     aiact.Question
	box   *fyne.Container
	sel   *widget.Select
	texts []string // answer texts, in q.Answers order
}

var formTextColumns = []string{"id", "prozess", "organisationseinheit", "leika", "faelle_pro_jahr", "minuten_pro_fall", "textanteil_prozent", "anmerkung"}

func (s *processesScreen) openForm(p hotspot.Process, isNew bool) *processForm {
	f := &processForm{s: s, isNew: isNew, old: p, entries: map[string]*widget.Entry{}}
	l := s.lang()
	cat := s.in.Catalogue
	num := func(v float64) string {
		if v == 0 && isNew {
			return ""
		}
		return i18n.Decimal("de", v, -1) // the sheet's columns are German
	}
	values := map[string]string{"id": p.ID, "prozess": p.Name, "organisationseinheit": p.Unit, "leika": p.LeiKa,
		"minuten_pro_fall": num(p.MinutesPerCase), "textanteil_prozent": num(p.TextSharePercent), "anmerkung": p.Note}
	if p.CasesPerYear != 0 || !isNew {
		values["faelle_pro_jahr"] = strconv.FormatInt(p.CasesPerYear, 10)
	}
	form := widget.NewForm()
	for _, col := range formTextColumns {
		e := widget.NewEntry()
		if col == "anmerkung" {
			e.MultiLine = true
			e.Wrapping = fyne.TextWrapWord
			e.SetMinRowsVisible(2)
		}
		e.SetText(values[col])
		label, placeholder := formColumn(col)
		e.SetPlaceHolder(placeholder)
		f.entries[col] = e
		form.Append(label, e)
	}
	if !isNew {
		f.entries["id"].Disable()
	}
	var taskTexts []string
	for _, t := range cat.TaskTypes {
		taskTexts = append(taskTexts, t.Title(l)+" – "+t.Text(l))
	}
	f.task = widget.NewSelect(taskTexts, nil)
	f.task.PlaceHolder = lang.L("processes.form.choose")
	for i, t := range cat.TaskTypes {
		if t.ID == p.Task {
			f.task.SetSelectedIndex(i)
		}
	}
	form.Append(lang.L("processes.form.ki_aufgabe"), f.task)
	var dcTexts []string
	for _, c := range dataclass.All {
		dcTexts = append(dcTexts, c.Label().Text(l)+" – "+c.Description().Text(l))
	}
	f.dataClass = widget.NewSelect(dcTexts, nil)
	f.dataClass.PlaceHolder = lang.L("processes.form.choose")
	for i, c := range dataclass.All {
		if string(c) == p.DataClass {
			f.dataClass.SetSelectedIndex(i)
		}
	}
	form.Append(lang.L("processes.form.datenklasse"), f.dataClass)
	f.digital = levelSelect("digital", hotspot.DigitalInputs, p.DigitalInput)
	form.Append(lang.L("processes.form.digitaler_eingang"), f.digital)
	f.quality = levelSelect("quality", hotspot.DataQualities, p.DataQuality)
	form.Append(lang.L("processes.form.datenqualitaet"), f.quality)

	// The legal questions, in aiact's order, as plain German.
	answers := p.Answers()
	if isNew {
		answers = map[string]string{}
	}
	legal := container.NewVBox(widget.NewLabelWithStyle(lang.L("processes.form.legal_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(lang.L("processes.form.legal_intro", map[string]any{"Stand": aiact.Stand})))
	for _, q := range aiact.Questions() {
		if !hotspot.FormAsks(q) {
			continue
		}
		fq := formQuestion{q: q}
		for _, a := range q.Answers {
			fq.texts = append(fq.texts, a.Text.Text(l))
		}
		fq.sel = widget.NewSelect(fq.texts, func(string) { f.updateQuestions() })
		fq.sel.PlaceHolder = lang.L("processes.form.choose")
		if aid, ok := answers[q.ID]; ok {
			for i, a := range q.Answers {
				if a.ID == aid {
					fq.sel.SetSelectedIndex(i)
				}
			}
		}
		title := widget.NewLabelWithStyle(q.Text.Text(l), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		help := wrapped(q.Help.Text(l))
		help.TextStyle = fyne.TextStyle{Italic: true} // readable contrast; low importance is too faint
		fq.box = container.NewVBox(title, help, fq.sel)
		f.questions = append(f.questions, fq)
		legal.Add(fq.box)
	}
	f.updateQuestions()
	f.problems = wrapped("")
	f.problems.Importance = widget.DangerImportance
	f.problems.Hide()
	f.save = newKCButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	cancel := newKCButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() { f.dlg.Hide() })
	body := container.NewVScroll(container.NewVBox(form, widget.NewSeparator(), legal))
	content := container.NewBorder(nil, container.NewVBox(f.problems, container.NewHBox(f.save, cancel)), nil, nil, body)
	title := lang.L("processes.new")
	if !isNew {
		title = lang.L("processes.form.title_edit", map[string]any{"Name": p.Name})
	}
	f.dlg = dialog.NewCustomWithoutButtons(title, content, s.st.win)
	f.dlg.Resize(fyne.NewSize(960, 720))
	f.dlg.Show()
	if isNew {
		s.st.win.Canvas().Focus(f.entries["id"])
	} else {
		s.st.win.Canvas().Focus(f.entries["prozess"])
	}
	s.form = f
	return f
}

func levelSelect(kind string, ids []string, v string) *widget.Select {
	opts := []string{lang.L("processes.form.not_stated")}
	for _, id := range ids {
		opts = append(opts, levelLabel(kind, id))
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelectedIndex(0)
	for i, id := range ids {
		if id == v {
			sel.SetSelectedIndex(i + 1)
		}
	}
	return sel
}

func levelValue(sel *widget.Select, ids []string) string {
	if i := sel.SelectedIndex(); i > 0 {
		return ids[i-1]
	}
	return ""
}

// answers are the chosen answers by question id.
func (f *processForm) answers() map[string]string {
	out := map[string]string{}
	for _, fq := range f.questions {
		if i := fq.sel.SelectedIndex(); i >= 0 {
			out[fq.q.ID] = fq.q.Answers[i].ID
		}
	}
	return out
}

// updateQuestions shows the questions that matter given the answers so
// far.
func (f *processForm) updateQuestions() {
	facts, err := aiact.Answered(aiact.Facts{}, f.answers())
	if err != nil {
		return
	}
	for _, fq := range f.questions {
		if fq.q.Asked(facts) {
			fq.box.Show()
		} else {
			fq.box.Hide()
		}
	}
}

// cells are the form's values as survey cells.
func (f *processForm) cells() map[string]string {
	out := map[string]string{}
	for col, e := range f.entries {
		out[col] = e.Text
	}
	cat := f.s.in.Catalogue
	if i := f.task.SelectedIndex(); i >= 0 && i < len(cat.TaskTypes) {
		out["ki_aufgabe"] = cat.TaskTypes[i].ID
	} else {
		out["ki_aufgabe"] = ""
	}
	if i := f.dataClass.SelectedIndex(); i >= 0 {
		out["datenklasse"] = string(dataclass.All[i])
	} else {
		out["datenklasse"] = ""
	}
	out["digitaler_eingang"] = levelValue(f.digital, hotspot.DigitalInputs)
	out["datenqualitaet"] = levelValue(f.quality, hotspot.DataQualities)
	return out
}

func (f *processForm) onSave() {
	l := f.s.lang()
	tasks := f.s.in.Catalogue.TaskIDs()
	p, probs := hotspot.FormProcess(f.cells(), f.answers(), tasks)
	if probs != nil {
		var lines []string
		for _, pr := range probs {
			line := pr.Where(l) + ": " + pr.Msg.Text(l)
			if pr.Hint.ID != "" {
				line += " " + lang.L("processes.hint", map[string]any{"Hint": pr.Hint.Text(l)})
			}
			lines = append(lines, line)
		}
		f.problems.SetText(strings.Join(lines, "\n"))
		f.problems.Show()
		return
	}
	if !f.isNew {
		p.PassRate = f.old.PassRate // the Erprobung's result stays with the process
	}
	f.save.Disable()
	s := f.s
	s.st.goBackground(func(ctx context.Context) {
		if f.isNew {
			if _, exists, err := hotspot.Get(ctx, s.st.db, p.ID); err == nil && exists {
				fyne.Do(func() {
					f.save.Enable()
					f.problems.SetText(lang.L("processes.form.id_taken", map[string]any{"ID": p.ID}))
					f.problems.Show()
				})
				return
			}
		}
		probs, err := hotspot.Save(ctx, s.st.db, p, tasks)
		fyne.Do(func() {
			f.save.Enable()
			if err != nil || probs != nil {
				text := ""
				if err != nil {
					text = describeError(err)
				} else {
					text = probs[0].Where(l) + ": " + probs[0].Msg.Text(l)
				}
				f.problems.SetText(text)
				f.problems.Show()
				return
			}
			f.dlg.Hide()
			s.form = nil
			s.selected = p.ID
			s.setStatus(lang.L("processes.saved", map[string]any{"ID": p.ID, "Name": p.Name}), widget.SuccessImportance)
			s.reload()
		})
	})
}

var _ = i18n.Grouped

// formColumn is a text column's label and placeholder (literal ids).
func formColumn(col string) (string, string) {
	switch col {
	case "id":
		return lang.L("processes.form.id"), lang.L("processes.form.ph.id")
	case "prozess":
		return lang.L("hotspot.portfolio.process"), lang.L("processes.form.ph.prozess")
	case "organisationseinheit":
		return lang.L("processes.sb.unit"), lang.L("processes.form.ph.organisationseinheit")
	case "leika":
		return lang.L("processes.form.leika"), lang.L("processes.form.ph.leika")
	case "faelle_pro_jahr":
		return lang.L("processes.form.faelle_pro_jahr"), lang.L("processes.form.ph.faelle_pro_jahr")
	case "minuten_pro_fall":
		return lang.L("processes.form.minuten_pro_fall"), lang.L("processes.form.ph.minuten_pro_fall")
	case "textanteil_prozent":
		return lang.L("processes.form.textanteil_prozent"), lang.L("processes.form.ph.textanteil_prozent")
	case "anmerkung":
		return lang.L("processes.form.anmerkung"), lang.L("processes.form.ph.anmerkung")
	}
	return col, ""
}

func levelLabel(kind, id string) string {
	switch kind + "." + id {
	case "digital.ja":
		return lang.L("processes.form.digital.ja")
	case "digital.teilweise":
		return lang.L("processes.form.digital.teilweise")
	case "digital.nein":
		return lang.L("processes.form.digital.nein")
	case "quality.gut":
		return lang.L("processes.form.quality.gut")
	case "quality.mittel":
		return lang.L("processes.form.quality.mittel")
	case "quality.schlecht":
		return lang.L("processes.form.quality.schlecht")
	}
	return id
}
