package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of a probe in the shared runs table; the run's
// summary is the Result as JSON.
const RunKind = "probe"

// Save records a probe run. A cancelled run is stored as cancelled, a
// failed one as failed: only a complete result is stored as done.
func Save(ctx context.Context, db *store.DB, r Result, runErr error) (int64, error) {
	// Record even when ctx was cancelled: what was measured is kept.
	ctx = context.WithoutCancel(ctx)
	id, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return 0, err
	}
	status := store.StatusDone
	switch {
	case errors.Is(runErr, context.Canceled), errors.Is(runErr, context.DeadlineExceeded):
		status = store.StatusCancelled
	case runErr != nil || !r.Complete:
		status = store.StatusFailed
	}
	if err := db.FinishRun(ctx, id, status, r); err != nil {
		return id, err
	}
	return id, nil
}

// MaxAge is how old a stored probe may be and still stand for this PC:
// the CLI and the GUI reuse it instead of probing again, and the fit
// combines the probes of this span.
const MaxAge = 30 * 24 * time.Hour

// Latest returns the newest complete probe not older than maxAge, or
// false.
func Latest(ctx context.Context, db *store.DB, maxAge time.Duration) (Result, bool, error) {
	runs, err := db.ListRuns(ctx, RunKind, 20)
	if err != nil {
		return Result{}, false, err
	}
	for _, run := range runs {
		if run.Status != store.StatusDone {
			continue
		}
		var r Result
		if err := json.Unmarshal(run.Summary, &r); err != nil {
			return Result{}, false, fmt.Errorf("probe run %d: %w", run.ID, err)
		}
		if !r.Complete || time.Since(r.Started) > maxAge {
			continue
		}
		return r, true, nil
	}
	return Result{}, false, nil
}

// History returns up to n complete probes not older than maxAge, newest
// first (for Combine).
func History(ctx context.Context, db *store.DB, maxAge time.Duration, n int) ([]Result, error) {
	runs, err := db.ListRuns(ctx, RunKind, max(20, 4*n))
	if err != nil {
		return nil, err
	}
	var out []Result
	for _, run := range runs {
		if len(out) == n {
			break
		}
		if run.Status != store.StatusDone {
			continue
		}
		var r Result
		if err := json.Unmarshal(run.Summary, &r); err != nil {
			return nil, fmt.Errorf("probe run %d: %w", run.ID, err)
		}
		if !r.Complete || time.Since(r.Started) > maxAge {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}
