package hotspot

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// Schema is the hotspot capability's part of the database: the surveyed
// processes (one row per process id, the row as JSON) and, apart from
// them, other municipalities' examples.
var Schema = store.Schema{
	Component: "hotspot",
	Migrations: []store.Migration{
		{Version: 1, SQL: `
CREATE TABLE hotspot_processes (
	id TEXT PRIMARY KEY,
	unit TEXT NOT NULL,
	data TEXT NOT NULL,          -- the Process as JSON (column names of the sheet)
	imported TEXT NOT NULL,      -- RFC 3339, UTC
	run_id INTEGER REFERENCES runs(id)
);
CREATE TABLE hotspot_examples (
	kommune TEXT NOT NULL,       -- the municipality the signed export came from
	id TEXT NOT NULL,
	data TEXT NOT NULL,
	signer TEXT NOT NULL,        -- SHA256 fingerprint of the signing key
	imported TEXT NOT NULL,
	PRIMARY KEY (kommune, id)
);`},
	},
}

// RunKind is the runs.kind of an import.
const RunKind = "hotspot_import"

// ReadFiles reads survey sheets from disk (each at most MaxSheetBytes).
// All problems of all files are returned together.
func ReadFiles(paths []string, tasks []string) ([]*Sheet, Problems) {
	var sheets []*Sheet
	var all Problems
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			all = append(all, &Problem{File: p, Msg: msg("err.read", "Err", errText(err)), Hint: msg("hint.read")})
			continue
		}
		sh, ps := ReadSheet(p, f, tasks)
		f.Close()
		all = append(all, ps...)
		if sh != nil {
			sheets = append(sheets, sh)
		}
	}
	if len(all) > 0 {
		return nil, all
	}
	return sheets, nil
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Conflict is one process id with different figures in two places: two
// sheets of this import, or a sheet and what is stored. Neither side is
// stored over the other until someone decides (ImportOptions).
type Conflict struct {
	ID     string      `json:"id"`
	A      Process     `json:"a"` // the stored row, or the first sheet's
	B      Process     `json:"b"`
	Stored bool        `json:"a_is_stored"`
	Diffs  []FieldDiff `json:"differences"`
}

// ImportOptions decide conflicts.
type ImportOptions struct {
	// Prefer is a file of this import whose rows win over the other
	// files' and the stored rows.
	Prefer string
	// Replace lets every row replace a stored one with the same id.
	Replace bool
	Now     time.Time // import time; zero = now
}

// ImportResult says what an import did.
type ImportResult struct {
	Sheets    []SheetSummary `json:"sheets"`
	Added     []string       `json:"added"`
	Updated   []string       `json:"updated"`
	Unchanged []string       `json:"unchanged"`
	Conflicts []Conflict     `json:"conflicts"`
	RunID     int64          `json:"run_id,omitempty"`
}

// SheetSummary is one read file.
type SheetSummary struct {
	File     string   `json:"file"`
	Encoding string   `json:"encoding"`
	Rows     int      `json:"rows"`
	Ignored  []string `json:"ignored_columns,omitempty"`
}

// Plan merges sheets with the stored processes without writing anything:
// what Import would add, update and leave in conflict. Rows of the same
// id and the same figures in several places are one process. A stored row
// from a file of the same name (a department's corrected sheet) is
// updated; from another file it is a conflict unless opts say otherwise.
func Plan(sheets []*Sheet, stored []Process, opts ImportOptions) (ImportResult, []Process) {
	res := ImportResult{Added: []string{}, Updated: []string{}, Unchanged: []string{}, Conflicts: []Conflict{}}
	byID := map[string]Process{}
	for _, p := range stored {
		byID[p.ID] = p
	}
	// First the sheets among themselves.
	chosen := map[string]Process{}
	var order []string
	conflicted := map[string]bool{}
	for _, sh := range sheets {
		res.Sheets = append(res.Sheets, SheetSummary{File: sh.File, Encoding: sh.Encoding, Rows: len(sh.Rows), Ignored: sh.Ignored})
		for _, p := range sh.Rows {
			prev, ok := chosen[p.ID]
			if !ok {
				chosen[p.ID] = p
				order = append(order, p.ID)
				continue
			}
			if sameFigures(prev, p) {
				continue
			}
			switch {
			case opts.Prefer != "" && samePath(p.Source.File, opts.Prefer):
				chosen[p.ID] = p
			case opts.Prefer != "" && samePath(prev.Source.File, opts.Prefer):
			default:
				if !conflicted[p.ID] {
					res.Conflicts = append(res.Conflicts, Conflict{ID: p.ID, A: prev, B: p, Diffs: diff(prev, p)})
				}
				conflicted[p.ID] = true
			}
		}
	}
	var write []Process
	for _, id := range order {
		if conflicted[id] {
			continue
		}
		p := chosen[id]
		old, ok := byID[id]
		switch {
		case !ok:
			res.Added = append(res.Added, id)
			write = append(write, p)
		case sameFigures(old, p):
			res.Unchanged = append(res.Unchanged, id)
		case opts.Replace || filepath.Base(old.Source.File) == filepath.Base(p.Source.File) ||
			(opts.Prefer != "" && samePath(p.Source.File, opts.Prefer)):
			res.Updated = append(res.Updated, id)
			write = append(write, p)
		default:
			res.Conflicts = append(res.Conflicts, Conflict{ID: id, A: old, B: p, Stored: true, Diffs: diff(old, p)})
		}
	}
	return res, write
}

func samePath(a, b string) bool {
	if a == b {
		return true
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// Import merges the sheets (read without problems by ReadFiles) into the
// database in one transaction: the rows Plan chose are written, the
// conflicts are returned and nothing of them is written.
func Import(ctx context.Context, db *store.DB, sheets []*Sheet, opts ImportOptions) (ImportResult, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	stored, err := List(ctx, db)
	if err != nil {
		return ImportResult{}, err
	}
	res, write := Plan(sheets, stored, opts)
	runID, err := db.StartRun(ctx, RunKind)
	if err != nil {
		return res, err
	}
	res.RunID = runID
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("import processes: %w", err)
	}
	defer tx.Rollback()
	for _, p := range write {
		p.Source.Imported = opts.Now.UTC().Truncate(time.Second)
		if err := put(ctx, tx, p, runID); err != nil {
			_ = db.FinishRun(ctx, runID, store.StatusFailed, map[string]string{"error": err.Error()})
			return res, err
		}
	}
	if err := tx.Commit(); err != nil {
		_ = db.FinishRun(ctx, runID, store.StatusFailed, map[string]string{"error": err.Error()})
		return res, fmt.Errorf("import processes: %w", err)
	}
	summary := map[string]int{"added": len(res.Added), "updated": len(res.Updated), "unchanged": len(res.Unchanged), "conflicts": len(res.Conflicts)}
	return res, db.FinishRun(ctx, runID, store.StatusDone, summary)
}

func put(ctx context.Context, tx *sql.Tx, p Process, runID int64) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("store process %s: %w", p.ID, err)
	}
	var run any
	if runID > 0 {
		run = runID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO hotspot_processes (id, unit, data, imported, run_id) VALUES (?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET unit = excluded.unit, data = excluded.data, imported = excluded.imported, run_id = excluded.run_id`,
		p.ID, p.Unit, string(b), p.Source.Imported.UTC().Format(time.RFC3339), run)
	if err != nil {
		return fmt.Errorf("store process %s: %w", p.ID, err)
	}
	return nil
}

// Save stores one process (the GUI's form) after the same checks as a
// sheet row; it replaces a stored process with the same id.
func Save(ctx context.Context, db *store.DB, p Process, tasks []string) (Problems, error) {
	if ps := Validate(p, tasks); ps != nil {
		return ps, nil
	}
	if p.Source.File == "" {
		p.Source.File = "Formular"
	}
	p.Source.Imported = time.Now().UTC().Truncate(time.Second)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := put(ctx, tx, p, 0); err != nil {
		return nil, err
	}
	return nil, tx.Commit()
}

// Validate checks one process by the rules of a sheet row (the GUI's
// form); problems carry the column name, line 0.
func Validate(p Process, tasks []string) Problems {
	index := map[string]int{}
	for i, c := range AllColumns {
		index[c] = i
	}
	taskSet := map[string]bool{}
	for _, t := range tasks {
		taskSet[t] = true
	}
	_, ps := parseRow(p.cells(false), index, 0, taskSet)
	for _, q := range ps {
		q.File = p.ID
	}
	return ps
}

// Delete removes a stored process; false if there was none.
func Delete(ctx context.Context, db *store.DB, id string) (bool, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM hotspot_processes WHERE id = ?`, id)
	if err != nil {
		return false, fmt.Errorf("delete process %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// SetPassRate records the pass rate of a process's Erprobung (0..1, from
// the KI-Test); nil removes it. It flows into Umsetzbarkeit.
func SetPassRate(ctx context.Context, db *store.DB, id string, rate *float64) error {
	p, ok, err := Get(ctx, db, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("process %q: %w", id, ErrNotFound)
	}
	if rate != nil && (*rate < 0 || *rate > 1) {
		return fmt.Errorf("pass rate %v: must be between 0 and 1", *rate)
	}
	p.PassRate = rate
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := put(ctx, tx, p, 0); err != nil {
		return err
	}
	return tx.Commit()
}

// ErrNotFound is an unknown process id.
var ErrNotFound = errors.New("no such process")

// List returns the own surveyed processes, by unit and id.
func List(ctx context.Context, db *store.DB) ([]Process, error) {
	return query(ctx, db, `SELECT data FROM hotspot_processes ORDER BY unit, id`)
}

// Get returns one stored process.
func Get(ctx context.Context, db *store.DB, id string) (Process, bool, error) {
	ps, err := query(ctx, db, `SELECT data FROM hotspot_processes WHERE id = ?`, id)
	if err != nil || len(ps) == 0 {
		return Process{}, false, err
	}
	return ps[0], true, nil
}

// Examples returns other municipalities' processes (imported signed
// exports), by municipality and id; Source.Kommune names where from.
func Examples(ctx context.Context, db *store.DB) ([]Process, error) {
	return query(ctx, db, `SELECT data FROM hotspot_examples ORDER BY kommune, id`)
}

func query(ctx context.Context, db *store.DB, q string, args ...any) ([]Process, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read processes: %w", err)
	}
	defer rows.Close()
	out := []Process{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("read processes: %w", err)
		}
		var p Process
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			return nil, fmt.Errorf("read processes: stored row: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// saveExamples stores another municipality's processes apart from the
// own ones (same municipality and id replaces).
func saveExamples(ctx context.Context, db *store.DB, kommune, signer string, ps []Process, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, p := range ps {
		p.Source.Kommune, p.Source.Signer, p.Source.Imported = kommune, signer, now.UTC().Truncate(time.Second)
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO hotspot_examples (kommune, id, data, signer, imported) VALUES (?, ?, ?, ?, ?)
ON CONFLICT(kommune, id) DO UPDATE SET data = excluded.data, signer = excluded.signer, imported = excluded.imported`,
			kommune, p.ID, string(b), signer, p.Source.Imported.Format(time.RFC3339)); err != nil {
			return fmt.Errorf("store example %s: %w", p.ID, err)
		}
	}
	return tx.Commit()
}

// sortProcesses orders by unit, then id.
func sortProcesses(ps []Process) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Unit != ps[j].Unit {
			return ps[i].Unit < ps[j].Unit
		}
		return ps[i].ID < ps[j].ID
	})
}

var _ = io.EOF
