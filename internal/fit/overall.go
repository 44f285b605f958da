package fit

import (
	"context"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// Overall is the PC's verdict over all use cases, the same rule as the
// report's: ready when every use case is ready, not ready when none is
// usable, limited otherwise. No assessments give NotReady.
func Overall(as []Assessment) Verdict {
	ready, usable := 0, 0
	for _, a := range as {
		switch a.Verdict {
		case Ready:
			ready++
			usable++
		case Limited:
			usable++
		}
	}
	switch {
	case len(as) > 0 && ready == len(as):
		return Ready
	case usable == 0:
		return NotReady
	}
	return Limited
}

// StoredVerdict is the overall verdict computed from a stored probe.
type StoredVerdict struct {
	Verdict      Verdict   `json:"verdict"`
	ProbeStarted time.Time `json:"probe_started"`
}

// LatestVerdict assesses the catalogue with the newest stored complete
// probe not older than maxAge (it never measures: that takes seconds and
// is the Hardware screen's or `kicheck probe`'s job), calibrated with the
// measured bench runs passed in (check.MeasuredRuns); false when there is
// none. It lets other capabilities (the cost model) default to this PC's
// verdict.
func LatestVerdict(ctx context.Context, db *store.DB, dataDir string, maxAge time.Duration, measured []MeasuredRun) (StoredVerdict, bool, error) {
	pr, ok, err := probe.Latest(ctx, db, maxAge)
	if err != nil || !ok {
		return StoredVerdict{}, false, err
	}
	cat, err := LoadCatalogue(dataDir)
	if err != nil {
		return StoredVerdict{}, false, err
	}
	inv := hardware.Collect(ctx, hardware.Options{DataDir: dataDir})
	mc, _ := ForPC(ctx, db, cat, inv, pr, measured) // a read error leaves the probe alone
	as := Assess(mc, cat)
	return StoredVerdict{Verdict: Overall(as), ProbeStarted: pr.Started}, true, nil
}
