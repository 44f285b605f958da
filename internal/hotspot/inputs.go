package hotspot

import (
	"context"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/cost"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// LoadInputs gathers what Score needs from the data folder and the
// database, as the GUI's Prozesse screen shows it: the catalogue (packaged
// and the municipality's own), the cost parameters (staff-cost rate, AVV)
// and this PC's readiness from the newest stored probe (never measuring
// itself). A broken cost override is returned as warn with the defaults
// used; the portfolio is still scored.
func LoadInputs(ctx context.Context, db *store.DB, dataDir string) (in Inputs, warn error, err error) {
	fc, err := fit.LoadCatalogue(dataDir)
	if err != nil {
		return Inputs{}, nil, err
	}
	var ucs []string
	for _, u := range fc.UseCases {
		ucs = append(ucs, u.ID)
	}
	cat, err := LoadCatalogue(dataDir, ucs)
	if err != nil {
		return Inputs{}, nil, err
	}
	in.Catalogue = cat
	cp, src, cerr := cost.Load(dataDir)
	warn = cerr
	in.Params = Params{StaffEURPerHour: cp.StaffEURPerHour, RateSource: src, AVV: cp.Cloud.AVVAvailable}
	if db != nil {
		pr, ok, perr := probe.Latest(ctx, db, probe.MaxAge)
		if perr == nil && ok {
			inv := hardware.Collect(ctx, hardware.Options{DataDir: dataDir})
			// The verdicts every other view shows (combined probes,
			// calibration, knapp verdicts held): check.ThisPC.
			in.Readiness = ReadinessFrom(check.ThisPC(ctx, db, fc, inv, pr, nil, "de").Assessments, pr.Started)
		}
	}
	return in, warn, nil
}

// Load scores the stored processes with LoadInputs.
func Load(ctx context.Context, db *store.DB, dataDir string) (Portfolio, Inputs, error) {
	in, _, err := LoadInputs(ctx, db, dataDir)
	if err != nil {
		return Portfolio{}, in, err
	}
	ps, err := List(ctx, db)
	if err != nil {
		return Portfolio{}, in, err
	}
	return Score(ps, in), in, nil
}
