package fit

import (
	"context"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// PCFit is the fit of this PC as every view shows it: the machine judged,
// one assessment per use case with its texts in a language and the newest
// measured figures beside the predictions.
type PCFit struct {
	Machine     Machine
	Assessments []Assessment
	// MachineErr is a read error of the earlier probes or the local
	// measurements: the prediction then uses this probe alone,
	// uncalibrated (the machine is still usable).
	MachineErr error
	// MeasuredErr is a read error of the measured figures: they are
	// missing beside the predictions.
	MeasuredErr error
}

// ThisPC assesses the use cases uses (every use case of cat when nil) on
// this PC: inventory inv and probe pr, combined with the earlier probes and
// calibrated with the local measurements (ForPC), the texts localized in
// lang, and the newest measured figure per model attached (measured: the
// stored bench runs, read by the caller, see check.ThisPC; db nil: no
// earlier probes). A knapp verdict keeps the verdict the stored probes
// before gave (holdKnapp). It is the one pipeline `kicheck models`, the Eignung
// screen and the accessible view (internal/webview) share.
func ThisPC(ctx context.Context, db *store.DB, cat *Catalogue, inv hardware.Inventory, pr probe.Result, measured []MeasuredRun, uses []UseCase, lang string) PCFit {
	var out PCFit
	out.Machine, out.MachineErr = ForPC(ctx, db, cat, inv, pr, measured)
	if uses == nil {
		uses = cat.UseCases
	}
	// What the views showed with the probes before: a knapp verdict
	// keeps it (holdKnapp). Without it (no database, a read error) each
	// verdict is judged on its own.
	var before map[string]*Assessment
	if db != nil {
		var err error
		if before, err = earlierAssessments(ctx, db, cat, inv, pr, out.Machine.Calibration, uses); err != nil && out.MachineErr == nil {
			out.MachineErr = err
		}
	}
	out.Assessments = make([]Assessment, 0, len(uses))
	for _, u := range uses {
		out.Assessments = append(out.Assessments, assessUseCase(out.Machine, cat, u, before[u.ID]))
	}
	Localize(out.Assessments, lang)
	AttachMeasurements(out.Assessments, LatestMeasurements(cat, measured))
	return out
}
