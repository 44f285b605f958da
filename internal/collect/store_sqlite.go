package collect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// storeBatch writes the accepted rows of cs in one transaction (BEGIN
// IMMEDIATE: SQLite has one writer at a time) and turns rows into
// duplicates or trust rejections where the database says so.
func (s *sqliteStore) storeBatch(ctx context.Context, in *Intake, cs []checked, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store reports: %w", err)
	}
	defer tx.Rollback()
	received := now.Format(time.RFC3339)
	stmts := &txStmts{tx: tx, m: map[string]*sql.Stmt{}}
	defer stmts.close()
	delta := counts{}
	for i := range cs {
		if cs[i].row == nil {
			continue
		}
		r, err := s.storeOne(ctx, in, stmts, delta, cs[i].row, received)
		if err != nil {
			return fmt.Errorf("store report %s: %w", cs[i].result.Source, err)
		}
		if r.Outcome != Accepted {
			r.Source, r.DeviceID, r.ReportID, r.SHA256 = cs[i].result.Source, cs[i].row.DeviceID, cs[i].row.ReportID, cs[i].row.SHA256
			cs[i].result = r
		}
	}
	if err := writeCounts(ctx, stmts, delta); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store reports: %w", err)
	}
	return nil
}

// newDevice decides whether a device seen for the first time may be
// recorded: its trust ("allowed_signers" or "enrolled") and the unit
// that enrolled it, or a rejection. enrolled counts the devices the
// upload token's unit enrolled so far.
func (in *Intake) newDevice(rw *row, enrolled func() (int, error)) (trust, unit string, reject *FileResult, err error) {
	trust = "enrolled"
	switch {
	case in.trust.AllowedSigners != nil:
		trust = "allowed_signers" // report.Verify checked the file
	case !in.trust.Enroll:
		r := FileResult{Outcome: Rejected, Problem: ProblemNotEnrolled}.withMsg(
			i18n.Msg{ID: "intake.not_enrolled", Data: map[string]any{"Device": rw.DeviceID, "Fingerprint": rw.Fingerprint}})
		return "", "", &r, nil
	case rw.Grant != nil && rw.Grant.MaxEnroll == 0:
		r := FileResult{Outcome: Rejected, Problem: ProblemEnrolLimit}.withMsg(
			i18n.Msg{ID: "intake.enrol_off", Data: map[string]any{"Device": rw.DeviceID, "Unit": rw.Grant.Unit}})
		return "", "", &r, nil
	case rw.Grant != nil && rw.Grant.MaxEnroll > 0:
		n, err := enrolled()
		if err != nil {
			return "", "", nil, err
		}
		if n >= rw.Grant.MaxEnroll {
			r := FileResult{Outcome: Rejected, Problem: ProblemEnrolLimit}.withMsg(
				i18n.Msg{ID: "intake.enrol_limit", Data: map[string]any{"Device": rw.DeviceID, "Unit": rw.Grant.Unit, "Max": i18n.Int(rw.Grant.MaxEnroll)}})
			return "", "", &r, nil
		}
	}
	if rw.Grant != nil && trust == "enrolled" {
		unit = rw.Grant.Unit
	}
	return trust, unit, nil, nil
}

func duplicateResult(existing int64) FileResult {
	return FileResult{Outcome: Duplicate}.withMsg(i18n.Msg{ID: "intake.duplicate", Data: map[string]any{"Entry": existing}})
}

func conflictResult(rw *row) FileResult {
	return FileResult{Outcome: Rejected, Problem: ProblemEnrolConflict}.withMsg(
		i18n.Msg{ID: "intake.conflict", Data: map[string]any{"Device": rw.DeviceID, "Fingerprint": rw.Fingerprint}})
}

func (s *sqliteStore) storeOne(ctx context.Context, in *Intake, tx *txStmts, delta counts, rw *row, received string) (FileResult, error) {
	var existing int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM collect_reports WHERE sha256 = ? OR report_id = ?`, rw.SHA256, rw.ReportID).Scan(&existing)
	if err == nil {
		return duplicateResult(existing), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return FileResult{}, err
	}
	var key, latestCreated sql.NullString
	var latest sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT public_key, latest_report, latest_created FROM collect_devices WHERE device_id = ?`, rw.DeviceID).Scan(&key, &latest, &latestCreated)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		trust, unit, reject, err := in.newDevice(rw, func() (n int, err error) {
			err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collect_devices WHERE enrolled_unit = ?`, rw.Grant.Unit).Scan(&n)
			return n, err
		})
		if err != nil || reject != nil {
			return deref(reject), err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO collect_devices (device_id, public_key, fingerprint, trust, first_seen, enrolled_unit) VALUES (?, ?, ?, ?, ?, ?)`,
			rw.DeviceID, rw.PublicKey, rw.Fingerprint, trust, received, unit); err != nil {
			return FileResult{}, err
		}
	case err != nil:
		return FileResult{}, err
	case key.String != rw.PublicKey:
		return conflictResult(rw), nil
	}
	created := rw.Created.Format(time.RFC3339)
	res, err := tx.ExecContext(ctx, `INSERT INTO collect_reports (sha256, report_id, device_id, created, received, source, org_unit, hostname,
		overall, status, app_version, os, cpu_model, threads, ram_bytes, gpu_model, vram_bytes, bandwidth_gbps, quiz_participants, quiz_score_pct)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rw.SHA256, rw.ReportID, rw.DeviceID, created, received, rw.Source, rw.OrgUnit, rw.Hostname,
		rw.Overall, rw.Status, rw.AppVersion, rw.OS, rw.CPUModel, rw.Threads, rw.RAMBytes, rw.GPUModel, rw.VRAMBytes, rw.Bandwidth,
		rw.QuizPeople, rw.QuizScore)
	if err != nil {
		return FileResult{}, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return FileResult{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO collect_report_files (report, data, sig, encoding) VALUES (?, ?, ?, ?)`, id, rw.Stored, rw.Sig, rw.Encoding); err != nil {
		return FileResult{}, err
	}
	for _, v := range rw.Verdicts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO collect_verdicts (report, use_case, model, subject, level, predicted_tps, measured_tps, ready_with_ram_gb, calibrated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, v.UseCase, v.Model, v.Subject, v.Level, v.Predicted, v.Measured, v.ReadyWithRAMGB, v.Calibrated); err != nil {
			return FileResult{}, err
		}
	}
	// The newest report counts; an older one (sent late, or replayed) is
	// kept as history only. RFC 3339 UTC strings sort by time.
	delta.add(countKey{dimReports, "", ""}, 1, 0)
	if _, err := tx.ExecContext(ctx, `UPDATE collect_devices SET reports = reports + 1 WHERE device_id = ?`, rw.DeviceID); err != nil {
		return FileResult{}, err
	}
	if !latestCreated.Valid || created >= latestCreated.String {
		if latest.Valid {
			old, err := storedDevice(ctx, tx, latest.Int64)
			if err != nil {
				return FileResult{}, fmt.Errorf("read the previous newest report: %w", err)
			}
			contribute(delta, old, -1)
		}
		contribute(delta, deviceOfRow(rw), 1)
		ahead := int64(0)
		if rt, err := time.Parse(time.RFC3339, received); err == nil {
			ahead = max(int64(rw.Created.Sub(rt)/time.Second), 0)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE collect_devices SET latest_report = ?, latest_created = ?, clock_ahead_s = ? WHERE device_id = ?`, id, created, ahead, rw.DeviceID); err != nil {
			return FileResult{}, err
		}
	}
	return FileResult{Outcome: Accepted}, nil
}

func deref(r *FileResult) FileResult {
	if r == nil {
		return FileResult{}
	}
	return *r
}
