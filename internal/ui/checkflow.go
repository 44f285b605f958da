package ui

import (
	"context"
	"errors"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/report"
)

// checkTimeout bounds a check started from the window, like the headless
// default.
const checkTimeout = 15 * time.Minute

// checkFlow is the clerk's one button: "Arbeitsplatz prüfen" runs the
// whole check in a dialog that shows the steps and a progress bar, can be
// cancelled, and ends on the verdict with the export button.
type checkFlow struct {
	st *state

	dlg       dialog.Dialog
	stepIcons []*widget.Icon
	stepNames []string
	progress  *widget.ProgressBar
	detail    *widget.Label
	cancelBtn *kcButton
	running   *fyne.Container

	light      *canvas.Circle
	verdict    *widget.Label
	sentence   *widget.Label
	verdicts   *widget.Label
	status     *widget.Label
	exportBtn  *kcButton
	openBtn    *kcButton
	closeBtn   *kcButton
	finished   *fyne.Container
	body       *container.Scroll
	cancel     context.CancelFunc
	stored     report.Stored
	hasStored  bool
	inProgress bool
}

func newCheckFlow(st *state) *checkFlow { return &checkFlow{st: st} }

// start opens the dialog and runs the check.
func (f *checkFlow) start() {
	if f.inProgress && f.dlg != nil {
		f.dlg.Show()
		return
	}
	f.build()
	f.dlg.Show()
	f.run()
}

func (f *checkFlow) build() {
	f.stepNames = append(check.Steps(check.Options{}), "sign")
	rows := container.NewVBox()
	f.stepIcons = nil
	for _, name := range f.stepNames {
		icon := widget.NewIcon(theme.RadioButtonIcon())
		f.stepIcons = append(f.stepIcons, icon)
		rows.Add(container.NewHBox(icon, widget.NewLabel(check.StepLabel(name, f.st.settings.Language))))
	}
	f.progress = widget.NewProgressBar()
	f.detail = widget.NewLabel("")
	f.cancelBtn = newKCButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), f.onCancel)
	intro := wrapped(lang.L("checkflow.running"))
	f.running = container.NewVBox(intro, rows, f.progress, f.detail, container.NewHBox(f.cancelBtn))

	f.light = canvas.NewCircle(color.Gray{Y: 140})
	f.light.StrokeColor = color.Gray{Y: 60}
	f.light.StrokeWidth = 1
	lightBox := container.NewGridWrap(fyne.NewSize(56, 56), f.light)
	f.verdict = headingLabel("")
	f.sentence = wrapped("")
	f.verdicts = wrapped("")
	f.status = wrapped("")
	f.status.Hide()
	f.exportBtn = newKCButtonWithIcon(lang.L("reports.export"), theme.DocumentSaveIcon(), f.onExport)
	f.exportBtn.Importance = widget.HighImportance
	f.openBtn = newKCButtonWithIcon(lang.L("reports.open_pdf"), theme.FileIcon(), f.onOpenPDF)
	f.closeBtn = newKCButton(lang.L("common.close"), func() { f.dlg.Hide() })
	f.finished = container.NewVBox(
		container.NewHBox(lightBox, container.NewCenter(f.verdict)),
		f.sentence, f.verdicts, f.status,
		container.NewHBox(f.exportBtn, f.openBtn, f.closeBtn))
	f.finished.Hide()

	f.body = container.NewVScroll(container.NewVBox(f.running, f.finished))
	f.body.SetMinSize(fyne.NewSize(620, 420))
	f.dlg = dialog.NewCustomWithoutButtons(lang.L("checkflow.title"), f.body, f.st.win)
	f.dlg.SetOnClosed(func() {
		if f.cancel != nil && f.inProgress {
			f.cancel()
		}
	})
}

func (f *checkFlow) run() {
	f.inProgress = true
	ctx, cancel := context.WithTimeout(f.st.windowContext(), checkTimeout)
	f.cancel = cancel
	policy, perr := check.LoadPolicy("")
	f.st.goBackground(func(context.Context) {
		defer cancel()
		if perr != nil {
			fyne.Do(func() { f.fail(perr) })
			return
		}
		res, err := check.Run(ctx, check.Options{DataDir: f.st.dataDir, DB: f.st.db, Policy: policy, Lang: f.st.settings.Language}, func(e check.Event) {
			fyne.Do(func() { f.onProgress(e) })
		})
		fyne.Do(func() {
			if res == nil {
				f.fail(err)
				return
			}
			f.done(res, err)
		})
	})
}

func (f *checkFlow) onProgress(e check.Event) {
	f.progress.SetValue(e.Fraction)
	for i, name := range f.stepNames {
		switch {
		case name == e.Step:
			f.stepIcons[i].SetResource(theme.MediaPlayIcon())
		case e.Step == "done" || stepIndex(f.stepNames, e.Step) > i:
			f.stepIcons[i].SetResource(theme.ConfirmIcon())
		}
	}
	// The steps' own details (section names, "matvec", prompt ids) are
	// for IT; the clerk sees which step runs.
	if stepIndex(f.stepNames, e.Step) >= 0 {
		f.detail.SetText(lang.L("checkflow.now", map[string]any{"Step": check.StepLabel(e.Step, f.st.settings.Language)}))
	}
}

// stepIndex is the position of step s, -1 if unknown.
func stepIndex(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func (f *checkFlow) onCancel() {
	if f.cancel != nil {
		f.cancel()
	}
	f.cancelBtn.Disable()
	f.detail.SetText(lang.L("checkflow.cancelling"))
}

// fail shows an error that prevented a report.
func (f *checkFlow) fail(err error) {
	f.inProgress = false
	f.light.FillColor = color.Gray{Y: 140}
	f.light.Refresh()
	f.verdict.SetText(lang.L("checkflow.failed"))
	f.sentence.SetText(describeError(err))
	f.exportBtn.Hide()
	f.openBtn.Hide()
	f.showFinished()
}

// showFinished swaps the steps for the result and lays the dialog out
// again (a container shown later has no size until its parent re-lays it).
func (f *checkFlow) showFinished() {
	f.running.Hide()
	f.finished.Show()
	f.body.Content.Refresh()
	f.body.Refresh()
}

// done shows the verdict.
func (f *checkFlow) done(res *check.Result, runErr error) {
	f.inProgress = false
	r := res.Report
	f.stored = report.Stored{ID: res.ReportID, ReportID: r.ReportID, DeviceID: r.Device.DeviceID, Created: r.Created,
		Overall: r.Summary.Overall, Status: r.Status, JSONPath: res.Stored.JSON}
	f.hasStored = true
	f.light.FillColor = levelColor(r.Summary.Overall)
	f.light.Refresh()
	f.verdict.SetText(lang.L("checkflow.result", map[string]any{"Level": levelText(r.Summary.Overall)}))
	f.sentence.SetText(overallText(r.Summary.Overall))
	var lines []string
	for _, v := range r.Summary.Verdicts {
		subject, reason, _ := v.Texts(f.st.settings.Language)
		lines = append(lines, "• "+subject+": "+levelText(v.Level)+". "+reason)
	}
	if r.Status == report.StatusIncomplete {
		lines = append(lines, lang.L("checkflow.incomplete"))
	}
	f.verdicts.SetText(strings.Join(lines, "\n"))
	if len(lines) == 0 {
		f.verdicts.Hide()
	}
	if errors.Is(runErr, context.DeadlineExceeded) {
		f.setStatus(lang.L("checkflow.timeout"))
	}
	// Show the result only now: wrapped labels lay out their lines when
	// they become visible with their final text.
	f.showFinished()
	f.st.reportsChanged()
	if c := f.st.win.Canvas(); c != nil {
		c.Focus(f.exportBtn)
		revealFocused(c) // below a long result: scroll to it (focus.go)
	}
}

func (f *checkFlow) onExport() {
	if !f.hasStored {
		return
	}
	exportWithDialog(f.st, f.stored, func(files report.Files, err error) {
		if err != nil {
			f.setStatus(lang.L("reports.export_failed", map[string]any{"Detail": err.Error()}))
			return
		}
		f.setStatus(lang.L("reports.exported", map[string]any{"Path": files.JSON, "PDF": files.PDF}))
		f.stored.LastExport = &files
		f.st.reportsChanged()
	})
}

func (f *checkFlow) onOpenPDF() {
	if !f.hasStored {
		return
	}
	openPDF(f.st, f.stored, func(err error) {
		if err != nil {
			f.setStatus(lang.L("reports.open_failed", map[string]any{"Detail": err.Error()}))
		}
	})
}

// setStatus shows a line under the result (hidden while empty).
func (f *checkFlow) setStatus(text string) {
	f.status.SetText(text)
	f.status.Show()
	f.body.Content.Refresh()
}

// levelColor is the traffic-light colour of a level: the report's colours
// (report.LevelRGB), so the window, the PDF and the HTML page agree and
// "eingeschränkt" is the darker orange with at least 4.5:1 contrast.
func levelColor(level string) color.Color {
	c := report.LevelRGB(level)
	return color.NRGBA{R: c[0], G: c[1], B: c[2], A: 255}
}

// overallText is one plain sentence about the overall level.
func overallText(level string) string {
	switch level {
	case report.LevelReady:
		return lang.L("checkflow.overall_ready")
	case report.LevelLimited:
		return lang.L("checkflow.overall_limited")
	case report.LevelNotReady:
		return lang.L("checkflow.overall_not_ready")
	}
	return lang.L("checkflow.overall_unknown")
}
