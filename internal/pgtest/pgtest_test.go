package pgtest

import (
	"os"
	"strings"
	"testing"
)

// TestClusterStartsStopsAndComesBack: a private cluster answers with
// password login, as an unprivileged user when the tests run as root,
// stops, starts again on the same port with its data, and is removed
// at the end.
func TestClusterStartsStopsAndComesBack(t *testing.T) {
	c := Start(t, Options{})
	if out, err := c.SQL("postgres", "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(out, err)
	}
	user, err := c.SQL("postgres", "SELECT usename FROM pg_stat_activity WHERE backend_type = 'checkpointer' UNION ALL SELECT current_user")
	if err != nil || !strings.Contains(user, User) {
		t.Fatalf("%q %v", user, err)
	}
	if os.Geteuid() == 0 && c.runAs == "" {
		t.Error("as root the server must run as an unprivileged user")
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SQL("postgres", "SELECT 1"); err == nil {
		t.Fatal("answers after Stop")
	}
	if err := c.Restart(); err != nil {
		t.Fatal(err)
	}
	if v, err := c.SQL("postgres", "SELECT v FROM kept"); err != nil || v != "42" {
		t.Fatalf("after the restart: %q %v", v, err)
	}
	if !strings.HasPrefix(c.DSN("x"), "postgres://"+User+"@127.0.0.1:") || strings.Contains(c.DSN("x"), Password) {
		t.Errorf("DSN %q", c.DSN("x"))
	}
	dir := c.Dir
	c.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s left behind: %v", dir, err)
	}
}
