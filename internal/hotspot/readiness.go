package hotspot

import (
	"context"
	"time"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// UseCaseIDs lists the fit catalogue's use case ids (for LoadCatalogue).
func UseCaseIDs(fc *fit.Catalogue) []string {
	ids := make([]string, len(fc.UseCases))
	for i, u := range fc.UseCases {
		ids[i] = u.ID
	}
	return ids
}

// MeasuredReadiness is this PC's fit verdict for each task type's use
// case, from the newest stored probe not older than maxAge, as `kicheck
// models` computes it (check.ThisPC: combined with the earlier probes,
// calibrated, knapp verdicts held). It never measures; false when no
// probe is stored.
func MeasuredReadiness(ctx context.Context, db *store.DB, dataDir string, fc *fit.Catalogue, hc *Catalogue, maxAge time.Duration) (Readiness, bool, error) {
	pr, ok, err := probe.Latest(ctx, db, maxAge)
	if err != nil || !ok {
		return Readiness{}, false, err
	}
	var uses []fit.UseCase
	seen := map[string]bool{}
	for _, t := range hc.TaskTypes {
		if u, ok := fc.UseCase(t.UseCase); ok && !seen[u.ID] {
			seen[u.ID] = true
			uses = append(uses, u)
		}
	}
	if len(uses) == 0 {
		return ReadinessFrom(nil, pr.Started), true, nil
	}
	pf := check.ThisPC(ctx, db, fc, hardware.Collect(ctx, hardware.Options{DataDir: dataDir}), pr, uses, "de")
	return ReadinessFrom(pf.Assessments, pr.Started), true, nil
}

// FleetReadyShare reads a Sammelstelle database (kicheck collect --db):
// per organisational unit the share of devices whose newest report is
// ready, for Readiness.UnitReadyShare.
func FleetReadyShare(ctx context.Context, path string) (map[string]float64, error) {
	db, err := collect.OpenExisting(ctx, path) // a file or postgres://
	if err != nil {
		return nil, err
	}
	defer db.Close()
	f, err := collect.ComputeFleet(ctx, db, collect.FleetOptions{})
	if err != nil {
		return nil, err
	}
	return UnitShares(f.OrgUnits), nil
}

// UnitShares turns the fleet's units into ready shares (units without
// devices are left out).
func UnitShares(units []collect.OrgUnit) map[string]float64 {
	out := map[string]float64{}
	for _, u := range units {
		if n := u.Levels.Total(); n > 0 {
			out[u.Name] = float64(u.Ready) / float64(n)
		}
	}
	return out
}
