package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/quizsession"
)

// showResult shows the per-area chart, the self-rating gaps and the
// learning path.
func (q *quizScreen) showResult(res *quizsession.Result, c *learning.Content) {
	ev := res.Evaluation
	heading := widget.NewLabelWithStyle(lang.L("quiz.result_heading", map[string]any{"Pseudonym": res.Pseudonym}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	pct := 0.0
	if res.MaxScore > 0 {
		pct = 100 * res.Score / res.MaxScore
	}
	total := widget.NewLabel(lang.L("quiz.result_total", map[string]any{"Score": i18n.Short(textLang(), res.Score),
		"Max": i18n.Short(textLang(), res.MaxScore), "Pct": fmt.Sprintf("%.0f", pct), "Role": c.Framework.RoleLabel(ev.Role, textLang())}))
	total.Wrapping = fyne.TextWrapWord
	parts := []fyne.CanvasObject{heading, total}
	if res.TimedOut {
		parts = append(parts, widget.NewLabel(lang.L("quiz.time_up")))
	}
	if res.CBMMark != nil {
		parts = append(parts, widget.NewLabel(lang.L("quiz.cbm_total", map[string]any{"Mark": i18n.Short(textLang(), *res.CBMMark), "Max": i18n.Short(textLang(), 3*res.MaxScore)})))
	}
	parts = append(parts, widget.NewCard(lang.L("quiz.areas_heading"), lang.L("quiz.areas_sub"), newAreaChart(ev, c)))
	path := container.NewVBox()
	if len(ev.Recommendations) == 0 {
		path.Add(widget.NewLabel(lang.L("quiz.path_none")))
	}
	for i, rec := range ev.Recommendations {
		m := rec.Module
		provider := m.Provider
		if learning.IsPlaceholder(provider) {
			provider = lang.L("common.municipality_to_fill")
		}
		where := lang.L("quiz.provider") + ": " + provider
		if len(m.Offers) > 0 {
			var cs []string
			for _, o := range m.Offers {
				if o.Own {
					cs = append(cs, "→ "+lang.L("offersui.own_training"))
				} else {
					cs = append(cs, "→ "+o.Provider+": "+o.Title+"\n   "+o.URL)
				}
			}
			where = strings.Join(cs, "\n")
		}
		l := widget.NewLabel(fmt.Sprintf("%d. %s\n%s · %s · %s · %s\n%s", i+1, m.Title,
			i18n.Minutes(textLang(), m.DurationMinutes), learning.FormatTitle(m.Format), c.Framework.LevelLabel(m.Level, textLang()),
			lang.L("quiz.closes", map[string]any{"Areas": strings.Join(rec.Closes, ", ")}), where))
		l.Wrapping = fyne.TextWrapWord
		path.Add(l)
	}
	parts = append(parts, widget.NewCard(lang.L("quiz.path_heading", map[string]any{"Role": c.Framework.RoleLabel(ev.Role, textLang())}), "", path))
	again := newKCButtonWithIcon(lang.L("quiz.next_participant"), theme.AccountIcon(), q.showStartForm)
	again.Importance = widget.HighImportance
	parts = append(parts, container.NewHBox(again))
	q.resultBox = container.NewVBox(parts...)
	q.setTake(container.NewVScroll(q.resultBox))
	q.st.win.Canvas().Focus(again)
}

// newAreaChart draws one bar per tested area: the score, the level
// reached against the role's target, and the self-rating gap.
func newAreaChart(ev *learning.Evaluation, c *learning.Content) fyne.CanvasObject {
	grid := container.New(layout.NewFormLayout())
	for _, a := range ev.Areas {
		if a.Items == 0 {
			continue
		}
		bar := widget.NewProgressBar()
		bar.SetValue(a.Score)
		level := lang.L("quiz.below_grundlage")
		if a.Level != "" {
			level = c.Framework.LevelLabel(a.Level, textLang())
		}
		st := widget.NewLabel(lang.L("quiz.level_target", map[string]any{"Level": level, "Target": c.Framework.LevelLabel(a.Target, textLang())}))
		if a.MeetsTarget {
			st.Importance = widget.SuccessImportance
		} else {
			st.Importance = widget.WarningImportance
		}
		grid.Add(widget.NewLabel(a.Area + " " + c.Framework.AreaLabel(a.Area, textLang())))
		grid.Add(container.NewBorder(nil, nil, nil, st, bar))
		if gap, ok := a.GapMsg(); ok {
			g := widget.NewLabel(gap.Text(textLang()))
			g.Wrapping = fyne.TextWrapWord
			g.Importance = widget.LowImportance
			grid.Add(widget.NewLabel(""))
			grid.Add(g)
		}
	}
	out := container.NewVBox(grid)
	if len(ev.Untested) > 0 {
		out.Add(widget.NewLabel(lang.L("quiz.untested", map[string]any{"Areas": strings.Join(ev.Untested, ", ")})))
	}
	return out
}
