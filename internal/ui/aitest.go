package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/policy"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// aiTest (KI-Test) runs a test bundle against a local runtime: pick the
// runtime and model (found automatically), pick the bundle, start. While it
// runs, a bar per prompt fills, the answer streams in as plain text, and
// afterwards a table and charts show the figures and earlier runs of the
// same model on this PC.
type aiTest struct {
	st *state

	// discover finds runtimes; tests replace it to look only where their
	// Ollama runs.
	discover func(ctx context.Context, opts runtime.Options) (runtime.Result, error)

	runtimes  []runtime.Runtime
	catalogue *bench.Catalogue

	endpoint   *widget.Entry
	search     *kcButton
	runtimeSel *widget.Select
	modelSel   *widget.Select
	bundleSel  *widget.Select
	startBtn   *kcButton
	cancelBtn  *kcButton
	guidance   *widget.Label
	policy     *policyInfo // data class of the test inputs, the rule that applies (workplace PC)
	status     *widget.Label
	progress   *fyne.Container // one row per prompt: name and bar
	bars       []*widget.ProgressBar
	answer     *widget.Label // plain text: answers are never interpreted
	results    *widget.Table
	rows       []bench.PromptSummary
	speedChart *barChart
	ttftChart  *barChart
	history    *barChart

	mu      sync.Mutex
	cancel  context.CancelFunc
	running bool
	// streamed answer text, flushed to the label at most every 100 ms
	pending   strings.Builder
	lastFlush time.Time
	// lastResult is the run shown (for tests).
	lastResult *bench.Result
	lastErr    error
}

func newAITest(st *state) *aiTest {
	return &aiTest{st: st, discover: runtime.Discover}
}

func (a *aiTest) title() string       { return lang.L("nav.aitest") }
func (a *aiTest) icon() fyne.Resource { return theme.MediaPlayIcon() }

func (a *aiTest) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("aitest.heading"))
	intro := wrapped(lang.L("aitest.intro"))

	a.endpoint = widget.NewEntry()
	a.endpoint.SetPlaceHolder(lang.L("aitest.endpoint_placeholder"))
	a.endpoint.OnSubmitted = func(string) { a.onSearch() }
	a.search = newKCButtonWithIcon(lang.L("aitest.search"), theme.SearchIcon(), a.onSearch)
	a.runtimeSel = widget.NewSelect(nil, a.onRuntime)
	a.runtimeSel.PlaceHolder = lang.L("aitest.searching")
	a.modelSel = widget.NewSelect(nil, func(string) { a.updateStart(); a.showHistory() })
	a.modelSel.PlaceHolder = lang.L("common.please_choose")
	a.bundleSel = widget.NewSelect(nil, func(string) { a.updateStart() })
	a.startBtn = newKCButtonWithIcon(lang.L("aitest.start"), theme.MediaPlayIcon(), a.onStart)
	a.startBtn.Importance = widget.HighImportance
	a.startBtn.Disable()
	a.cancelBtn = newKCButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), a.onCancel)
	a.cancelBtn.Disable()

	a.guidance = wrapped(lang.L("aitest.no_runtime"))
	a.guidance.Importance = widget.WarningImportance
	a.guidance.Hide()
	a.status = wrapped("")

	form := widget.NewForm(
		widget.NewFormItem(lang.L("aitest.runtime"), a.runtimeSel),
		widget.NewFormItem(lang.L("aitest.other_address"), container.NewBorder(nil, nil, nil, a.search, a.endpoint)),
		widget.NewFormItem(lang.L("common.model"), a.modelSel),
		widget.NewFormItem(lang.L("aitest.bundle"), a.bundleSel),
	)

	a.progress = container.NewVBox()
	a.answer = wrapped("")
	a.answer.TextStyle = fyne.TextStyle{Monospace: true}
	answerScroll := container.NewVScroll(a.answer)
	answerScroll.SetMinSize(fyne.NewSize(300, 160))

	a.results = widget.NewTable(
		func() (int, int) { return len(a.rows) + 1, 6 },
		func() fyne.CanvasObject { return widget.NewLabel("bescheid-zusammenfassen") },
		a.fillCell,
	)
	for col, w := range []float32{230, 140, 140, 120, 110, 90} {
		a.results.SetColumnWidth(col, w)
	}
	tableScroll := container.NewGridWrap(fyne.NewSize(840, 220), a.results)

	a.speedChart = newBarChart(lang.L("aitest.chart_speed"))
	a.ttftChart = newBarChart(lang.L("aitest.chart_ttft"))
	a.history = newBarChart(lang.L("aitest.chart_history"))

	a.loadBundles()
	a.st.goBackground(func(ctx context.Context) { a.findRuntimes(ctx, nil) })

	// The runtimes found here run on this PC: the policy's rule for the
	// workplace PC applies.
	a.policy = newPolicyInfo(a.st, policy.KindWorkplace, func(p *policy.Policy, dc dataclass.Class) policy.Decision {
		d, _ := p.Check(policy.KindWorkplace, dc, policy.PurposeTest)
		return d
	})
	policyBox := a.policy.buildUI()
	box := container.NewVBox(
		heading, intro, a.guidance, form, policyBox,
		container.NewHBox(a.startBtn, a.cancelBtn),
		a.status, a.progress,
		widget.NewCard(lang.L("aitest.answer"), "", answerScroll),
		widget.NewCard(lang.L("aitest.results"), "", tableScroll),
		container.NewGridWithColumns(2, a.speedChart, a.ttftChart),
		a.history,
		widget.NewSeparator(),
		newLoadProfilePanel(a.st, a.ollamaURL).buildUI(),
	)
	a.policy.relayout = box.Refresh
	return container.NewVScroll(box)
}

// ollamaURL is the address of the chosen runtime when it is Ollama (the
// Lastprofil-Test needs Ollama's model upload), else Ollama's default.
func (a *aiTest) ollamaURL() string {
	if rt, ok := a.selectedRuntime(); ok && rt.Kind == runtime.KindOllama {
		return rt.URL
	}
	return "http://127.0.0.1:11434"
}

// loadBundles fills the bundle choice; broken municipal files are named.
func (a *aiTest) loadBundles() {
	cat, err := bench.LoadCatalogue(a.st.dataDir)
	if err != nil {
		a.status.SetText(lang.L("aitest.bundle_error", map[string]any{"Detail": err.Error()}))
		return
	}
	a.catalogue = cat
	var names []string
	sel := ""
	for _, b := range cat.Bundles {
		n := bundleLabel(b)
		names = append(names, n)
		if b.ID == bench.DefaultBundle {
			sel = n
		}
	}
	a.bundleSel.Options = names
	if sel == "" && len(names) > 0 {
		sel = names[0]
	}
	a.bundleSel.SetSelected(sel)
	if len(cat.Problems) > 0 {
		var msgs []string
		for _, p := range cat.Problems {
			msgs = append(msgs, p.Error())
		}
		a.status.SetText(lang.L("aitest.bundle_problems", map[string]any{"Detail": strings.Join(msgs, "\n")}))
	}
}

func bundleLabel(b *bench.Bundle) string { return b.Title + " (" + b.ID + " " + b.Version + ")" }

// findRuntimes runs discovery off the UI goroutine. extra are addresses
// the user typed.
func (a *aiTest) findRuntimes(ctx context.Context, extra []string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	// A runtime busy loading a model can take more than discovery's
	// default 400 ms to answer; the search runs in the background anyway.
	res, err := a.discover(ctx, runtime.Options{Endpoints: extra, Timeout: 1500 * time.Millisecond})
	fyne.Do(func() {
		if err != nil {
			a.status.SetText(lang.L("aitest.address_invalid", map[string]any{"Detail": err.Error()}))
		}
		a.runtimes = res.Runtimes
		var names []string
		for _, rt := range res.Runtimes {
			names = append(names, runtimeLabel(rt))
		}
		a.runtimeSel.Options = names
		a.runtimeSel.PlaceHolder = lang.L("common.please_choose")
		a.runtimeSel.Refresh()
		if len(names) == 0 {
			a.guidance.Show()
			a.runtimeSel.ClearSelected()
			a.modelSel.Options = nil
			a.modelSel.ClearSelected()
			a.updateStart()
			return
		}
		a.guidance.Hide()
		a.runtimeSel.SetSelectedIndex(0)
	})
}

func runtimeLabel(rt runtime.Runtime) string {
	v := ""
	if rt.Version != "" {
		v = " " + rt.Version
	}
	return fmt.Sprintf("%s%s – %s", rt.Name, v, rt.URL)
}

func (a *aiTest) onSearch() {
	a.runtimeSel.PlaceHolder = lang.L("aitest.searching")
	a.runtimeSel.ClearSelected()
	var extra []string
	if s := strings.TrimSpace(a.endpoint.Text); s != "" {
		extra = []string{s}
	}
	a.st.goBackground(func(ctx context.Context) { a.findRuntimes(ctx, extra) })
}

func (a *aiTest) selectedRuntime() (runtime.Runtime, bool) {
	i := a.runtimeSel.SelectedIndex()
	if i < 0 || i >= len(a.runtimes) {
		return runtime.Runtime{}, false
	}
	return a.runtimes[i], true
}

func (a *aiTest) onRuntime(string) {
	rt, ok := a.selectedRuntime()
	a.modelSel.Options = nil
	a.modelSel.ClearSelected()
	if ok {
		for _, m := range rt.Models {
			a.modelSel.Options = append(a.modelSel.Options, m.ID)
		}
		if len(rt.Models) == 0 {
			a.status.SetText(lang.L("aitest.no_models"))
		}
		if len(a.modelSel.Options) > 0 {
			a.modelSel.SetSelectedIndex(0)
		}
	}
	a.modelSel.Refresh()
	a.updateStart()
}

func (a *aiTest) selectedBundle() *bench.Bundle {
	if a.catalogue == nil {
		return nil
	}
	for _, b := range a.catalogue.Bundles {
		if bundleLabel(b) == a.bundleSel.Selected {
			return b
		}
	}
	return nil
}

func (a *aiTest) updateStart() {
	_, ok := a.selectedRuntime()
	a.mu.Lock()
	running := a.running
	a.mu.Unlock()
	if ok && a.modelSel.Selected != "" && a.selectedBundle() != nil && !running {
		a.startBtn.Enable()
	} else {
		a.startBtn.Disable()
	}
}

// onStart begins a run in the background; the window stays usable.
func (a *aiTest) onStart() {
	rt, ok := a.selectedRuntime()
	b := a.selectedBundle()
	if !ok || b == nil || a.modelSel.Selected == "" {
		return
	}
	ep, model, err := bench.FromRuntime(rt, a.modelSel.Selected)
	if err != nil {
		a.status.SetText(a.describeRunError(err))
		return
	}
	a.policy.refresh()
	if d := a.policy.decision(); !d.Allowed() {
		err := &policy.RefusedError{Decision: d, Lang: a.st.settings.Language}
		a.status.SetText(err.Error() + "\n" + err.Hint())
		a.status.Importance = widget.DangerImportance
		a.status.Refresh()
		return
	}
	ctx, cancel := context.WithCancel(a.st.windowContext())
	a.mu.Lock()
	a.running, a.cancel = true, cancel
	a.pending.Reset()
	a.mu.Unlock()
	a.startBtn.Disable()
	a.cancelBtn.Enable()
	a.answer.SetText("")
	a.status.SetText(lang.L("aitest.running"))
	a.status.Importance = widget.MediumImportance
	a.buildProgress(b)
	a.rows = nil
	a.results.Refresh()

	opts := bench.Options{
		Endpoint: ep, Model: model, Bundle: b, Repeat: 5, MeasureLoad: true,
		OnProgress: func(p bench.Progress) { fyne.Do(func() { a.onProgress(p, b) }) },
		OnToken:    a.onToken,
		OnSample: func(_ bench.PromptResult, s bench.Sample) {
			a.flushAnswer(true)
			fyne.Do(func() {
				if s.PromptIndex < len(a.bars) && !s.Warmup {
					a.bars[s.PromptIndex].SetValue(float64(s.Rep) / 5)
				}
			})
		},
	}
	a.st.goBackground(func(context.Context) {
		var res *bench.Result
		var err error
		if a.st.db != nil {
			res, err = bench.Execute(ctx, a.st.db, opts)
		} else {
			res, err = bench.Run(ctx, opts) // no database: shown, not stored
		}
		cancel()
		fyne.Do(func() { a.finish(res, err) })
	})
}

func (a *aiTest) buildProgress(b *bench.Bundle) {
	a.bars = nil
	a.progress.Objects = nil
	for _, p := range b.Prompts {
		bar := widget.NewProgressBar()
		a.bars = append(a.bars, bar)
		name := p.Title
		if name == "" {
			name = p.ID
		}
		a.progress.Add(container.NewBorder(nil, nil, widget.NewLabel(name), nil, bar))
	}
	a.progress.Refresh()
}

func (a *aiTest) onProgress(p bench.Progress, b *bench.Bundle) {
	switch p.Phase {
	case "load":
		a.status.SetText(lang.L("aitest.loading_model"))
	case "calibrate":
		a.status.SetText(lang.L("aitest.calibrating"))
	case "warmup":
		a.status.SetText(lang.L("aitest.warmup", map[string]any{"Prompt": b.Prompts[p.PromptIndex].ID}))
		a.answer.SetText("")
	case "measure":
		a.status.SetText(lang.L("aitest.measuring", map[string]any{
			"Prompt": b.Prompts[p.PromptIndex].ID, "Rep": p.Rep + 1, "Reps": p.Reps,
			"Index": p.PromptIndex + 1, "Count": p.PromptCount}))
		a.answer.SetText("")
	}
}

// onToken collects streamed text; the label is updated at most every
// 100 ms so a fast model does not flood the UI thread.
func (a *aiTest) onToken(_, _ int, text string) {
	a.mu.Lock()
	a.pending.WriteString(text)
	a.mu.Unlock()
	a.flushAnswer(false)
}

func (a *aiTest) flushAnswer(force bool) {
	a.mu.Lock()
	if !force && time.Since(a.lastFlush) < 100*time.Millisecond {
		a.mu.Unlock()
		return
	}
	a.lastFlush = time.Now()
	text := a.pending.String()
	a.pending.Reset()
	a.mu.Unlock()
	if text == "" {
		return
	}
	// fyne.Do runs in order, so pieces arrive in the order they came.
	fyne.Do(func() {
		t := a.answer.Text + text
		if r := []rune(t); len(r) > 4000 { // the end is what is being written
			t = "…" + string(r[len(r)-4000:])
		}
		a.answer.SetText(t)
	})
}

func (a *aiTest) onCancel() {
	a.mu.Lock()
	if a.cancel != nil {
		a.cancel()
	}
	a.mu.Unlock()
	a.cancelBtn.Disable()
	a.status.SetText(lang.L("common.cancelling"))
}

// finish shows the result of a run, complete or not.
func (a *aiTest) finish(res *bench.Result, err error) {
	a.mu.Lock()
	a.running, a.cancel = false, nil
	a.lastResult, a.lastErr = res, err
	a.mu.Unlock()
	a.cancelBtn.Disable()
	a.updateStart()
	if res != nil {
		a.showResult(res)
	}
	switch {
	case err != nil:
		a.status.SetText(a.describeRunError(err))
		a.status.Importance = widget.DangerImportance
		var re *bench.RunError
		if errors.As(err, &re) && re.Kind == bench.KindCancelled {
			a.status.Importance = widget.WarningImportance
		}
	default:
		a.status.SetText(lang.L("aitest.done", map[string]any{"Run": res.RunID}))
		a.status.Importance = widget.SuccessImportance
	}
	a.status.Refresh()
	a.showHistory()
}

func (a *aiTest) showResult(res *bench.Result) {
	rep := bench.NewReport(res)
	a.rows = nil
	var speed, ttft []bar
	for _, p := range rep.PromptStats {
		a.rows = append(a.rows, p.PromptSummary)
		if p.DecodeTPS.N > 0 {
			speed = append(speed, bar{label: p.PromptID, value: p.DecodeTPS.Median, text: fmt.Sprintf("%.1f tok/s", p.DecodeTPS.Median)})
		}
		if p.TTFTms.N > 0 {
			ttft = append(ttft, bar{label: p.PromptID, value: p.TTFTms.Median, text: fmt.Sprintf("%.0f ms", p.TTFTms.Median)})
		}
	}
	a.results.Refresh()
	a.speedChart.set(speed)
	a.ttftChart.set(ttft)
	for i, b := range a.bars {
		if i < len(res.Prompts) && len(res.Prompts[i].Measured()) == res.Repeat {
			b.SetValue(1)
		}
	}
}

// showHistory charts the scores of earlier runs of the selected model.
func (a *aiTest) showHistory() {
	if a.st.db == nil || a.modelSel.Selected == "" {
		a.history.set(nil)
		return
	}
	model := a.modelSel.Selected
	db := a.st.db
	a.st.goBackground(func(ctx context.Context) {
		runs, err := bench.ListRuns(ctx, db, model, 12)
		var bars []bar
		for i := len(runs) - 1; i >= 0; i-- { // oldest first
			r := runs[i]
			if err != nil || r.Score == nil {
				continue
			}
			bars = append(bars, bar{label: fmt.Sprintf("%s · %s · %s", r.Started.Local().Format("02.01. 15:04"), r.Runtime, r.Bundle),
				value: *r.Score, text: fmt.Sprintf("%.1f", *r.Score)})
		}
		fyne.Do(func() {
			a.history.set(bars)
		})
	})
}

func (a *aiTest) fillCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row == 0 {
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SetText([]string{lang.L("aitest.col_prompt"), lang.L("aitest.col_decode"), lang.L("aitest.col_runtime_decode"),
			lang.L("aitest.col_prompt_tps"), lang.L("aitest.col_ttft"), lang.L("aitest.col_checks")}[id.Col])
		return
	}
	l.TextStyle = fyne.TextStyle{}
	if id.Row-1 >= len(a.rows) {
		l.SetText("")
		return
	}
	p := a.rows[id.Row-1]
	switch id.Col {
	case 0:
		l.SetText(p.PromptID)
	case 1:
		l.SetText(statText(p.DecodeTPS, 1))
	case 2:
		l.SetText(statText(p.RuntimeDecodeTPS, 1))
	case 3:
		l.SetText(statText(p.PromptTPS, 0))
	case 4:
		l.SetText(statText(p.TTFTms, 0))
	case 5:
		if p.ChecksTotal == 0 {
			l.SetText("–")
		} else {
			l.SetText(fmt.Sprintf("%d/%d", p.ChecksPassed, p.ChecksTotal))
		}
	}
}

func statText(s bench.Stat, prec int) string {
	if s.N == 0 {
		return "–"
	}
	return fmt.Sprintf("%.*f ± %.*f", prec, s.Median, prec, s.Stddev)
}

// describeRunError says in plain words what went wrong and that what was
// measured is kept.
func (a *aiTest) describeRunError(err error) string {
	var mm *bench.ModelMissingError
	if errors.As(err, &mm) {
		return lang.L("aitest.error.model_not_found", map[string]any{"Detail": err.Error()})
	}
	var re *bench.RunError
	if !errors.As(err, &re) {
		return describeError(err)
	}
	data := map[string]any{"Detail": re.Error()}
	switch re.Kind {
	case bench.KindUnreachable:
		return lang.L("aitest.error.unreachable", data)
	case bench.KindModelNotFound:
		return lang.L("aitest.error.model_not_found", data)
	case bench.KindTimeout:
		return lang.L("aitest.error.timeout", data)
	case bench.KindStreamBroken:
		return lang.L("aitest.error.stream_broken", data)
	case bench.KindRuntimeError:
		return lang.L("aitest.error.runtime_error", data)
	case bench.KindCancelled:
		return lang.L("aitest.error.cancelled", data)
	case bench.KindRemoteRefused:
		return lang.L("aitest.error.remote_refused", data)
	}
	return localized(re) // the kinds the screen has no words of its own for, as the CLI says them
}
