package check

import (
	"context"
	"fmt"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
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

// ThisPC is fit.ThisPC with the measured figures read from db: the one
// call of `kicheck models`, the Eignung screen and the accessible view. A
// read error of the measurements is kept in MeasuredErr; the fit is then
// made without them.
func ThisPC(ctx context.Context, db *store.DB, cat *fit.Catalogue, inv hardware.Inventory, pr probe.Result, uses []fit.UseCase, lang string) fit.PCFit {
	measured, err := MeasuredRuns(ctx, db)
	pf := fit.ThisPC(ctx, db, cat, inv, pr, measured, uses, lang)
	if err != nil {
		pf.MeasuredErr = fmt.Errorf("read measured figures: %w", err)
	}
	return pf
}
