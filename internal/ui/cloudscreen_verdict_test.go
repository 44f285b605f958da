package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/probe"
)

// TestCostVerdictDefaultsToStoredFit: with a real probe stored in the
// SQLite file, the cost section selects this PC's overall fit verdict and
// names its date; a verdict chosen by hand is used for the cost instead.
func TestCostVerdictDefaultsToStoredFit(t *testing.T) {
	st := newTestState(t)
	ctx := context.Background()
	pr, runErr := probe.Run(ctx, probe.Options{BufferBytes: 64 << 20, Repetitions: 3}, nil)
	if _, err := probe.Save(ctx, st.db, pr, runErr); err != nil || runErr != nil {
		t.Fatalf("probe: %v / %v", runErr, err)
	}
	measured, _ := check.MeasuredRuns(ctx, st.db) // a read error leaves the verdict uncalibrated
	want, ok, err := fit.LatestVerdict(ctx, st.db, st.dataDir, time.Hour, measured)
	if err != nil || !ok {
		t.Fatalf("no stored verdict: %v", err)
	}

	cs := cloudScreenOf(t, st)
	awaitIdle(t, st, "the stored verdict")
	if got := verdictIDs[cs.verdict.SelectedIndex()]; got != string(want.Verdict) {
		t.Errorf("selected verdict %q, want the fit's %q", got, want.Verdict)
	}
	if !strings.Contains(cs.verdictSource.Text, "Eignungsprüfung vom "+want.ProbeStarted.Local().Format("02.01.2006")) {
		t.Errorf("source label %q does not name the check", cs.verdictSource.Text)
	}

	other := 2 // not_ready
	if want.Verdict == fit.NotReady {
		other = 0
	}
	cs.verdict.SetSelectedIndex(other)
	if cs.verdictSource.Text != "Von Hand gewählt." {
		t.Errorf("source label after choosing: %q", cs.verdictSource.Text)
	}
	cs.onCost()
	if !strings.Contains(cs.costOut.Text, "Hardware-Ergebnis \""+verdictIDs[other]+"\"") {
		t.Errorf("cost does not use the chosen verdict %s:\n%s", verdictIDs[other], cs.costOut.Text)
	}
}
