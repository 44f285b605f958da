package collect

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ki-reise/kicheck/internal/store"
)

// PostgresSchema is the collection's schema in PostgreSQL, versioned like
// Schema (its own numbering: version 1 is the shape SQLite reached with
// its version 4). Real time types (timestamptz), BIGINT identity ids,
// BYTEA for the compressed report bytes, and counter rows with a shard
// column (counterShards) so that several intake processes do not queue
// for one row. The core part holds the runs table, as in SQLite.
var PostgresSchema = []store.Schema{{Component: "core", Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE runs (
	id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind     TEXT NOT NULL,
	started  TIMESTAMPTZ NOT NULL,
	finished TIMESTAMPTZ,
	status   TEXT NOT NULL,
	summary  JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_kind_started ON runs(kind, started);
`}}}, {Component: "collect", Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE collect_devices (
	device_id      TEXT PRIMARY KEY,
	public_key     TEXT NOT NULL,
	fingerprint    TEXT NOT NULL,
	trust          TEXT NOT NULL,
	first_seen     TIMESTAMPTZ NOT NULL,
	latest_report  BIGINT,
	latest_created TIMESTAMPTZ,
	reports        INTEGER NOT NULL DEFAULT 0,
	enrolled_unit  TEXT NOT NULL DEFAULT '',
	clock_ahead_s  BIGINT
);
CREATE INDEX collect_devices_latest_created ON collect_devices(latest_created);
CREATE INDEX collect_devices_enrolled_unit ON collect_devices(enrolled_unit);
CREATE INDEX collect_devices_clock_ahead ON collect_devices(clock_ahead_s);

CREATE TABLE collect_reports (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	sha256            TEXT NOT NULL UNIQUE,
	report_id         TEXT NOT NULL UNIQUE,
	device_id         TEXT NOT NULL REFERENCES collect_devices(device_id),
	created           TIMESTAMPTZ NOT NULL,
	received          TIMESTAMPTZ NOT NULL,
	source            TEXT NOT NULL,
	org_unit          TEXT NOT NULL DEFAULT '',
	hostname          TEXT NOT NULL DEFAULT '',
	overall           TEXT NOT NULL,
	status            TEXT NOT NULL,
	app_version       TEXT NOT NULL DEFAULT '',
	os                TEXT NOT NULL DEFAULT '',
	cpu_model         TEXT NOT NULL DEFAULT '',
	threads           BIGINT,
	ram_bytes         BIGINT,
	gpu_model         TEXT NOT NULL DEFAULT '',
	vram_bytes        BIGINT,
	bandwidth_gbps    DOUBLE PRECISION,
	quiz_participants BIGINT,
	quiz_score_pct    DOUBLE PRECISION
);
CREATE INDEX collect_reports_device ON collect_reports(device_id, created);

CREATE TABLE collect_report_files (
	report   BIGINT PRIMARY KEY REFERENCES collect_reports(id) ON DELETE CASCADE,
	data     BYTEA NOT NULL,
	sig      BYTEA NOT NULL,
	encoding TEXT NOT NULL DEFAULT ''
);

CREATE TABLE collect_verdicts (
	report            BIGINT NOT NULL REFERENCES collect_reports(id) ON DELETE CASCADE,
	use_case          TEXT NOT NULL DEFAULT '',
	model             TEXT NOT NULL DEFAULT '',
	subject           TEXT NOT NULL DEFAULT '',
	level             TEXT NOT NULL,
	predicted_tps     DOUBLE PRECISION,
	measured_tps      DOUBLE PRECISION,
	ready_with_ram_gb BIGINT,
	calibrated        BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX collect_verdicts_report ON collect_verdicts(report);

CREATE TABLE collect_fleet_counts (
	dim   TEXT NOT NULL,
	key   TEXT NOT NULL,
	val   TEXT NOT NULL,
	shard SMALLINT NOT NULL DEFAULT 0,
	n     BIGINT NOT NULL,
	total DOUBLE PRECISION NOT NULL DEFAULT 0,
	PRIMARY KEY (dim, key, val, shard)
);
`}}}}

// migrateLock is the advisory lock key under which a process migrates.
const migrateLock = 0x6b69636865636b // "kicheck"

// pgVersions reads the applied version per component; none when the
// migrations table does not exist yet.
func pgVersions(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) (map[string]int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, err
	}
	out := map[string]int{}
	if !exists {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT component, MAX(version) FROM schema_migrations GROUP BY component`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		var v int
		if err := rows.Scan(&c, &v); err != nil {
			return nil, err
		}
		out[c] = v
	}
	return out, rows.Err()
}

// newer refuses a database with a part newer than this KI-Check knows.
func (s *pgStore) newer(v map[string]int) error {
	for _, sc := range PostgresSchema {
		latest := sc.Migrations[len(sc.Migrations)-1].Version
		if v[sc.Component] > latest {
			return &DBError{Location: s.loc, ID: "pg.newer_schema",
				Data: map[string]any{"Part": sc.Component, "Version": v[sc.Component], "Known": latest},
				Err:  fmt.Errorf("%w: part %q is at version %d, this KI-Check knows up to %d", store.ErrNewerSchema, sc.Component, v[sc.Component], latest)}
		}
	}
	return nil
}

func current(v map[string]int) bool {
	for _, sc := range PostgresSchema {
		if v[sc.Component] != sc.Migrations[len(sc.Migrations)-1].Version {
			return false
		}
	}
	return true
}

// migrate brings the schema up to date. A schema already current needs
// no rights beyond reading (the intake and read roles); otherwise the
// migrations run under an advisory lock, each in a transaction, and
// nothing is changed when any part is newer than this KI-Check knows.
func (s *pgStore) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	v, err := pgVersions(ctx, conn)
	if err != nil {
		return err
	}
	if err := s.newer(v); err != nil {
		return err
	}
	if current(v) {
		return nil
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLock)); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT NOT NULL,
		version   INTEGER NOT NULL,
		applied   TIMESTAMPTZ NOT NULL DEFAULT now(),
		PRIMARY KEY (component, version))`); err != nil {
		return err
	}
	// Read again under the lock: another process may have migrated.
	if v, err = pgVersions(ctx, conn); err != nil {
		return err
	}
	if err := s.newer(v); err != nil {
		return err
	}
	for _, sc := range PostgresSchema {
		for _, m := range sc.Migrations[v[sc.Component]:] {
			err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, m.SQL); err != nil {
					return fmt.Errorf("migrate %s to %d: %w", sc.Component, m.Version, err)
				}
				_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (component, version) VALUES ($1, $2)`, sc.Component, m.Version)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Versions returns the applied schema version per component of s.
func Versions(ctx context.Context, s Store) (map[string]int, error) {
	if p, ok := s.(*pgStore); ok {
		return pgVersions(ctx, p.pool)
	}
	return s.(*sqliteStore).sdb.Versions(ctx)
}
