package hotspot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/store"
)

// TrialSchema keeps each process's Erprobung runs: which KI-Test run (a
// bench run of the process's bundle) gave which pass rate and speed. The
// newest pass rate is also set on the process (SetPassRate), where it
// counts in Umsetzbarkeit.
var TrialSchema = store.Schema{
	Component: "hotspot_trial",
	Migrations: []store.Migration{
		{Version: 1, SQL: `
CREATE TABLE hotspot_trials (
	process_id TEXT NOT NULL,
	run_id INTEGER NOT NULL REFERENCES runs(id),
	bundle_id TEXT NOT NULL,
	bundle_version TEXT NOT NULL,
	model TEXT NOT NULL,
	remote INTEGER NOT NULL,       -- 1: a cloud endpoint (with consent)
	checks_passed INTEGER NOT NULL,
	checks_total INTEGER NOT NULL,
	decode_tps REAL,               -- geometric mean of the prompts' median decode tokens/s
	ttft_ms REAL,                  -- same for the time to the first token
	recorded TEXT NOT NULL,        -- RFC 3339, UTC
	PRIMARY KEY (process_id, run_id)
);`},
	},
}

// Trial is one recorded Erprobung run.
type Trial struct {
	ProcessID     string    `json:"process_id"`
	RunID         int64     `json:"run_id"`
	Bundle        string    `json:"bundle"`
	BundleVersion string    `json:"bundle_version"`
	Model         string    `json:"model"`
	Remote        bool      `json:"remote"`
	ChecksPassed  int       `json:"checks_passed"`
	ChecksTotal   int       `json:"checks_total"`
	PassRate      float64   `json:"pass_rate"`            // checks passed ÷ checks
	DecodeTPS     *float64  `json:"decode_tps,omitempty"` // nil: not measured
	TTFTms        *float64  `json:"ttft_ms,omitempty"`
	Recorded      time.Time `json:"recorded"`
}

// Errors of RecordTrial.
var (
	ErrNoTrialRun    = errors.New("no KI-Test run of this process's trial bundle")
	ErrTrialNoChecks = errors.New("the run has no check results")
)

// LatestTrialRun finds the newest stored KI-Test run of the process's
// Erprobung bundle (local or cloud) and loads it.
func LatestTrialRun(ctx context.Context, db *store.DB, processID string) (*bench.Result, error) {
	id := TrialBundleID(processID)
	runs, err := bench.ListRuns(ctx, db, "", 1000)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		if r.Bundle == id {
			return bench.Load(ctx, db, r.RunID)
		}
	}
	return nil, fmt.Errorf("%s: %w", id, ErrNoTrialRun)
}

// TrialFromRun computes the Erprobung's figures of a KI-Test run.
func TrialFromRun(processID string, r *bench.Result) (Trial, error) {
	if r.Bundle.ID != TrialBundleID(processID) {
		return Trial{}, fmt.Errorf("run %d used bundle %q, not %q", r.RunID, r.Bundle.ID, TrialBundleID(processID))
	}
	s := bench.Summarize(r)
	if s.ChecksTotal == 0 {
		return Trial{}, fmt.Errorf("run %d: %w", r.RunID, ErrTrialNoChecks)
	}
	t := Trial{ProcessID: processID, RunID: r.RunID, Bundle: r.Bundle.ID, BundleVersion: r.Bundle.Version, Model: r.Model.Name,
		Remote: r.Remote, ChecksPassed: s.ChecksPassed, ChecksTotal: s.ChecksTotal,
		PassRate: float64(s.ChecksPassed) / float64(s.ChecksTotal)}
	if s.Parts != nil {
		if v := s.Parts.DecodeTPS; v > 0 && !math.IsNaN(v) {
			t.DecodeTPS = &v
		}
		if v := s.Parts.TTFTms; v > 0 && !math.IsNaN(v) {
			t.TTFTms = &v
		}
	}
	return t, nil
}

// RecordTrial stores the Erprobung's figures of a KI-Test run for the
// process and sets its pass rate (Umsetzbarkeit, Steckbrief).
func RecordTrial(ctx context.Context, db *store.DB, processID string, r *bench.Result, now time.Time) (Trial, error) {
	if _, ok, err := Get(ctx, db, processID); err != nil {
		return Trial{}, err
	} else if !ok {
		return Trial{}, fmt.Errorf("process %q: %w", processID, ErrNotFound)
	}
	t, err := TrialFromRun(processID, r)
	if err != nil {
		return Trial{}, err
	}
	t.Recorded = now.UTC().Truncate(time.Second)
	_, err = db.ExecContext(ctx, `INSERT INTO hotspot_trials (process_id, run_id, bundle_id, bundle_version, model, remote,
		checks_passed, checks_total, decode_tps, ttft_ms, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(process_id, run_id) DO UPDATE SET checks_passed = excluded.checks_passed, checks_total = excluded.checks_total,
		decode_tps = excluded.decode_tps, ttft_ms = excluded.ttft_ms, recorded = excluded.recorded`,
		t.ProcessID, t.RunID, t.Bundle, t.BundleVersion, t.Model, t.Remote, t.ChecksPassed, t.ChecksTotal,
		t.DecodeTPS, t.TTFTms, t.Recorded.Format(time.RFC3339))
	if err != nil {
		return Trial{}, fmt.Errorf("store trial of %s: %w", processID, err)
	}
	rate := t.PassRate
	return t, SetPassRate(ctx, db, processID, &rate)
}

// Trials returns a process's recorded Erprobung runs, newest first.
func Trials(ctx context.Context, db *store.DB, processID string) ([]Trial, error) {
	rows, err := db.QueryContext(ctx, `SELECT process_id, run_id, bundle_id, bundle_version, model, remote, checks_passed, checks_total,
		decode_tps, ttft_ms, recorded FROM hotspot_trials WHERE process_id = ? ORDER BY recorded DESC, run_id DESC`, processID)
	if err != nil {
		return nil, fmt.Errorf("read trials: %w", err)
	}
	defer rows.Close()
	out := []Trial{}
	for rows.Next() {
		var t Trial
		var rec string
		if err := rows.Scan(&t.ProcessID, &t.RunID, &t.Bundle, &t.BundleVersion, &t.Model, &t.Remote, &t.ChecksPassed, &t.ChecksTotal,
			&t.DecodeTPS, &t.TTFTms, &rec); err != nil {
			return nil, fmt.Errorf("read trials: %w", err)
		}
		t.Recorded, _ = time.Parse(time.RFC3339, rec)
		if t.ChecksTotal > 0 {
			t.PassRate = float64(t.ChecksPassed) / float64(t.ChecksTotal)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
