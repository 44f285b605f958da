package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var testSchema = Schema{Component: "demo", Migrations: []Migration{
	{Version: 1, SQL: `CREATE TABLE demo (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id), note TEXT)`},
}}

var testSchemaV2 = Schema{Component: "demo", Migrations: append(append([]Migration{}, testSchema.Migrations...),
	Migration{Version: 2, SQL: `ALTER TABLE demo ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'`})}

func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), FileName) }

func TestOpenFreshAppliesAllMigrations(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, dbPath(t), testSchemaV2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := db.Versions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v["core"] != 1 || v["demo"] != 2 {
		t.Fatalf("versions = %v, want core 1, demo 2", v)
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d (%v), want 1", fk, err)
	}
	// Foreign keys are enforced: a demo row must point at a real run.
	if _, err := db.Exec(`INSERT INTO demo (run_id, note) VALUES (999, 'x')`); err == nil {
		t.Fatal("insert with a dangling run_id succeeded; foreign keys are not enforced")
	}
}

func TestUpgradeKeepsData(t *testing.T) {
	ctx := context.Background()
	p := dbPath(t)
	db, err := Open(ctx, p, testSchema)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.StartRun(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO demo (run_id, note) VALUES (?, 'kept')`, id); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(ctx, p, testSchemaV2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var note, extra string
	if err := db.QueryRow(`SELECT note, extra FROM demo`).Scan(&note, &extra); err != nil {
		t.Fatal(err)
	}
	if note != "kept" || extra != "x" {
		t.Fatalf("after upgrade note=%q extra=%q, want kept/x", note, extra)
	}
	v, _ := db.Versions(ctx)
	if v["demo"] != 2 {
		t.Fatalf("demo version = %d, want 2", v["demo"])
	}
}

func TestRefuseNewerSchemaLeavesFileUnchanged(t *testing.T) {
	ctx := context.Background()
	p := dbPath(t)
	db, err := Open(ctx, p, testSchemaV2)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileBytes(t, p)

	_, err = Open(ctx, p, testSchema) // an older binary
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	var se *Error
	if !errors.As(err, &se) || se.Path != p || !strings.Contains(se.Hint(), "update KI-Check") {
		t.Fatalf("error %v does not name the file and give the update hint", err)
	}
	if !strings.Contains(err.Error(), `"demo" is at version 2`) {
		t.Fatalf("error %q does not say which part is newer", err)
	}
	if string(fileBytes(t, p)) != string(before) {
		t.Fatal("the database file was changed by an older binary")
	}
}

func TestNotSQLiteIsRefusedAndKept(t *testing.T) {
	p := dbPath(t)
	content := []byte("Liebe Kolleginnen,\nthis is a letter, not a database.\n")
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), p)
	if !errors.Is(err, ErrNotSQLite) {
		t.Fatalf("err = %v, want ErrNotSQLite", err)
	}
	if !strings.Contains(err.Error(), p) {
		t.Fatalf("error %q does not name the file", err)
	}
	if string(fileBytes(t, p)) != string(content) {
		t.Fatal("the file was overwritten")
	}
}

func TestCorruptDatabaseIsReported(t *testing.T) {
	ctx := context.Background()
	p := dbPath(t)
	db, err := Open(ctx, p, testSchema)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if _, err := db.StartRun(ctx, strings.Repeat("k", 200)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Keep the header (so it still looks like SQLite) but overwrite the
	// page that holds the schema's b-tree pages with garbage.
	b := fileBytes(t, p)
	for i := 100; i < len(b) && i < 100+4096*3; i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, p, testSchema)
	if err == nil {
		t.Fatal("opening a damaged database succeeded")
	}
	if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotSQLite) {
		t.Fatalf("err = %v, want ErrCorrupt or ErrNotSQLite", err)
	}
	var se *Error
	if !errors.As(err, &se) || se.Hint() == "" || !strings.Contains(err.Error(), p) {
		t.Fatalf("error %v lacks the file name or a hint", err)
	}
	if string(fileBytes(t, p)) != string(b) {
		t.Fatal("the damaged file was changed")
	}
}

func TestNotWritableDataDir(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		// root ignores directory permissions; prove it with a path under a file instead.
		dir := t.TempDir()
		blocker := filepath.Join(dir, "file")
		if err := os.WriteFile(blocker, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Open(context.Background(), filepath.Join(blocker, "sub", FileName))
		if !errors.Is(err, ErrNotWritable) {
			t.Fatalf("err = %v, want ErrNotWritable", err)
		}
		return
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	_, err := Open(context.Background(), filepath.Join(dir, FileName))
	if !errors.Is(err, ErrNotWritable) {
		t.Fatalf("err = %v, want ErrNotWritable", err)
	}
}

func TestMigrationVersionsMustBeContiguous(t *testing.T) {
	bad := Schema{Component: "gap", Migrations: []Migration{{Version: 1, SQL: "SELECT 1"}, {Version: 3, SQL: "SELECT 1"}}}
	_, err := Open(context.Background(), dbPath(t), bad)
	if err == nil || !strings.Contains(err.Error(), "want 2") {
		t.Fatalf("err = %v, want a complaint about the gap", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	p := dbPath(t)
	broken := Schema{Component: "demo", Migrations: append(append([]Migration{}, testSchema.Migrations...),
		Migration{Version: 2, SQL: `ALTER TABLE demo ADD COLUMN a TEXT; THIS IS NOT SQL`})}
	if db, err := Open(ctx, p, testSchema); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	if _, err := Open(ctx, p, broken); err == nil {
		t.Fatal("broken migration succeeded")
	}
	db, err := Open(ctx, p, testSchema)
	if err != nil {
		t.Fatalf("database unusable after a failed migration: %v", err)
	}
	defer db.Close()
	v, _ := db.Versions(ctx)
	if v["demo"] != 1 {
		t.Fatalf("demo version = %d after failed migration, want 1", v["demo"])
	}
	if _, err := db.Exec(`SELECT a FROM demo`); err == nil {
		t.Fatal("column of the failed migration exists; it was not rolled back")
	}
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, dbPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, err := db.StartRun(ctx, "check")
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.GetRun(ctx, id)
	if err != nil || r.Status != StatusRunning || !r.Finished.IsZero() {
		t.Fatalf("run = %+v, %v; want running", r, err)
	}
	if err := db.FinishRun(ctx, id, StatusCancelled, map[string]int{"measured": 3}); err != nil {
		t.Fatal(err)
	}
	r, err = db.GetRun(ctx, id)
	if err != nil || r.Status != StatusCancelled || r.Finished.IsZero() || string(r.Summary) != `{"measured":3}` {
		t.Fatalf("run = %+v (summary %s), %v", r, r.Summary, err)
	}
	if _, err := db.GetRun(ctx, id+100); !errors.Is(err, ErrRunNotFound) {
		t.Fatalf("err = %v, want ErrRunNotFound", err)
	}
	if err := db.FinishRun(ctx, id+100, StatusDone, nil); !errors.Is(err, ErrRunNotFound) {
		t.Fatalf("err = %v, want ErrRunNotFound", err)
	}
	other, _ := db.StartRun(ctx, "bench")
	list, err := db.ListRuns(ctx, "check", 10)
	if err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("ListRuns(check) = %+v, %v", list, err)
	}
	all, _ := db.ListRuns(ctx, "", 10)
	if len(all) != 2 || all[0].ID != other {
		t.Fatalf("ListRuns(all) = %+v, want newest (%d) first", all, other)
	}
}

func TestConcurrentWritersWait(t *testing.T) {
	// Two connections (the GUI and a CLI run) write at once; the busy
	// timeout makes the second wait instead of failing.
	ctx := context.Background()
	p := dbPath(t)
	a, err := Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	errs := make(chan error, 2)
	for _, db := range []*DB{a, b} {
		go func(db *DB) {
			for i := 0; i < 50; i++ {
				if _, err := db.StartRun(ctx, "x"); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}(db)
	}
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var n int
	a.QueryRow(`SELECT COUNT(*) FROM runs`).Scan(&n)
	if n != 100 {
		t.Fatalf("runs = %d, want 100", n)
	}
}

func fileBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
