package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// fleetView shows a collect.Fleet on the Sammelstelle: the same figures as
// `kicheck fleet` and the HTML dashboard, as cards of compact tables. It
// only lays out what collect computed.
type fleetView struct {
	devices, reports, readyPct, staleKPI *widget.Label
	overall                              *widget.Label

	useCases, models *fyne.Container // tables (tableLayout)
	upgrade          *widget.Label
	calibrated       *widget.Label // how many verdicts were calibrated on the device
	upgradeTable     *fyne.Container
	ram, vram, gpus  *fyne.Container
	bandwidth        *fyne.Container
	speed            *fyne.Container
	orgs             *fyne.Container

	// besideOrgs is shown right after the organisational units: the
	// processes' portfolio per unit.
	besideOrgs fyne.CanvasObject

	staleDays  *widget.Entry
	staleApply *kcButton
	stale      *widget.Label
	staleTable *fyne.Container
	// clock names the PCs whose clock is ahead (collect.ClockAhead);
	// hidden when there are none.
	clock *widget.Label
}

// maxStaleShown caps the stale devices listed on screen; the CSV export
// and the HTML page list more.
const maxStaleShown = 15

// maxOrgUnitsShown caps the organisational units listed on screen.
const maxOrgUnitsShown = 40

func newFleetView() *fleetView {
	v := &fleetView{}
	kpi := func() *widget.Label {
		return headingLabel("–")
	}
	v.devices, v.reports, v.readyPct, v.staleKPI = kpi(), kpi(), kpi(), kpi()
	v.overall = wrapped("")
	v.upgrade = wrapped("")
	v.calibrated = wrapped("")
	v.stale = wrapped("")
	v.clock = wrapped("")
	v.clock.Hide()
	v.useCases = newTable(5, 1)
	v.models = newTable(6, 2)
	v.upgradeTable = newTable(3, -1)
	v.ram, v.vram, v.gpus, v.bandwidth = newTable(3, 1), newTable(3, 1), newTable(3, 1), newTable(3, 1)
	v.speed = newTable(5, -1)
	v.orgs = newTable(6, 2)
	v.staleTable = newTable(4, -1)
	v.staleDays = widget.NewEntry()
	v.staleDays.SetText("30")
	return v
}

// cards lays the overview out: key figures with the export buttons, then
// cards two abreast where they are narrow.
func (v *fleetView) cards(actions ...fyne.CanvasObject) fyne.CanvasObject {
	kpi := func(value *widget.Label, caption string) fyne.CanvasObject {
		return container.NewVBox(value, widget.NewLabel(caption))
	}
	figures := container.NewGridWithColumns(4,
		kpi(v.devices, lang.L("fleet.html.kpi_devices")), kpi(v.reports, lang.L("fleet.html.kpi_reports")),
		kpi(v.readyPct, lang.L("collect.kpi_ready")), kpi(v.staleKPI, lang.L("collect.kpi_stale")))
	overview := widget.NewCard(lang.L("common.overview"), "", container.NewVBox(figures, v.overall, v.calibrated, container.NewHBox(actions...)))
	readiness := widget.NewCard(lang.L("collect.readiness_usecase"), lang.L("fleet.html.usecase_note"), v.useCases)
	models := widget.NewCard(lang.L("collect.readiness"), "", v.models)
	upgrade := widget.NewCard(lang.L("fleet.html.upgrade_heading"), "", container.NewVBox(v.upgrade, v.upgradeTable))
	dist := func(title string, t *fyne.Container) fyne.CanvasObject {
		return widget.NewCard(title, "", t)
	}
	// Two grids, so that each pair is only as high as its longer list.
	memory := container.NewGridWithColumns(2, dist(lang.L("collect.ram_heading"), v.ram), dist(lang.L("fleet.html.vram_heading"), v.vram))
	graphics := container.NewGridWithColumns(2, dist(lang.L("fleet.html.gpu_heading"), v.gpus), dist(lang.L("collect.bandwidth_heading"), v.bandwidth))
	speed := widget.NewCard(lang.L("collect.speed_heading"), lang.L("collect.speed_note"), v.speed)
	orgs := widget.NewCard(lang.L("fleet.html.org_heading"), lang.L("collect.org_note"), v.orgs)
	days := container.NewGridWrap(fyne.NewSize(80, v.staleDays.MinSize().Height), v.staleDays)
	staleRow := container.NewHBox(widget.NewLabel(lang.L("collect.stale_older")), days, widget.NewLabel(lang.L("collect.stale_days")), v.staleApply)
	stale := widget.NewCard(lang.L("collect.stale_heading"), "", container.NewVBox(staleRow, v.stale, v.staleTable, v.clock))
	parts := []fyne.CanvasObject{overview, readiness, models, upgrade, speed, memory, graphics, orgs}
	if v.besideOrgs != nil {
		parts = append(parts, v.besideOrgs) // the portfolio per unit (collect_portfolio.go)
	}
	return container.NewVBox(append(parts, stale)...)
}

// show fills every part from f; lang is the language of bucket labels and
// decimals, cat (may be nil) names the use cases and models.
func (v *fleetView) show(f *collect.Fleet, code string, cat *fit.Catalogue) {
	o := f.Overall
	v.devices.SetText(fmt.Sprint(f.Devices))
	v.reports.SetText(fmt.Sprint(f.Reports))
	v.readyPct.SetText(percent(code, o.Share(o.Ready)))
	v.staleKPI.SetText(fmt.Sprint(f.Stale.Count))
	v.overall.SetText(lang.L("collect.counts", map[string]any{"Devices": f.Devices, "Reports": f.Reports,
		"Ready": o.Ready, "Limited": o.Limited, "NotReady": o.NotReady, "Unknown": o.Unknown}))

	useCaseName := func(id string) string {
		if cat != nil {
			if u, ok := cat.UseCase(id); ok {
				return u.Title(code)
			}
		}
		return orNone(id)
	}
	modelName := func(id string) string {
		if cat != nil {
			if m, ok := cat.Model(id); ok && m.Name != "" {
				return m.Name
			}
		}
		return orNone(id)
	}
	levelCells := func(l collect.Levels) []fyne.CanvasObject {
		return []fyne.CanvasObject{newLevelBar(l),
			right(countShare(code, l.Ready, l.Share(l.Ready))),
			right(countShare(code, l.Limited, l.Share(l.Limited))),
			right(countShare(code, l.NotReady, l.Share(l.NotReady)))}
	}
	// A widget lives in one container only: each table gets its own.
	levelHeads := func() []fyne.CanvasObject {
		return []fyne.CanvasObject{bold(lang.L("fleet.html.col_share")), bold(lang.L("level.ready")), bold(lang.L("level.limited")), bold(lang.L("level.not_ready"))}
	}

	rows := [][]fyne.CanvasObject{append([]fyne.CanvasObject{bold(lang.L("fleet.html.col_usecase"))}, levelHeads()...)}
	for _, r := range f.UseCases {
		rows = append(rows, append([]fyne.CanvasObject{widget.NewLabel(useCaseName(r.UseCase))}, levelCells(r.Levels)...))
	}
	if len(f.UseCases) == 0 {
		rows = nil
	}
	setRows(v.useCases, rows, lang.L("fleet.html.no_usecases"))

	rows = [][]fyne.CanvasObject{append([]fyne.CanvasObject{bold(lang.L("fleet.html.col_usecase")), bold(lang.L("common.model"))}, levelHeads()...)}
	for _, r := range f.Models {
		rows = append(rows, append([]fyne.CanvasObject{widget.NewLabel(useCaseName(r.UseCase)), widget.NewLabel(modelName(r.Model))}, levelCells(r.Levels)...))
	}
	if len(f.Models) == 0 {
		rows = nil
	}
	setRows(v.models, rows, lang.L("fleet.html.no_usecases"))

	if b := f.Upgrade.Best; b != nil {
		text := lang.L("collect.upgrade", map[string]any{"GB": b.RAMGB, "Devices": b.Devices})
		if f.Upgrade.WithoutFitData > 0 {
			text += " " + lang.L("collect.upgrade_unjudged", map[string]any{"Count": f.Upgrade.WithoutFitData})
		}
		v.upgrade.SetText(text)
	} else {
		v.upgrade.SetText(lang.L("collect.no_upgrade", map[string]any{"Unjudged": f.Upgrade.WithoutFitData}))
	}
	v.calibrated.SetText(lang.L("fit.fleet_calibrated", map[string]any{"Calibrated": f.Calibration.Calibrated, "Total": f.Calibration.Verdicts}))
	rows = [][]fyne.CanvasObject{{bold(lang.L("fleet.html.col_ram_to")), bold(lang.L("collect.col_ready_after")), bold(lang.L("collect.col_smallest"))}}
	for _, u := range f.Upgrade.Options {
		// Sizes above the best make no further device ready (it is the
		// smallest with the most): the table ends there.
		if b := f.Upgrade.Best; b != nil && u.RAMGB > b.RAMGB {
			break
		}
		rows = append(rows, []fyne.CanvasObject{widget.NewLabel(lang.L("fleet.bucket.size_gb", map[string]any{"GB": u.RAMGB})),
			right(fmt.Sprint(u.Devices)), right(fmt.Sprint(u.Smallest))})
	}
	if len(f.Upgrade.Options) == 0 {
		rows = nil
	}
	setRows(v.upgradeTable, rows, "")

	setRows(v.ram, distRows(code, f.RAM), lang.L("fleet.html.no_data"))
	setRows(v.vram, distRows(code, f.VRAM), lang.L("fleet.html.no_data"))
	setRows(v.gpus, distRows(code, f.GPUModels), lang.L("fleet.html.no_data"))
	setRows(v.bandwidth, distRows(code, f.Bandwidth), lang.L("fleet.html.no_data"))

	rows = [][]fyne.CanvasObject{{bold(lang.L("common.model")), bold(lang.L("collect.col_devices")), bold(lang.L("fleet.html.col_median")),
		bold(lang.L("collect.col_spread")), bold(lang.L("collect.col_range"))}}
	for _, m := range f.Speed {
		rows = append(rows, []fyne.CanvasObject{widget.NewLabel(modelName(m.Model)), right(fmt.Sprint(m.Devices)),
			right(i18n.Decimal(code, m.Median, 1)),
			right(lang.L("collect.range", map[string]any{"From": i18n.Decimal(code, m.P10, 1), "To": i18n.Decimal(code, m.P90, 1)})),
			right(lang.L("collect.range", map[string]any{"From": i18n.Decimal(code, m.Min, 1), "To": i18n.Decimal(code, m.Max, 1)}))})
	}
	if len(f.Speed) == 0 {
		rows = nil
	}
	setRows(v.speed, rows, lang.L("fleet.html.no_speed"))

	rows = [][]fyne.CanvasObject{{bold(lang.L("common.unit")), bold(lang.L("collect.col_devices")), bold(lang.L("fleet.html.col_share")),
		bold(lang.L("level.ready")), bold(lang.L("fleet.html.col_quiz_people")), bold(lang.L("collect.col_quiz_score"))}}
	for i, u := range f.OrgUnits {
		if i == maxOrgUnitsShown {
			rows = append(rows, []fyne.CanvasObject{widget.NewLabel(lang.L("collect.more_units", map[string]any{"Count": len(f.OrgUnits) - i}))})
			break
		}
		score := "–"
		if u.QuizScorePercent != nil {
			score = lang.L("common.percent", map[string]any{"N": i18n.Decimal(code, *u.QuizScorePercent, 1)})
		}
		rows = append(rows, []fyne.CanvasObject{widget.NewLabel(orNone(u.Name)), right(fmt.Sprint(u.Devices)), newLevelBar(u.Levels),
			right(countShare(code, u.Ready, u.Share(u.Ready))), right(fmt.Sprint(u.QuizParticipants)), right(score)})
	}
	if len(f.OrgUnits) == 0 {
		rows = nil
	}
	setRows(v.orgs, rows, lang.L("fleet.html.no_data"))

	v.showClock(f.ClockAhead, code)
	v.staleDays.SetText(fmt.Sprint(f.Stale.Days))
	if f.Stale.Count == 0 {
		v.stale.SetText(lang.L("collect.no_stale", map[string]any{"Days": f.Stale.Days}))
		setRows(v.staleTable, nil, "")
		return
	}
	v.stale.SetText(lang.L("collect.stale", map[string]any{"Count": f.Stale.Count, "Days": f.Stale.Days}))
	rows = [][]fyne.CanvasObject{{bold(lang.L("fleet.html.col_device")), bold(lang.L("common.unit")), bold(lang.L("fleet.html.col_hostname")), bold(lang.L("collect.col_last"))}}
	for i, d := range f.Stale.Devices {
		if i == maxStaleShown {
			rows = append(rows, []fyne.CanvasObject{widget.NewLabel(lang.L("collect.more_stale", map[string]any{"Count": f.Stale.Count - i}))})
			break
		}
		rows = append(rows, []fyne.CanvasObject{widget.NewLabel(d.DeviceID), widget.NewLabel(orNone(d.OrgUnit)), widget.NewLabel(d.Hostname),
			widget.NewLabel(collect.DateText(code, d.LastReport))})
	}
	setRows(v.staleTable, rows, "")
}

// showClock names the PCs whose clock is ahead, the furthest first.
func (v *fleetView) showClock(c collect.ClockAhead, code string) {
	if c.Count == 0 {
		v.clock.Hide()
		return
	}
	var names []string
	for i, d := range c.Devices {
		if i == 5 {
			names = append(names, "…")
			break
		}
		name := d.Hostname
		if name == "" {
			name = d.DeviceID
		}
		names = append(names, name+" ("+collect.AheadText(code, d.AheadSeconds)+")")
	}
	v.clock.SetText(lang.L("collect.clock_ahead", map[string]any{"Count": c.Count, "Devices": strings.Join(names, ", ")}))
	v.clock.Show()
}

// distRows is a distribution as rows: label, bar (scaled to the largest
// bucket), number of devices.
func distRows(code string, buckets []collect.Bucket) [][]fyne.CanvasObject {
	most := 0
	for _, b := range buckets {
		most = max(most, b.Devices)
	}
	if most == 0 {
		return nil
	}
	rows := make([][]fyne.CanvasObject, 0, len(buckets))
	for _, b := range buckets {
		rows = append(rows, []fyne.CanvasObject{widget.NewLabel(collect.BucketLabel(code, b)),
			newShareBar([]int{b.Devices, most - b.Devices}, []color.Color{theme.Color(theme.ColorNamePrimary), color.Transparent}),
			right(fmt.Sprint(b.Devices))})
	}
	return rows
}

func orNone(s string) string {
	if s == "" {
		return lang.L("collect.not_given")
	}
	return s
}

// percent writes share (0…1) as a whole percentage in the language.
func percent(code string, share float64) string {
	return lang.L("common.percent", map[string]any{"N": i18n.Decimal(code, share*100, 0)})
}

// countShare is "12 (40 %)".
func countShare(code string, n int, share float64) string {
	return lang.L("collect.count_share", map[string]any{"N": n, "Pct": percent(code, share)})
}

// setRows replaces the cells of table t; with no rows it shows empty.
func setRows(t *fyne.Container, rows [][]fyne.CanvasObject, empty string) {
	cols := t.Layout.(*tableLayout).cols
	t.Objects = nil
	if len(rows) == 0 && empty != "" {
		rows = [][]fyne.CanvasObject{{wrapped(empty)}}
	}
	for _, r := range rows {
		t.Objects = append(t.Objects, r...)
		// A short row (a note) fills up with empty cells.
		for i := len(r); i < cols; i++ {
			t.Objects = append(t.Objects, layoutSpacer())
		}
	}
	t.Refresh()
}

// newLevelBar is a bar of the devices ready, limited, not ready and
// without a verdict; the numbers stand beside it as text.
func newLevelBar(l collect.Levels) *fyne.Container {
	return newShareBar([]int{l.Ready, l.Limited, l.NotReady, l.Unknown}, []color.Color{
		theme.Color(theme.ColorNameSuccess), theme.Color(theme.ColorNameWarning),
		theme.Color(theme.ColorNameError), theme.Color(theme.ColorNameDisabled)})
}
