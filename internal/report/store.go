package report

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// Schema is the report component's part of the database: one row per
// signed report kept in the data dir, one per export of it.
var Schema = store.Schema{
	Component: "report",
	Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE reports (
	id INTEGER PRIMARY KEY,
	run_id INTEGER REFERENCES runs(id),
	report_id TEXT NOT NULL UNIQUE,
	device_id TEXT NOT NULL,
	created TEXT NOT NULL,
	overall TEXT NOT NULL,
	status TEXT NOT NULL,
	json_path TEXT NOT NULL,
	json_sha256 TEXT NOT NULL,
	json_size INTEGER NOT NULL
);
CREATE INDEX reports_created ON reports(created);
CREATE TABLE report_exports (
	id INTEGER PRIMARY KEY,
	report INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	exported TEXT NOT NULL,
	json_path TEXT NOT NULL,
	sig_path TEXT NOT NULL,
	pdf_path TEXT NOT NULL DEFAULT '',
	html_path TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_exports_report ON report_exports(report);`}},
}

// Stored is a report kept in the data dir.
type Stored struct {
	ID       int64
	RunID    int64 // 0 if none
	ReportID string
	DeviceID string
	Created  time.Time
	Overall  string
	Status   string
	JSONPath string // NAME.json in the data dir; NAME.json.sig beside it
	SHA256   string
	Size     int64
	// LastExport is the newest export, if any.
	LastExport *Files
}

// ErrNotFound is returned for an unknown report.
var ErrNotFound = errors.New("report not found")

// Record stores the metadata of a report written to files.JSON.
func Record(ctx context.Context, db *store.DB, runID int64, r *Report, data []byte, jsonPath string) (int64, error) {
	sum := sha256.Sum256(data)
	var run any
	if runID > 0 {
		run = runID
	}
	res, err := db.ExecContext(ctx, `INSERT INTO reports
		(run_id, report_id, device_id, created, overall, status, json_path, json_sha256, json_size)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		run, r.ReportID, r.Device.DeviceID, stamp(r.Created), r.Summary.Overall, r.Status, jsonPath,
		hex.EncodeToString(sum[:]), len(data))
	if err != nil {
		return 0, fmt.Errorf("record report: %w", err)
	}
	return res.LastInsertId()
}

// RecordExport notes that report id was exported to f.
func RecordExport(ctx context.Context, db *store.DB, id int64, f Files) error {
	_, err := db.ExecContext(ctx, `INSERT INTO report_exports (report, exported, json_path, sig_path, pdf_path, html_path)
		VALUES (?, ?, ?, ?, ?, ?)`, id, stamp(time.Now()), f.JSON, f.Sig, f.PDF, f.HTML)
	if err != nil {
		return fmt.Errorf("record export: %w", err)
	}
	return nil
}

// List returns the newest reports first.
func List(ctx context.Context, db *store.DB, limit int) ([]Stored, error) {
	return query(ctx, db, `ORDER BY r.created DESC, r.id DESC LIMIT ?`, limit)
}

// Get returns one stored report.
func Get(ctx context.Context, db *store.DB, id int64) (Stored, error) {
	out, err := query(ctx, db, `WHERE r.id = ?`, id)
	if err != nil {
		return Stored{}, err
	}
	if len(out) == 0 {
		return Stored{}, fmt.Errorf("report %d: %w", id, ErrNotFound)
	}
	return out[0], nil
}

func query(ctx context.Context, db *store.DB, tail string, args ...any) ([]Stored, error) {
	rows, err := db.QueryContext(ctx, `SELECT r.id, COALESCE(r.run_id, 0), r.report_id, r.device_id, r.created,
		r.overall, r.status, r.json_path, r.json_sha256, r.json_size,
		e.json_path, e.sig_path, e.pdf_path, e.html_path
		FROM reports r LEFT JOIN report_exports e ON e.id = (
			SELECT MAX(id) FROM report_exports WHERE report = r.id) `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var s Stored
		var created string
		var ej, es, ep, eh sql.NullString
		if err := rows.Scan(&s.ID, &s.RunID, &s.ReportID, &s.DeviceID, &created, &s.Overall, &s.Status,
			&s.JSONPath, &s.SHA256, &s.Size, &ej, &es, &ep, &eh); err != nil {
			return nil, fmt.Errorf("list reports: %w", err)
		}
		s.Created, _ = time.Parse(time.RFC3339, created)
		if ej.Valid {
			s.LastExport = &Files{JSON: ej.String, Sig: es.String, PDF: ep.String, HTML: eh.String}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
