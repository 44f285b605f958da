package collect

import (
	"context"
	"database/sql"
	"fmt"
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
	return s.Scan(&d.ID, &d.OrgUnit, &d.Hostname, &d.Overall, (*textTime)(&d.Created), &d.GPU, &d.RAM, &d.VRAM, &d.Bandwidth, &d.QuizScore, &d.QuizPeople)
}

// storedDevice reads what the stored report id counts for.
func storedDevice(ctx context.Context, tx *txStmts, id int64) (*device, error) {
	d := &device{}
	if err := scanDevice(tx.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM collect_reports r WHERE r.id = ?`, id), d); err != nil {
		return nil, err
	}
	s, err := tx.stmt(ctx, `SELECT `+verdictColumns+` FROM collect_verdicts WHERE report = ?`)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return d, scanVerdicts(rows, d)
}

// verdictColumns are the columns of collect_verdicts scanVerdicts reads.
const verdictColumns = `use_case, model, level, measured_tps, ready_with_ram_gb, calibrated`

// scanVerdicts adds the rows' verdicts (verdictColumns) to d; both
// databases' rows fit.
func scanVerdicts(rows interface {
	scanner
	Next() bool
	Err() error
}, d *device) error {
	for rows.Next() {
		var v deviceVerdict
		if err := rows.Scan(&v.UseCase, &v.Model, &v.Level, &v.Measured, &v.ReadyWithRAMGB, &v.Calibrated); err != nil {
			return err
		}
		d.verdicts = append(d.verdicts, v)
	}
	return rows.Err()
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

// RebuildCounts recomputes the fleet counters from the stored reports, for
// a database whose counters are in doubt (restored from parts, edited by
// hand). The intake keeps them current otherwise.
func RebuildCounts(ctx context.Context, s Store) error { return s.RebuildCounts(ctx) }
