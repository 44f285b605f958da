package aggregate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// postgresMigrations is the Land's part of a PostgreSQL database, versioned
// in the collection's schema_migrations table under the component
// "aggregate" (the collection ignores components it does not own). Real
// time and date types, JSONB for the overall groups, BYTEA for the file.
var postgresMigrations = []store.Migration{{Version: 1, SQL: `
CREATE TABLE aggregate_municipalities (
	ags       TEXT PRIMARY KEY,
	name      TEXT NOT NULL,
	created   TIMESTAMPTZ NOT NULL,
	data_from DATE NOT NULL,
	data_to   DATE NOT NULL,
	devices   INTEGER NOT NULL,
	overall   JSONB NOT NULL,
	sha256    TEXT NOT NULL,
	signer    TEXT NOT NULL,
	imported  TIMESTAMPTZ NOT NULL,
	data      BYTEA NOT NULL,
	sig       BYTEA NOT NULL
);`}}

// migrateLockPG is the advisory lock the Land's migrations run under
// (apart from the collection's).
const migrateLockPG = 0x6b6c616e64 // "kland"

// PostgresStore is the Land's storage in a PostgreSQL database: the
// collection's database (collect.DB of an open collect.Store), which
// keeps the connection pool and is closed by its owner.
type PostgresStore struct{ DB *sql.DB }

// OpenLandPostgres brings the Land's tables in db up to date, under an
// advisory lock, each migration in a transaction; a newer version than
// this KI-Check knows is refused and left unchanged.
func OpenLandPostgres(ctx context.Context, db *sql.DB) (*PostgresStore, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("land: %w", err)
	}
	defer conn.Close()
	version := func() (int, error) {
		var v sql.NullInt64
		err := conn.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations WHERE component = 'aggregate'`).Scan(&v)
		return int(v.Int64), err
	}
	latest := postgresMigrations[len(postgresMigrations)-1].Version
	v, err := version()
	if err != nil {
		return nil, fmt.Errorf("land: schema version: %w", err)
	}
	if v > latest {
		return nil, fmt.Errorf("land: %w: part \"aggregate\" is at version %d, this KI-Check knows up to %d", store.ErrNewerSchema, v, latest)
	}
	if v == latest {
		return &PostgresStore{DB: db}, nil
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLockPG)); err != nil {
		return nil, fmt.Errorf("land: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLockPG))
	if v, err = version(); err != nil { // again, under the lock
		return nil, fmt.Errorf("land: schema version: %w", err)
	}
	for _, m := range postgresMigrations[v:] {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("land: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("land: migrate to %d: %w", m.Version, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (component, version) VALUES ('aggregate', $1)`, m.Version); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("land: migrate to %d: %w", m.Version, err)
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("land: migrate to %d: %w", m.Version, err)
		}
	}
	return &PostgresStore{DB: db}, nil
}

// Current implements LandStore.
func (s *PostgresStore) Current(ctx context.Context, ags []string) (map[string]Stored, error) {
	out := map[string]Stored{}
	for _, a := range ags {
		var st Stored
		var created time.Time
		err := s.DB.QueryRowContext(ctx, `SELECT ags, name, created, sha256 FROM aggregate_municipalities WHERE ags = $1`, a).Scan(&st.AGS, &st.Name, &created, &st.SHA256)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("land: read %s: %w", a, err)
		}
		st.Created = created.UTC().Format(time.RFC3339)
		out[a] = st
	}
	return out, nil
}

// Put implements LandStore.
func (s *PostgresStore) Put(ctx context.Context, entries []Stored) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("land: store: %w", err)
	}
	defer tx.Rollback()
	for _, e := range entries {
		overall, err := json.Marshal(e.Overall)
		if err != nil {
			return err
		}
		created, err1 := time.Parse(time.RFC3339, e.Created)
		imported, err2 := time.Parse(time.RFC3339, e.Imported)
		from, err3 := time.Parse(time.DateOnly, e.From)
		to, err4 := time.Parse(time.DateOnly, e.To)
		for _, err := range []error{err1, err2, err3, err4} {
			if err != nil {
				return fmt.Errorf("land: store %s: %w", e.AGS, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO aggregate_municipalities (ags, name, created, data_from, data_to, devices, overall, sha256, signer, imported, data, sig)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (ags) DO UPDATE SET name = excluded.name, created = excluded.created, data_from = excluded.data_from, data_to = excluded.data_to,
			devices = excluded.devices, overall = excluded.overall, sha256 = excluded.sha256, signer = excluded.signer, imported = excluded.imported,
			data = excluded.data, sig = excluded.sig`,
			e.AGS, e.Name, created, from, to, e.Devices, string(overall), e.SHA256, e.Signer, imported, e.Data, e.Sig); err != nil {
			return fmt.Errorf("land: store %s: %w", e.AGS, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("land: store: %w", err)
	}
	return nil
}

// All implements LandStore.
func (s *PostgresStore) All(ctx context.Context) ([]Stored, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT ags, name, created, data_from, data_to, devices, overall, signer, imported FROM aggregate_municipalities ORDER BY ags`)
	if err != nil {
		return nil, fmt.Errorf("land: read: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var st Stored
		var overall []byte
		var created, from, to, imported time.Time
		if err := rows.Scan(&st.AGS, &st.Name, &created, &from, &to, &st.Devices, &overall, &st.Signer, &imported); err != nil {
			return nil, fmt.Errorf("land: read: %w", err)
		}
		st.Created, st.Imported = created.UTC().Format(time.RFC3339), imported.UTC().Format(time.RFC3339)
		st.From, st.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
		if err := json.Unmarshal(overall, &st.Overall); err != nil {
			return nil, fmt.Errorf("land: read %s: %w", st.AGS, err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
