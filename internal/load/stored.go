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

// Capacity is the clerks one server serves, from a stored run's answer.
type Capacity struct {
	RunID     int64  `json:"run_id"`
	Clerks    int    `json:"clerks"`
	Shape     string `json:"shape"`
	Model     string `json:"model"`
	ZeroThink bool   `json:"zero_think"` // a sweep: clerks without pauses, a lower bound
}

// LatestCapacity is the newest stored run whose answer reached the goal
// (ok = false when there is none).
func LatestCapacity(ctx context.Context, db *store.DB) (Capacity, bool, error) {
	ls, err := List(ctx, db, 200)
	if err != nil {
		return Capacity{}, false, err
	}
	for _, l := range ls {
		if l.Answer != nil && l.Answer.Reached && l.Answer.Clerks > 0 && l.Status != store.StatusFailed {
			return Capacity{RunID: l.ID, Clerks: l.Answer.Clerks, Shape: l.Shape, Model: l.Model, ZeroThink: l.Answer.ZeroThink}, true, nil
		}
	}
	return Capacity{}, false, nil
}
