package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/signing"
)

// policyEditor is the part of Einstellungen where IT and the project team
// edit the AI policy's matrix with the keyboard (one choice per tool
// class × data class; Tab moves, Space opens, arrow keys choose), see the
// rendered document and export it (ODT, PDF, Markdown, signed). Saving
// writes the municipality's own policy file, which is then in force.
type policyEditor struct {
	st *state

	inForce   *widget.Label
	role      *widget.Select
	pseudonym *widget.Entry
	kommune   *widget.Entry
	version   *widget.Entry
	avv       *widget.Check
	cells     map[string]*widget.Select // "toolclass×dataclass"
	condLabel *widget.Label
	cond      *widget.Entry
	applyCond *kcButton
	save      *kcButton
	variant   *widget.Select
	format    *widget.Select
	preview   *fyne.Container // the rendered document: headings, text, real tables
	previewMD string          // the same as Markdown (tests)
	exportBtn *kcButton
	status    *widget.Label
	box       *fyne.Container

	draft   *policy.Policy // what is edited
	current string         // the cell whose conditions the entry shows
}

func newPolicyEditor(st *state) *policyEditor { return &policyEditor{st: st} }

var decisions = []string{policy.Allowed, policy.AllowedConditions, policy.Forbidden}

func (e *policyEditor) decisionNames() []string {
	out := make([]string, len(decisions))
	for i, d := range decisions {
		out[i] = policy.DecisionLabel(e.st.settings.Language, d)
	}
	return out
}

func (e *policyEditor) buildUI() fyne.CanvasObject {
	msgLang := e.st.settings.Language
	heading := widget.NewLabelWithStyle(lang.L("policy.screen.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.inForce = wrapped("")

	roles := make([]string, len(policy.StaffRoles))
	for i, r := range policy.StaffRoles {
		roles[i] = policy.StaffRoleLabel(msgLang, r)
	}
	e.role = widget.NewSelect(roles, func(string) { e.onRole() })
	e.pseudonym = widget.NewEntry()
	e.pseudonym.SetText(e.st.settings.Pseudonym)
	e.pseudonym.OnSubmitted = func(string) { e.onRole() }
	e.kommune = widget.NewEntry()
	e.kommune.OnChanged = func(string) { e.renderPreview() }
	e.version = widget.NewEntry()
	e.version.OnChanged = func(string) { e.renderPreview() }
	e.avv = widget.NewCheck(lang.L("cloudscreen.avv"), func(bool) { e.onAVV() })

	e.cells = map[string]*widget.Select{}
	grid := container.NewGridWithColumns(len(dataclass.All) + 1)
	grid.Add(widget.NewLabelWithStyle(lang.L("policy.doc.col.class"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, dc := range dataclass.All {
		l := widget.NewLabelWithStyle(dc.Label().Text(msgLang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		grid.Add(l)
	}
	for _, tc := range policy.ToolClasses {
		l := wrapped(policy.ToolClassLabel(msgLang, tc))
		grid.Add(l)
		for _, dc := range dataclass.All {
			key := tc + "×" + string(dc)
			sel := widget.NewSelect(e.decisionNames(), nil)
			sel.OnChanged = func(string) { e.onCell(key) }
			e.cells[key] = sel
			grid.Add(sel)
		}
	}
	e.condLabel = wrapped(lang.L("policy.screen.conditions_needed"))
	e.cond = widget.NewMultiLineEntry()
	e.cond.SetMinRowsVisible(3)
	e.applyCond = newKCButton(lang.L("policy.screen.conditions", map[string]any{"Cell": "…"}), e.onApplyConditions)
	e.save = newKCButtonWithIcon(lang.L("policy.screen.save"), theme.DocumentSaveIcon(), e.onSave)
	e.save.Importance = widget.HighImportance

	variants := make([]string, len(policy.Variants))
	for i, v := range policy.Variants {
		variants[i] = policy.VariantLabel(msgLang, v)
	}
	e.variant = widget.NewSelect(variants, func(string) { e.renderPreview() })
	e.format = widget.NewSelect([]string{"ODT", "PDF", "Markdown"}, nil)
	e.format.SetSelectedIndex(0)
	e.preview = container.NewVBox()
	previewScroll := container.NewVScroll(e.preview)
	previewScroll.SetMinSize(fyne.NewSize(600, 360))
	e.exportBtn = newKCButtonWithIcon(lang.L("common.export"), theme.DocumentSaveIcon(), e.onExport)
	e.status = wrapped("")

	e.load()
	e.variant.SetSelectedIndex(1) // Dienstanweisung
	e.role.SetSelectedIndex(max(0, slices.Index(policy.StaffRoles, e.st.role())))

	e.box = container.NewVBox(
		widget.NewSeparator(), heading, e.inForce,
		widget.NewForm(
			widget.NewFormItem(lang.L("policy.role_prompt"), e.role),
			widget.NewFormItem(lang.L("quiz.pseudonym"), e.pseudonym),
			widget.NewFormItem(lang.L("common.municipality"), e.kommune),
			widget.NewFormItem(lang.L("policy.doc.label.version"), e.version),
		),
		e.avv,
		widget.NewLabel(lang.L("policy.screen.matrix")), container.NewHScroll(grid),
		e.condLabel, e.cond, e.applyCond,
		e.save,
		widget.NewForm(widget.NewFormItem(lang.L("policy.screen.variant"), e.variant), widget.NewFormItem(lang.L("common.format"), e.format)),
		widget.NewCard(lang.L("policy.screen.preview"), "", previewScroll),
		e.exportBtn, e.status,
	)
	return e.box
}

// load puts the policy in force into the editor.
func (e *policyEditor) load() {
	l := e.st.aiPolicy()
	e.draft = l.Policy.Clone()
	p := e.draft
	text := lang.L("policy.screen.in_force", map[string]any{"ID": policy.Printable(p.ID), "Version": policy.Printable(p.Version), "Stand": p.Stand})
	for _, err := range l.Problems {
		text += "\n" + lang.L("policy.show.problem", map[string]any{"Detail": policy.Printable(err.Error())})
	}
	e.inForce.SetText(text)
	e.kommune.SetText(p.Kommune)
	e.version.SetText(p.Version)
	if t, ok := p.CloudTool(""); ok {
		e.avv.SetChecked(t.AVV)
	} else {
		e.avv.Disable()
	}
	for _, tc := range policy.ToolClasses {
		for _, dc := range dataclass.All {
			d, _, _ := p.Cell(tc, dc)
			sel := e.cells[tc+"×"+string(dc)]
			on := sel.OnChanged
			sel.OnChanged = nil
			sel.SetSelectedIndex(slices.Index(decisions, d))
			sel.OnChanged = on
		}
	}
}

func (e *policyEditor) onRole() {
	if i := e.role.SelectedIndex(); i >= 0 {
		e.st.settings.Role = policy.StaffRoles[i]
	}
	e.st.settings.Pseudonym = strings.TrimSpace(e.pseudonym.Text)
	if err := settings.Save(e.st.loc, e.st.settings); err != nil {
		e.setStatus(describeError(err), true)
	}
}

func (e *policyEditor) onAVV() {
	for i := range e.draft.Tools {
		if e.draft.Tools[i].Kind == policy.KindCloud {
			e.draft.Tools[i].AVV = e.avv.Checked
		}
	}
	e.renderPreview()
}

// onCell applies a changed choice to the draft. For "erlaubt mit
// Auflagen" the conditions come from the entry, else from a rule of the
// same tool class that has some; the entry then shows them for editing.
func (e *policyEditor) onCell(key string) {
	tc, dcs, _ := strings.Cut(key, "×")
	dc := dataclass.Class(dcs)
	d := decisions[max(0, e.cells[key].SelectedIndex())]
	_, oldConds, clause := e.draft.Cell(tc, dc)
	conds := oldConds
	if d == policy.AllowedConditions && len(conds) == 0 {
		conds = e.enteredConditions()
		if len(conds) == 0 {
			conds = e.conditionsOfClass(tc)
		}
		if len(conds) == 0 {
			conds = []string{lang.L("common.municipality_to_fill")}
		}
	}
	if clause == "" {
		clause = e.clauseOfClass(tc)
	}
	e.draft.SetCell(tc, dc, d, conds, clause)
	e.showConditions(key)
	e.renderPreview()
}

func (e *policyEditor) enteredConditions() []string {
	var out []string
	for _, l := range strings.Split(e.cond.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (e *policyEditor) conditionsOfClass(tc string) []string {
	for _, r := range e.draft.Rules {
		if r.Tool == tc && len(r.Conditions) > 0 {
			return r.Conditions
		}
	}
	return nil
}

func (e *policyEditor) clauseOfClass(tc string) string {
	for _, r := range e.draft.Rules {
		if r.Tool == tc {
			return r.Clause
		}
	}
	return e.draft.Rules[0].Clause
}

// showConditions lets the entry edit the conditions of the cell.
func (e *policyEditor) showConditions(key string) {
	e.current = key
	tc, dcs, _ := strings.Cut(key, "×")
	_, conds, _ := e.draft.Cell(tc, dataclass.Class(dcs))
	e.cond.SetText(strings.Join(conds, "\n"))
	cell := policy.ToolClassLabel(e.st.settings.Language, tc) + " × " + dataclass.Class(dcs).Label().Text(e.st.settings.Language)
	e.applyCond.SetText(lang.L("policy.screen.conditions", map[string]any{"Cell": cell}))
}

func (e *policyEditor) onApplyConditions() {
	if e.current == "" {
		return
	}
	tc, dcs, _ := strings.Cut(e.current, "×")
	dc := dataclass.Class(dcs)
	d, _, clause := e.draft.Cell(tc, dc)
	if d != policy.AllowedConditions {
		return
	}
	conds := e.enteredConditions()
	if len(conds) == 0 {
		e.setStatus(lang.L("policy.screen.conditions_needed"), true)
		return
	}
	e.draft.SetCell(tc, dc, d, conds, clause)
	e.renderPreview()
}

// finalDraft is the draft with the entries' values; a copy of the
// packaged Muster gets an id of its own, so diff can compare it.
func (e *policyEditor) finalDraft() *policy.Policy {
	p := e.draft.Clone()
	p.Kommune = strings.TrimSpace(e.kommune.Text)
	if v := strings.TrimSpace(e.version.Text); v != "" {
		p.Version = v
	}
	if p.Packaged || p.ID == "muster" {
		p.ID = "kommune"
	}
	return p
}

// onSave validates the draft like a file and writes it (atomically) into
// the data folder's bundles/policy/, where it is in force from now on.
func (e *policyEditor) onSave() {
	p := e.finalDraft()
	b, err := p.YAML()
	if err != nil {
		e.setStatus(describeError(err), true)
		return
	}
	path := filepath.Join(policy.OwnDir(e.st.dataDir), p.ID+".yaml")
	if _, errs := policy.Parse(path, b); errs != nil {
		e.setStatus(errs.Error(), true)
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		e.setStatus(describeError(err), true)
		return
	}
	if _, err := document.Export(path, b, nil); err != nil {
		e.setStatus(describeError(err), true)
		return
	}
	e.load()
	e.renderPreview()
	e.setStatus(lang.L("policy.screen.saved", map[string]any{"File": path}), false)
}

// rendered is the chosen variant of the draft as a document.
func (e *policyEditor) rendered() (*document.Document, error) {
	v := policy.Variants[max(0, e.variant.SelectedIndex())]
	return e.finalDraft().Render(v, e.st.settings.Language, "KI-Check "+buildinfo.Get().Version)
}

func (e *policyEditor) renderPreview() {
	if e.preview == nil || e.variant == nil {
		return
	}
	d, err := e.rendered()
	if err != nil {
		e.setStatus(describeError(err), true)
		return
	}
	e.previewMD = string(d.Markdown())
	e.preview.Objects = documentView(d)
	e.preview.Refresh()
	if e.box != nil {
		e.box.Refresh()
	}
}

func (e *policyEditor) onExport() {
	f := []document.Format{document.ODT, document.PDF, document.Markdown}[max(0, e.format.SelectedIndex())]
	name := fmt.Sprintf("ki-richtlinie-%s.%s", policy.Variants[max(0, e.variant.SelectedIndex())], f)
	chooseSavePath(e.st.win, name, []string{"." + string(f)}, func(path string) { e.exportTo(path, f) })
}

// exportTo renders and writes the document with its signature, in the
// background.
func (e *policyEditor) exportTo(path string, f document.Format) {
	doc, err := e.rendered()
	if err != nil {
		e.setStatus(describeError(err), true)
		return
	}
	dataDir := e.st.dataDir
	e.st.goBackground(func(context.Context) {
		var w document.Written
		b, err := doc.Render(f)
		if err == nil {
			var key *signing.Key
			if key, err = signing.Load(dataDir); err == nil {
				w, err = document.Export(path, b, key)
			}
		}
		fyne.Do(func() {
			if err != nil {
				e.setStatus(describeError(err), true)
				return
			}
			e.setStatus(lang.L("policy.screen.exported", map[string]any{"File": w.File}), false)
		})
	})
}

func (e *policyEditor) setStatus(text string, isErr bool) {
	showStatus(e.status, text, isErr, e.box)
}

// documentView shows a document as widgets: the title, headings in bold,
// paragraphs, lists and tables as grids of wrapped labels.
func documentView(d *document.Document) []fyne.CanvasObject {
	wrapped := func(text string, style fyne.TextStyle) *widget.Label {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, style)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	title := wrapped(d.Meta.Title, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	out := []fyne.CanvasObject{title, wrapped(d.Meta.Subtitle+" · Version "+d.Meta.Version+" · Stand "+d.Meta.Date.Format("02.01.2006"), fyne.TextStyle{})}
	for _, b := range d.Blocks {
		switch b.Kind {
		case document.Heading:
			l := wrapped(b.Text, fyne.TextStyle{Bold: true})
			if b.Level == 1 {
				l.SizeName = theme.SizeNameSubHeadingText
			}
			out = append(out, l)
		case document.Paragraph:
			out = append(out, wrapped(b.Text, fyne.TextStyle{}))
		case document.Note:
			out = append(out, wrapped(b.Text, fyne.TextStyle{Italic: true}))
		case document.List:
			for _, it := range b.Items {
				out = append(out, wrapped("• "+it, fyne.TextStyle{}))
			}
		case document.Table:
			grid := container.NewGridWithColumns(len(b.Header))
			for _, h := range b.Header {
				grid.Add(wrapped(h, fyne.TextStyle{Bold: true}))
			}
			for _, r := range b.Rows {
				for _, c := range r {
					grid.Add(wrapped(c, fyne.TextStyle{}))
				}
			}
			out = append(out, grid)
		}
	}
	return out
}
