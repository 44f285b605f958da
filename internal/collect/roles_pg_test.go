package collect

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/pgtest"
)

// TestPostgresRolesAndBackup runs the SQL of docs/collect.md, Operations
// (deploy/postgres-roles.sql, deploy/postgres-grants.sql) on a fresh
// cluster: the owner role creates the tables, the intake role stores
// reports but can neither change nor delete one, the read role reads the
// overview and writes nothing. Then a pg_dump of the database restored
// into another gives the same overview.
func TestPostgresRolesAndBackup(t *testing.T) {
	c := pgtest.Start(t, pgtest.Options{})
	ctx := context.Background()
	if out, err := c.SQLFile("postgres", filepath.Join("..", "..", "deploy", "postgres-roles.sql")); err != nil {
		t.Fatal(out, err)
	}
	if _, err := c.SQL("postgres", `ALTER ROLE kicheck_owner PASSWORD 'owner-pw'; ALTER ROLE kicheck_intake PASSWORD 'intake-pw'; ALTER ROLE kicheck_read PASSWORD 'read-pw'`); err != nil {
		t.Fatal(err)
	}
	dsn := func(role string) string {
		return "postgres://" + role + "@" + c.Host + ":" + strconv.Itoa(c.Port) + "/kicheck?sslmode=disable"
	}
	open := func(role, pw string) (Store, error) {
		return OpenPostgres(ctx, dsn(role), PostgresOptions{Password: pw, Lang: "en"})
	}
	// Before the owner has created the tables, the intake role cannot.
	if _, err := open("kicheck_intake", "intake-pw"); err == nil || !strings.Contains(err.(*DBError).ID, "migrate_denied") {
		t.Fatalf("intake role on an empty database: %v", err)
	}
	owner, err := open("kicheck_owner", "owner-pw")
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()
	if out, err := c.SQLFile("kicheck", filepath.Join("..", "..", "deploy", "postgres-grants.sql")); err != nil {
		t.Fatal(out, err)
	}

	intake, err := open("kicheck_intake", "intake-pw")
	if err != nil {
		t.Fatal(err)
	}
	defer intake.Close()
	items := signedCorpus(t, 8)
	sum, err := Collect(ctx, intake, Trust{Enroll: true}, nil, Options{})
	if err != nil || sum.Accepted != 0 {
		t.Fatalf("an empty collect run through the intake role: %v %+v", err, sum)
	}
	if sum := runItems(t, NewIntake(intake, Trust{Enroll: true}), items...); sum.Accepted != 8 {
		t.Fatalf("intake role: %s %+v", sum.Line("en"), sum.Files)
	}
	for _, q := range []string{`DELETE FROM collect_reports`, `UPDATE collect_reports SET overall = 'ready'`, `DELETE FROM collect_verdicts`,
		`UPDATE collect_report_files SET data = ''`, `TRUNCATE collect_fleet_counts`, `DROP TABLE collect_verdicts`} {
		if _, err := DB(intake).Exec(q); err == nil || !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "must be owner") {
			t.Errorf("intake role: %s: %v", q, err)
		}
	}

	read, err := open("kicheck_read", "read-pw")
	if err != nil {
		t.Fatal(err)
	}
	defer read.Close()
	f, err := ComputeFleet(ctx, read, FleetOptions{})
	if err != nil || f.Devices != 2 || f.Reports != 8 {
		t.Fatalf("read role: %v %+v", err, f)
	}
	if rows, err := read.DeviceTable(ctx); err != nil || len(rows) != 2 {
		t.Fatalf("read role, device table: %v %d", err, len(rows))
	}
	for _, q := range []string{`INSERT INTO collect_fleet_counts (dim, key, val, n) VALUES ('x', '', '', 1)`, `UPDATE collect_devices SET trust = 'x'`} {
		if _, err := DB(read).Exec(q); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("read role: %s: %v", q, err)
		}
	}

	// Backup with pg_dump, restored into a new database.
	dump := filepath.Join(t.TempDir(), "kicheck.dump")
	env := append(os.Environ(), "PGPASSWORD="+pgtest.Password)
	pg := func(tool string, args ...string) {
		t.Helper()
		cmd := exec.Command(c.Tool(tool), append([]string{"-h", c.Host, "-p", strconv.Itoa(c.Port), "-U", pgtest.User}, args...)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", tool, err, out)
		}
	}
	pg("pg_dump", "-Fc", "-d", "kicheck", "-f", dump)
	if _, err := c.SQL("postgres", `CREATE DATABASE restored OWNER kicheck_owner`); err != nil {
		t.Fatal(err)
	}
	pg("pg_restore", "-d", "restored", dump)
	restored, err := OpenPostgres(ctx, strings.Replace(dsn("kicheck_read"), "/kicheck?", "/restored?", 1), PostgresOptions{Password: "read-pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	g, err := ComputeFleet(ctx, restored, FleetOptions{Now: f.GeneratedAt})
	if err != nil || g.Devices != f.Devices || g.Reports != f.Reports || g.Overall != f.Overall {
		t.Fatalf("restored: %v %+v", err, g)
	}
}
