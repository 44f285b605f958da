package collect

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ki-reise/kicheck/internal/store"
)

// TestMigrationToVersion2 upgrades a central database written by version
// 1 (memory needs per verdict) to version 2 (the fit's upgrade figure):
// nothing stored is lost, and the upgrade counter is recounted so that it
// matches a count from scratch.
func TestMigrationToVersion2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "central.db")
	v1 := store.Schema{Component: Schema.Component, Migrations: Schema.Migrations[:1]}
	db, err := store.Open(ctx, path, v1)
	if err != nil {
		t.Fatal(err)
	}
	// Two devices as version 1 stored them: one ready, one with a verdict
	// below ready and a memory need.
	for _, stmt := range []string{
		`INSERT INTO collect_devices VALUES ('kc-a', 'ssh-ed25519 A', 'SHA256:a', 'enrolled', '2026-11-01T08:00:00Z', 1, '2026-11-01T08:00:00Z', 1)`,
		`INSERT INTO collect_devices VALUES ('kc-b', 'ssh-ed25519 B', 'SHA256:b', 'enrolled', '2026-11-01T08:00:00Z', 2, '2026-11-01T08:00:00Z', 1)`,
		`INSERT INTO collect_reports (id, sha256, report_id, device_id, created, received, source, overall, status, ram_bytes)
			VALUES (1, 'h1', 'r1', 'kc-a', '2026-11-01T08:00:00Z', '2026-11-02T08:00:00Z', 'a.json', 'ready', 'complete', 17179869184)`,
		`INSERT INTO collect_reports (id, sha256, report_id, device_id, created, received, source, overall, status, ram_bytes)
			VALUES (2, 'h2', 'r2', 'kc-b', '2026-11-01T08:00:00Z', '2026-11-02T08:00:00Z', 'b.json', 'limited', 'complete', 8589934592)`,
		`INSERT INTO collect_report_files VALUES (1, 'signed bytes a', 'sig a'), (2, 'signed bytes b', 'sig b')`,
		`INSERT INTO collect_verdicts VALUES (1, 'briefe', 'qwen', 'Briefe (Qwen)', 'ready', 12, 11, 5000000000)`,
		`INSERT INTO collect_verdicts VALUES (2, 'briefe', 'qwen', 'Briefe (Qwen)', 'limited', 5, 4, 5000000000)`,
		`INSERT INTO collect_fleet_counts VALUES ('upgrade', '', '0', 1, 0), ('upgrade', '', '16', 1, 0), ('reports', '', '', 2, 0)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()

	db, err = store.Open(ctx, path, Schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var files, verdicts int
	var data string
	if err := db.QueryRow(`SELECT COUNT(*), (SELECT COUNT(*) FROM collect_verdicts), (SELECT data FROM collect_report_files WHERE report = 2) FROM collect_report_files`).Scan(&files, &verdicts, &data); err != nil {
		t.Fatal(err)
	}
	if files != 2 || verdicts != 2 || data != "signed bytes b" {
		t.Fatalf("after the migration: %d files, %d verdicts, data %q", files, verdicts, data)
	}
	f, err := ComputeFleet(ctx, SQLite(db), FleetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Device b's verdict has no upgrade figure now: it cannot be judged.
	if f.Upgrade.WithoutFitData != 1 || len(f.Upgrade.Options) != 0 {
		t.Fatalf("upgrade after the migration: %+v", f.Upgrade)
	}
	// The test wrote only some of version 1's counters; the upgrade
	// counters must equal a count from scratch.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	base := SQLite(db).sqlBase()
	kept, err := base.readCounts(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := base.recount(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range want {
		if k.dim == dimUpgrade && kept[k] != w {
			t.Errorf("%v: %+v after the migration, counted %+v", k, kept[k], w)
		}
	}
	for k, v := range kept {
		if k.dim == dimUpgrade && want[k] != v {
			t.Errorf("%v: %+v after the migration, counted %+v", k, v, want[k])
		}
	}
}
