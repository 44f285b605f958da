package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/hardware"
)

func newHardwareTestState(t *testing.T) *state {
	t.Helper()
	return newScreenState(t, fyne.NewSize(1024, 720))
}

// gateCollect makes every collection wait for a token on the returned
// channel, so the test decides when a collection may run (and can look at
// the screen while one is pending). A collection still waiting when the
// test ends is cancelled through its context.
func gateCollect(h *hardwareScreen) chan<- struct{} {
	gate := make(chan struct{})
	inner := h.collect
	h.collect = func(ctx context.Context, opts hardware.Options) hardware.Inventory {
		select {
		case <-gate:
		case <-ctx.Done():
		}
		return inner(ctx, opts)
	}
	return gate
}

// showAndWait builds the screen and waits until the first inventory is on
// screen.
func showAndWait(t *testing.T, h *hardwareScreen) chan<- struct{} {
	t.Helper()
	gate := gateCollect(h)
	h.st.win.SetContent(h.buildUI())
	waitShown(t, h, gate)
	return gate
}

// waitShown lets one collection run and waits until its result is shown.
func waitShown(t *testing.T, h *hardwareScreen, gate chan<- struct{}) {
	t.Helper()
	gate <- struct{}{}
	awaitIdle(t, h.st, "the inventory")
}

func cardTitles(h *hardwareScreen) []string {
	var out []string
	for _, c := range h.cards {
		out = append(out, c.Title)
	}
	return out
}

func TestHardwareScreenShowsThisPC(t *testing.T) {
	h := newHardwareScreen(newHardwareTestState(t))
	showAndWait(t, h)
	want := []string{"Prozessor", "Arbeitsspeicher", "Grafik", "KI-Beschleuniger (NPU)", "Datenträger", "System"}
	if got := cardTitles(h); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("groups = %v, want %v", got, want)
	}
	form, ok := h.cards[0].Content.(*widget.Form)
	if !ok {
		t.Fatalf("Prozessor shows %T, want a form with the CPU", h.cards[0].Content)
	}
	if form.Items[0].Text != "Modell" || form.Items[0].Widget.(*widget.Label).Text == "" {
		t.Errorf("first CPU row = %q", form.Items[0].Text)
	}
	if h.refresh.Disabled() || h.progress.Visible() {
		t.Error("after the inventory the button should be enabled and the progress bar hidden")
	}
	if !strings.HasPrefix(h.status.Text, "Ermittelt am ") {
		t.Errorf("status = %q", h.status.Text)
	}
}

func TestHardwareScreenUnknownSectionAndRefresh(t *testing.T) {
	h := newHardwareScreen(newHardwareTestState(t))
	var calls atomic.Int32
	h.collect = func(ctx context.Context, opts hardware.Options) hardware.Inventory {
		calls.Add(1)
		// Fake on purpose: a hanging GPU driver cannot be produced here;
		// the package's own tests cover how Collect gets to this result.
		inv := hardware.Collect(ctx, opts)
		inv.GPUs = hardware.Section[hardware.GPUList]{Status: hardware.StatusUnknown, Reason: "no answer within 3s"}
		return inv
	}
	gate := showAndWait(t, h)
	gfx := h.cards[2]
	label, ok := gfx.Content.(*widget.Label)
	if gfx.Title != "Grafik" || !ok || label.Text != "unbekannt (no answer within 3s)" {
		t.Fatalf("Grafik card = %q with %T %v", gfx.Title, gfx.Content, gfx.Content)
	}

	test.Tap(h.refresh)
	if !h.refresh.Disabled() || !h.progress.Visible() {
		t.Error("while reading, the button should be disabled and the progress bar shown")
	}
	waitShown(t, h, gate)
	if calls.Load() != 2 {
		t.Errorf("collect ran %d times, want 2", calls.Load())
	}
}

func TestHardwareInNavigationAfterOverview(t *testing.T) {
	st := newHardwareTestState(t)
	titles := newShell(st).screenTitles()
	if len(titles) < 2 || titles[0] != "Übersicht" || titles[1] != "Hardware" {
		t.Errorf("navigation = %v", titles)
	}
}
