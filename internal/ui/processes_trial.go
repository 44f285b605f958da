package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// trialPanel is the Erprobung ("Musterversion") of one hotspot: the
// department's example inputs (typed or loaded from a text file) become
// the hotspot's own test bundle in the prompt-bundle format; a warning
// names every input that looks like personal data. The bundle runs in the
// KI-Test (and, where the data may go there, with consent in "Lokal oder
// Cloud") — the one runner; "Ergebnis übernehmen" takes the newest run's
// pass rate and speed back to the process.
type trialPanel struct {
	s      *processesScreen
	p      hotspot.Process
	inputs *widget.Entry
	pii    *widget.Label
	status *widget.Label
	make   *kcButton
	local  *kcButton
	cloud  *kcButton
	record *kcButton
	load   *kcButton
	trials *widget.Label
	dlg    dialog.Dialog

	parsed   []hotspot.TrialInput
	bundleID string
	cloudOK  bool
}

func (s *processesScreen) onTrial() {
	h, ok := s.selectedHotspot()
	if !ok {
		return
	}
	s.openTrial(h.Process)
}

func (s *processesScreen) openTrial(p hotspot.Process) *trialPanel {
	tp := &trialPanel{s: s, p: p}
	intro := wrapped(lang.L("processes.trial.intro", map[string]any{"Bundle": hotspot.TrialBundleID(p.ID)}))
	tp.inputs = widget.NewMultiLineEntry()
	tp.inputs.SetPlaceHolder(lang.L("processes.trial.placeholder"))
	tp.inputs.SetMinRowsVisible(10)
	tp.inputs.Wrapping = fyne.TextWrapWord
	tp.inputs.OnChanged = func(string) { tp.check() }
	tp.pii = wrapped("")
	tp.pii.Importance = widget.WarningImportance
	tp.pii.Hide()
	tp.status = wrapped("")
	tp.load = newKCButtonWithIcon(lang.L("processes.trial.load"), theme.FolderOpenIcon(), tp.onLoad)
	tp.make = newKCButtonWithIcon(lang.L("processes.trial.make"), theme.DocumentSaveIcon(), tp.onMake)
	tp.make.Importance = widget.HighImportance
	tp.local = newKCButtonWithIcon(lang.L("processes.trial.run_local"), theme.MediaPlayIcon(), func() { tp.openRunner(false) })
	tp.cloud = newKCButtonWithIcon(lang.L("processes.trial.run_cloud"), theme.UploadIcon(), func() { tp.openRunner(true) })
	tp.record = newKCButtonWithIcon(lang.L("processes.trial.record"), theme.ConfirmIcon(), tp.onRecord)
	tp.trials = wrapped("")
	close := newKCButton(lang.L("common.close"), func() { tp.dlg.Hide() })
	tp.make.Disable()
	tp.local.Disable()
	tp.cloud.Disable()
	body := container.NewVBox(intro, container.NewHBox(tp.load), tp.inputs, tp.pii,
		container.NewHBox(tp.make, tp.local, tp.cloud), tp.status,
		widget.NewSeparator(), container.NewHBox(tp.record), tp.trials)
	tp.dlg = dialog.NewCustomWithoutButtons(lang.L("processes.trial.title", map[string]any{"Name": p.Name}),
		container.NewBorder(nil, container.NewHBox(close), nil, nil, container.NewVScroll(body)), s.st.win)
	tp.dlg.Resize(fyne.NewSize(940, 700))
	tp.dlg.Show()
	s.st.win.Canvas().Focus(tp.inputs)
	s.trial = tp
	tp.loadTrials()
	return tp
}

// check parses the inputs as they are typed and warns on personal data.
func (tp *trialPanel) check() {
	l := tp.s.lang()
	in, probs := hotspot.ParseTrialInputs(lang.L("processes.trial.typed"), strings.NewReader(tp.inputs.Text))
	tp.parsed = in
	var lines []string
	if probs != nil && strings.TrimSpace(tp.inputs.Text) != "" {
		for _, p := range probs {
			lines = append(lines, p.Where(l)+": "+p.Msg.Text(l))
		}
		tp.pii.Importance = widget.DangerImportance
	} else {
		tp.pii.Importance = widget.WarningImportance
		for i, x := range in {
			for _, f := range x.PII {
				lines = append(lines, lang.L("processes.trial.pii", map[string]any{"N": i + 1, "Line": x.Line, "What": f.Msg().Text(l)}))
			}
		}
		if len(lines) > 0 {
			lines = append([]string{lang.L("processes.trial.pii_heading")}, lines...)
		}
	}
	tp.pii.SetText(strings.Join(lines, "\n"))
	if len(lines) > 0 {
		tp.pii.Show()
	} else {
		tp.pii.Hide()
	}
	if probs == nil && len(in) > 0 {
		tp.make.Enable()
	} else {
		tp.make.Disable()
	}
}

func (tp *trialPanel) onLoad() {
	choosePath(tp.s.st.win, []string{".txt"}, func(path string) {
		data, err := readHead(path, hotspot.MaxTrialBytes+1)
		if err != nil {
			tp.status.SetText(describeError(err))
			return
		}
		tp.inputs.SetText(string(data))
	})
}

// onMake writes the test bundle into the municipality's bundle folder.
func (tp *trialPanel) onMake() {
	s := tp.s
	task, ok := s.in.Catalogue.TaskType(tp.p.Task)
	if !ok || len(tp.parsed) == 0 {
		return
	}
	inputs, p, dataDir := tp.parsed, tp.p, s.st.dataDir
	tp.make.Disable()
	s.st.goBackground(func(context.Context) {
		params, _, _ := cost.Load(dataDir)
		data, b, err := hotspot.TrialBundle(p, task, inputs, params.Cloud.AVVAvailable, time.Now().UTC().Format("20060102.150405"))
		path := ""
		if err == nil {
			path, err = hotspot.WriteTrialBundle(dataDir, p.ID, data)
		}
		fyne.Do(func() {
			tp.make.Enable()
			if err != nil {
				tp.status.SetText(describeError(err))
				return
			}
			tp.bundleID, tp.cloudOK = b.ID, b.AllowsCloud()
			data := map[string]any{"Bundle": b.ID, "Count": len(b.Prompts), "File": path}
			if tp.cloudOK {
				tp.status.SetText(lang.L("processes.trial.made_cloud", data))
			} else {
				tp.status.SetText(lang.L("processes.trial.made_local", data))
			}
			tp.local.Enable()
			if tp.cloudOK {
				tp.cloud.Enable()
			} else {
				tp.cloud.Disable()
			}
		})
	})
}

// openRunner shows the KI-Test (or, for the cloud, "Lokal oder Cloud",
// where the consent is asked as for every cloud run) with the bundle
// chosen.
func (tp *trialPanel) openRunner(cloud bool) {
	sh := tp.s.st.shell
	for i, sc := range sh.screens {
		switch x := sc.(type) {
		case *aiTest:
			if cloud {
				continue
			}
			tp.dlg.Hide()
			sh.nav.Select(i)
			x.loadBundles()
			for _, b := range x.catalogue.Bundles {
				if b.ID == tp.bundleID {
					x.bundleSel.SetSelected(bundleLabel(b))
				}
			}
			return
		case *cloudScreen:
			if !cloud {
				continue
			}
			tp.dlg.Hide()
			sh.nav.Select(i)
			x.reload()
			for j, b := range x.bundles {
				if b.ID == tp.bundleID {
					x.bundleSel.SetSelectedIndex(j)
				}
			}
			return
		}
	}
}

// onRecord takes the newest KI-Test run of the bundle back to the process.
func (tp *trialPanel) onRecord() {
	s, id := tp.s, tp.p.ID
	l := s.lang()
	s.st.goBackground(func(ctx context.Context) {
		r, err := hotspot.LatestTrialRun(ctx, s.st.db, id)
		var tr hotspot.Trial
		if err == nil {
			tr, err = hotspot.RecordTrial(ctx, s.st.db, id, r, time.Now())
		}
		fyne.Do(func() {
			if err != nil {
				tp.status.SetText(lang.L("processes.trial.record_failed", map[string]any{"Detail": err.Error(), "Bundle": hotspot.TrialBundleID(id)}))
				return
			}
			tp.status.SetText(lang.L("processes.trial.recorded", trialFields(tr, l)))
			tp.loadTrials()
			s.reload()
		})
	})
}

func (tp *trialPanel) loadTrials() {
	s, id := tp.s, tp.p.ID
	l := s.lang()
	s.st.goBackground(func(ctx context.Context) {
		ts, err := hotspot.Trials(ctx, s.st.db, id)
		fyne.Do(func() {
			if err != nil {
				tp.trials.SetText(describeError(err))
				return
			}
			tp.trials.SetText(trialsText(ts, l))
		})
	})
}

func trialFields(tr hotspot.Trial, l string) map[string]any {
	speed := "–"
	if tr.DecodeTPS != nil {
		speed = i18n.Grouped(l, *tr.DecodeTPS, 1)
	}
	where := lang.L("hotspot.trial.local")
	if tr.Remote {
		where = lang.L("hotspot.trial.cloud")
	}
	return map[string]any{"Run": tr.RunID, "Model": tr.Model, "Where": where, "Passed": tr.ChecksPassed, "Total": tr.ChecksTotal,
		"Rate": i18n.Grouped(l, tr.PassRate*100, 0), "Speed": speed, "Date": tr.Recorded.Local().Format("02.01.2006 15:04")}
}

// trialsText lists the recorded runs (the Steckbrief dialog shows it too).
func trialsText(ts []hotspot.Trial, l string) string {
	if len(ts) == 0 {
		return lang.L("processes.trial.none")
	}
	lines := []string{lang.L("processes.trial.recorded_heading")}
	for _, t := range ts {
		lines = append(lines, fmt.Sprintf("· %s", lang.L("processes.trial.line", trialFields(t, l))))
	}
	return strings.Join(lines, "\n")
}
