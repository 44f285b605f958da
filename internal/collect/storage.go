package collect

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// Store is the central database of the collection. Two implementations:
// SQLite (a file, the default, one writer at a time; SQLite, OpenSQLite)
// and PostgreSQL (a server that several intake processes write to at
// once; OpenPostgres). Open picks by the --db value: postgres://… or
// postgresql://… is PostgreSQL, anything else a file.
//
// The reading side is the same for both (the overview, the device table,
// the newest reports); the writing side (Intake) is each store's own:
// SQLite serialises writers in one transaction, PostgreSQL uses ON
// CONFLICT, RETURNING, row locks per device, COPY for bulk rows and
// counter rows spread over shards (store_pg.go).
type Store interface {
	// Kind is "sqlite" or "postgres".
	Kind() string
	// Location names the database for messages: the file path, or the
	// DSN with its password removed (never the password).
	Location() string
	// Ping checks that the database answers (the load balancer's /healthz).
	Ping(ctx context.Context) error
	Close() error

	// Fleet reads the overview (ComputeFleet).
	Fleet(ctx context.Context, opts FleetOptions) (*Fleet, error)
	// DeviceTable reads every device with its newest report.
	DeviceTable(ctx context.Context) ([]DeviceRow, error)
	// LatestReports calls fn once per device with its newest report's
	// signed bytes, ordered by device id (GLPI export, aggregates). An
	// error from fn stops the walk and is returned.
	LatestReports(ctx context.Context, fn func(LatestReport) error) error
	// StoredReport returns the signed bytes and signature of the report
	// with this SHA-256 (hex).
	StoredReport(ctx context.Context, sha256 string) (data, sig []byte, err error)
	// RebuildCounts recomputes the overview's running counts.
	RebuildCounts(ctx context.Context) error
	// StartRun and FinishRun record an intake run (runs table).
	StartRun(ctx context.Context, kind string) (int64, error)
	FinishRun(ctx context.Context, id int64, status string, summary any) error

	// sqlBase is the shared reading side.
	sqlBase() *sqlStore
	// storeBatch writes the accepted rows of cs (Intake.store).
	storeBatch(ctx context.Context, in *Intake, cs []checked, received time.Time) error
}

// LatestReport is one device's newest stored report.
type LatestReport struct {
	DeviceID    string
	Fingerprint string
	// FirstCreated is the created time of the device's earliest stored
	// report.
	FirstCreated time.Time
	// Data is the exact signed bytes, Sig their signature.
	Data, Sig []byte
}

// OpenOptions say which central database to open and how.
type OpenOptions struct {
	// DB is a file path (SQLite) or a postgres://… or postgresql://… URL
	// (PostgreSQL; key=value DSNs are taken too when they name a host).
	DB string
	// Postgres tunes a PostgreSQL connection; ignored for SQLite.
	Postgres PostgresOptions
}

// IsPostgres reports whether db names a PostgreSQL database rather than
// a file.
func IsPostgres(db string) bool {
	l := strings.ToLower(strings.TrimSpace(db))
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open opens (or creates) the central database named by opts.DB and
// brings its schema up to date; a database of a newer schema is refused
// and left unchanged.
func Open(ctx context.Context, opts OpenOptions) (Store, error) {
	if IsPostgres(opts.DB) {
		return OpenPostgres(ctx, opts.DB, opts.Postgres)
	}
	return OpenSQLite(ctx, opts.DB)
}

// OpenExisting opens a central database that must exist already (a
// reader such as the process portfolio or the strategy: a missing file
// is an error, never created). PostgreSQL takes its password from
// PGPASSWORD or ~/.pgpass there.
func OpenExisting(ctx context.Context, db string) (Store, error) {
	if !IsPostgres(db) {
		if _, err := os.Stat(db); err != nil {
			return nil, fmt.Errorf("fleet database: %w", err)
		}
	}
	return Open(ctx, OpenOptions{DB: db})
}

// OpenSQLite opens (or creates) the SQLite file at path.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	db, err := store.Open(ctx, path, Schema)
	if err != nil {
		return nil, err
	}
	return SQLite(db), nil
}

// SQLite is the collection in an open SQLite database (opened with
// Schema). Closing the Store closes db.
func SQLite(db *store.DB) Store {
	return &sqliteStore{sqlStore: sqlStore{db: db.DB}, sdb: db}
}

// sqlStore is the reading side both stores share: standard SQL over
// database/sql, with ? placeholders rewritten to $n for PostgreSQL.
type sqlStore struct {
	db *sql.DB
	pg bool
}

func (s *sqlStore) sqlBase() *sqlStore { return s }

// q returns query in the store's dialect.
func (s *sqlStore) q(query string) string {
	if !s.pg {
		return query
	}
	return rebind(query)
}

// rebind turns ? placeholders into $1, $2, … (the queries here have no ?
// inside string literals).
func rebind(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ts is a time as a query argument: RFC 3339 text in SQLite (it sorts by
// time), a timestamptz in PostgreSQL.
func (s *sqlStore) ts(t time.Time) any {
	if s.pg {
		return t.UTC()
	}
	return t.UTC().Format(time.RFC3339)
}

// textTime scans a time column into RFC 3339 UTC text, whether the
// database holds text (SQLite) or a timestamptz (PostgreSQL).
type textTime string

func (t *textTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = ""
	case time.Time:
		*t = textTime(v.UTC().Format(time.RFC3339))
	case string:
		*t = textTime(v)
	case []byte:
		*t = textTime(v)
	default:
		return fmt.Errorf("time column: unexpected %T", src)
	}
	return nil
}

func (s *sqlStore) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

func (s *sqlStore) Fleet(ctx context.Context, opts FleetOptions) (*Fleet, error) {
	if opts.StaleDays <= 0 {
		opts.StaleDays = 30
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	txo := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		txo.Isolation = sql.LevelRepeatableRead // one snapshot for counters and lists
	}
	tx, err := s.db.BeginTx(ctx, txo)
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	defer tx.Rollback()
	c, err := s.readCounts(ctx, tx)
	if err != nil {
		return nil, err
	}
	f := fleetFromCounts(c, opts)
	if err := s.readStale(ctx, tx, f, opts); err != nil {
		return nil, err
	}
	if err := s.readClockAhead(ctx, tx, f); err != nil {
		return nil, err
	}
	return f, nil
}

func (s *sqlStore) readCounts(ctx context.Context, tx *sql.Tx) (counts, error) {
	query := `SELECT dim, key, val, n, total FROM collect_fleet_counts WHERE n <> 0`
	if s.pg {
		// Several intake processes add to their own shard of each counter.
		query = `SELECT dim, key, val, SUM(n), SUM(total) FROM collect_fleet_counts GROUP BY dim, key, val HAVING SUM(n) <> 0`
	}
	rows, err := tx.QueryContext(ctx, query)
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

// readStale fills f.Stale from the index on latest_created.
func (s *sqlStore) readStale(ctx context.Context, tx *sql.Tx, f *Fleet, opts FleetOptions) error {
	before := s.ts(opts.Now.UTC().AddDate(0, 0, -opts.StaleDays))
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM collect_devices WHERE latest_created < ?`), before).Scan(&f.Stale.Count); err != nil {
		return fmt.Errorf("fleet: stale devices: %w", err)
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT d.device_id, r.org_unit, r.hostname, d.latest_created
		FROM collect_devices d JOIN collect_reports r ON r.id = d.latest_report
		WHERE d.latest_created < ? ORDER BY d.latest_created, d.device_id LIMIT ?`), before, MaxStaleListed)
	if err != nil {
		return fmt.Errorf("fleet: stale devices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d StaleDevice
		if err := rows.Scan(&d.DeviceID, &d.OrgUnit, &d.Hostname, (*textTime)(&d.LastReport)); err != nil {
			return fmt.Errorf("fleet: stale devices: %w", err)
		}
		f.Stale.Devices = append(f.Stale.Devices, d)
	}
	return rows.Err()
}

// readClockAhead fills f.ClockAhead from the index on clock_ahead_s.
func (s *sqlStore) readClockAhead(ctx context.Context, tx *sql.Tx, f *Fleet) error {
	minS := int64(MinClockAhead / time.Second)
	f.ClockAhead = ClockAhead{MinSeconds: int(minS), Devices: []ClockAheadDevice{}}
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM collect_devices WHERE clock_ahead_s >= ?`), minS).Scan(&f.ClockAhead.Count); err != nil {
		return fmt.Errorf("fleet: clocks ahead: %w", err)
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT d.device_id, r.org_unit, r.hostname, d.clock_ahead_s
		FROM collect_devices d JOIN collect_reports r ON r.id = d.latest_report
		WHERE d.clock_ahead_s >= ? ORDER BY d.clock_ahead_s DESC, d.device_id LIMIT ?`), minS, MaxStaleListed)
	if err != nil {
		return fmt.Errorf("fleet: clocks ahead: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d ClockAheadDevice
		if err := rows.Scan(&d.DeviceID, &d.OrgUnit, &d.Hostname, &d.AheadSeconds); err != nil {
			return fmt.Errorf("fleet: clocks ahead: %w", err)
		}
		f.ClockAhead.Devices = append(f.ClockAhead.Devices, d)
	}
	return rows.Err()
}

func (s *sqlStore) DeviceTable(ctx context.Context) ([]DeviceRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.device_id, r.org_unit, r.hostname, r.created,
		d.reports,
		r.overall, r.os, r.cpu_model, r.threads, r.ram_bytes, r.gpu_model, r.vram_bytes, r.bandwidth_gbps, d.trust, d.fingerprint
		FROM collect_devices d JOIN collect_reports r ON r.id = d.latest_report
		ORDER BY r.org_unit, d.device_id`)
	if err != nil {
		return nil, fmt.Errorf("device table: %w", err)
	}
	defer rows.Close()
	out := []DeviceRow{}
	for rows.Next() {
		var d DeviceRow
		if err := rows.Scan(&d.DeviceID, &d.OrgUnit, &d.Hostname, (*textTime)(&d.LastReport), &d.Reports, &d.Overall, &d.OS, &d.CPU,
			&d.Threads, &d.RAMBytes, &d.GPU, &d.VRAMBytes, &d.BandwidthGBps, &d.Trust, &d.Fingerprint); err != nil {
			return nil, fmt.Errorf("device table: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *sqlStore) LatestReports(ctx context.Context, fn func(LatestReport) error) error {
	// The earliest report's time makes GLPI's deviceid: the agent
	// computes its deviceid once and keeps it.
	rows, err := s.db.QueryContext(ctx, `SELECT d.device_id, d.fingerprint, f.data, f.sig, f.encoding,
		(SELECT MIN(r.created) FROM collect_reports r WHERE r.device_id = d.device_id)
		FROM collect_devices d JOIN collect_report_files f ON f.report = d.latest_report ORDER BY d.device_id`)
	if err != nil {
		return fmt.Errorf("newest reports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var lr LatestReport
		var stored []byte
		var encoding string
		var first textTime
		if err := rows.Scan(&lr.DeviceID, &lr.Fingerprint, &stored, &lr.Sig, &encoding, &first); err != nil {
			return fmt.Errorf("newest reports: %w", err)
		}
		if lr.Data, err = unpackReport(stored, encoding); err != nil {
			return fmt.Errorf("newest reports: report of %s: %w", lr.DeviceID, err)
		}
		if lr.FirstCreated, err = time.Parse(time.RFC3339, string(first)); err != nil {
			return fmt.Errorf("newest reports: first report time of %s: %w", lr.DeviceID, err)
		}
		if err := fn(lr); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *sqlStore) StoredReport(ctx context.Context, sha256 string) (data, sig []byte, err error) {
	var stored []byte
	var encoding string
	err = s.db.QueryRowContext(ctx, s.q(`SELECT f.data, f.sig, f.encoding FROM collect_report_files f
		JOIN collect_reports r ON r.id = f.report WHERE r.sha256 = ?`), sha256).Scan(&stored, &sig, &encoding)
	if err != nil {
		return nil, nil, fmt.Errorf("stored report %s: %w", sha256, err)
	}
	data, err = unpackReport(stored, encoding)
	if err != nil {
		return nil, nil, fmt.Errorf("stored report %s: %w", sha256, err)
	}
	return data, sig, nil
}

// recount computes the counters from scratch: every device's newest report
// and the number of reports. RebuildCounts stores them; the tests compare
// them with the counters the intake kept.
func (s *sqlStore) recount(ctx context.Context, q interface {
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
		if err := rows.Scan(&d.ID, &d.OrgUnit, &d.Hostname, &d.Overall, (*textTime)(&d.Created), &d.GPU, &d.RAM, &d.VRAM, &d.Bandwidth, &d.QuizScore, &d.QuizPeople, &id); err != nil {
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

// runSummary is the runs table's summary column.
func runSummary(summary any) (string, error) {
	b, err := json.Marshal(summary)
	return string(b), err
}

// sqliteStore is the collection in an SQLite file.
type sqliteStore struct {
	sqlStore
	sdb *store.DB
}

func (s *sqliteStore) Kind() string     { return "sqlite" }
func (s *sqliteStore) Location() string { return s.sdb.Path() }
func (s *sqliteStore) Close() error     { return s.sdb.Close() }

func (s *sqliteStore) StartRun(ctx context.Context, kind string) (int64, error) {
	return s.sdb.StartRun(ctx, kind)
}

func (s *sqliteStore) FinishRun(ctx context.Context, id int64, status string, summary any) error {
	return s.sdb.FinishRun(ctx, id, status, summary)
}

// RebuildCounts recomputes the fleet counters from the stored reports, for
// a database whose counters are in doubt (restored from parts, edited by
// hand). The intake keeps them current otherwise.
func (s *sqliteStore) RebuildCounts(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	defer tx.Rollback()
	c, err := s.recount(ctx, tx)
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
	return tx.Commit()
}
