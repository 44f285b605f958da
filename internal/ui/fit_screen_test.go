package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// waitLong runs the UI loop until cond holds; the probe runs for seconds
// on a busy machine.
func waitLong(t *testing.T, what string, cond func() bool) {
	t.Helper()
	awaitUI(t, what, 3*time.Minute, cond)
}

func (f *fitScreen) assessed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.assessment) > 0
}

func TestFitScreenMeasuresAndExplainsACell(t *testing.T) {
	st := newTestState(t)
	f := newFitScreen(st)
	f.probeOpts = probe.Options{BufferBytes: 32 << 20, Repetitions: 3}
	st.win.SetContent(f.buildUI())
	waitLong(t, "the not-measured hint", func() bool { return strings.Contains(f.status.Text, "Noch nicht gemessen") })

	test.Tap(f.measure)
	waitLong(t, "the assessment", f.assessed)
	if !strings.Contains(f.status.Text, "Messungen dieses PCs: 1,") || !strings.Contains(f.status.Text, "nicht kalibriert") || f.cancel.Disabled() == false || f.progress.Visible() {
		t.Errorf("after measuring: status %q, cancel enabled %v, progress visible %v", f.status.Text, !f.cancel.Disabled(), f.progress.Visible())
	}
	rows, cols := f.tableSize()
	cat, err := fit.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	if rows < 15 || cols != len(cat.UseCases)+1 {
		t.Fatalf("matrix %d×%d, want every model × %d use cases plus headers", rows, cols, len(cat.UseCases))
	}
	// The first model (Llama 3.2 1B) for the first use case: a chat cell
	// with a verdict and its explanation.
	f.matrix.Select(widget.TableCellID{Row: 1, Col: 1})
	// Every speed with its interval; the prediction says it is not calibrated.
	for _, want := range []string{"Llama 3.2 1B", "Speicherbedarf", "GB/s", "Antwortgeschwindigkeit", "zu erwarten", "gemessen: noch nicht", "nicht kalibriert", "Lizenz"} {
		if !strings.Contains(f.details.Text, want) {
			t.Errorf("details lack %q:\n%s", want, f.details.Text)
		}
	}
	if len(f.chart.Objects) < 10 || !strings.Contains(f.chartTtl.Text, "Vorhergesagt") {
		t.Errorf("chart has %d bars, title %q", len(f.chart.Objects), f.chartTtl.Text)
	}
	runs, _ := st.db.ListRuns(context.Background(), probe.RunKind, 5)
	if len(runs) != 1 || runs[0].Status != store.StatusDone {
		t.Errorf("stored runs %+v", runs)
	}

	// A second screen opened later shows the stored probe without measuring.
	g := newFitScreen(st)
	st.win.SetContent(g.buildUI())
	waitLong(t, "the stored assessment", g.assessed)

	// Measured again: the two probes of this PC are combined.
	test.Tap(g.measure)
	waitLong(t, "two probes combined", func() bool {
		return strings.Contains(g.status.Text, "Messungen dieses PCs: 2,")
	})
}

func TestFitScreenCancelKeepsResultIncomplete(t *testing.T) {
	st := newTestState(t)
	f := newFitScreen(st)
	f.probeOpts = probe.Options{BufferBytes: 256 << 20, Repetitions: 30}
	st.win.SetContent(f.buildUI())
	test.Tap(f.measure)
	if f.cancel.Disabled() || !f.measure.Disabled() {
		t.Fatal("while measuring, cancel must be enabled and measure disabled")
	}
	test.Tap(f.cancel)
	waitLong(t, "the cancelled message", func() bool { return strings.Contains(f.status.Text, "abgebrochen") })
	waitLong(t, "the buttons to reset", func() bool { return !f.measure.Disabled() })
	runs, _ := st.db.ListRuns(context.Background(), probe.RunKind, 5)
	if len(runs) != 1 || runs[0].Status != store.StatusCancelled {
		t.Fatalf("stored runs %+v, want one cancelled", runs)
	}
	if f.assessed() {
		t.Error("a cancelled probe was used for the assessment")
	}
}

// The screen loads the stored probe in the background when it opens. A
// measurement the user starts meanwhile wins: the stored result, arriving
// late, must neither replace the measurement's status nor fill the matrix
// (before, "Noch nicht gemessen" could overwrite "abgebrochen", and both
// were written to the label from two goroutines at once, which crashed
// Fyne's text renderer under load).
func TestFitScreenStoredResultArrivingLateDoesNotOverwriteMeasurement(t *testing.T) {
	st := newTestState(t)
	ctx := context.Background()
	pr, runErr := probe.Run(ctx, probe.Options{BufferBytes: 32 << 20, Repetitions: 3}, nil)
	if _, err := probe.Save(ctx, st.db, pr, runErr); err != nil || runErr != nil {
		t.Fatalf("probe: %v / %v", runErr, err)
	}
	f := newFitScreen(st)
	f.probeOpts = probe.Options{BufferBytes: 256 << 20, Repetitions: 30}
	st.win.SetContent(f.buildUI()) // starts loading the stored probe
	// Nothing of the background work has reached the screen yet: the UI
	// loop runs only while the test waits.
	test.Tap(f.measure)
	test.Tap(f.cancel)
	// Let all background work end by itself (the stored probe's
	// assessment included), then run every update it queued, in the order
	// it queued them.
	awaitIdle(t, st, "the background work to end")
	if !strings.Contains(f.status.Text, "abgebrochen") {
		t.Errorf("status %q, want the cancelled measurement's", f.status.Text)
	}
	if f.assessed() {
		t.Error("the stored probe, loaded before the measurement, filled the matrix after it")
	}
	if f.measure.Disabled() || !f.cancel.Disabled() {
		t.Error("after the cancel, measure must be enabled and cancel disabled")
	}
}
