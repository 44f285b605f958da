package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// unitPortfolio is the Sammelstelle's card "Portfolio je
// Organisationseinheit": per unit its readiness from the fleet beside its
// surveyed processes (hotspot.UnitPortfolio), scored with the fleet's
// ready share per unit as the measured readiness.
type unitPortfolio struct {
	st    *state
	table *fyne.Container
	note  *widget.Label
	rows  []hotspot.UnitRow
	shown int // how often show ran (tests wait for it)
}

func newUnitPortfolio(st *state) *unitPortfolio {
	u := &unitPortfolio{st: st, table: newTable(8, 7), note: wrapped(lang.L("collect.portfolio_intro"))}
	return u
}

func (u *unitPortfolio) card() fyne.CanvasObject {
	return widget.NewCard(lang.L("collect.portfolio"), "", container.NewVBox(u.note, u.table))
}

// update scores the stored processes with the fleet's ready shares and
// lays the portfolio out per unit, in the background.
func (u *unitPortfolio) update(f *collect.Fleet) {
	if u.st.db == nil {
		return
	}
	u.st.goBackground(func(ctx context.Context) {
		in, _, err := hotspot.LoadInputs(ctx, u.st.db, u.st.dataDir)
		var ps []hotspot.Process
		if err == nil {
			ps, err = hotspot.List(ctx, u.st.db)
		}
		var rows []hotspot.UnitRow
		if err == nil {
			in.Readiness.UnitReadyShare = hotspot.UnitReadyShare(f)
			pf := hotspot.Score(ps, in)
			rows = hotspot.UnitPortfolio(&pf, f)
		}
		fyne.Do(func() {
			if err != nil {
				u.note.SetText(describeError(err))
				return
			}
			u.show(rows)
		})
	})
}

func (u *unitPortfolio) show(rows []hotspot.UnitRow) {
	u.rows = rows
	u.shown++
	code := u.st.settings.Language
	out := [][]fyne.CanvasObject{{bold(lang.L("common.unit")), bold(lang.L("collect.col_devices")), bold(lang.L("level.ready")),
		bold(lang.L("nav.processes")), bold(lang.L("processes.col.hours")), bold(lang.L("hotspot.quadrant.schnell_umsetzen")),
		bold(lang.L("collect.pf_highrisk")), bold(lang.L("collect.pf_top"))}}
	for i, r := range rows {
		if i == maxOrgUnitsShown {
			out = append(out, []fyne.CanvasObject{widget.NewLabel(lang.L("collect.more_units", map[string]any{"Count": len(rows) - i}))})
			break
		}
		ready := "–"
		if r.ReadyShare != nil {
			ready = lang.L("collect.pf_ready", map[string]any{"Ready": r.Ready, "Percent": i18n.Grouped(code, *r.ReadyShare*100, 0)})
		}
		top := "–"
		if r.TopID != "" {
			top = fmt.Sprintf("%d. %s", r.TopRank, r.TopName)
		}
		risk := fmt.Sprint(r.HighRisk)
		if r.Prohibited > 0 {
			risk = lang.L("collect.pf_risk_prohibited", map[string]any{"High": r.HighRisk, "Prohibited": r.Prohibited})
		}
		out = append(out, []fyne.CanvasObject{widget.NewLabel(orNone(r.Unit)), right(fmt.Sprint(r.Devices)), right(ready),
			right(fmt.Sprint(r.Processes)), right(i18n.Grouped(code, r.Hours, 0)), right(fmt.Sprint(r.QuickWins)), right(risk), wrapped(top)})
	}
	if len(rows) == 0 {
		out = nil
	}
	setRows(u.table, out, lang.L("collect.pf_none"))
}
