package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/loadprofile"
	"github.com/ki-reise/kicheck/internal/runtime"
)

// loadProfilePanel is the Lastprofil-Test as a panel for the KI-Test
// screen: pick a catalogue model and a quantization, start; a bar shows
// each stage (write, hand over, load, measure, remove), and the measured
// answer speed appears below. Cancel stops at once and still removes the
// test model. The screen embeds it with one line:
//
//	container.NewVBox(…, newLoadProfilePanel(st, func() string { return chosenOllamaURL }).buildUI())
type loadProfilePanel struct {
	st *state
	// endpoint returns the Ollama address the screen has chosen; "" means
	// Ollama's default on this PC.
	endpoint func() string
	// adjust, if set, changes the options before a run (tests use a
	// smaller model).
	adjust func(*loadprofile.Options)

	models    []loadprofile.Model // offered, from the model catalogue
	modelSel  *widget.Select
	quantSel  *widget.Select
	startBtn  *kcButton
	cancelBtn *kcButton
	bar       *widget.ProgressBar
	status    *widget.Label
	result    *widget.Label

	mu      sync.Mutex
	cancel  context.CancelFunc
	running bool
	// last outcome, for tests
	lastRecord loadprofile.Record
	lastErr    error
}

func newLoadProfilePanel(st *state, endpoint func() string) *loadProfilePanel {
	return &loadProfilePanel{st: st, endpoint: endpoint}
}

func (p *loadProfilePanel) buildUI() fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(lang.L("lastprofil.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := wrapped(lang.L("lastprofil.intro"))

	// The catalogue's models (bundles/models and the municipality's own); a
	// catalogue that does not load leaves the list empty, the start disabled.
	if cat, err := fit.LoadCatalogue(p.st.dataDir); err == nil {
		p.models = cat.LoadProfileModels()
	}
	var names []string
	for _, m := range p.models {
		names = append(names, m.Name)
	}
	p.modelSel = widget.NewSelect(names, func(string) { p.updateStart() })
	p.modelSel.PlaceHolder = lang.L("lastprofil.pick_model")
	var quants []string
	for _, q := range gguf.Quants {
		if q != gguf.QuantF32 && q != gguf.QuantQ4_0 { // the catalogue publishes no sizes for these
			quants = append(quants, string(q))
		}
	}
	p.startBtn = newKCButtonWithIcon(lang.L("lastprofil.start"), theme.MediaPlayIcon(), p.onStart)
	p.startBtn.Disable()
	p.quantSel = widget.NewSelect(quants, func(string) { p.updateStart() })
	p.quantSel.SetSelected(string(gguf.QuantQ4_KM))
	p.cancelBtn = newKCButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), p.onCancel)
	p.cancelBtn.Disable()
	p.bar = widget.NewProgressBar()
	p.bar.Hide()
	p.status = wrapped("")
	p.result = wrapped("")

	form := widget.NewForm(
		widget.NewFormItem(lang.L("common.model"), p.modelSel),
		widget.NewFormItem(lang.L("lastprofil.quant"), p.quantSel),
	)
	return container.NewVBox(heading, intro, form, container.NewHBox(p.startBtn, p.cancelBtn), p.bar, p.status, p.result)
}

func (p *loadProfilePanel) updateStart() {
	p.mu.Lock()
	running := p.running
	p.mu.Unlock()
	if running || p.modelSel.SelectedIndex() < 0 || p.quantSel.Selected == "" {
		p.startBtn.Disable()
		return
	}
	p.startBtn.Enable()
}

func (p *loadProfilePanel) onStart() {
	i := p.modelSel.SelectedIndex()
	if i < 0 {
		return
	}
	q, err := gguf.ParseQuant(p.quantSel.Selected)
	if err != nil {
		return
	}
	target := p.models[i].Target(q)
	endpoint := "http://127.0.0.1:11434"
	if p.endpoint != nil && p.endpoint() != "" {
		endpoint = p.endpoint()
	}
	opts := loadprofile.Options{Endpoint: endpoint, Target: target}
	if p.adjust != nil {
		p.adjust(&opts)
	}
	ctx, cancel := context.WithCancel(p.st.windowContext())
	p.mu.Lock()
	p.cancel, p.running = cancel, true
	p.mu.Unlock()
	p.startBtn.Disable()
	p.cancelBtn.Enable()
	p.modelSel.Disable()
	p.quantSel.Disable()
	p.result.SetText("")
	p.bar.SetValue(0)
	p.bar.Show()
	opts.Progress = func(pr loadprofile.Progress) {
		text, value := p.stageText(pr)
		fyne.Do(func() {
			p.status.SetText(text)
			p.bar.SetValue(value)
		})
	}
	p.st.goBackground(func(context.Context) {
		defer cancel()
		var rec loadprofile.Record
		var err error
		if p.st.db != nil {
			rec, err = loadprofile.RunRecorded(ctx, p.st.db, opts)
		} else {
			rec.Result, err = loadprofile.Run(ctx, opts)
		}
		fyne.Do(func() { p.finish(rec, err) })
	})
}

// stageText is the German (or English) line and the bar position for a
// progress report. The bar runs over the stages; writing and handing over
// fill their part by bytes.
func (p *loadProfilePanel) stageText(pr loadprofile.Progress) (string, float64) {
	frac := 0.0
	if pr.Total > 0 {
		frac = float64(pr.Done) / float64(pr.Total)
	}
	switch pr.Stage {
	case loadprofile.StageWrite:
		return lang.L("loadprofile.stage.write"), 0.35 * frac
	case loadprofile.StageUpload:
		return lang.L("loadprofile.stage.upload"), 0.35 + 0.25*frac
	case loadprofile.StageCreate:
		return lang.L("loadprofile.stage.create"), 0.6
	case loadprofile.StageLoad:
		return lang.L("loadprofile.stage.load"), 0.65
	case loadprofile.StageGenerate:
		return lang.L("loadprofile.stage.generate"), 0.7 + 0.25*frac
	case loadprofile.StageCleanup:
		return lang.L("loadprofile.stage.cleanup"), 0.97
	}
	return "", 0
}

func (p *loadProfilePanel) finish(rec loadprofile.Record, err error) {
	p.mu.Lock()
	p.running, p.cancel = false, nil
	p.lastRecord, p.lastErr = rec, err
	p.mu.Unlock()
	p.cancelBtn.Disable()
	p.modelSel.Enable()
	p.quantSel.Enable()
	p.updateStart()
	p.bar.Hide()
	var disk *loadprofile.DiskSpaceError
	var memory *loadprofile.MemoryError
	var unreachable *loadprofile.UnreachableError
	var apiErr *runtime.APIError
	switch {
	case err == nil:
		p.status.SetText(lang.L("lastprofil.done"))
	case errors.Is(err, context.Canceled):
		p.status.SetText(lang.L("lastprofil.cancelled"))
	case errors.As(err, &disk):
		p.status.SetText(lang.L("lastprofil.no_disk", map[string]any{
			"Need": fmt.Sprintf("%.1f", float64(disk.Need)/1e9), "Free": fmt.Sprintf("%.1f", float64(disk.Free)/1e9)}))
	case errors.As(err, &memory):
		p.status.SetText(lang.L("lastprofil.no_memory"))
	case errors.As(err, &unreachable):
		p.status.SetText(lang.L("lastprofil.no_ollama"))
	case errors.As(err, &apiErr):
		p.status.SetText(lang.L("lastprofil.failed", map[string]any{"Detail": apiErr.Message}))
	default:
		p.status.SetText(lang.L("lastprofil.failed", map[string]any{"Detail": err.Error()}))
	}
	if len(rec.Samples) > 0 {
		p.result.SetText(lang.L("lastprofil.result", map[string]any{
			"Model": p.modelSel.Selected, "Quant": string(rec.Quant), "GB": fmt.Sprintf("%.1f", float64(rec.FileBytes)/1e9),
			"Decode": fmt.Sprintf("%.1f", rec.DecodeTPS), "Prompt": fmt.Sprintf("%.0f", rec.PromptTPS),
			"Load": fmt.Sprintf("%.1f", rec.LoadMS/1000)}))
	}
	if rec.CleanupError != "" {
		p.result.SetText(p.result.Text + "\n" + lang.L("loadprofile.cleanup_failed", map[string]any{"Detail": rec.CleanupError}))
	}
}

func (p *loadProfilePanel) onCancel() {
	p.mu.Lock()
	cancel := p.cancel
	p.mu.Unlock()
	if cancel != nil {
		cancel()
		p.status.SetText(lang.L("lastprofil.cancelling"))
	}
}
