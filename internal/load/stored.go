package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ki-reise/kicheck/internal/store"
)

// Listing is one stored load run in a list (newest first).
type Listing struct {
	ID     int64
	Status string // ok, incomplete, failed
	Summary
}

// List returns up to limit stored load runs, newest first. A run whose
// summary cannot be read is listed with its id and status only.
func List(ctx context.Context, db *store.DB, limit int) ([]Listing, error) {
	runs, err := db.ListRuns(ctx, RunKind, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Listing, 0, len(runs))
	for _, r := range runs {
		l := Listing{ID: r.ID, Status: r.Status}
		_ = json.Unmarshal(r.Summary, &l.Summary)
		if l.Summary.Started.IsZero() {
			l.Summary.Started = r.Started
		}
		out = append(out, l)
	}
	return out, nil
}

// ErrNotLoadRun is returned by LoadResult for a run of another kind.
var ErrNotLoadRun = errors.New("not a load run")

// LoadResult reads a stored run back as a Result (without the single
// requests): its levels, and the answer and slots derived from them again
// in the same way as after the run.
func LoadResult(ctx context.Context, db *store.DB, id int64) (*Result, error) {
	run, err := db.GetRun(ctx, id)
	if err != nil {
		return nil, err
	}
	if run.Kind != RunKind {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotLoadRun)
	}
	var s Summary
	if err := json.Unmarshal(run.Summary, &s); err != nil {
		return nil, fmt.Errorf("run %d: summary: %w", id, err)
	}
	levels, err := Levels(ctx, db, id)
	if err != nil {
		return nil, err
	}
	r := &Result{Shape: s.Shape, URL: s.URL, Protocol: s.Protocol, Model: s.Model, Started: run.Started, Seconds: s.Seconds,
		Complete: s.Complete, Incomplete: s.Incomplete, Clerks: s.Clerks, ThinkS: s.ThinkS, Rate: s.Rate, Mix: s.Mix,
		Levels: levels, Saturation: s.Saturation, Label: s.Label}
	if !s.Started.IsZero() {
		r.Started = s.Started
	}
	r.Answer = answer(r)
	r.Slots = inferSlots(r)
	return r, nil
}
