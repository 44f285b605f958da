package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CoreSchema is the store's own part of the schema: the runs table in
// which every capability records a unit of work (a check, a benchmark, a
// quiz session) with its outcome.
var CoreSchema = Schema{
	Component: "core",
	Migrations: []Migration{
		{Version: 1, SQL: `
CREATE TABLE runs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	started TEXT NOT NULL,
	finished TEXT,
	status TEXT NOT NULL,
	summary TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_kind_started ON runs(kind, started);`},
	},
}

// Run statuses.
const (
	StatusRunning   = "running"
	StatusDone      = "done"
	StatusCancelled = "cancelled" // stopped by the user; what was measured is kept
	StatusFailed    = "failed"
)

// Run is one row of the runs table.
type Run struct {
	ID       int64
	Kind     string
	Started  time.Time
	Finished time.Time // zero while running
	Status   string
	Summary  json.RawMessage
}

// ErrRunNotFound is returned for an unknown run id.
var ErrRunNotFound = errors.New("run not found")

// StartRun records the start of a run and returns its id.
func (db *DB) StartRun(ctx context.Context, kind string) (int64, error) {
	res, err := db.ExecContext(ctx, `INSERT INTO runs (kind, started, status) VALUES (?, ?, ?)`,
		kind, time.Now().UTC().Format(time.RFC3339Nano), StatusRunning)
	if err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return res.LastInsertId()
}

// FinishRun records a run's end, its status and a JSON summary.
func (db *DB) FinishRun(ctx context.Context, id int64, status string, summary any) error {
	b, err := json.Marshal(summary)
	if err != nil {
		return fmt.Errorf("finish run %d: encode summary: %w", id, err)
	}
	res, err := db.ExecContext(ctx, `UPDATE runs SET finished = ?, status = ?, summary = ? WHERE id = ?`,
		time.Now().UTC().Format(time.RFC3339Nano), status, string(b), id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finish run %d: %w", id, ErrRunNotFound)
	}
	return nil
}

// GetRun returns one run.
func (db *DB) GetRun(ctx context.Context, id int64) (Run, error) {
	row := db.QueryRowContext(ctx, `SELECT id, kind, started, finished, status, summary FROM runs WHERE id = ?`, id)
	r, err := scanRun(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run %d: %w", id, ErrRunNotFound)
	}
	return r, err
}

// ListRuns returns the newest runs first; kind "" lists all kinds.
func (db *DB) ListRuns(ctx context.Context, kind string, limit int) ([]Run, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, kind, started, finished, status, summary FROM runs
		WHERE (? = '' OR kind = ?) ORDER BY started DESC, id DESC LIMIT ?`, kind, kind, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanRun(s scanner) (Run, error) {
	var r Run
	var started string
	var finished sql.NullString
	var summary string
	if err := s.Scan(&r.ID, &r.Kind, &started, &finished, &r.Status, &summary); err != nil {
		return Run{}, err
	}
	r.Started, _ = time.Parse(time.RFC3339Nano, started)
	if finished.Valid {
		r.Finished, _ = time.Parse(time.RFC3339Nano, finished.String)
	}
	r.Summary = json.RawMessage(summary)
	return r, nil
}
