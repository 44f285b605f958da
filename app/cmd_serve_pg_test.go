package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/collect"
	"github.com/ki-reise/kicheck/internal/pgtest"
)

// TestServeCollectFleetOnPostgres runs the real kicheck serve as its own
// process on a PostgreSQL database (password from --db-password-file),
// uploads a real headless check to it, asks /healthz, collects the same
// report again with kicheck collect (password from PGPASSWORD: a
// duplicate) and reads the overview with kicheck fleet. The password is
// in no command line, no output and no log.
func TestServeCollectFleetOnPostgres(t *testing.T) {
	cluster := pgtest.Start(t, pgtest.Options{})
	dsn := cluster.NewDatabase(t)
	const token = "bauamt-0123456789abcdef0123456789abcdef"
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte(token+" Bauamt\n"), 0o600)
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(token+"\n"), 0o600)
	pwFile := filepath.Join(dir, "pgpass")
	os.WriteFile(pwFile, []byte(pgtest.Password+"\n"), 0o600)

	cmd := exec.Command(os.Args[0], "--data-dir", t.TempDir(), "--lang", "en", "serve", "--db", dsn, "--db-password-file", pwFile,
		"--db-max-conns", "4", "--db-statement-timeout", "10s", "--enroll", "--token-file", tokens, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "KICHECK_TEST_RUN_MAIN=1")
	out, errb := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	dbLine := "database: " + dsn + " (postgres)"
	deadline := time.Now().Add(time.Minute)
	// Both start lines: serve prints the address before the database line,
	// so waiting for the address alone raced with the second line.
	for (addr.FindString(out.String()) == "" || !strings.Contains(out.String(), dbLine)) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // polls for the announcement; the deadline bounds it
	}
	url := addr.FindString(out.String())
	if url == "" {
		t.Fatalf("serve did not start: %s %s", out.String(), errb.String())
	}
	if !strings.Contains(out.String(), dbLine) {
		t.Errorf("start lines: %s", out.String())
	}
	if cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/cmdline"); err == nil && strings.Contains(string(cmdline), pgtest.Password) {
		t.Error("the password is in the process list")
	}

	resp, err := http.Get(url + collect.HealthzPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		t.Fatalf("/healthz: %d %q", resp.StatusCode, body)
	}

	share := t.TempDir()
	stdout, stderr, _ := kicheck(t, "--data-dir", t.TempDir(), "check", "--headless", "--out", share, "--json", "--upload", strings.TrimSuffix(url, "/"), "--upload-token-file", tokenFile)
	var res checkJSON
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v: %s %s", err, stdout, stderr)
	}
	if res.Upload == nil || res.Upload.Status != "accepted" {
		t.Fatalf("upload: %+v (stderr %s; server %s)", res.Upload, stderr, errb.String())
	}

	t.Setenv("PGPASSWORD", pgtest.Password)
	stdout, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "collect", "--db", dsn, "--enroll", share)
	if code != 0 || !strings.Contains(stdout, "0 accepted, 1 duplicate, 0 rejected") {
		t.Fatalf("collect: %d %s %s", code, stdout, stderr)
	}
	stdout, stderr, code = kicheck(t, "--data-dir", t.TempDir(), "fleet", "--db", dsn, "--json", "--recount")
	var f collect.Fleet
	if err := json.Unmarshal([]byte(stdout), &f); err != nil || code != 0 || f.Devices != 1 || f.Reports != 1 || f.OrgUnits[0].Name != "Bauamt" {
		t.Fatalf("fleet: %d %v %+v %s", code, err, f, stderr)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v: %s", err, errb.String())
	}
	for _, s := range []string{out.String(), errb.String()} {
		if strings.Contains(s, pgtest.Password) {
			t.Errorf("the password is in the output: %s", s)
		}
	}
}

// TestCentralDBFlags: a password in --db is refused before anything
// connects, with the hint where to put it, and without echoing it.
func TestCentralDBFlags(t *testing.T) {
	_, stderr, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "fleet", "--db", "postgres://kicheck:Geheim123@127.0.0.1:1/x")
	if code != exitFailure || strings.Contains(stderr, "Geheim123") || !strings.Contains(stderr, "carries a password") || !strings.Contains(stderr, "hint: remove the password") {
		t.Errorf("password in the URL: %d %s", code, stderr)
	}
	_, stderr, code = kicheck(t, "--data-dir", t.TempDir(), "fleet", "--db", "postgres://kicheck@127.0.0.1:1/x", "--db-max-conns", "0")
	if code != exitUsage {
		t.Errorf("--db-max-conns 0: %d %s", code, stderr)
	}
}
