package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/document"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/signing"
)

// loadScreen ("Lasttest"): the load test of a central AI server
// (internal/load) — address and model (or the cloud endpoint of the
// settings with its proxy, CA and key; a server off this PC needs the
// consent dialog), load shape and bounds, progress with the current
// level, cancel that keeps what was measured, the answer in the clerk's
// words with its interval, the table, the export (HTML with charts, PDF,
// signed JSON), the stored runs and their side-by-side comparison.
type loadScreen struct {
	st *state

	url, model          *widget.Entry
	protocol            *widget.Select
	fromCloud           *kcButton
	endpoint            *cloud.Endpoint // the settings' endpoint, when taken over
	bundle              *widget.Select
	mix                 *widget.Entry
	shape               *widget.Select
	maxConc, perLevel   *widget.Entry
	rate                *widget.Entry
	clerks, think       *widget.Entry
	maxMinutes, maxReqs *widget.Entry
	maxTokens, label    *widget.Entry
	full                *widget.Check
	startBtn, stopBtn   *kcButton
	progress            *widget.ProgressBar
	level               *widget.Label // the current level while running
	status              *widget.Label
	answer, note, facts *widget.Label
	table               *widget.Label
	tableScroll         *container.Scroll
	exportBtn           *kcButton
	runs                *widget.Select
	showBtn             *kcButton
	compareSel          *widget.Entry // run ids to compare, "3, 5"
	compareBtn          *kcButton
	compareOut          *widget.Label
	compareSave         *kcButton
	compared            []*load.Result // the runs side by side now
	compareIDs          []int64
	content             *fyne.Container
	bundles             []string
	listed              []load.Listing
	shown               *load.Result // the result on the screen
	shownID             int64
	consent             *consentDialog
	cancel              context.CancelFunc
	lastExport          load.Files
}

func newLoadScreen(st *state) *loadScreen { return &loadScreen{st: st} }

func (s *loadScreen) title() string       { return lang.L("nav.load") }
func (s *loadScreen) icon() fyne.Resource { return theme.MediaFastForwardIcon() }

// shortcut: the numbers stay with the screens they had; this one is Ctrl+L.
func (s *loadScreen) shortcut() fyne.KeyName { return fyne.KeyL }

var loadShapes = []string{load.ShapeSweep, load.ShapePoisson, load.ShapeDay}

func (s *loadScreen) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("loadscreen.heading"))
	intro := wrapped(lang.L("loadscreen.intro"))

	s.url = widget.NewEntry()
	s.url.SetText("http://127.0.0.1:11434")
	s.model = widget.NewEntry()
	s.model.SetPlaceHolder("llama3.1:8b")
	s.protocol = widget.NewSelect([]string{lang.L("loadscreen.protocol_ollama"), lang.L("loadscreen.protocol_openai")}, nil)
	s.protocol.SetSelectedIndex(0)
	s.fromCloud = newKCButtonWithIcon(lang.L("loadscreen.from_cloud"), theme.DownloadIcon(), s.onFromCloud)
	s.bundle = widget.NewSelect(nil, nil)
	if cat, err := bench.LoadCatalogue(s.st.dataDir); err == nil {
		for _, b := range cat.Bundles {
			s.bundles = append(s.bundles, b.ID)
		}
	}
	s.bundle.SetOptions(s.bundles)
	if i := indexOf(s.bundles, "kommune-basis"); i >= 0 {
		s.bundle.SetSelectedIndex(i)
	} else if len(s.bundles) > 0 {
		s.bundle.SetSelectedIndex(0)
	}
	s.mix = widget.NewEntry()
	s.mix.SetPlaceHolder("antwort-entwerfen=3,email-zuordnen=1")
	var shapeNames []string
	for _, sh := range loadShapes {
		shapeNames = append(shapeNames, i18n.T(s.st.settings.Language, "load.shape."+sh))
	}
	s.shape = widget.NewSelect(shapeNames, nil)
	s.maxConc = numberEntry("64")
	s.perLevel = numberEntry("0")
	s.full = widget.NewCheck(lang.L("loadscreen.full"), nil)
	s.rate = numberEntry("1")
	s.clerks = numberEntry("10")
	s.think = numberEntry("30")
	s.maxMinutes = numberEntry("10")
	s.maxReqs = numberEntry("10000")
	s.maxTokens = numberEntry("0")
	s.label = widget.NewEntry()
	s.label.SetPlaceHolder(lang.L("loadscreen.label_placeholder"))
	s.shape.OnChanged = func(string) { s.onShape() }
	s.shape.SetSelectedIndex(0)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("loadscreen.url"), s.url),
		widget.NewFormItem(lang.L("loadscreen.protocol"), s.protocol),
		widget.NewFormItem(lang.L("loadscreen.model"), s.model),
		widget.NewFormItem("", s.fromCloud),
		widget.NewFormItem(lang.L("loadscreen.label"), s.label),
		widget.NewFormItem(lang.L("loadscreen.bundle"), s.bundle),
		widget.NewFormItem(lang.L("loadscreen.mix"), s.mix),
		widget.NewFormItem(lang.L("load.html.shape"), s.shape),
		widget.NewFormItem(lang.L("loadscreen.max_conc"), s.maxConc),
		widget.NewFormItem(lang.L("loadscreen.per_level"), s.perLevel),
		widget.NewFormItem("", s.full),
		widget.NewFormItem(lang.L("loadscreen.rate"), s.rate),
		widget.NewFormItem(lang.L("loadscreen.clerks"), s.clerks),
		widget.NewFormItem(lang.L("loadscreen.think"), s.think),
		widget.NewFormItem(lang.L("loadscreen.max_minutes"), s.maxMinutes),
		widget.NewFormItem(lang.L("loadscreen.max_requests"), s.maxReqs),
		widget.NewFormItem(lang.L("loadscreen.max_tokens"), s.maxTokens),
	)
	s.startBtn = newKCButtonWithIcon(lang.L("loadscreen.start"), theme.MediaPlayIcon(), s.onStart)
	s.startBtn.Importance = widget.HighImportance
	s.stopBtn = newKCButtonWithIcon(lang.L("loadscreen.stop"), theme.MediaStopIcon(), s.onStop)
	s.stopBtn.Disable()
	s.progress = widget.NewProgressBar()
	s.level = widget.NewLabel("")
	s.status = wrapped("")

	s.answer = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.answer.Wrapping = fyne.TextWrapWord
	s.note = wrapped("")
	s.facts = wrapped("")
	s.table = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	s.table.Selectable = true
	s.tableScroll = container.NewHScroll(s.table)
	s.exportBtn = newKCButtonWithIcon(lang.L("loadscreen.export"), theme.DocumentSaveIcon(), s.onExport)
	s.exportBtn.Disable()

	s.runs = widget.NewSelect(nil, nil)
	s.runs.PlaceHolder = lang.L("loadscreen.runs_none")
	s.showBtn = newKCButtonWithIcon(lang.L("loadscreen.show"), theme.VisibilityIcon(), s.onShow)
	s.compareSel = widget.NewEntry()
	s.compareSel.SetPlaceHolder(lang.L("loadscreen.compare_placeholder"))
	s.compareBtn = newKCButtonWithIcon(lang.L("common.compare"), theme.ViewRefreshIcon(), s.onCompare)
	s.compareSave = newKCButtonWithIcon(lang.L("loadscreen.compare_save"), theme.DocumentSaveIcon(), s.onCompareSave)
	s.compareSave.Disable()
	s.compareOut = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	s.compareOut.Selectable = true

	bold := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.content = container.NewVBox(heading, intro,
		bold(lang.L("loadscreen.setup_heading")), form,
		container.NewHBox(s.startBtn, s.stopBtn), s.progress, s.level, s.status,
		widget.NewSeparator(), bold(lang.L("loadscreen.result_heading")),
		s.answer, s.note, s.facts, s.tableScroll, s.exportBtn,
		widget.NewSeparator(), bold(lang.L("loadscreen.runs_heading")),
		widget.NewForm(widget.NewFormItem(lang.L("load.cmp.run"), s.runs)), s.showBtn,
		widget.NewForm(widget.NewFormItem(lang.L("loadscreen.compare_runs"), s.compareSel)), s.compareBtn,
		container.NewHScroll(s.compareOut), s.compareSave)
	s.reloadRuns()
	if len(s.listed) > 0 {
		s.onShow() // the newest stored run, until a new one is measured
	}
	return container.NewVScroll(s.content)
}

// onShape enables the fields the chosen shape uses and disables the
// others, so it is clear which apply.
func (s *loadScreen) onShape() {
	i := s.shape.SelectedIndex()
	if i < 0 {
		return
	}
	sh := loadShapes[i]
	set := func(on bool, ws ...fyne.Disableable) {
		for _, w := range ws {
			if on {
				w.Enable()
			} else {
				w.Disable()
			}
		}
	}
	set(sh != load.ShapeDay, s.maxConc)
	set(sh == load.ShapeSweep, s.perLevel, s.full)
	set(sh == load.ShapePoisson, s.rate)
	set(sh == load.ShapeDay, s.clerks, s.think)
}

// onFromCloud takes over the endpoint of the settings (address, model,
// the OpenAI protocol); its proxy, CA file and key are used for the run.
func (s *loadScreen) onFromCloud() {
	if s.st.db == nil {
		s.setStatus(describeError(s.st.dbErr), true)
		return
	}
	ep, ok, err := cloud.LoadEndpoint(context.Background(), s.st.db)
	if err != nil || !ok {
		s.setStatus(lang.L("loadscreen.no_endpoint"), true)
		return
	}
	s.endpoint = &ep
	s.url.SetText(ep.BaseURL)
	s.model.SetText(ep.Model)
	s.protocol.SetSelectedIndex(1)
	s.setStatus(lang.L("loadscreen.endpoint_taken", map[string]any{"Host": ep.Host()}), false)
}

// options reads the form; bad fields are named.
func (s *loadScreen) options() (load.Options, error) {
	var bad []string
	integer := func(e *widget.Entry, name string) int {
		v, err := strconv.Atoi(strings.TrimSpace(e.Text))
		if err != nil {
			bad = append(bad, name)
		}
		return v
	}
	number := func(e *widget.Entry, name string) float64 {
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(e.Text), ",", "."), 64)
		if err != nil || v < 0 {
			bad = append(bad, name)
		}
		return v
	}
	o := load.Options{URL: strings.TrimSpace(s.url.Text), Model: strings.TrimSpace(s.model.Text), Protocol: load.ProtocolOllama,
		Label: strings.TrimSpace(s.label.Text)}
	if s.protocol.SelectedIndex() == 1 {
		o.Protocol = load.ProtocolOpenAI
	}
	if i := s.shape.SelectedIndex(); i >= 0 {
		o.Shape = loadShapes[i]
	}
	o.MaxConc = integer(s.maxConc, lang.L("loadscreen.max_conc"))
	o.RequestsPerLevel = integer(s.perLevel, lang.L("loadscreen.per_level"))
	o.FullSweep = s.full.Checked
	o.Rate = number(s.rate, lang.L("loadscreen.rate"))
	o.Clerks = integer(s.clerks, lang.L("loadscreen.clerks"))
	o.ThinkTime = time.Duration(number(s.think, lang.L("loadscreen.think")) * float64(time.Second))
	o.MaxDuration = time.Duration(number(s.maxMinutes, lang.L("loadscreen.max_minutes")) * float64(time.Minute))
	o.MaxRequests = integer(s.maxReqs, lang.L("loadscreen.max_requests"))
	maxTok := integer(s.maxTokens, lang.L("loadscreen.max_tokens"))
	if len(bad) > 0 {
		return o, fmt.Errorf("%s", lang.L("loadscreen.bad_fields", map[string]any{"Fields": strings.Join(bad, ", ")}))
	}
	switch o.Shape {
	case load.ShapeDay:
		o.MaxConc = 0
	case load.ShapeSweep:
		o.Clerks = 0
	}
	i := s.bundle.SelectedIndex()
	if i < 0 {
		return o, fmt.Errorf("%s", lang.L("loadscreen.no_bundle"))
	}
	mix, b, err := load.BundleMix(s.st.dataDir, s.bundles[i], s.mix.Text, maxTok)
	if err != nil {
		return o, err
	}
	o.Mix, o.Bundle, o.CloudAllowed = mix, b.ID, b.AllowsCloud()
	return o, nil
}

// onStart checks the form; a server off this PC needs the bundle to
// allow it and the consent dialog, as a cloud run does.
func (s *loadScreen) onStart() {
	if s.st.db == nil {
		s.setStatus(describeError(s.st.dbErr), true)
		return
	}
	o, err := s.options()
	if err != nil {
		s.setStatus(s.describe(err), true)
		return
	}
	if err := o.Validate(); err != nil {
		s.setStatus(s.describe(err), true)
		return
	}
	ep := cloud.Endpoint{BaseURL: o.URL, Model: o.Model}
	if s.endpoint != nil && strings.TrimRight(s.endpoint.BaseURL, "/") == strings.TrimRight(o.URL, "/") {
		ep = *s.endpoint
		if key, err := cloud.LoadKey(ep, os.Getenv); err == nil {
			o.APIKey = key.Reveal()
		} else if !ep.IsLoopback() {
			s.setStatus(describeCloudError(err, s.st.settings.Language), true)
			return
		}
	}
	if !o.IsRemote() {
		s.start(o)
		return
	}
	plan := o.Plan()
	if err := cloud.Authorize(plan, plan.Grant("check")); err != nil {
		s.setStatus(describeCloudError(err, s.st.settings.Language), true)
		return
	}
	client, err := cloud.HTTPClient(ep, cloud.ClientOptions{Lang: s.st.settings.Language, Timeout: o.RequestTimeout})
	if err != nil {
		s.setStatus(describeCloudError(err, s.st.settings.Language), true)
		return
	}
	s.consent = showConsent(s.st.win, s.st.settings.Language, plan, func(c *cloud.Consent) {
		if c == nil {
			s.setStatus(lang.L("loadscreen.refused"), false)
			return
		}
		o.Consent, o.HTTPClient = c, client
		s.start(o)
	})
}

// start runs the load in the background; progress shows the level, and
// the result is stored even when the user cancelled (marked incomplete).
func (s *loadScreen) start(o load.Options) {
	ctx, cancel := context.WithCancel(s.st.windowContext())
	s.cancel = cancel
	s.startBtn.Disable()
	s.stopBtn.Enable()
	s.progress.SetValue(0)
	s.level.SetText("")
	msgLang := s.st.settings.Language
	s.setStatus(lang.L("loadscreen.running", map[string]any{"URL": i18n.Escape(o.URL)}), false)
	maxDur := o.MaxDuration
	if maxDur <= 0 {
		maxDur = 10 * time.Minute
	}
	last := time.Time{}
	o.Progress = func(p load.Progress) {
		if !p.LevelEnd && time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		f := p.Elapsed / maxDur.Seconds()
		if p.Total > 0 && o.Shape == load.ShapeSweep {
			f = float64(p.Done) / float64(p.Total)
		}
		text := i18n.T(msgLang, "load.progress", map[string]any{
			"Shape": i18n.T(msgLang, "load.shape."+p.Shape), "Level": p.Level, "Done": p.Done, "Errors": p.Errors,
			"TokS": i18n.Decimal(msgLang, p.TokPerS, 0), "S": i18n.Decimal(msgLang, p.Elapsed, 0)})
		fyne.Do(func() {
			s.progress.SetValue(min(f, 1))
			s.level.SetText(text)
		})
	}
	db := s.st.db
	s.st.goBackground(func(context.Context) {
		defer cancel()
		res, err := load.Run(ctx, o)
		var id int64
		var serr error
		if err == nil && res != nil {
			// What was measured is kept, also after a cancel.
			id, serr = load.Save(context.WithoutCancel(ctx), db, res)
		}
		fyne.Do(func() {
			s.startBtn.Enable()
			s.stopBtn.Disable()
			switch {
			case err != nil:
				s.setStatus(s.describe(err), true)
			case serr != nil:
				s.show(res, 0)
				s.setStatus(describeError(serr), true)
			default:
				s.progress.SetValue(1)
				s.show(res, id)
				s.reloadRuns()
				if res.Complete {
					s.setStatus(lang.L("loadscreen.done", map[string]any{"ID": id}), false)
				} else {
					s.setStatus(lang.L("loadscreen.done_incomplete", map[string]any{"ID": id}), false)
				}
			}
		})
	})
}

func (s *loadScreen) onStop() {
	if s.cancel != nil {
		s.cancel()
	}
}

// describe renders a load error (message and hint) in the UI language.
func (s *loadScreen) describe(err error) string {
	if le, ok := err.(*load.Error); ok {
		msg, hint := le.Localize(s.st.settings.Language)
		if le.Err != nil {
			msg += ": " + le.Err.Error()
		}
		return msg + "\n" + hint
	}
	return describeCloudError(err, s.st.settings.Language)
}

func (s *loadScreen) setStatus(text string, isErr bool) {
	showStatus(s.status, text, isErr, s.content)
}

// show puts a result on the screen: the answer, its note, saturation,
// slots, reloads, and the table of every level.
func (s *loadScreen) show(r *load.Result, id int64) {
	l := s.st.settings.Language
	s.shown, s.shownID = r, id
	s.answer.SetText("")
	s.note.SetText("")
	if r.Answer != nil {
		s.answer.SetText(r.Answer.Msg.Text(l))
		s.note.SetText(r.Answer.Note.Text(l))
	}
	var facts []string
	head := i18n.T(l, "load.head", map[string]any{"Model": i18n.Escape(r.Model), "URL": i18n.Escape(r.URL), "Shape": i18n.T(l, "load.shape."+r.Shape)})
	if r.Label != "" {
		head += " · " + i18n.Escape(r.Label)
	}
	facts = append(facts, head)
	if !r.Complete {
		facts = append(facts, i18n.T(l, "load.incomplete."+r.Incomplete))
	}
	if r.Saturation > 0 {
		facts = append(facts, i18n.T(l, "load.saturation", map[string]any{"N": r.Saturation}))
	}
	if r.Slots != nil && r.Shape == load.ShapeSweep {
		facts = append(facts, r.Slots.Msg().Text(l))
	}
	for _, lv := range r.Levels {
		if lv.Reloads > 0 {
			facts = append(facts, i18n.T(l, "load.reloads", map[string]any{"Level": lv.Level, "N": lv.Reloads}))
		}
	}
	s.facts.SetText(strings.Join(facts, "\n"))
	s.table.SetText(load.Table(r, l))
	s.tableScroll.Refresh()
	if id > 0 {
		s.exportBtn.Enable()
	} else {
		s.exportBtn.Disable()
	}
	s.content.Refresh()
}

// reloadRuns lists the stored load runs, newest first.
func (s *loadScreen) reloadRuns() {
	if s.st.db == nil {
		return
	}
	ls, err := load.List(context.Background(), s.st.db, 200)
	if err != nil {
		s.setStatus(describeError(err), true)
		return
	}
	s.listed = ls
	layout := "02.01. 15:04"
	if s.st.settings.Language == "en" {
		layout = "01-02 15:04"
	}
	names := make([]string, len(ls))
	for i, r := range ls {
		what := i18n.Escape(r.Model)
		if r.Label != "" {
			what += " · " + i18n.Escape(r.Label)
		}
		names[i] = fmt.Sprintf("#%d · %s · %s · %s", r.ID, r.Started.Local().Format(layout), i18n.T(s.st.settings.Language, "load.shape."+r.Shape), what)
		if r.Status != "ok" {
			names[i] += " · " + i18n.T(s.st.settings.Language, "loadscreen.status_"+r.Status)
		}
	}
	s.runs.SetOptions(names)
	if len(names) > 0 {
		s.runs.SetSelectedIndex(0)
	}
}

// onShow shows the stored run chosen in the list.
func (s *loadScreen) onShow() {
	i := s.runs.SelectedIndex()
	if i < 0 || i >= len(s.listed) || s.st.db == nil {
		s.setStatus(lang.L("loadscreen.runs_none"), true)
		return
	}
	r, err := load.LoadResult(context.Background(), s.st.db, s.listed[i].ID)
	if err != nil {
		s.setStatus(describeError(err), true)
		return
	}
	s.show(r, s.listed[i].ID)
	s.setStatus(lang.L("loadscreen.shown", map[string]any{"ID": s.listed[i].ID}), false)
}

// onCompare puts the stored runs named in the field side by side (the
// same load against several runtimes or settings).
func (s *loadScreen) onCompare() {
	s.compareSave.Disable()
	if s.st.db == nil {
		s.compareOut.SetText(describeError(s.st.dbErr))
		return
	}
	var rs []*load.Result
	var ids []int64
	for _, f := range strings.FieldsFunc(s.compareSel.Text, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		id, err := strconv.ParseInt(strings.TrimPrefix(f, "#"), 10, 64)
		if err != nil {
			s.compareOut.SetText(lang.L("loadscreen.compare_bad", map[string]any{"Value": i18n.Escape(f)}))
			return
		}
		r, err := load.LoadResult(context.Background(), s.st.db, id)
		if err != nil {
			s.compareOut.SetText(describeError(err))
			return
		}
		if r.Label == "" {
			r.Label = "#" + strconv.FormatInt(id, 10)
		}
		rs = append(rs, r)
		ids = append(ids, id)
	}
	if len(rs) < 2 {
		s.compareOut.SetText(lang.L("loadscreen.compare_missing"))
		return
	}
	s.compareOut.SetText(load.CompareTable(rs, s.st.settings.Language))
	s.compared, s.compareIDs = rs, ids
	s.compareSave.Enable()
	s.content.Refresh()
}

// onCompareSave asks for a folder and writes the comparison there as an
// HTML page with its charts.
func (s *loadScreen) onCompareSave() {
	if len(s.compared) < 2 {
		return
	}
	chooseFolder(s.st.win, "", func(dir string) { s.compareTo(dir) })
}

// compareTo writes load-vergleich-<ids>.html into dir.
func (s *loadScreen) compareTo(dir string) string {
	var parts []string
	for _, id := range s.compareIDs {
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	path := filepath.Join(dir, "load-vergleich-"+strings.Join(parts, "-")+".html")
	page, err := load.CompareHTML(s.compared, s.st.settings.Language)
	if err == nil {
		_, err = document.Export(path, page, nil)
	}
	if err != nil {
		s.setStatus(lang.L("loadscreen.export_failed", map[string]any{"Detail": err.Error()}), true)
		return ""
	}
	s.setStatus(lang.L("loadscreen.compare_saved", map[string]any{"Path": path}), false)
	return path
}

// onExport asks for a folder and writes the shown run there as HTML (the
// accessible version, with charts), PDF and signed JSON.
func (s *loadScreen) onExport() {
	if s.shown == nil || s.shownID == 0 {
		return
	}
	chooseFolder(s.st.win, documentsFolder(), func(dir string) { s.exportTo(dir) })
}

// exportTo writes the files in the background.
func (s *loadScreen) exportTo(dir string) {
	r, id := s.shown, s.shownID
	msgLang, dataDir := s.st.settings.Language, s.st.dataDir
	s.st.goBackground(func(context.Context) {
		key, err := signing.Load(dataDir)
		var f load.Files
		if err == nil {
			f, err = load.WriteFiles(r, id, dir, msgLang, key, time.Now())
		}
		fyne.Do(func() {
			if err != nil {
				s.setStatus(lang.L("loadscreen.export_failed", map[string]any{"Detail": err.Error()}), true)
				return
			}
			s.lastExport = f
			s.setStatus(lang.L("loadscreen.exported", map[string]any{"HTML": f.HTML, "PDF": f.PDF, "JSON": f.JSON}), false)
		})
	})
}
