package load

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// RunKind is the kind of a load run in the runs table.
const RunKind = "load"

// Schema is the load test's database part: one row per level, one per
// request (the figures, not the prompts or answers).
var Schema = store.Schema{Component: "load", Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE load_levels (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  level INTEGER NOT NULL,
  figures TEXT NOT NULL, -- Level as JSON
  PRIMARY KEY (run_id, level)
);
CREATE TABLE load_samples (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  level INTEGER NOT NULL,
  work TEXT NOT NULL,
  use_case TEXT NOT NULL,
  start_ms REAL NOT NULL,
  ttft_ms REAL NOT NULL,
  e2e_ms REAL NOT NULL,
  tokens INTEGER NOT NULL,
  server_tokens INTEGER NOT NULL,
  load_ms REAL NOT NULL,
  error TEXT NOT NULL,
  good INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
);`}}}

// Summary is what the runs table keeps of a load run.
type Summary struct {
	Shape      string    `json:"shape"`
	URL        string    `json:"url"`
	Protocol   string    `json:"protocol"`
	Model      string    `json:"model"`
	Complete   bool      `json:"complete"`
	Incomplete string    `json:"incomplete,omitempty"`
	Clerks     int       `json:"clerks,omitempty"`
	ThinkS     float64   `json:"think_s,omitempty"`
	Rate       float64   `json:"rate,omitempty"`
	Saturation int       `json:"saturation"`
	Answer     *Answer   `json:"answer,omitempty"`
	Mix        []Work    `json:"mix"`
	Seconds    float64   `json:"seconds"`
	Started    time.Time `json:"started"`
	Slots      *Slots    `json:"slots,omitempty"`
	// Label names the runtime or setting in a framework comparison.
	Label string `json:"label,omitempty"`
}

// Save records r as a run of kind "load" and returns its id. An
// incomplete run is stored with status "incomplete".
func Save(ctx context.Context, db *store.DB, r *Result) (int64, error) {
	id, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return 0, err
	}
	err = saveRows(ctx, db.DB, id, r)
	status := "ok"
	if !r.Complete {
		status = "incomplete"
	}
	if err != nil {
		status = "failed"
	}
	sum := Summary{Shape: r.Shape, URL: r.URL, Protocol: r.Protocol, Model: r.Model, Complete: r.Complete, Incomplete: r.Incomplete,
		Clerks: r.Clerks, ThinkS: r.ThinkS, Rate: r.Rate, Saturation: r.Saturation, Answer: r.Answer, Mix: r.Mix, Seconds: r.Seconds,
		Started: r.Started, Slots: r.Slots, Label: r.Label}
	if ferr := db.FinishRun(ctx, id, status, sum); err == nil {
		err = ferr
	}
	if err != nil {
		return id, fmt.Errorf("store load run: %w", db.Explain(err))
	}
	return id, nil
}

func saveRows(ctx context.Context, q *sql.DB, id int64, r *Result) error {
	tx, err := q.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, lv := range r.Levels {
		b, err := json.Marshal(lv)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO load_levels(run_id, level, figures) VALUES (?,?,?)`, id, lv.Level, string(b)); err != nil {
			return err
		}
	}
	for i, s := range r.Samples {
		if _, err := tx.ExecContext(ctx, `INSERT INTO load_samples(run_id, seq, level, work, use_case, start_ms, ttft_ms, e2e_ms, tokens, server_tokens, load_ms, error, good)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, i, s.Level, s.Work, s.UseCase, s.StartMS, s.TTFTms, s.E2Ems, s.Tokens, s.Server, s.LoadMS, s.Error, s.Good); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Levels reads a stored run's levels.
func Levels(ctx context.Context, db *store.DB, runID int64) ([]Level, error) {
	rows, err := db.DB.QueryContext(ctx, `SELECT figures FROM load_levels WHERE run_id = ? ORDER BY level`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Level
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		var lv Level
		if err := json.Unmarshal([]byte(s), &lv); err != nil {
			return nil, fmt.Errorf("run %d: level figures: %w", runID, err)
		}
		out = append(out, lv)
	}
	return out, rows.Err()
}
