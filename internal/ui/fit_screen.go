package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/probe"
)

// fitScreen (Eignung): which catalogue model suits which use case on this
// PC, as a traffic-light matrix, a bar chart of the predicted answer speed
// and a details pane that explains every number of the selected cell. The
// "Messen" button runs the capacity probe (cancellable, with progress).
type fitScreen struct {
	st *state
	// probeOpts sizes the probe (tests use a small one).
	probeOpts probe.Options

	status   *widget.Label
	measure  *kcButton
	cancel   *kcButton
	progress *widget.ProgressBar
	matrix   *widget.Table
	details  *widget.Label
	chart    *fyne.Container
	chartTtl *widget.Label

	// generation counts the measurements started; a result computed for
	// an older one (the stored probe loaded when the screen opened) is not
	// shown over a newer one. Used on the UI goroutine only.
	generation int

	mu         sync.Mutex
	stop       context.CancelFunc // non-nil while probing
	cat        *fit.Catalogue
	models     []fit.Model
	assessment []fit.Assessment // one per use case (columns)
	selected   int              // use case shown in the chart
}

func newFitScreen(st *state) *fitScreen { return &fitScreen{st: st} }

func (f *fitScreen) title() string       { return lang.L("nav.fit") }
func (f *fitScreen) icon() fyne.Resource { return theme.GridIcon() }

func (f *fitScreen) lang() string { return f.st.settings.Language }

func (f *fitScreen) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("eignung.heading"))
	intro := wrapped(lang.L("eignung.intro"))
	f.status = wrapped(lang.L("eignung.loading"))
	f.measure = newKCButtonWithIcon(lang.L("eignung.measure"), theme.MediaPlayIcon(), f.onMeasure)
	f.measure.Importance = widget.HighImportance
	f.cancel = newKCButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), f.onCancel)
	f.cancel.Disable()
	f.progress = widget.NewProgressBar()
	f.progress.Hide()

	f.matrix = widget.NewTable(f.tableSize, f.newCell, f.updateCell)
	f.matrix.OnSelected = f.onSelectCell
	f.matrix.SetColumnWidth(0, 180)

	f.details = wrapped(lang.L("eignung.details_hint"))
	f.chartTtl = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.chart = container.NewVBox()

	top := container.NewVBox(heading, intro, container.NewHBox(f.measure, f.cancel), f.progress, f.status)
	// The matrix gets the full width on top; below it the details of the
	// selected cell beside the bar chart of its use case.
	details := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("eignung.details"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), f.details))
	chart := container.NewVScroll(container.NewVBox(f.chartTtl, f.chart))
	bottom := container.NewHSplit(details, chart)
	split := container.NewVSplit(f.matrix, bottom)
	split.Offset = 0.5
	gen := f.generation
	f.st.goBackground(func(ctx context.Context) { f.loadStored(ctx, gen) })
	return container.NewBorder(top, nil, nil, nil, split)
}

// loadStored shows the newest complete probe, if there is one. gen is the
// generation it was started for: once the user starts a measurement, what
// it found is no longer shown (it would overwrite "Messung läuft" or the
// new result).
func (f *fitScreen) loadStored(ctx context.Context, gen int) {
	setStatus := func(text string) {
		fyne.Do(func() {
			if gen == f.generation {
				f.status.SetText(text)
			}
		})
	}
	cat, err := fit.LoadCatalogue(f.st.dataDir)
	if err != nil {
		setStatus(err.Error())
		return
	}
	f.mu.Lock()
	f.cat = cat
	f.mu.Unlock()
	if f.st.db == nil {
		setStatus(lang.L("eignung.not_measured"))
		return
	}
	pr, ok, err := probe.Latest(ctx, f.st.db, probe.MaxAge)
	if err != nil || !ok {
		setStatus(lang.L("eignung.not_measured"))
		return
	}
	f.show(ctx, pr, gen)
}

// show assesses the catalogue with a probe result and the inventory (read
// here, off the UI goroutine) and fills matrix, chart and status, unless a
// newer measurement than gen was started meanwhile.
func (f *fitScreen) show(ctx context.Context, pr probe.Result, gen int) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	inv := hardware.Collect(ctx, hardware.Options{DataDir: f.st.dataDir})
	f.mu.Lock()
	cat := f.cat
	f.mu.Unlock()
	if cat == nil {
		return
	}
	// A read error of the earlier probes or measurements leaves the
	// prediction to this probe alone, uncalibrated; the status says which.
	// Without a measurement the details say so; a read error only hides
	// the measured figures.
	pf := check.ThisPC(ctx, f.st.db, cat, inv, pr, nil, f.lang())
	mc, as := pf.Machine, pf.Assessments
	status := lang.L("eignung.measured", map[string]any{
		"Date": i18n.DateTime(f.lang(), pr.Started.Local()),
		"GBps": i18n.Decimal(f.lang(), mc.MemoryReadGBps, 1),
		"GOPS": i18n.Grouped(f.lang(), mc.Compute.GOPS, 0),
		"RAM":  i18n.Decimal(f.lang(), float64(mc.RAMTotalBytes)/1e9, 1),
	})
	status += "\n" + fit.BandwidthText(mc, pr, f.lang()) + "\n" + mc.Calibration.Text(f.lang())
	if n := len(cat.Problems); n > 0 {
		status += "\n" + lang.L("eignung.catalogue_problems", map[string]any{"Detail": cat.Problems[0].Error()})
	}
	fyne.Do(func() {
		if gen != f.generation {
			return
		}
		f.mu.Lock()
		f.models = cat.Models
		f.assessment = as
		f.mu.Unlock()
		f.status.SetText(status)
		for i := range as {
			f.matrix.SetColumnWidth(i+1, 140)
		}
		f.matrix.SetRowHeight(0, 56)
		f.matrix.Refresh()
		f.showChart(0)
	})
}

func (f *fitScreen) tableSize() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.models) + 1, len(f.assessment) + 1
}

// fitCell is a matrix cell: a traffic-light background and its text.
type fitCell struct {
	widget.BaseWidget
	bg    *canvas.Rectangle
	label *widget.Label
}

func newFitCell() *fitCell {
	c := &fitCell{bg: canvas.NewRectangle(color.Transparent), label: widget.NewLabel("nicht bereit")}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.ExtendBaseWidget(c)
	return c
}

func (c *fitCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, c.label))
}

func (f *fitScreen) newCell() fyne.CanvasObject { return newFitCell() }

// Traffic-light colours, translucent so the theme's text stays readable in
// light and dark mode.
var verdictColors = map[fit.Verdict]color.Color{
	fit.Ready:    color.NRGBA{R: 0x2e, G: 0x9d, B: 0x42, A: 0x90},
	fit.Limited:  color.NRGBA{R: 0xf5, G: 0xb0, B: 0x20, A: 0x90},
	fit.NotReady: color.NRGBA{R: 0xd3, G: 0x2f, B: 0x2f, A: 0x90},
}

func (f *fitScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*fitCell)
	f.mu.Lock()
	defer f.mu.Unlock()
	c.bg.FillColor = color.Transparent
	c.label.TextStyle = fyne.TextStyle{}
	c.label.Wrapping = fyne.TextWrapOff
	switch {
	case id.Row == 0 && id.Col == 0:
		c.label.SetText(lang.L("common.model"))
		c.label.TextStyle.Bold = true
	case id.Row == 0:
		c.label.SetText(f.assessment[id.Col-1].UseCase.Title(f.lang()))
		c.label.TextStyle.Bold = true
		c.label.Wrapping = fyne.TextWrapWord
	case id.Col == 0:
		c.label.SetText(f.models[id.Row-1].Name)
	default:
		cell, ok := f.cellAt(id)
		if !ok {
			c.label.SetText("–")
		} else {
			c.bg.FillColor = verdictColors[cell.Verdict]
			c.label.SetText(cell.VerdictLabel)
		}
	}
	c.bg.Refresh()
	c.label.Refresh()
}

// cellAt finds the assessment of the model in row for the use case in
// column (the caller holds f.mu). Models of another kind have none.
func (f *fitScreen) cellAt(id widget.TableCellID) (fit.Cell, bool) {
	if id.Row < 1 || id.Col < 1 || id.Row > len(f.models) || id.Col > len(f.assessment) {
		return fit.Cell{}, false
	}
	m := f.models[id.Row-1]
	for _, c := range f.assessment[id.Col-1].Cells {
		if c.ModelID == m.ID {
			return c, true
		}
	}
	return fit.Cell{}, false
}

func (f *fitScreen) onSelectCell(id widget.TableCellID) {
	f.mu.Lock()
	cell, ok := f.cellAt(id)
	var a fit.Assessment
	var m fit.Model
	if id.Col >= 1 && id.Col <= len(f.assessment) {
		a = f.assessment[id.Col-1]
	}
	if id.Row >= 1 && id.Row <= len(f.models) {
		m = f.models[id.Row-1]
	}
	f.mu.Unlock()
	if id.Col >= 1 {
		f.showChart(id.Col - 1)
	}
	switch {
	case ok:
		f.details.SetText(explainCell(m, a, cell, f.lang()))
	case id.Row == 0 && id.Col >= 1:
		f.details.SetText(strings.TrimSpace(a.UseCase.Title(f.lang()) + ": " + a.VerdictLabel + "\n" + a.SummaryText + "\n" + a.CloseText + "\n" + a.CalibrationText))
	default:
		f.details.SetText(lang.L("eignung.details_hint"))
	}
}

// explainCell lists every number of a cell with the measurement and
// formula behind it.
func explainCell(m fit.Model, a fit.Assessment, c fit.Cell, l string) string {
	p := c.Prediction
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s – %s (%s): %s\n%s\n", m.Name, a.UseCase.Title(l), p.Quant, c.VerdictLabel, c.Reason.Text(l))
	if c.CloseText != "" {
		sb.WriteString(c.CloseText + "\n")
	}
	if a.CalibrationText != "" {
		sb.WriteString(a.CalibrationText + "\n")
	}
	// The technical figure behind the plain reason, for IT.
	if it := (fit.Reason{ID: c.Reason.ID + ".it", Data: c.Reason.Data}).Text(l); it != c.Reason.ID+".it" {
		fmt.Fprintf(&sb, "%s\n", it)
	}
	sb.WriteString("\n")
	where := fit.Reason{ID: "fit.placement." + string(p.Placement)}.Text(l)
	fmt.Fprintf(&sb, "%s: %s GB → %s\n  %s\n", lang.L("eignung.memory"), i18n.Decimal(l, float64(p.Memory.TotalBytes)/1e9, 2), where, p.Memory.BasisText(l))
	fig := func(label string, f *fit.Figure, unit string) {
		if f != nil {
			fmt.Fprintf(&sb, "%s: %s\n  %s\n", label, fit.FigureText(f, unit, l), f.BasisText(l))
		}
	}
	switch {
	case p.DecodeTPS != nil:
		fig(lang.L("eignung.decode"), p.DecodeTPS, "Token/s")
		fig(lang.L("eignung.prompt"), p.PromptTPS, "Token/s")
		fig(lang.L("eignung.first_token"), p.FirstTokenS, "s")
		sb.WriteString(c.MeasuredText(l) + "\n")
	case p.RealtimeFactor != nil:
		fig(lang.L("eignung.realtime"), p.RealtimeFactor, "×")
	default:
		fig(lang.L("eignung.prompt"), p.PromptTPS, "Token/s")
		fig(lang.L("eignung.first_token"), p.FirstTokenS, "s")
	}
	fmt.Fprintf(&sb, "\n%s: %s · %s · %s", lang.L("eignung.licence"), m.Licence, m.Origin, m.Source)
	return sb.String()
}

// showChart draws the predicted answer speed of every model for use case i
// as horizontal bars in the verdict's colour.
func (f *fitScreen) showChart(i int) {
	f.mu.Lock()
	if i < 0 || i >= len(f.assessment) {
		f.mu.Unlock()
		return
	}
	a := f.assessment[i]
	f.selected = i
	f.mu.Unlock()
	var bars []bar
	unit := "Token/s"
	for _, c := range a.Cells {
		p := c.Prediction
		var v float64
		switch {
		case p.DecodeTPS != nil:
			v = p.DecodeTPS.Value
		case p.RealtimeFactor != nil:
			v, unit = 60*p.RealtimeFactor.Value, lang.L("eignung.minutes_per_hour")
		case p.PromptTPS != nil:
			v = p.PromptTPS.Value
		}
		if p.Placement == fit.NoFit {
			v = 0
		}
		bars = append(bars, bar{label: c.ModelID, value: v, text: i18n.Decimal(f.lang(), v, 1), colour: verdictColors[c.Verdict]})
	}
	f.chartTtl.SetText(lang.L("eignung.chart_title", map[string]any{"UseCase": a.UseCase.Title(f.lang()), "Unit": unit}))
	f.chart.Objects = barRows(bars, 150)
	f.chart.Refresh()
}

// onMeasure runs the probe in the background; progress and the result come
// back through fyne.Do. A cancelled run is stored as cancelled.
func (f *fitScreen) onMeasure() {
	f.mu.Lock()
	if f.stop != nil {
		f.mu.Unlock()
		return
	}
	ctx, stop := context.WithCancel(f.st.windowContext())
	f.stop = stop
	f.mu.Unlock()
	f.generation++
	gen := f.generation
	f.measure.Disable()
	f.cancel.Enable()
	f.progress.SetValue(0)
	f.progress.Show()
	f.status.SetText(lang.L("eignung.measuring"))
	f.st.goBackground(func(context.Context) {
		res, err := probe.Run(ctx, f.probeOpts, func(step string, done float64) {
			fyne.Do(func() { f.progress.SetValue(done) })
		})
		if f.st.db != nil {
			if _, serr := probe.Save(ctx, f.st.db, res, err); serr != nil && err == nil {
				err = serr
			}
		}
		f.mu.Lock()
		f.stop = nil
		f.mu.Unlock()
		stop()
		fyne.Do(func() {
			f.measure.Enable()
			f.cancel.Disable()
			f.progress.Hide()
		})
		switch {
		case errors.Is(err, context.Canceled):
			fyne.Do(func() { f.status.SetText(lang.L("eignung.cancelled")) })
		case err != nil:
			fyne.Do(func() { f.status.SetText(lang.L("eignung.failed", map[string]any{"Detail": err.Error()})) })
		default:
			// ctx is spent (stop above); reading the inventory for the
			// assessment runs under the window's context.
			f.show(f.st.windowContext(), res, gen)
		}
	})
}

func (f *fitScreen) onCancel() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stop != nil {
		f.stop()
	}
}
