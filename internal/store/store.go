package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// FileName is the name of the database file in the data dir.
const FileName = "kicheck.db"

// sqliteHeader starts every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Migration is one step of a component's schema.
type Migration struct {
	Version int    // 1, 2, 3, … without gaps
	SQL     string // statements run in one transaction
}

// Schema is the list of migrations a component owns.
type Schema struct {
	Component  string
	Migrations []Migration
}

// latest returns the highest version the schema knows.
func (s Schema) latest() int {
	if len(s.Migrations) == 0 {
		return 0
	}
	return s.Migrations[len(s.Migrations)-1].Version
}

// DB is an open KI-Check database.
type DB struct {
	*sql.DB
	path string
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Error is a store failure that a person can act on.
type Error struct {
	Path string
	Err  error
	hint string
}

func (e *Error) Error() string { return fmt.Sprintf("database %s: %v", e.Path, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Hint says what the user can do about it.
func (e *Error) Hint() string { return e.hint }

// Sentinel causes, for errors.Is.
var (
	ErrNotSQLite    = errors.New("file is not an SQLite database")
	ErrCorrupt      = errors.New("database file is damaged")
	ErrNewerSchema  = errors.New("database was written by a newer KI-Check")
	ErrNotWritable  = errors.New("data folder is not writable")
	ErrInstanceHeld = errors.New("KI-Check is already running")
	// ErrDiskFull is a write that failed for lack of space (or an I/O
	// error of the drive, which SQLite reports for a full disk too).
	ErrDiskFull = errors.New("the drive is full or cannot be written")
	// ErrReadOnlyFile is the database file or one of its sidecars
	// (-wal, -shm) that cannot be written; Error.Path names it.
	ErrReadOnlyFile = errors.New("file is read-only")
)

// Open opens (or creates) the database at path and applies the migrations of
// CoreSchema and the given schemas. It never overwrites a file that is not a
// KI-Check database.
func Open(ctx context.Context, path string, schemas ...Schema) (*DB, error) {
	if err := checkFile(path); err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrNotWritable, err),
			hint: "choose another data folder (--data-dir or Einstellungen) or ask IT for write access to " + dir}
	}
	if err := checkWritable(dir); err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrNotWritable, err),
			hint: "choose another data folder (--data-dir or Einstellungen) or ask IT for write access to " + dir}
	}
	if err := checkReadOnly(path); err != nil {
		return nil, err
	}
	// First opens of one file are serialised by an OS lock beside it:
	// switching a new file to WAL needs it to itself, and SQLite answers
	// "database is locked" at once instead of waiting when two connections
	// try that together. The lock is held until the schema is current and
	// released by the OS if the process dies. The file stays (removing it
	// would let a waiting process lock a file nobody else sees).
	lk := flock.New(path + ".lock")
	if ok, err := lk.TryLockContext(ctx, 20*time.Millisecond); err != nil || !ok {
		if ctx.Err() != nil {
			return nil, &Error{Path: path, Err: ctx.Err()}
		}
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: lock %s: %v", ErrNotWritable, path+".lock", err),
			hint: "choose another data folder (--data-dir or Einstellungen) or ask IT for write access to " + dir}
	}
	defer lk.Unlock()
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	sqlDB, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	db := &DB{DB: sqlDB, path: path}
	all := append([]Schema{CoreSchema}, schemas...)
	// A migration once begun is finished even when ctx is cancelled (a
	// signal during the first start): it takes milliseconds, and an
	// interrupted one left the connection and its WAL file behind.
	if err := db.migrate(context.WithoutCancel(ctx), all); err != nil {
		sqlDB.Close()
		return nil, classify(path, err)
	}
	return db, nil
}

// checkFile refuses an existing file that does not start like SQLite.
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrPermission) {
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrNotWritable, err),
			hint: "ask IT for access to the file, or choose another data folder"}
	}
	if err != nil {
		return nil // absent (or its folder is): creating it decides
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // empty file: SQLite initialises it
	}
	if !bytes.Equal(head[:n], sqliteHeader) {
		return &Error{Path: path, Err: ErrNotSQLite,
			hint: "move the file away or choose another data folder; KI-Check does not overwrite it"}
	}
	return nil
}

// checkReadOnly refuses a database file that cannot be written and
// repairs or explains read-only sidecars. SQLite opens a read-only file
// read-only without a word, and then makes its -shm and -wal files with
// the same read-only mode; after the file is writable again, those left
// behind make every later write fail with "attempt to write a readonly
// database", naming no file. KI-Check always writes (runs, migrations),
// so it does not open the file read-only at all; a read-only sidecar of
// its own user (left by an earlier version) is made writable again, which
// changes none of its content and is safe while others use it.
func checkReadOnly(path string) error {
	if err := openWritable(path); err != nil {
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrReadOnlyFile, err),
			hint: "make the file writable (Windows: Properties, untick Read-only; Linux/macOS: chmod u+w " + path +
				") or ask IT for write access, then start again"}
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		fi, err := os.Stat(side)
		if err != nil {
			continue // absent: SQLite makes it
		}
		if openWritable(side) == nil {
			continue
		}
		if fi.Mode().IsRegular() {
			_ = os.Chmod(side, fi.Mode().Perm()|0o600)
		}
		err = openWritable(side)
		if err == nil {
			continue
		}
		hint := "close KI-Check everywhere, then delete " + side +
			" (it holds no data; SQLite makes it again) or ask IT to make it writable"
		if strings.HasSuffix(side, "-wal") {
			hint = "ask IT to make " + side + " writable for you; do not delete it: it may hold data not yet in the database"
		}
		return &Error{Path: side, Err: fmt.Errorf("%w: %v (left by an earlier run with a read-only database)", ErrReadOnlyFile, err),
			hint: hint}
	}
	return nil
}

// openWritable reports whether an existing file may be opened for
// writing; other failures (absent, a folder) are left to SQLite.
func openWritable(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil && !errors.Is(err, fs.ErrPermission) {
		return nil
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return pe.Err // the path is in the store Error already
		}
		return err
	}
	return f.Close()
}

func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// classify turns driver errors about damaged files into a store Error.
func classify(path string, err error) error {
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	var sqErr *sqlite.Error
	if !errors.As(err, &sqErr) {
		return &Error{Path: path, Err: err}
	}
	switch sqErr.Code() & 0xff { // primary result code
	case sqlite3.SQLITE_CORRUPT:
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrCorrupt, err),
			hint: "restore the file from a backup or move it away to start with an empty database; KI-Check does not overwrite it"}
	case sqlite3.SQLITE_NOTADB:
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrNotSQLite, err),
			hint: "move the file away or choose another data folder; KI-Check does not overwrite it"}
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrDiskFull, err), hint: diskFullHint(filepath.Dir(path))}
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrNotWritable, err),
			hint: "choose another data folder (--data-dir or Einstellungen) or ask IT for write access"}
	}
	return &Error{Path: path, Err: err}
}

// migrate brings every schema up to date. Several processes may open a new
// database at the same moment (two kicheck runs on a fresh data folder, two
// collect runs on a new --db): each step's check ("is it applied yet?") and
// its migration happen in one write transaction (BEGIN IMMEDIATE, set by
// _txlock), so the second process waits for the first and then finds the
// step done instead of applying it twice.
// Explain turns an error of a query on db into a store Error that names
// the file and says what to do (a full drive, a damaged file); errors that
// are not the database's are returned as they are.
func (db *DB) Explain(err error) error {
	var sqErr *sqlite.Error
	if err == nil || !errors.As(err, &sqErr) {
		return err
	}
	return classify(db.path, err)
}

// IsDiskFull reports whether err is a write that failed for lack of space:
// the operating system's "no space left" or SQLite's full or I/O error.
func IsDiskFull(err error) bool {
	return errors.Is(err, ErrDiskFull) || isNoSpace(err)
}

func diskFullHint(dir string) string {
	return "free space on the drive of " + dir + " (or choose another data folder with --data-dir or in Einstellungen); if the drive is not full, ask IT to check it"
}

func (db *DB) migrate(ctx context.Context, schemas []Schema) error {
	// In a write transaction taken at its start: a plain statement that
	// reads first and then wants to write can fail at once with "database
	// is locked" when another process wrote in between.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT NOT NULL,
		version INTEGER NOT NULL,
		applied TEXT NOT NULL,
		PRIMARY KEY (component, version))`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	for _, s := range schemas {
		if err := db.migrateOne(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) migrateOne(ctx context.Context, s Schema) error {
	for i, m := range s.Migrations {
		if m.Version != i+1 {
			return fmt.Errorf("schema %s: migration %d has version %d, want %d", s.Component, i, m.Version, i+1)
		}
	}
	current, err := version(ctx, db.DB, s.Component)
	if err != nil {
		return err
	}
	if err := db.checkNotNewer(s, current); err != nil {
		return err
	}
	for _, m := range s.Migrations[current:] {
		if err := db.apply(ctx, s, m); err != nil {
			return err
		}
	}
	return nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func version(ctx context.Context, q querier, component string) (int, error) {
	var current int
	err := q.QueryRowContext(ctx,
		`SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?`, component).Scan(&current)
	if err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", component, err)
	}
	return current, nil
}

func (db *DB) checkNotNewer(s Schema, current int) error {
	if current > s.latest() {
		return &Error{Path: db.path,
			Err: fmt.Errorf("%w: part %q is at version %d, this KI-Check knows up to %d",
				ErrNewerSchema, s.Component, current, s.latest()),
			hint: "update KI-Check to the newest version; the database was left unchanged"}
	}
	return nil
}

// apply runs one migration unless another process applied it meanwhile:
// the version is read again inside the write transaction.
func (db *DB) apply(ctx context.Context, s Schema, m Migration) error {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock first
	if err != nil {
		return fmt.Errorf("migrate %s to %d: %w", s.Component, m.Version, err)
	}
	defer tx.Rollback()
	current, err := version(ctx, tx, s.Component)
	if err != nil {
		return err
	}
	if current >= m.Version {
		return db.checkNotNewer(s, current) // done by another process
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migrate %s to %d: %w", s.Component, m.Version, err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO schema_migrations (component, version, applied) VALUES (?, ?, ?)`,
		s.Component, m.Version, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("record migration %s %d: %w", s.Component, m.Version, err)
	}
	return tx.Commit()
}

// Versions returns the applied schema version per component.
func (db *DB) Versions(ctx context.Context) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT component, MAX(version) FROM schema_migrations GROUP BY component`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
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
