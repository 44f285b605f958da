package collect

import (
	"context"
	"fmt"

	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of the runs-table entry of an intake.
const RunKind = "collect"

// Collect reads the reports under paths into db, recorded as one run in the
// runs table with the summary. It is what `kicheck collect` and the GUI's
// import call.
func Collect(ctx context.Context, db Store, trust Trust, paths []string, opts Options) (Summary, error) {
	runID, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return Summary{}, fmt.Errorf("record intake run: %w", err)
	}
	items := make(chan Item, 64)
	go Walk(ctx, paths, items)
	sum, err := NewIntake(db, trust).Run(ctx, items, opts)
	status := store.StatusDone
	switch {
	case err != nil:
		status = store.StatusFailed
	case sum.Incomplete:
		status = store.StatusCancelled
	}
	record := struct {
		Paths     []string `json:"paths"`
		Accepted  int      `json:"accepted"`
		Duplicate int      `json:"duplicate"`
		Rejected  int      `json:"rejected"`
	}{paths, sum.Accepted, sum.Duplicate, sum.Rejected}
	if ferr := db.FinishRun(context.WithoutCancel(ctx), runID, status, record); ferr != nil && err == nil {
		err = fmt.Errorf("record intake run: %w", ferr)
	}
	return sum, err
}
