package check

import (
	"context"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/store"
)

// MeasuredRuns reads the stored bench runs the fit compares its prediction
// with and calibrates from (fit.ForPC, fit.LatestMeasurements): the newest
// complete local run per runtime model. fit does not import bench (it
// would drag the network clients into every package that reads a fit), so
// the callers pass these in; db nil: none.
func MeasuredRuns(ctx context.Context, db *store.DB) ([]fit.MeasuredRun, error) {
	runs, err := bench.DecodeRuns(ctx, db)
	out := make([]fit.MeasuredRun, len(runs))
	for i, r := range runs {
		out[i] = fit.MeasuredRun(r)
	}
	return out, err
}
