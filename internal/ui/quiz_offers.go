package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// quizOffers is the "Lernangebote" part of the Quiz screen for trainers:
// import MOOChub catalogues and CSV lists, see per area and level which
// offers cover it and where the gaps are (for all roles or one), confirm
// or reject the proposed areas of an offer, choose offers (or "eigene
// Schulung") for the catalogue's modules, and compare offers side by
// side. Every control is reachable with Tab; descriptions from feeds are
// shown as plain text.
type quizOffers struct {
	q *quizScreen

	fileBtn    *kcButton
	urlIn      *widget.Entry
	allowNet   *widget.Check
	urlBtn     *kcButton
	status     *widget.Label
	roleSel    *widget.Select
	coverage   *fyne.Container
	gaps       *widget.Label
	list       *widget.List
	items      []offers.Offer
	rejected   map[int64]map[string]bool
	selected   int64
	detail     *fyne.Container
	areaSel    *widget.Select
	levelSel   *widget.Select
	assignBtn  *kcButton
	moduleSel  *widget.Select
	moduleBtn  *kcButton
	ownBtn     *kcButton
	moduleInfo *widget.Label
	compareBtn *kcButton
	addCmpBtn  *kcButton
	clearCmp   *kcButton
	compareIDs []int64
	compareBox *fyne.Container
	moduleIDs  []string
}

func newQuizOffers(q *quizScreen) *quizOffers { return &quizOffers{q: q} }

func (p *quizOffers) lang() string { return p.q.st.settings.Language }

func (p *quizOffers) buildUI() fyne.CanvasObject {
	p.fileBtn = newKCButtonWithIcon(lang.L("offersui.import_file"), theme.FolderOpenIcon(), p.onImportFile)
	p.urlIn = widget.NewEntry()
	p.urlIn.SetPlaceHolder(lang.L("offersui.url_hint"))
	p.allowNet = widget.NewCheck(lang.L("offersui.allow_network"), nil)
	p.urlBtn = newKCButtonWithIcon(lang.L("offersui.import_url"), theme.DownloadIcon(), p.onImportURL)
	p.urlIn.OnSubmitted = func(string) { p.onImportURL() }
	p.status = widget.NewLabel(lang.L("offersui.intro"))
	p.status.Wrapping = fyne.TextWrapWord
	importCard := widget.NewCard(lang.L("offersui.import_heading"), "", container.NewVBox(
		container.NewHBox(p.fileBtn),
		container.NewBorder(nil, nil, nil, p.urlBtn, p.urlIn), p.allowNet, p.status))

	roles := append([]string{lang.L("offersui.all_roles")}, roleTitles()...)
	p.roleSel = widget.NewSelect(roles, func(string) { p.refreshCoverage() })
	p.roleSel.SetSelectedIndex(0)
	p.coverage = container.NewVBox()
	p.gaps = widget.NewLabel("")
	p.gaps.Wrapping = fyne.TextWrapWord
	p.gaps.Importance = widget.WarningImportance
	covCard := widget.NewCard(lang.L("offersui.coverage_heading"), lang.L("offersui.coverage_sub"), container.NewVBox(
		widget.NewForm(widget.NewFormItem(lang.L("common.role"), p.roleSel)), p.coverage, p.gaps))

	p.list = widget.NewList(func() int { return len(p.items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("#12 Anbieter mit langem Namen – Titel eines Kurses\n6 h, kostenlos, de")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := &p.items[i]
			mark := ""
			if len(it.Areas) == 0 {
				mark = " · " + lang.L("offersui.unassigned")
			}
			o.(*widget.Label).SetText(fmt.Sprintf("#%d %s – %s\n%s%s", it.ID, it.Provider, it.Name, offers.OfferFacts(p.lang(), offerFacts(it)), mark))
		})
	p.list.OnSelected = func(i widget.ListItemID) { p.selectOffer(p.items[i].ID) }
	p.detail = container.NewVBox(widget.NewLabel(lang.L("offersui.pick_offer")))

	p.areaSel = widget.NewSelect(nil, nil)
	p.areaSel.PlaceHolder = lang.L("common.area")
	p.levelSel = widget.NewSelect(levelTitles(), nil)
	p.levelSel.PlaceHolder = lang.L("offersui.level")
	p.assignBtn = newKCButtonWithIcon(lang.L("offersui.assign"), theme.ConfirmIcon(), p.onAssign)
	p.moduleSel = widget.NewSelect(nil, func(string) { p.showModuleInfo() })
	p.moduleSel.PlaceHolder = lang.L("offersui.module")
	p.moduleBtn = newKCButtonWithIcon(lang.L("offersui.choose_for_module"), theme.ContentAddIcon(), p.onChooseForModule)
	p.ownBtn = newKCButtonWithIcon(lang.L("offersui.own_training"), theme.HomeIcon(), p.onOwnTraining)
	p.moduleInfo = widget.NewLabel("")
	p.moduleInfo.Wrapping = fyne.TextWrapWord
	p.addCmpBtn = newKCButtonWithIcon(lang.L("offersui.add_compare"), theme.ContentAddIcon(), p.onAddCompare)
	p.compareBtn = newKCButtonWithIcon(lang.L("common.compare"), theme.ViewRestoreIcon(), p.onCompare)
	p.clearCmp = newKCButtonWithIcon(lang.L("offersui.clear_compare"), theme.ContentClearIcon(), func() {
		p.compareIDs = nil
		p.compareBox.Objects = nil
		p.compareBox.Refresh()
		p.updateButtons()
	})
	p.compareBox = container.NewVBox()
	actions := container.NewVBox(
		widget.NewForm(
			widget.NewFormItem(lang.L("common.area"), container.NewGridWithColumns(3, p.areaSel, p.levelSel, p.assignBtn)),
			widget.NewFormItem(lang.L("offersui.module"), container.NewBorder(nil, nil, nil, container.NewHBox(p.moduleBtn, p.ownBtn), p.moduleSel)),
		),
		p.moduleInfo,
		container.NewHBox(p.addCmpBtn, p.compareBtn, p.clearCmp),
	)
	offersCard := widget.NewCard(lang.L("offersui.offers_heading"), lang.L("offersui.offers_sub"), container.NewVBox(
		container.NewGridWrap(fyne.NewSize(940, 220), p.list), p.detail, actions))
	cmpCard := widget.NewCard(lang.L("offersui.compare_heading"), "", p.compareBox)
	p.refresh()
	p.updateButtons()
	return container.NewVScroll(container.NewVBox(importCard, covCard, offersCard, cmpCard))
}

// offerFacts are an offer's facts as the coverage writes them.
func offerFacts(o *offers.Offer) offers.CoveringOffer {
	return offers.CoveringOffer{ID: o.ID, Name: o.Name, Provider: o.Provider, LevelStated: true, DurationMinutes: o.DurationMinutes,
		Workload: o.Workload, Cost: o.CostText(), Free: o.Free(), Languages: o.Languages, Modes: o.Modes}
}

func levelTitles() []string {
	c, err := learning.Load("")
	if err != nil {
		return nil
	}
	out := make([]string, len(quiz.Levels))
	for i, l := range quiz.Levels {
		out[i] = c.Framework.LevelLabel(l, textLang())
	}
	return out
}

// refresh reloads the offers and redraws coverage, list and detail.
func (p *quizOffers) refresh() {
	c := p.q.content()
	if c == nil {
		return
	}
	ctx := context.Background()
	items, err := offers.List(ctx, p.q.st.db, false)
	if err != nil {
		p.q.showError(err)
		return
	}
	rej, err := offers.Rejected(ctx, p.q.st.db)
	if err != nil {
		p.q.showError(err)
		return
	}
	p.items, p.rejected = items, rej
	areas := make([]string, len(c.Framework.Areas))
	for i, a := range c.Framework.Areas {
		areas[i] = a.ID + " " + a.Label(textLang())
	}
	p.areaSel.SetOptions(areas)
	p.moduleIDs = nil
	var mods []string
	for _, m := range c.Catalogue.Modules {
		p.moduleIDs = append(p.moduleIDs, m.ID)
		mods = append(mods, m.Title)
	}
	p.moduleSel.SetOptions(mods)
	p.list.Refresh()
	p.refreshCoverage()
	if p.selected != 0 {
		p.selectOffer(p.selected)
	}
	p.showModuleInfo()
}

// refreshCoverage draws one row per area: the offers per level, or the
// gap, for all roles or the chosen one.
func (p *quizOffers) refreshCoverage() {
	c := p.q.content()
	if c == nil || p.coverage == nil {
		return
	}
	fw := c.Framework
	cov := offers.Analyse(fw, p.items, p.rejected, time.Now())
	if i := p.roleSel.SelectedIndex(); i > 0 {
		cov = cov.ForRole(quiz.Roles[i-1])
	}
	// One grid per row, so each row is as high as its own cells.
	rows := container.NewVBox()
	head := container.NewGridWithColumns(1 + len(quiz.Levels))
	head.Add(widget.NewLabelWithStyle(lang.L("common.area"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, l := range quiz.Levels {
		head.Add(widget.NewLabelWithStyle(fw.LevelLabel(l, textLang()), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	rows.Add(head)
	for _, a := range cov.Areas {
		grid := container.NewGridWithColumns(1 + len(quiz.Levels))
		rows.Add(grid)
		al := widget.NewLabel(a.Area + " " + fw.AreaLabel(a.Area, textLang()))
		al.Wrapping = fyne.TextWrapWord
		grid.Add(al)
		for _, l := range quiz.Levels {
			var cell *widget.Label
			idx := slices.IndexFunc(a.Levels, func(x offers.LevelCoverage) bool { return x.Level == l })
			switch {
			case idx < 0:
				cell = widget.NewLabel("–")
				cell.Importance = widget.LowImportance
			case len(a.Levels[idx].Offers) > 0:
				var names []string
				for _, o := range a.Levels[idx].Offers {
					names = append(names, fmt.Sprintf("#%d %s", o.ID, shorten(o.Name, 34)))
				}
				cell = widget.NewLabel(strings.Join(names, "\n"))
				cell.Importance = widget.SuccessImportance
			case a.Levels[idx].Gap:
				cell = widget.NewLabel(lang.L("offersui.gap"))
				cell.Importance = widget.DangerImportance
				cell.TextStyle = fyne.TextStyle{Bold: true}
			default:
				cell = widget.NewLabel("–")
				cell.Importance = widget.LowImportance
			}
			cell.Wrapping = fyne.TextWrapWord
			grid.Add(cell)
		}
	}
	p.coverage.Objects = []fyne.CanvasObject{rows}
	p.coverage.Refresh()
	var gaps []string
	for _, g := range cov.Gaps {
		gaps = append(gaps, g.Area+" "+fw.LevelLabel(g.Level, textLang()))
	}
	if len(gaps) == 0 {
		p.gaps.SetText(lang.L("offersui.no_gaps"))
		p.gaps.Importance = widget.SuccessImportance
	} else {
		p.gaps.SetText(lang.L("offersui.gaps", map[string]any{"Count": len(gaps), "List": strings.Join(gaps, ", ")}))
		p.gaps.Importance = widget.WarningImportance
	}
	p.gaps.Refresh()
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func (p *quizOffers) offer(id int64) *offers.Offer {
	for i := range p.items {
		if p.items[i].ID == id {
			return &p.items[i]
		}
	}
	return nil
}

// selectOffer shows the offer: facts, description as plain text, its
// confirmed areas and the proposals with a button each to confirm or
// reject.
func (p *quizOffers) selectOffer(id int64) {
	c := p.q.content()
	o := p.offer(id)
	if c == nil || o == nil {
		return
	}
	p.selected = id
	fw := c.Framework
	title := widget.NewLabelWithStyle(fmt.Sprintf("#%d %s", o.ID, o.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	facts := widget.NewLabel(o.Provider + " · " + offers.OfferFacts(p.lang(), offerFacts(o)) + "\n" + o.URL)
	facts.Wrapping = fyne.TextWrapWord
	parts := []fyne.CanvasObject{title, facts}
	if o.Description != "" {
		// Plain text in a label: markup from the feed is never rendered.
		d := widget.NewLabel(shorten(o.Description, 600))
		d.Wrapping = fyne.TextWrapWord
		parts = append(parts, d)
	}
	var conf []string
	for _, m := range o.Areas {
		origin := lang.L("offersui.origin_feed")
		if m.Origin == offers.OriginTrainer {
			origin = lang.L("offersui.origin_trainer")
		}
		conf = append(conf, fmt.Sprintf("%s %s (%s)", m.Area, fw.LevelLabel(m.Level, textLang()), origin))
	}
	if len(conf) == 0 {
		conf = []string{lang.L("offersui.none_confirmed")}
	}
	parts = append(parts, widget.NewLabel(lang.L("offersui.confirmed", map[string]any{"List": strings.Join(conf, ", ")})))
	if dc := o.DigComp(); len(dc) > 0 {
		parts = append(parts, widget.NewLabel("DigComp 2.2: "+strings.Join(dc, ", ")))
	}
	for _, pr := range offers.Propose(fw, o, p.rejected[o.ID]) {
		pr := pr
		why := strings.Join(pr.Terms, ", ")
		if len(pr.DigComp) > 0 {
			why = strings.TrimPrefix(why+", DigComp "+strings.Join(pr.DigComp, ", "), ", ")
		}
		l := widget.NewLabel(lang.L("offersui.proposal", map[string]any{"Area": pr.Area, "Title": fw.AreaLabel(pr.Area, textLang()), "Level": fw.LevelLabel(pr.Level, textLang()), "Why": why}))
		l.Wrapping = fyne.TextWrapWord
		ok := newKCButtonWithIcon(lang.L("Confirm"), theme.ConfirmIcon(), func() { p.assign(o.ID, pr.Area, pr.Level) })
		no := newKCButtonWithIcon(lang.L("offersui.reject"), theme.CancelIcon(), func() { p.reject(o.ID, pr.Area) })
		parts = append(parts, container.NewBorder(nil, nil, nil, container.NewHBox(ok, no), l))
	}
	p.detail.Objects = parts
	p.detail.Refresh()
	p.updateButtons()
}

func (p *quizOffers) updateButtons() {
	has := p.selected != 0
	for _, b := range []*kcButton{p.assignBtn, p.moduleBtn, p.addCmpBtn} {
		if has {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if len(p.compareIDs) >= 2 {
		p.compareBtn.Enable()
	} else {
		p.compareBtn.Disable()
	}
	if len(p.compareIDs) > 0 {
		p.clearCmp.Enable()
	} else {
		p.clearCmp.Disable()
	}
}

func (p *quizOffers) changed(msg string) {
	p.status.SetText(msg)
	p.q.contentCache = nil // learning paths name the chosen courses anew
	p.refresh()
}

func (p *quizOffers) assign(id int64, area string, level quiz.Level) {
	c := p.q.content()
	if c == nil {
		return
	}
	if err := offers.Assign(context.Background(), p.q.st.db, c.Framework, id, area, level, time.Now()); err != nil {
		p.q.showError(offers.Localized(err, p.lang()))
		return
	}
	p.changed(lang.L("offersui.assigned", map[string]any{"ID": id, "Area": area, "Level": c.Framework.LevelLabel(level, textLang())}))
}

func (p *quizOffers) reject(id int64, area string) {
	if err := offers.Reject(context.Background(), p.q.st.db, id, area, time.Now()); err != nil {
		p.q.showError(err)
		return
	}
	p.changed(lang.L("offersui.rejected", map[string]any{"ID": id, "Area": area}))
}

// onAssign confirms the area and level chosen in the selects.
func (p *quizOffers) onAssign() {
	c := p.q.content()
	ai, li := p.areaSel.SelectedIndex(), p.levelSel.SelectedIndex()
	if c == nil || p.selected == 0 {
		return
	}
	if ai < 0 || li < 0 {
		p.status.SetText(lang.L("offersui.pick_area_level"))
		return
	}
	p.assign(p.selected, c.Framework.Areas[ai].ID, quiz.Levels[li])
}

func (p *quizOffers) chosenModule() string {
	i := p.moduleSel.SelectedIndex()
	if i < 0 || i >= len(p.moduleIDs) {
		return ""
	}
	return p.moduleIDs[i]
}

func (p *quizOffers) onChooseForModule() {
	p.assignModule(p.selected)
}

func (p *quizOffers) onOwnTraining() {
	p.assignModule(offers.OwnOffer)
}

func (p *quizOffers) assignModule(id int64) {
	c := p.q.content()
	m := p.chosenModule()
	if c == nil {
		return
	}
	if m == "" {
		p.status.SetText(lang.L("offersui.pick_module"))
		return
	}
	if err := offers.AssignModule(context.Background(), p.q.st.db, c.Catalogue, m, id, time.Now()); err != nil {
		p.q.showError(offers.Localized(err, p.lang()))
		return
	}
	what := learning.OwnTraining
	if o := p.offer(id); o != nil {
		what = fmt.Sprintf("#%d %s", o.ID, o.Name)
	}
	p.changed(lang.L("offersui.module_assigned", map[string]any{"Module": c.Catalogue.Module(m).Title, "What": what}))
}

// showModuleInfo lists the courses chosen for the module in the select.
func (p *quizOffers) showModuleInfo() {
	c := p.q.content()
	m := p.chosenModule()
	if c == nil || m == "" {
		p.moduleInfo.SetText("")
		p.moduleInfo.Hide()
		return
	}
	p.moduleInfo.Show()
	cat := *c.Catalogue
	cat.Modules = slices.Clone(c.Catalogue.Modules)
	if err := offers.Apply(context.Background(), p.q.st.db, &cat); err != nil {
		p.q.showError(err)
		return
	}
	var lines []string
	for _, r := range cat.Module(m).Offers {
		if r.Own {
			lines = append(lines, "→ "+lang.L("offersui.own_training"))
		} else {
			lines = append(lines, "→ "+r.Provider+": "+r.Title+" – "+r.URL)
		}
	}
	if len(lines) == 0 {
		lines = []string{lang.L("offersui.no_course")}
	}
	p.moduleInfo.SetText(strings.Join(lines, "\n"))
}

func (p *quizOffers) onAddCompare() {
	if p.selected == 0 || slices.Contains(p.compareIDs, p.selected) {
		return
	}
	if len(p.compareIDs) >= 4 {
		p.compareIDs = p.compareIDs[1:]
	}
	p.compareIDs = append(p.compareIDs, p.selected)
	p.status.SetText(lang.L("offersui.compare_count", map[string]any{"Count": len(p.compareIDs)}))
	p.updateButtons()
}

// onCompare puts the chosen offers side by side.
func (p *quizOffers) onCompare() {
	c := p.q.content()
	if c == nil || len(p.compareIDs) < 2 {
		return
	}
	cmp, err := offers.Compare(context.Background(), p.q.st.db, c.Framework, p.compareIDs)
	if err != nil {
		p.q.showError(err)
		return
	}
	rows := cmp.Rows(p.lang(), c.Framework)
	table := container.NewVBox()
	for i, r := range rows {
		grid := container.NewGridWithColumns(len(r)) // one grid per row: rows as high as their cells
		table.Add(grid)
		for j, cell := range r {
			l := widget.NewLabel(cell)
			l.Wrapping = fyne.TextWrapWord
			if i == 0 || j == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
			}
			grid.Add(l)
		}
	}
	p.compareBox.Objects = []fyne.CanvasObject{table}
	p.compareBox.Refresh()
}

func (p *quizOffers) onImportFile() {
	choosePath(p.q.st.win, []string{".json", ".csv"}, func(path string) { p.importInput(path, false) })
}

// onImportURL fetches the catalogue at the URL, only with the check box
// that allows network access for this import.
func (p *quizOffers) onImportURL() {
	u := strings.TrimSpace(p.urlIn.Text)
	if u == "" {
		return
	}
	allow := p.allowNet.Checked
	// The permission holds for this one import; the next asks again.
	p.allowNet.SetChecked(false)
	p.importInput(u, allow)
}

// importInput reads and stores one source in the background.
func (p *quizOffers) importInput(in string, allowNet bool) {
	c := p.q.content()
	if c == nil {
		return
	}
	p.status.SetText(lang.L("offersui.importing", map[string]any{"Source": moochub.Clean(in)}))
	p.fileBtn.Disable()
	p.urlBtn.Disable()
	db, fw, code := p.q.st.db, c.Framework, p.lang()
	p.q.st.goBackground(func(ctx context.Context) {
		res, err := offers.Import(ctx, db, fw, in, offers.ImportOptions{AllowNetwork: allowNet, Progress: func(page int, u string) {
			fyne.Do(func() {
				p.status.SetText(lang.L("offersui.page", map[string]any{"Page": page, "URL": moochub.Clean(u)}))
			})
		}})
		fyne.Do(func() {
			p.fileBtn.Enable()
			p.urlBtn.Enable()
			if err != nil {
				err = offers.Localized(err, code)
				p.status.SetText(lang.L("offersui.import_failed", map[string]any{"Source": moochub.Clean(in)}))
				p.q.showError(err)
				return
			}
			p.changed(lang.L("offersui.imported", map[string]any{"Source": moochub.Clean(res.Source), "Added": res.Added, "Updated": res.Updated,
				"Unchanged": res.Unchanged, "Removed": res.Removed}))
		})
	})
}
