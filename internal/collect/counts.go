package collect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ki-reise/kicheck/internal/store"
)

// The intake keeps collect_fleet_counts current: when a report becomes a
// device's newest, what the previous newest counted for is subtracted and
// what the new one counts for is added (contribute). The changes of a
// batch are summed in memory and written once per counter at the end of
// the batch's transaction, so the counts always match the stored reports.

// deviceOfRow is what a freshly verified report counts for.
func deviceOfRow(rw *row) *device {
	d := &device{ID: rw.DeviceID, OrgUnit: rw.OrgUnit, Hostname: rw.Hostname, Overall: rw.Overall, GPU: rw.GPUModel}
	if rw.RAMBytes != nil {
		d.RAM = sql.NullInt64{Int64: *rw.RAMBytes, Valid: true}
	}
	if rw.VRAMBytes != nil {
		d.VRAM = sql.NullInt64{Int64: *rw.VRAMBytes, Valid: true}
	}
	if rw.Bandwidth != nil {
		d.Bandwidth = sql.NullFloat64{Float64: *rw.Bandwidth, Valid: true}
	}
	if rw.QuizPeople != nil {
		d.QuizPeople = sql.NullInt64{Int64: *rw.QuizPeople, Valid: true}
	}
	if rw.QuizScore != nil {
		d.QuizScore = sql.NullFloat64{Float64: *rw.QuizScore, Valid: true}
	}
	for _, v := range rw.Verdicts {
		dv := deviceVerdict{UseCase: v.UseCase, Model: v.Model, Level: v.Level, Calibrated: v.Calibrated}
		if v.Measured != nil {
			dv.Measured = sql.NullFloat64{Float64: *v.Measured, Valid: true}
		}
		if v.ReadyWithRAMGB != nil {
			dv.ReadyWithRAMGB = sql.NullInt64{Int64: *v.ReadyWithRAMGB, Valid: true}
		}
		d.verdicts = append(d.verdicts, dv)
	}
	return d
}

const deviceColumns = `r.device_id, r.org_unit, r.hostname, r.overall, r.created, r.gpu_model, r.ram_bytes, r.vram_bytes, r.bandwidth_gbps, r.quiz_score_pct, r.quiz_participants`

type scanner interface{ Scan(dest ...any) error }

func scanDevice(s scanner, d *device) error {
	return s.Scan(&d.ID, &d.OrgUnit, &d.Hostname, &d.Overall, &d.Created, &d.GPU, &d.RAM, &d.VRAM, &d.Bandwidth, &d.QuizScore, &d.QuizPeople)
}

// storedDevice reads what the stored report id counts for.
func storedDevice(ctx context.Context, tx *txStmts, id int64) (*device, error) {
	d := &device{}
	if err := scanDevice(tx.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM collect_reports r WHERE r.id = ?`, id), d); err != nil {
		return nil, err
	}
	s, err := tx.stmt(ctx, `SELECT use_case, model, level, measured_tps, ready_with_ram_gb, calibrated FROM collect_verdicts WHERE report = ?`)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v deviceVerdict
		if err := rows.Scan(&v.UseCase, &v.Model, &v.Level, &v.Measured, &v.ReadyWithRAMGB, &v.Calibrated); err != nil {
			return nil, err
		}
		d.verdicts = append(d.verdicts, v)
	}
	return d, rows.Err()
}

// writeCounts adds the summed changes to the counters.
func writeCounts(ctx context.Context, tx *txStmts, c counts) error {
	for k, v := range c {
		if v.n == 0 && v.total == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO collect_fleet_counts (dim, key, val, n, total) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (dim, key, val) DO UPDATE SET n = n + excluded.n, total = total + excluded.total`,
			k.dim, k.key, k.val, v.n, v.total); err != nil {
			return fmt.Errorf("update fleet counts: %w", err)
		}
	}
	return nil
}

func readCounts(ctx context.Context, tx *sql.Tx) (counts, error) {
	rows, err := tx.QueryContext(ctx, `SELECT dim, key, val, n, total FROM collect_fleet_counts WHERE n <> 0`)
	if err != nil {
		return nil, fmt.Errorf("fleet: read counts: %w", err)
	}
	defer rows.Close()
	c := counts{}
	for rows.Next() {
		var k countKey
		var v count
		if err := rows.Scan(&k.dim, &k.key, &k.val, &v.n, &v.total); err != nil {
			return nil, fmt.Errorf("fleet: read counts: %w", err)
		}
		c[k] = v
	}
	return c, rows.Err()
}

// recount computes the counters from scratch: every device's newest report
// and the number of reports. RebuildCounts stores them; the tests compare
// them with the counters the intake kept.
func recount(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (counts, error) {
	c := counts{}
	var reports int64
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM collect_reports`).Scan(&reports); err != nil {
		return nil, err
	}
	c.add(countKey{dimReports, "", ""}, reports, 0)
	rows, err := q.QueryContext(ctx, `SELECT `+deviceColumns+`, r.id FROM collect_devices d JOIN collect_reports r ON r.id = d.latest_report`)
	if err != nil {
		return nil, err
	}
	byReport := map[int64]*device{}
	for rows.Next() {
		d := &device{}
		var id int64
		if err := rows.Scan(&d.ID, &d.OrgUnit, &d.Hostname, &d.Overall, &d.Created, &d.GPU, &d.RAM, &d.VRAM, &d.Bandwidth, &d.QuizScore, &d.QuizPeople, &id); err != nil {
			rows.Close()
			return nil, err
		}
		byReport[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	vrows, err := q.QueryContext(ctx, `SELECT v.report, v.use_case, v.model, v.level, v.measured_tps, v.ready_with_ram_gb, v.calibrated
		FROM collect_devices d JOIN collect_verdicts v ON v.report = d.latest_report`)
	if err != nil {
		return nil, err
	}
	defer vrows.Close()
	for vrows.Next() {
		var id int64
		var v deviceVerdict
		if err := vrows.Scan(&id, &v.UseCase, &v.Model, &v.Level, &v.Measured, &v.ReadyWithRAMGB, &v.Calibrated); err != nil {
			return nil, err
		}
		if d := byReport[id]; d != nil {
			d.verdicts = append(d.verdicts, v)
		}
	}
	if err := vrows.Err(); err != nil {
		return nil, err
	}
	for _, d := range byReport {
		contribute(c, d, 1)
	}
	return c, nil
}

// RebuildCounts recomputes the fleet counters from the stored reports, for
// a database whose counters are in doubt (restored from parts, edited by
// hand). The intake keeps them current otherwise.
func RebuildCounts(ctx context.Context, db *store.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	defer tx.Rollback()
	c, err := recount(ctx, tx)
	if err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM collect_fleet_counts`); err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	st := &txStmts{tx: tx, m: map[string]*sql.Stmt{}}
	defer st.close()
	if err := writeCounts(ctx, st, c); err != nil {
		return err
	}
	return errors.Join(tx.Commit())
}
