package ui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/compare"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/probe"
)

// cloudScreen ("Betriebsmodelle", formerly "Lokal oder Cloud"): runs a
// cloud_allowed bundle against the configured cloud endpoint after the
// consent dialog, compares a local and a cloud run side by side, computes
// the cost comparison with its recommendation, and the four operating
// models (am Arbeitsplatz, zentraler Server, Cloud, hybrid) with the
// server sized from the newest load test.
type cloudScreen struct {
	st *state

	bundleSel *widget.Select
	runBtn    *kcButton
	stopBtn   *kcButton
	progress  *widget.ProgressBar
	runStatus *widget.Label
	policy    *policyInfo // data class of the test inputs, the rule that applies

	localSel   *widget.Select
	cloudSel   *widget.Select
	compareBtn *kcButton
	compareOut *widget.Label

	users, perDay, priceIn, priceOut, priceDate *widget.Entry
	verdict                                     *widget.Select
	verdictSource                               *widget.Label // where the verdict came from
	verdictByHand                               bool          // the user chose a verdict: the fit no longer overrides it
	personal, avv, offline                      *widget.Check
	costBtn                                     *kcButton
	costOut                                     *widget.Label
	compareScroll, costScroll                   *container.Scroll
	content                                     *fyne.Container // the screen's column, re-laid out when a result grows
	operating                                   *operatingPanel // 4. the four operating models (cloudscreen_operating.go)

	bundles    []*bench.Bundle // cloud_allowed only
	localRuns  []bench.RunListing
	cloudRuns  []bench.RunListing
	comparison *compare.Comparison // the one shown, feeds the cost model
	params     cost.Params

	repeat  int            // repetitions per prompt in a cloud run
	consent *consentDialog // the dialog last shown
	cancel  context.CancelFunc
}

func newCloudScreen(st *state) *cloudScreen { return &cloudScreen{st: st, repeat: 3} }

func (c *cloudScreen) title() string       { return lang.L("nav.cloud") }
func (c *cloudScreen) icon() fyne.Resource { return theme.UploadIcon() }

func (c *cloudScreen) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("cloudscreen.heading"))
	intro := wrapped(lang.L("cloudscreen.intro"))

	// 1. Cloud run.
	c.bundleSel = widget.NewSelect(nil, nil)
	c.runBtn = newKCButtonWithIcon(lang.L("cloudscreen.run"), theme.UploadIcon(), c.onRunCloud)
	c.runBtn.Importance = widget.HighImportance
	c.stopBtn = newKCButtonWithIcon(lang.L("Cancel"), theme.MediaStopIcon(), c.onStop)
	c.stopBtn.Disable()
	c.progress = widget.NewProgressBar()
	c.runStatus = wrapped("")
	c.policy = newPolicyInfo(c.st, "", c.decide)
	c.policy.relayout = func() {
		if c.content != nil {
			c.content.Refresh()
		}
	}
	runBox := container.NewVBox(widget.NewLabelWithStyle(lang.L("cloudscreen.run_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem(lang.L("cloudscreen.bundle"), c.bundleSel)),
		c.policy.buildUI(),
		container.NewHBox(c.runBtn, c.stopBtn), c.progress, c.runStatus)

	// 2. Comparison.
	c.localSel = widget.NewSelect(nil, nil)
	c.cloudSel = widget.NewSelect(nil, nil)
	c.compareBtn = newKCButtonWithIcon(lang.L("common.compare"), theme.ViewRefreshIcon(), c.onCompare)
	c.compareOut = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	c.compareOut.Selectable = true
	compareBox := container.NewVBox(widget.NewLabelWithStyle(lang.L("cloudscreen.compare_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(widget.NewFormItem(lang.L("cloudscreen.local_run"), c.localSel), widget.NewFormItem(lang.L("cloudscreen.cloud_run"), c.cloudSel)),
		c.compareBtn)
	c.compareScroll = container.NewHScroll(c.compareOut)
	compareBox.Add(c.compareScroll)

	// 3. Cost.
	p, _, err := cost.Load(c.st.dataDir)
	c.params = p
	c.users = numberEntry(strconv.Itoa(p.Usage.Users))
	c.perDay = numberEntry(formatNum(p.Usage.RequestsPerUserPerDay))
	c.priceIn = numberEntry(formatNum(p.Cloud.PriceInputPerMillion))
	c.priceOut = numberEntry(formatNum(p.Cloud.PriceOutputPerMillion))
	c.priceDate = widget.NewEntry()
	c.priceDate.SetText(p.Cloud.PriceDate)
	c.priceDate.SetPlaceHolder(lang.L("cloudscreen.date_placeholder"))
	c.verdict = widget.NewSelect([]string{lang.L("cloudscreen.verdict_ready"), lang.L("cloudscreen.verdict_limited"), lang.L("cloudscreen.verdict_not_ready")}, nil)
	c.verdict.SetSelectedIndex(indexOf(verdictIDs, p.Local.HardwareVerdict))
	c.verdictSource = wrapped(lang.L("cloudscreen.verdict_from_params"))
	c.verdict.OnChanged = func(string) {
		c.verdictByHand = true
		c.verdictSource.SetText(lang.L("cloudscreen.verdict_from_hand"))
	}
	c.loadVerdict()
	c.personal = widget.NewCheck(lang.L("cloudscreen.personal"), nil)
	c.personal.SetChecked(p.Criteria.PersonalData)
	c.avv = widget.NewCheck(lang.L("cloudscreen.avv"), nil)
	c.avv.SetChecked(p.Cloud.AVVAvailable)
	c.offline = widget.NewCheck(lang.L("cloudscreen.offline"), nil)
	c.offline.SetChecked(p.Criteria.NeedsOffline)
	c.costBtn = newKCButtonWithIcon(lang.L("cloudscreen.cost"), theme.ConfirmIcon(), c.onCost)
	c.costOut = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	c.costOut.Selectable = true
	if err != nil {
		c.costOut.SetText(err.Error())
	}
	costBox := container.NewVBox(widget.NewLabelWithStyle(lang.L("cloudscreen.cost_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(
			widget.NewFormItem(lang.L("cloudscreen.users"), c.users),
			widget.NewFormItem(lang.L("cloudscreen.per_day"), c.perDay),
			widget.NewFormItem(lang.L("cloudscreen.price_in"), c.priceIn),
			widget.NewFormItem(lang.L("cloudscreen.price_out"), c.priceOut),
			widget.NewFormItem(lang.L("cloudscreen.price_date"), c.priceDate),
			widget.NewFormItem(lang.L("cloudscreen.verdict"), c.verdict),
		),
		c.verdictSource, c.personal, c.avv, c.offline, c.costBtn)
	c.costScroll = container.NewHScroll(c.costOut)
	costBox.Add(c.costScroll)

	c.reload()
	c.operating = newOperatingPanel(c)
	c.content = container.NewVBox(heading, intro, runBox, widget.NewSeparator(), compareBox, widget.NewSeparator(), costBox,
		widget.NewSeparator(), c.operating.buildUI())
	return container.NewVScroll(c.content)
}

// decide is the AI policy's rule for a cloud run of the configured
// endpoint with test inputs of class dc (cloudrun decides the same way).
func (c *cloudScreen) decide(p *policy.Policy, dc dataclass.Class) policy.Decision {
	var ep cloud.Endpoint
	if c.st.db != nil {
		ep, _, _ = cloud.LoadEndpoint(context.Background(), c.st.db)
	}
	return cloudrun.PolicyDecision(cloudrun.Request{Endpoint: ep, Policy: p, DataClass: dc})
}

// verdictIDs are the cost model's verdicts in the order of the select.
var verdictIDs = []string{cost.VerdictReady, cost.VerdictLimited, cost.VerdictNotReady}

// loadVerdict selects the overall verdict of this PC's newest stored probe
// (as kicheck cost does), off the UI goroutine: reading the inventory
// takes a moment. A verdict the user already chose stays.
func (c *cloudScreen) loadVerdict() {
	if c.st.db == nil {
		return
	}
	c.st.goBackground(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		measured, _ := check.MeasuredRuns(ctx, c.st.db) // a read error leaves the verdict uncalibrated
		sv, ok, err := fit.LatestVerdict(ctx, c.st.db, c.st.dataDir, probe.MaxAge, measured)
		if err != nil || !ok {
			return // the parameters' verdict stays, and the label says so
		}
		fyne.DoAndWait(func() {
			if c.verdictByHand {
				return
			}
			i := indexOf(verdictIDs, string(sv.Verdict))
			if i < 0 {
				return
			}
			onChanged := c.verdict.OnChanged
			c.verdict.OnChanged = nil
			c.verdict.SetSelectedIndex(i)
			c.verdict.OnChanged = onChanged
			date := sv.ProbeStarted.Local().Format("02.01.2006 15:04")
			if c.st.settings.Language == "en" {
				date = sv.ProbeStarted.Local().Format("2006-01-02 15:04")
			}
			c.verdictSource.SetText(lang.L("cloudscreen.verdict_from_fit", map[string]any{"Date": date}))
		})
	})
}

func numberEntry(v string) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(v)
	return e
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// reload lists the cloud_allowed bundles and the stored runs.
func (c *cloudScreen) reload() {
	c.bundles = nil
	if cat, err := bench.LoadCatalogue(c.st.dataDir); err == nil {
		for _, b := range cat.Bundles {
			if b.AllowsCloud() {
				c.bundles = append(c.bundles, b)
			}
		}
	}
	names := make([]string, len(c.bundles))
	for i, b := range c.bundles {
		names[i] = b.Title + " (" + b.ID + ")"
	}
	c.bundleSel.SetOptions(names)
	if len(names) > 0 && c.bundleSel.SelectedIndex() < 0 {
		c.bundleSel.SetSelectedIndex(0)
	}
	c.localRuns, c.cloudRuns = nil, nil
	if c.st.db != nil {
		runs, _ := bench.ListRuns(context.Background(), c.st.db, "", 200)
		for _, r := range runs {
			if cloud.IsLoopbackURL(r.Endpoint) {
				c.localRuns = append(c.localRuns, r)
			} else {
				c.cloudRuns = append(c.cloudRuns, r)
			}
		}
	}
	c.localSel.SetOptions(runLabels(c.st.settings.Language, c.localRuns))
	c.cloudSel.SetOptions(runLabels(c.st.settings.Language, c.cloudRuns))
	if len(c.localRuns) > 0 && c.localSel.SelectedIndex() < 0 {
		c.localSel.SetSelectedIndex(0)
	}
	if len(c.cloudRuns) > 0 {
		c.cloudSel.SetSelectedIndex(0) // the newest, e.g. the run just made
	}
}

func runLabels(msgLang string, runs []bench.RunListing) []string {
	layout := "02.01. 15:04"
	if msgLang == "en" {
		layout = "01-02 15:04"
	}
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = fmt.Sprintf("#%d · %s · %s · %s", r.RunID, r.Started.Local().Format(layout), r.Model, r.Bundle)
	}
	return out
}

// onRunCloud checks the setup, then asks for consent; only a given
// consent starts the run (cloudrun.Run checks it again).
func (c *cloudScreen) onRunCloud() {
	if c.st.db == nil {
		c.setRunStatus(describeError(c.st.dbErr), true)
		return
	}
	ep, ok, err := cloud.LoadEndpoint(context.Background(), c.st.db)
	if err != nil || !ok {
		c.setRunStatus(lang.L("cloudscreen.no_endpoint"), true)
		return
	}
	i := c.bundleSel.SelectedIndex()
	if i < 0 || i >= len(c.bundles) {
		c.setRunStatus(lang.L("cloudscreen.no_bundle"), true)
		return
	}
	b := c.bundles[i]
	// The AI policy first: a run it forbids never reaches the consent.
	c.policy.refresh()
	if d := c.policy.decision(); !d.Allowed() {
		err := &policy.RefusedError{Decision: d, Lang: c.st.settings.Language}
		c.setRunStatus(err.Error()+"\n"+err.Hint(), true)
		return
	}
	key, err := cloud.LoadKey(ep, os.Getenv)
	if err != nil && !ep.IsLoopback() {
		c.setRunStatus(describeCloudError(err, c.st.settings.Language), true)
		return
	}
	plan := cloudrun.PlanFor(ep, b)
	if err := cloud.Authorize(plan, plan.Grant("check")); err != nil {
		c.setRunStatus(describeCloudError(err, c.st.settings.Language), true)
		return
	}
	if !plan.NeedsConsent() {
		c.start(ep, key, b, nil)
		return
	}
	c.consent = showConsent(c.st.win, c.st.settings.Language, plan, func(consent *cloud.Consent) {
		if consent == nil {
			c.setRunStatus(lang.L("cloudscreen.refused"), false)
			return
		}
		c.start(ep, key, b, consent)
	})
}

func (c *cloudScreen) start(ep cloud.Endpoint, key cloud.APIKey, b *bench.Bundle, consent *cloud.Consent) {
	ctx, cancel := context.WithCancel(c.st.windowContext())
	c.cancel = cancel
	c.runBtn.Disable()
	c.stopBtn.Enable()
	c.progress.SetValue(0)
	c.setRunStatus(lang.L("cloudscreen.running", map[string]any{"Host": ep.Host()}), false)
	repeat := c.repeat
	db := c.st.db
	pol, dc := c.policy.policy(), c.policy.selected()
	msgLang := c.st.settings.Language
	c.st.goBackground(func(context.Context) {
		defer cancel()
		res, err := cloudrun.Run(ctx, db, cloudrun.Request{Endpoint: ep, Key: key, Bundle: b, Consent: consent, Repeat: repeat,
			Policy: pol, DataClass: dc,
			ClientOptions: cloud.ClientOptions{Lang: msgLang},
			OnProgress: func(p bench.Progress) {
				f := p.Fraction()
				fyne.Do(func() { c.progress.SetValue(f) })
			},
			OnRetry: func(ev cloud.RetryEvent) {
				msg := ev.Text(msgLang)
				fyne.Do(func() { c.setRunStatus(msg, false) })
			},
		})
		fyne.Do(func() {
			c.runBtn.Enable()
			c.stopBtn.Disable()
			c.reload()
			switch {
			case err != nil && res != nil:
				c.setRunStatus(lang.L("cloudscreen.run_failed", map[string]any{"ID": res.RunID})+"\n"+describeCloudError(err, msgLang), true)
			case err != nil:
				c.setRunStatus(describeCloudError(err, msgLang), true)
			default:
				c.progress.SetValue(1)
				c.setRunStatus(lang.L("cloudscreen.run_done", map[string]any{"ID": res.RunID}), false)
			}
		})
	})
}

func (c *cloudScreen) onStop() {
	if c.cancel != nil {
		c.cancel()
	}
}

func (c *cloudScreen) setRunStatus(text string, isErr bool) {
	showStatus(c.runStatus, text, isErr, c.content)
}

func (c *cloudScreen) onCompare() {
	li, ci := c.localSel.SelectedIndex(), c.cloudSel.SelectedIndex()
	if li < 0 || ci < 0 || c.st.db == nil {
		c.compareOut.SetText(lang.L("cloudscreen.compare_missing"))
		return
	}
	cmp, err := compare.Load(context.Background(), c.st.db, c.localRuns[li].RunID, c.cloudRuns[ci].RunID)
	if err != nil {
		c.compareOut.SetText(describeError(err))
		return
	}
	var buf bytes.Buffer
	compare.WriteText(&buf, c.st.settings.Language, cmp)
	c.showResult(c.compareOut, buf.String())
	c.comparison = &cmp
}

// costLayers reads section 3 (users, usage, cloud price with its date,
// verdict, criteria) as what the person entered, over the comparison's
// measurements and the chosen test bundle's estimates: cost.Apply's
// layers, in its order, as kicheck cost applies them. The verdict select
// shows this PC's fit verdict unless the person chose one. bad names the
// fields that are not valid.
func (c *cloudScreen) costLayers() (layers cost.Layers, bad []string) {
	amount := func(e *widget.Entry, name string) float64 {
		v, err := cost.ParseAmount(e.Text)
		if err != nil {
			bad = append(bad, name)
		}
		return v
	}
	en := cost.Entry{
		Users:          int(amount(c.users, lang.L("cloudscreen.users"))),
		RequestsPerDay: amount(c.perDay, lang.L("cloudscreen.per_day")),
		PriceIn:        amount(c.priceIn, lang.L("cloudscreen.price_in")),
		PriceOut:       amount(c.priceOut, lang.L("cloudscreen.price_out")),
		PriceDate:      strings.TrimSpace(c.priceDate.Text),
		PersonalData:   c.personal.Checked,
		AVV:            c.avv.Checked,
		Offline:        c.offline.Checked,
	}
	if _, err := i18n.ParseDate(en.PriceDate); err != nil {
		bad = append(bad, lang.L("cloudscreen.price_date"))
	}
	if i := c.verdict.SelectedIndex(); i >= 0 {
		en.Verdict = verdictIDs[i]
	}
	layers.Entered = en.Apply
	if cmp := c.comparison; cmp != nil {
		layers.Measured = func(p *cost.Params) ([]string, error) { return compare.ApplyToCost(*cmp, p), nil }
	}
	if i := c.bundleSel.SelectedIndex(); i >= 0 && i < len(c.bundles) {
		b := c.bundles[i]
		layers.Estimated = func(p *cost.Params) ([]string, error) { return compare.ApplyBundle(b, p), nil }
	}
	return layers, bad
}

// onCost computes with the form's values; a comparison shown above
// supplies the measured tokens per request, compute time and latencies.
func (c *cloudScreen) onCost() {
	layers, bad := c.costLayers()
	if len(bad) > 0 {
		c.costOut.SetText(lang.L("cloudscreen.cost_bad", map[string]any{"Fields": strings.Join(bad, ", ")}))
		return
	}
	p := c.params
	applied, _ := cost.Apply(&p, layers) // these layers cannot fail
	var note string
	if len(applied.Measured) > 0 {
		note = "\n" + lang.L("cloudscreen.cost_measured", map[string]any{"Local": c.comparison.Local.RunID, "Cloud": c.comparison.Cloud.RunID})
	}
	var buf bytes.Buffer
	cost.WriteText(&buf, c.st.settings.Language, p, cost.Compute(p, time.Now()))
	c.showResult(c.costOut, buf.String()+note)
}

// showResult sets a result text and re-lays out the column: a scroll
// container does not pass its content's new height on by itself.
func (c *cloudScreen) showResult(l *widget.Label, text string) {
	l.SetText(text)
	for _, s := range []*container.Scroll{c.compareScroll, c.costScroll} {
		s.Refresh()
	}
	c.content.Refresh()
}
