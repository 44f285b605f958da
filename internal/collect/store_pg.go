package collect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/store"
)

// PostgresOptions tune a PostgreSQL connection.
type PostgresOptions struct {
	// Password, when set, is the password (the GUI's field). It is never
	// taken from the DSN: a password in a command line is visible in the
	// process list. Without it: PasswordFile, then PGPASSWORD and
	// ~/.pgpass as libpq reads them.
	Password string
	// PasswordFile is a file whose first line is the password.
	PasswordFile string
	// MaxConns is the pool's largest number of connections (default
	// DefaultMaxConns); MinConns are kept open (default 1).
	MaxConns, MinConns int
	// StatementTimeout ends a statement that runs longer (default
	// DefaultStatementTimeout); ConnectTimeout a connection attempt
	// (default 10 s).
	StatementTimeout, ConnectTimeout time.Duration
	// RetryFor is how long a batch is tried again while the server is
	// unreachable or restarting (default 20 s): intake resumes when it
	// is back, and a report is stored once (its SHA-256 is unique).
	RetryFor time.Duration
	// Lang is the language of the error messages (default German).
	Lang string
}

// Defaults of PostgresOptions.
const (
	DefaultMaxConns         = 8
	DefaultStatementTimeout = 30 * time.Second
	DefaultConnectTimeout   = 10 * time.Second
	DefaultRetryFor         = 20 * time.Second
)

// counterShards spreads each overview counter over at most this many
// rows: each database connection adds to its own shard, so several intake
// processes (and concurrent uploads in one) do not queue for one row
// lock; the overview sums them.
const counterShards = 64

// pgStore is the collection in a PostgreSQL database.
type pgStore struct {
	sqlStore
	pool     *pgxpool.Pool
	loc      string // redacted DSN
	retryFor time.Duration
}

// DBError is a failure to open or use the central database that a person
// can act on: what went wrong and a hint, in a language (Localize).
type DBError struct {
	Location string // the file, or the DSN without its password
	ID       string // message id of what went wrong; "<ID>.hint" is the hint
	Data     map[string]any
	Err      error
	lang     string
}

func (e *DBError) msgData() map[string]any {
	d := map[string]any{"DB": e.Location}
	for k, v := range e.Data {
		d[k] = v
	}
	if e.Err != nil {
		d["Detail"] = oneLine(e.Err.Error())
	}
	return d
}

// oneLine joins the lines of a driver's error (pgx lists each address it
// tried on its own line, often the same twice) into one, escaped: the
// server's words come from outside.
func oneLine(text string) string {
	var parts []string
	seen := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || seen[l] {
			continue
		}
		seen[l] = true
		parts = append(parts, strings.TrimSuffix(l, ":"))
	}
	return i18n.Escape(strings.Join(parts, ": "))
}

func (e *DBError) Error() string { return e.Text(e.lang) }

// Text is the message in lang.
func (e *DBError) Text(lang string) string { return i18n.T(lang, e.ID, e.msgData()) }

// Hint says what to do, in the error's language.
func (e *DBError) Hint() string  { return i18n.T(e.lang, e.ID+".hint", e.msgData()) }
func (e *DBError) Unwrap() error { return e.Err }

// Localize returns e in lang.
func (e *DBError) Localize(lang string) *DBError {
	c := *e
	c.lang = lang
	return &c
}

var kvPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)`)

// RedactDSN returns dsn with any password replaced by "xxxxx", for
// messages and logs.
func RedactDSN(dsn string) string {
	if IsPostgres(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return "postgres://(unreadable URL)"
		}
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return kvPassword.ReplaceAllString(dsn, "${1}xxxxx")
}

// dsnHasPassword reports whether the DSN itself carries a password.
func dsnHasPassword(dsn string) bool {
	if IsPostgres(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return false
		}
		_, ok := u.User.Password()
		return ok || u.Query().Has("password")
	}
	return kvPassword.MatchString(dsn)
}

// scrubbed is err with the password's text removed, should a library
// ever quote it.
type scrubbed struct {
	err  error
	text string
}

func (s *scrubbed) Error() string { return s.text }
func (s *scrubbed) Unwrap() error { return s.err }

func scrub(err error, password string) error {
	if err == nil || len(password) < 3 || !strings.Contains(err.Error(), password) {
		return err
	}
	return &scrubbed{err: err, text: strings.ReplaceAll(err.Error(), password, "xxxxx")}
}

// readPasswordFile reads the first line of a small regular file.
func readPasswordFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() || fi.Size() > 4096 {
		return "", errors.New("not a regular file of at most 4 KiB")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimRight(line, "\r"), nil
}

// OpenPostgres connects to the PostgreSQL database dsn, creates or
// updates its tables (under an advisory lock, so several servers may
// start at once) and returns the store. A database of a newer schema is
// refused and left unchanged.
func OpenPostgres(ctx context.Context, dsn string, opts PostgresOptions) (Store, error) {
	loc := RedactDSN(dsn)
	fail := func(id string, err error) error {
		return (&DBError{Location: loc, ID: id, Err: scrub(err, opts.Password)}).Localize(opts.Lang)
	}
	if dsnHasPassword(dsn) {
		return nil, fail("pg.password_in_dsn", nil)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx quotes the DSN in its error; the DSN carries no password.
		return nil, fail("pg.bad_dsn", errors.Unwrap(err))
	}
	switch {
	case opts.Password != "":
		cfg.ConnConfig.Password = opts.Password
	case opts.PasswordFile != "":
		pw, err := readPasswordFile(opts.PasswordFile)
		if err != nil {
			return nil, (&DBError{Location: loc, ID: "pg.password_file", Data: map[string]any{"File": i18n.Escape(opts.PasswordFile)}, Err: err}).Localize(opts.Lang)
		}
		cfg.ConnConfig.Password, opts.Password = pw, pw
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns
	}
	if opts.MinConns <= 0 {
		opts.MinConns = 1
	}
	if opts.StatementTimeout <= 0 {
		opts.StatementTimeout = DefaultStatementTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = DefaultRetryFor
	}
	cfg.MaxConns, cfg.MinConns = int32(opts.MaxConns), int32(min(opts.MinConns, opts.MaxConns))
	cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	cfg.HealthCheckPeriod = 10 * time.Second
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(opts.StatementTimeout.Milliseconds(), 10)
	cfg.ConnConfig.RuntimeParams["TimeZone"] = "UTC"
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "kicheck"
	}
	password := cfg.ConnConfig.Password
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail("pg.bad_dsn", scrub(err, password))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, (&DBError{Location: loc, ID: connectProblem(err), Err: scrub(err, password)}).Localize(opts.Lang)
	}
	s := &pgStore{sqlStore: sqlStore{db: stdlib.OpenDBFromPool(pool), pg: true}, pool: pool, loc: loc,
		retryFor: opts.RetryFor}
	if err := s.migrate(context.WithoutCancel(ctx)); err != nil {
		s.Close()
		var de *DBError
		if errors.As(err, &de) {
			return nil, de.Localize(opts.Lang)
		}
		if isPgCode(err, "42501") {
			return nil, fail("pg.migrate_denied", scrub(err, password))
		}
		return nil, fail("pg.migrate_failed", scrub(err, password))
	}
	return s, nil
}

// connectProblem names why a connection failed, as a message id.
func connectProblem(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return "pg.login_refused"
		case "3D000":
			return "pg.no_database"
		case "57P03":
			return "pg.starting"
		}
	}
	return "pg.unreachable"
}

func isPgCode(err error, codes ...string) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	for _, c := range codes {
		if pe.Code == c {
			return true
		}
	}
	return false
}

// retryable: a deadlock or serialisation failure (another writer), or
// the server gone, restarting or unreachable. Trying the batch again
// stores each report once: the SHA-256 is unique, so a report whose
// commit went through before the connection broke is found as stored.
func retryable(err error) bool {
	if isPgCode(err, "40001", "40P01", "57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004") {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return false // the server answered: not a connection problem
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ne) || errors.As(err, &ce) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "unexpected EOF") ||
		strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "broken pipe") ||
		strings.Contains(err.Error(), "connection reset")
}

func (s *pgStore) Kind() string     { return "postgres" }
func (s *pgStore) Location() string { return s.loc }

func (s *pgStore) Close() error {
	err := s.db.Close()
	s.pool.Close()
	return err
}

func (s *pgStore) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var one int
	return s.pool.QueryRow(ctx, `SELECT 1`).Scan(&one)
}

func (s *pgStore) StartRun(ctx context.Context, kind string) (int64, error) {
	var id int64
	if err := s.pool.QueryRow(ctx, `INSERT INTO runs (kind, started, status) VALUES ($1, now(), $2) RETURNING id`,
		kind, store.StatusRunning).Scan(&id); err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return id, nil
}

func (s *pgStore) FinishRun(ctx context.Context, id int64, status string, summary any) error {
	b, err := runSummary(summary)
	if err != nil {
		return fmt.Errorf("finish run %d: encode summary: %w", id, err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE runs SET finished = now(), status = $1, summary = $2 WHERE id = $3`, status, b, id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("finish run %d: %w", id, store.ErrRunNotFound)
	}
	return nil
}

// storeBatch stores the batch in one transaction, and tries it again
// when another writer deadlocked with it or the server was away.
func (s *pgStore) storeBatch(ctx context.Context, in *Intake, cs []checked, now time.Time) error {
	saved := make([]FileResult, len(cs))
	for i := range cs {
		saved[i] = cs[i].result
	}
	deadline := time.Now().Add(s.retryFor)
	for attempt := 1; ; attempt++ {
		err := s.storeTx(ctx, in, cs, now)
		if err == nil {
			return nil
		}
		for i := range cs {
			cs[i].result = saved[i]
		}
		if !retryable(err) || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		wait := time.Duration(min(attempt, 10)) * (50*time.Millisecond + rand.N(100*time.Millisecond))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
	}
}

func (s *pgStore) storeTx(ctx context.Context, in *Intake, cs []checked, now time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store reports: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	delta := counts{}
	inBatch := map[int64]*row{}
	var files, verdicts [][]any
	for i := range cs {
		rw := cs[i].row
		if rw == nil {
			continue
		}
		r, id, err := s.storeOne(ctx, in, tx, delta, rw, now, inBatch)
		if err != nil {
			return fmt.Errorf("store report %s: %w", cs[i].result.Source, err)
		}
		if r.Outcome != Accepted {
			r.Source, r.DeviceID, r.ReportID, r.SHA256 = cs[i].result.Source, rw.DeviceID, rw.ReportID, rw.SHA256
			cs[i].result = r
			continue
		}
		files = append(files, []any{id, rw.Stored, rw.Sig, rw.Encoding})
		for _, v := range rw.Verdicts {
			verdicts = append(verdicts, []any{id, v.UseCase, v.Model, v.Subject, v.Level, v.Predicted, v.Measured, v.ReadyWithRAMGB, v.Calibrated})
		}
	}
	// The bulk rows go in with COPY: one round trip each per batch.
	if len(files) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"collect_report_files"}, []string{"report", "data", "sig", "encoding"}, pgx.CopyFromRows(files)); err != nil {
			return fmt.Errorf("store report files: %w", err)
		}
	}
	if len(verdicts) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"collect_verdicts"}, []string{"report", "use_case", "model", "subject", "level",
			"predicted_tps", "measured_tps", "ready_with_ram_gb", "calibrated"}, pgx.CopyFromRows(verdicts)); err != nil {
			return fmt.Errorf("store verdicts: %w", err)
		}
	}
	// Each connection adds to its own shard of the counters (by its
	// server process id), so concurrent transactions, in this process or
	// another, seldom wait for the same counter row.
	if err := s.writeCounts(ctx, tx, delta, int16(tx.Conn().PgConn().PID()%counterShards)); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store reports: %w", err)
	}
	return nil
}

// writeCounts adds the batch's changes to this store's shard of each
// counter, in key order (so two writers on one shard cannot deadlock),
// in one round trip.
func (s *pgStore) writeCounts(ctx context.Context, tx pgx.Tx, c counts, shard int16) error {
	keys := make([]countKey, 0, len(c))
	for k, v := range c {
		if v.n != 0 || v.total != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.dim != b.dim {
			return a.dim < b.dim
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.val < b.val
	})
	b := &pgx.Batch{}
	for _, k := range keys {
		v := c[k]
		b.Queue(`INSERT INTO collect_fleet_counts (dim, key, val, shard, n, total) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (dim, key, val, shard) DO UPDATE SET n = collect_fleet_counts.n + excluded.n, total = collect_fleet_counts.total + excluded.total`,
			k.dim, k.key, k.val, shard, v.n, v.total)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("update fleet counts: %w", err)
	}
	return nil
}

// storeOne stores one report. The device's row is locked for the rest
// of the transaction (SELECT … FOR UPDATE), so the reports of one device
// are stored one after the other whatever server they reach, and the
// newest-report pointer and the counters stay consistent. The report row
// goes in with ON CONFLICT DO NOTHING: when another server stored the
// same report meanwhile, this one waits for its commit and then finds a
// conflict, and the report is a duplicate.
func (s *pgStore) storeOne(ctx context.Context, in *Intake, tx pgx.Tx, delta counts, rw *row, now time.Time, inBatch map[int64]*row) (FileResult, int64, error) {
	var existing int64
	err := tx.QueryRow(ctx, `SELECT id FROM collect_reports WHERE sha256 = $1 OR report_id = $2`, rw.SHA256, rw.ReportID).Scan(&existing)
	if err == nil {
		return duplicateResult(existing), 0, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return FileResult{}, 0, err
	}
	var key string
	var latest *int64
	var latestCreated *time.Time
	lock := func() error {
		return tx.QueryRow(ctx, `SELECT public_key, latest_report, latest_created FROM collect_devices WHERE device_id = $1 FOR UPDATE`,
			rw.DeviceID).Scan(&key, &latest, &latestCreated)
	}
	err = lock()
	if errors.Is(err, pgx.ErrNoRows) {
		trust, unit, reject, nerr := in.newDevice(rw, func() (n int, err error) {
			// One enrolment per unit at a time, so that two servers
			// cannot both take the unit's last place.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "kicheck-enrol:"+rw.Grant.Unit); err != nil {
				return 0, err
			}
			err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM collect_devices WHERE enrolled_unit = $1`, rw.Grant.Unit).Scan(&n)
			return n, err
		})
		if nerr != nil || reject != nil {
			return deref(reject), 0, nerr
		}
		if _, err := tx.Exec(ctx, `INSERT INTO collect_devices (device_id, public_key, fingerprint, trust, first_seen, enrolled_unit)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (device_id) DO NOTHING`,
			rw.DeviceID, rw.PublicKey, rw.Fingerprint, trust, now, unit); err != nil {
			return FileResult{}, 0, err
		}
		err = lock() // ours, or the one another server enrolled meanwhile
	}
	if err != nil {
		return FileResult{}, 0, err
	}
	if key != rw.PublicKey {
		return conflictResult(rw), 0, nil
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO collect_reports (sha256, report_id, device_id, created, received, source, org_unit, hostname,
		overall, status, app_version, os, cpu_model, threads, ram_bytes, gpu_model, vram_bytes, bandwidth_gbps, quiz_participants, quiz_score_pct)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
		ON CONFLICT DO NOTHING RETURNING id`,
		rw.SHA256, rw.ReportID, rw.DeviceID, rw.Created, now, rw.Source, rw.OrgUnit, rw.Hostname,
		rw.Overall, rw.Status, rw.AppVersion, rw.OS, rw.CPUModel, rw.Threads, rw.RAMBytes, rw.GPUModel, rw.VRAMBytes, rw.Bandwidth,
		rw.QuizPeople, rw.QuizScore).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		// Stored by another server since the check above.
		if err := tx.QueryRow(ctx, `SELECT id FROM collect_reports WHERE sha256 = $1 OR report_id = $2`, rw.SHA256, rw.ReportID).Scan(&existing); err != nil {
			return FileResult{}, 0, err
		}
		return duplicateResult(existing), 0, nil
	}
	if err != nil {
		return FileResult{}, 0, err
	}
	inBatch[id] = rw
	delta.add(countKey{dimReports, "", ""}, 1, 0)
	if latestCreated != nil && rw.Created.Before(*latestCreated) {
		// An older report (sent late): history only.
		if _, err := tx.Exec(ctx, `UPDATE collect_devices SET reports = reports + 1 WHERE device_id = $1`, rw.DeviceID); err != nil {
			return FileResult{}, 0, err
		}
		return FileResult{Outcome: Accepted}, id, nil
	}
	if latest != nil {
		var old *device
		if prev := inBatch[*latest]; prev != nil {
			old = deviceOfRow(prev) // its verdicts are not copied in yet
		} else if old, err = pgStoredDevice(ctx, tx, *latest); err != nil {
			return FileResult{}, 0, fmt.Errorf("read the previous newest report: %w", err)
		}
		contribute(delta, old, -1)
	}
	contribute(delta, deviceOfRow(rw), 1)
	ahead := max(int64(rw.Created.Sub(now.Truncate(time.Second))/time.Second), 0)
	if _, err := tx.Exec(ctx, `UPDATE collect_devices SET reports = reports + 1, latest_report = $1, latest_created = $2, clock_ahead_s = $3 WHERE device_id = $4`,
		id, rw.Created, ahead, rw.DeviceID); err != nil {
		return FileResult{}, 0, err
	}
	return FileResult{Outcome: Accepted}, id, nil
}

// pgStoredDevice reads what the stored report id counts for.
func pgStoredDevice(ctx context.Context, tx pgx.Tx, id int64) (*device, error) {
	d := &device{}
	if err := scanDevice(tx.QueryRow(ctx, `SELECT `+deviceColumns+` FROM collect_reports r WHERE r.id = $1`, id), d); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT `+verdictColumns+` FROM collect_verdicts WHERE report = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return d, scanVerdicts(rows, d)
}

// RebuildCounts recounts under a lock that keeps intakes from committing
// meanwhile (their counter update waits for it), so the count and the
// reports match.
func (s *pgStore) RebuildCounts(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `LOCK TABLE collect_fleet_counts IN EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	c, err := s.recount(ctx, tx)
	if err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM collect_fleet_counts`); err != nil {
		return fmt.Errorf("rebuild fleet counts: %w", err)
	}
	for k, v := range c {
		if v.n == 0 && v.total == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO collect_fleet_counts (dim, key, val, shard, n, total) VALUES ($1, $2, $3, 0, $4, $5)`,
			k.dim, k.key, k.val, v.n, v.total); err != nil {
			return fmt.Errorf("rebuild fleet counts: %w", err)
		}
	}
	return tx.Commit()
}

// DB returns the database/sql handle of a store, for tests and tools
// that read it directly. Queries use the store's dialect (Kind).
func DB(s Store) *sql.DB { return s.sqlBase().db }
