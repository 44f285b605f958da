package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/buildinfo"
	"github.com/ki-reise/kicheck/internal/hardware"
)

// overview is the start screen: what KI-Check does, which PC this is,
// where the data is stored and which version runs.
type overview struct {
	st *state

	hostLabel  *widget.Label
	osLabel    *widget.Label
	dataLabel  *widget.Label
	dbStatus   *widget.Label
	versionLbl *widget.Label
	checkBtn   *kcButton
	a11yBtn    *kcButton     // Erklärung zur Barrierefreiheit
	webBtn     *kcButton     // Barrierefreie Ansicht im Browser
	webStatus  *widget.Label // where the view runs, once opened
	flow       *checkFlow
}

func newOverview(st *state) *overview { return &overview{st: st} }

func (o *overview) title() string       { return lang.L("common.overview") }
func (o *overview) icon() fyne.Resource { return theme.HomeIcon() }

func (o *overview) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("overview.heading"))
	intro := wrapped(lang.L("overview.intro"))
	// The clerk's one button: the whole check, no settings needed.
	o.checkBtn = newKCButtonWithIcon(lang.L("checkflow.title"), theme.MediaPlayIcon(), o.onCheck)
	o.checkBtn.Importance = widget.HighImportance
	checkNote := wrapped(lang.L("overview.check_note"))

	o.hostLabel = widget.NewLabel(lang.L("overview.loading"))
	o.osLabel = widget.NewLabel(lang.L("overview.loading"))
	pc := widget.NewCard(lang.L("overview.pc"), "", widget.NewForm(
		widget.NewFormItem(lang.L("overview.hostname"), o.hostLabel),
		widget.NewFormItem(lang.L("hardware.system.os"), o.osLabel),
	))

	o.dataLabel = widget.NewLabel(o.st.dataDir)
	o.dataLabel.Wrapping = fyne.TextWrapBreak
	o.dbStatus = wrapped(lang.L("overview.db_ok"))
	if o.st.dbErr != nil {
		o.dbStatus.SetText(describeError(o.st.dbErr))
		o.dbStatus.Importance = widget.DangerImportance
	}
	data := widget.NewCard(lang.L("overview.data"), "", widget.NewForm(
		widget.NewFormItem(lang.L("overview.data_dir"), o.dataLabel),
		widget.NewFormItem(lang.L("overview.database"), o.dbStatus),
	))

	info := buildinfo.Get()
	// A build without version data (go run, go build without make) says
	// so in words instead of showing "unknown" in a German sentence.
	version := lang.L("overview.version_dev")
	if info.Commit != "" && info.Commit != "unknown" && info.Date != "" && info.Date != "unknown" {
		version = lang.L("overview.version_text", map[string]any{
			"Version": info.Version, "Commit": shortCommit(info.Commit), "Date": info.Date})
	}
	o.versionLbl = widget.NewLabel(version)

	o.a11yBtn = newKCButtonWithIcon(lang.L("a11y.statement_button"), theme.InfoIcon(), o.onAccessibility)
	// The same tasks as plain web pages, for screen readers (Ctrl+B);
	// after the statement's button, so Tab from "Arbeitsplatz prüfen"
	// still reaches the statement first (scripts/a11y-xvfb.sh).
	o.webBtn = newKCButtonWithIcon(lang.L("webview.gui_button"), theme.ComputerIcon(), o.onAccessibleView)

	o.webStatus = wrapped("")
	o.webStatus.Selectable = true
	o.webStatus.Hide()

	o.st.goBackground(o.loadHost)
	return container.NewVScroll(container.NewVBox(heading, intro, container.NewHBox(o.checkBtn), checkNote, pc, data,
		container.NewHBox(o.versionLbl, o.a11yBtn, o.webBtn), o.webStatus))
}

// onAccessibility shows the short form of the Erklärung zur
// Barrierefreiheit (docs/barrierefreiheit.md).
func (o *overview) onAccessibility() {
	l := wrapped(lang.L("a11y.statement_text"))
	sc := container.NewVScroll(l)
	sc.SetMinSize(fyne.NewSize(560, 360))
	dialog.ShowCustom(lang.L("a11y.statement_title"), lang.L("common.close"), sc, o.st.win)
}

// onAccessibleView opens the accessible view in the default browser.
// Its address shows under the button (selectable, to copy it into
// another browser).
func (o *overview) onAccessibleView() {
	o.st.openAccessibleView(func(u string, err error) {
		if err != nil || u == "" {
			return
		}
		o.webStatus.SetText(lang.L("webview.gui_opened", map[string]any{"URL": u}))
		o.webStatus.Show()
	})
}

// onCheck runs the whole check ("Arbeitsplatz prüfen").
func (o *overview) onCheck() {
	if o.flow == nil {
		o.flow = newCheckFlow(o.st)
	}
	o.flow.start()
}

// loadHost asks the OS for the PC's name off the UI goroutine.
func (o *overview) loadHost(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	h := hardware.Host(ctx)
	fyne.Do(func() {
		o.hostLabel.SetText(h.Hostname)
		o.osLabel.SetText(h.OSName())
	})
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
