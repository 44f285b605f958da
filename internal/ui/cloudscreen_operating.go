package ui

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/load"
)

// operatingPanel is section 4 of the Betriebsmodelle screen: the four
// operating models of internal/cost (am Arbeitsplatz, zentraler Server,
// Cloud, hybrid) for the users and criteria of section 3, the central
// server sized from the newest stored load test, prices only as the
// municipality enters them (with their date), the break-even between each
// pair and the recommendation.
type operatingPanel struct {
	c *cloudScreen

	pcs, pcsNotReady         *widget.Entry
	upgradeEUR, upgradeDate  *widget.Entry
	serverEUR, serverDate    *widget.Entry
	serverWatts, clerksPerSv *widget.Entry
	capacity                 *widget.Label // where the clerks per server came from
	fleet                    *widget.Label // where the PCs came from
	computeBtn               *kcButton
	out                      *widget.Label
	outScroll                *container.Scroll
}

func newOperatingPanel(c *cloudScreen) *operatingPanel { return &operatingPanel{c: c} }

func (o *operatingPanel) buildUI() fyne.CanvasObject {
	ops := o.c.params.Operating
	o.pcs = numberEntry(strconv.Itoa(ops.PCs))
	o.pcsNotReady = numberEntry(strconv.Itoa(ops.PCsNotReady))
	price := func(p cost.Price) (*widget.Entry, *widget.Entry) {
		eur, date := widget.NewEntry(), widget.NewEntry()
		eur.SetPlaceHolder(lang.L("operating.ui.open_placeholder"))
		date.SetPlaceHolder(lang.L("cloudscreen.date_placeholder"))
		if p.Known() {
			eur.SetText(formatNum(*p.EUR))
			date.SetText(p.Date)
		}
		return eur, date
	}
	o.upgradeEUR, o.upgradeDate = price(ops.UpgradePerPC)
	o.serverEUR, o.serverDate = price(ops.Server)
	o.serverWatts = widget.NewEntry()
	o.serverWatts.SetPlaceHolder(lang.L("operating.ui.open_placeholder"))
	if ops.ServerWatts > 0 {
		o.serverWatts.SetText(formatNum(ops.ServerWatts))
	}
	o.clerksPerSv = widget.NewEntry()
	o.clerksPerSv.SetPlaceHolder(lang.L("operating.ui.clerks_placeholder"))
	if ops.ClerksPerServer > 0 {
		o.clerksPerSv.SetText(strconv.Itoa(ops.ClerksPerServer))
	}
	o.capacity = wrapped(lang.L("operating.ui.capacity_none"))
	o.computeBtn = newKCButtonWithIcon(lang.L("operating.ui.compute"), theme.ConfirmIcon(), o.onCompute)
	o.out = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	o.out.Selectable = true
	o.outScroll = container.NewHScroll(o.out)
	intro := wrapped(lang.L("operating.ui.intro"))
	o.fleet = wrapped(lang.L("operating.ui.fleet_none"))
	o.loadCapacity()
	o.loadFleet()
	return container.NewVBox(
		widget.NewLabelWithStyle(lang.L("operating.ui.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro,
		widget.NewForm(
			widget.NewFormItem(lang.L("operating.ui.pcs"), o.pcs),
			widget.NewFormItem(lang.L("operating.ui.pcs_not_ready"), o.pcsNotReady),
			widget.NewFormItem(lang.L("operating.ui.upgrade_eur"), o.upgradeEUR),
			widget.NewFormItem(lang.L("operating.ui.price_date"), o.upgradeDate),
			widget.NewFormItem(lang.L("operating.ui.server_eur"), o.serverEUR),
			widget.NewFormItem(lang.L("operating.ui.price_date"), o.serverDate),
			widget.NewFormItem(lang.L("operating.ui.server_watts"), o.serverWatts),
			widget.NewFormItem(lang.L("operating.ui.clerks_per_server"), o.clerksPerSv),
		),
		o.fleet, o.capacity, o.computeBtn, o.outScroll)
}

// loadCapacity fills the clerks per server from the newest stored load
// test whose answer reached the goal, unless the parameters name a figure.
func (o *operatingPanel) loadCapacity() {
	db := o.c.st.db
	if db == nil || o.c.params.Operating.ClerksPerServer > 0 {
		if o.c.params.Operating.ClerksPerServer > 0 {
			o.capacity.SetText(lang.L("operating.ui.capacity_params"))
		}
		return
	}
	o.c.st.goBackground(func(ctx context.Context) {
		c, ok, err := load.LatestCapacity(ctx, db)
		if err != nil || !ok {
			return
		}
		fyne.DoAndWait(func() {
			if strings.TrimSpace(o.clerksPerSv.Text) != "" {
				return // typed in meanwhile
			}
			o.clerksPerSv.SetText(strconv.Itoa(c.Clerks))
			if c.ZeroThink {
				o.capacity.SetText(lang.L("operating.ui.capacity_sweep", map[string]any{"ID": c.RunID, "N": c.Clerks, "Model": c.Model}))
			} else {
				o.capacity.SetText(lang.L("operating.ui.capacity_day", map[string]any{"ID": c.RunID, "N": c.Clerks, "Model": c.Model}))
			}
		})
	})
}

// loadFleet fills the PCs and those that need an upgrade from the
// Sammelstelle's central database last opened (a SQLite file; it is read,
// never created), unless the parameters name the PCs: devices by the
// overall level of their newest report, "eingeschränkt" and "nicht
// bereit" counted as needing an upgrade, which the label says.
func (o *operatingPanel) loadFleet() {
	path := o.c.st.settings.CollectDB
	if o.c.params.Operating.PCs > 0 {
		o.fleet.SetText(lang.L("operating.ui.fleet_params"))
		return
	}
	if path == "" || collect.IsPostgres(path) {
		return
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return
	}
	o.c.st.goBackground(func(ctx context.Context) {
		db, err := collect.OpenSQLite(ctx, path)
		if err != nil {
			return
		}
		f, err := db.Fleet(ctx, collect.FleetOptions{})
		db.Close()
		if err != nil || f.Overall.Total() == 0 {
			return
		}
		n, up := f.Overall.Total(), f.Overall.NeedUpgrade()
		fyne.DoAndWait(func() {
			if t := strings.TrimSpace(o.pcs.Text); t != "" && t != "0" {
				return // typed in meanwhile
			}
			o.pcs.SetText(strconv.Itoa(n))
			o.pcsNotReady.SetText(strconv.Itoa(up))
			o.fleet.SetText(lang.L("operating.ui.fleet_from", map[string]any{"Path": path, "N": n, "Limited": f.Overall.Limited,
				"NotReady": f.Overall.NotReady, "Unknown": f.Overall.Unknown}))
		})
	})
}

// onCompute computes the four models and shows them with the break-even
// between each pair and the recommendation.
func (o *operatingPanel) onCompute() {
	layers, bad := o.c.costLayers()
	p := o.c.params
	cost.Apply(&p, layers) // these layers cannot fail
	ops := p.Operating
	integer := func(e *widget.Entry, name string, dst *int) {
		t := strings.TrimSpace(e.Text)
		if t == "" {
			*dst = 0
			return
		}
		v, err := strconv.Atoi(t)
		if err != nil || v < 0 {
			bad = append(bad, name)
			return
		}
		*dst = v
	}
	integer(o.pcs, lang.L("operating.ui.pcs"), &ops.PCs)
	integer(o.pcsNotReady, lang.L("operating.ui.pcs_not_ready"), &ops.PCsNotReady)
	integer(o.clerksPerSv, lang.L("operating.ui.clerks_per_server"), &ops.ClerksPerServer)
	price := func(eur, date *widget.Entry, name string, dst *cost.Price) {
		e, d := strings.TrimSpace(eur.Text), strings.TrimSpace(date.Text)
		*dst = cost.Price{}
		if e == "" {
			return // open: von der Kommune einzutragen
		}
		v, err := cost.ParseAmount(e)
		if _, derr := i18n.ParseDate(d); err != nil || derr != nil {
			bad = append(bad, name)
			return
		}
		*dst = cost.Price{EUR: &v, Date: d}
	}
	price(o.upgradeEUR, o.upgradeDate, lang.L("operating.ui.upgrade_eur"), &ops.UpgradePerPC)
	price(o.serverEUR, o.serverDate, lang.L("operating.ui.server_eur"), &ops.Server)
	ops.ServerWatts = 0
	if t := strings.TrimSpace(o.serverWatts.Text); t != "" {
		v, err := cost.ParseAmount(t)
		if err != nil {
			bad = append(bad, lang.L("operating.ui.server_watts"))
		}
		ops.ServerWatts = v
	}
	if len(bad) > 0 {
		o.show(lang.L("operating.ui.bad", map[string]any{"Fields": strings.Join(bad, ", ")}))
		return
	}
	ms := cost.OperatingModels(p, ops, cost.Compute(p, time.Now()))
	var buf bytes.Buffer
	cost.WriteOperating(&buf, o.c.st.settings.Language, p, ops, ms)
	o.show(strings.TrimRight(buf.String(), "\n"))
}

func (o *operatingPanel) show(text string) {
	o.out.SetText(text)
	o.outScroll.Refresh()
	if o.c.content != nil {
		o.c.content.Refresh()
	}
}
