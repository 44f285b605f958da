package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// hardwareScreen (Hardware) shows the PC's inventory in readable groups:
// Prozessor, Arbeitsspeicher, Grafik, KI-Beschleuniger (NPU), Datenträger,
// System. A section that could not be read says "unbekannt" with the
// reason. The inventory is taken off the UI goroutine when the screen is
// first shown and again on "Neu ermitteln".
type hardwareScreen struct {
	st *state
	// collect takes the inventory; tests replace it to show a given one.
	collect func(context.Context, hardware.Options) hardware.Inventory

	refresh  *kcButton
	progress *widget.ProgressBar
	status   *widget.Label
	groups   *fyne.Container // one card per hardware.Group
	cards    []*widget.Card

	cancel     context.CancelFunc // stops the running collection
	generation int                // results of older runs are dropped
}

func newHardwareScreen(st *state) *hardwareScreen {
	return &hardwareScreen{st: st, collect: hardware.Collect}
}

func (h *hardwareScreen) title() string       { return lang.L("nav.hardware") }
func (h *hardwareScreen) icon() fyne.Resource { return theme.ComputerIcon() }

func (h *hardwareScreen) buildUI() fyne.CanvasObject {
	heading := headingLabel(lang.L("hardware.heading"))
	intro := wrapped(lang.L("hardware.intro"))

	h.refresh = newKCButtonWithIcon(lang.L("hardware.refresh"), theme.ViewRefreshIcon(), h.onRefresh)
	h.refresh.Importance = widget.HighImportance
	h.progress = widget.NewProgressBar()
	h.progress.Hide()
	h.status = wrapped("")
	h.groups = container.NewVBox()

	h.onRefresh()
	top := container.NewVBox(heading, intro, container.NewBorder(nil, nil, h.refresh, nil, h.progress), h.status)
	return container.NewVScroll(container.NewVBox(top, h.groups))
}

// onRefresh starts a new inventory; one still running is cancelled.
func (h *hardwareScreen) onRefresh() {
	if h.cancel != nil {
		h.cancel()
	}
	ctx, cancel := context.WithCancel(h.st.windowContext())
	h.cancel = cancel
	h.generation++
	gen := h.generation
	h.refresh.Disable()
	h.progress.Max = 7
	h.progress.SetValue(0)
	h.progress.Show()
	h.status.SetText(lang.L("hardware.collecting", map[string]any{"Done": 0, "Total": 7}))

	opts := hardware.Options{
		DataDir: h.st.dataDir,
		Progress: func(p hardware.Progress) {
			fyne.Do(func() {
				if gen != h.generation {
					return
				}
				h.progress.Max = float64(p.Total)
				h.progress.SetValue(float64(p.Done))
				h.status.SetText(lang.L("hardware.collecting", map[string]any{"Done": p.Done, "Total": p.Total}))
			})
		},
	}
	h.st.goBackground(func(context.Context) {
		defer cancel()
		start := time.Now()
		inv := h.collect(ctx, opts)
		took := time.Since(start)
		fyne.Do(func() {
			if gen != h.generation {
				return
			}
			h.show(inv, took)
		})
	})
}

// show replaces the cards with the groups of inv.
func (h *hardwareScreen) show(inv hardware.Inventory, took time.Duration) {
	h.refresh.Enable()
	h.progress.Hide()
	text := lang.L("hardware.collected_at", map[string]any{
		"Time":     i18n.DateTime(h.st.settings.Language, inv.CollectedAt.Local()),
		"Duration": took.Round(time.Millisecond).String(),
	})
	if !inv.Complete {
		text += " " + lang.L("hardware.incomplete")
	}
	h.status.SetText(text)

	h.cards = h.cards[:0]
	objs := make([]fyne.CanvasObject, 0, 6)
	for _, g := range hardware.Describe(inv, h.st.settings.Language) {
		card := widget.NewCard(g.Title, "", groupContent(g))
		h.cards = append(h.cards, card)
		objs = append(objs, card)
	}
	h.groups.Objects = objs
	h.groups.Refresh()
}

// groupContent is a form of the group's rows, or the reason it is unknown.
func groupContent(g hardware.Group) fyne.CanvasObject {
	if g.Unknown {
		l := wrapped(lang.L("hardware.unknown_because", map[string]any{"Reason": g.Reason}))
		l.Importance = widget.WarningImportance
		return l
	}
	form := widget.NewForm()
	for _, r := range g.Rows {
		// Unwrapped: a wrapping label in a form inside a scroll container
		// is laid out far too tall. Values are short; long ones scroll.
		v := widget.NewLabel(r.Value)
		v.Selectable = true
		form.Append(r.Label, v)
	}
	return form
}
