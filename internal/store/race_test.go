package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// raceSchema has several steps, one of them an ALTER TABLE: applied twice,
// it fails with "duplicate column name", as a CREATE TABLE fails with
// "already exists".
var raceSchema = Schema{Component: "race", Migrations: []Migration{
	{Version: 1, SQL: `CREATE TABLE race (id INTEGER PRIMARY KEY, note TEXT)`},
	{Version: 2, SQL: `ALTER TABLE race ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'`},
	{Version: 3, SQL: `CREATE TABLE race2 (id INTEGER PRIMARY KEY); CREATE INDEX race_note ON race(note)`},
}}

// TestConcurrentFirstOpens is the attack of issue 20 (failure 6): several
// processes (here: goroutines, each with its own connections, which SQLite
// locks against each other like processes) open a database that does not
// exist yet at the same moment. Each must succeed and the schema must be
// applied exactly once. Before the check-and-migrate ran under one write
// lock, one of them failed with "table … already exists" or "duplicate
// column name" in most rounds.
func TestConcurrentFirstOpens(t *testing.T) {
	const rounds, openers = 25, 4
	ctx := context.Background()
	for round := range rounds {
		p := filepath.Join(t.TempDir(), fmt.Sprintf("r%d.db", round))
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, openers)
		for i := range openers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				db, err := Open(ctx, p, raceSchema)
				if err == nil {
					err = db.Close()
				}
				errs[i] = err
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, opener %d: %v", round, i, err)
			}
		}
		db, err := Open(ctx, p, raceSchema)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE component = 'race'`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("round %d: %d migration rows of race (%v), want 3", round, n, err)
		}
		db.Close()
	}
}
