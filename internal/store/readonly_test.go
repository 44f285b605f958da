//go:build unix

package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// unprivileged is the uid/gid the read-only tests run as when the test
// runs as root (CI does): root writes to read-only files, so the trap
// only exists for normal users.
const unprivileged = 65534

// asUser runs the named test in a child process as an unprivileged user
// when this one is root, with dir (made theirs) in KICHECK_TEST_DIR, and
// reports whether it did. The child runs the test's body in process.
func asUser(t *testing.T, name string) (dir string, delegated bool) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("file modes: Unix only")
	}
	if d := os.Getenv("KICHECK_TEST_DIR"); d != "" {
		return d, false
	}
	dir = t.TempDir()
	if os.Geteuid() != 0 {
		return dir, false
	}
	// The test binary must be reachable for the other user.
	top := t.TempDir()
	for _, d := range []string{top, filepath.Dir(top)} { // t.TempDir's parent is 0700
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(top, "store.test")
	copyFile(t, os.Args[0], bin, 0o755)
	dir = filepath.Join(top, "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, unprivileged, unprivileged); err != nil {
		t.Fatal(err)
	}
	return dir, true
}

func runChild(t *testing.T, name, dir string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(filepath.Dir(dir), "store.test"), "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	cmd.Dir = filepath.Dir(dir)
	cmd.Env = append(os.Environ(), "KICHECK_TEST_DIR="+dir, "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: unprivileged, Gid: unprivileged}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("as uid %d: %v\n%s", unprivileged, err, out)
	}
	t.Logf("ran as uid %d:\n%s", unprivileged, out)
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyTrap is issue 20's failure 10. A run with a read-only
// kicheck.db used to open it read-only and leave read-only -shm/-wal
// files; once the database was writable again, every run failed with
// "attempt to write a readonly database (8)", naming no file. Now a
// read-only database is refused with its name and a hint, and read-only
// sidecars left by an earlier version are made writable again.
func TestReadOnlyTrap(t *testing.T) {
	dir, delegated := asUser(t, "TestReadOnlyTrap")
	if delegated {
		runChild(t, "TestReadOnlyTrap", dir)
		return
	}
	ctx := context.Background()
	p := filepath.Join(dir, FileName)
	db, err := Open(ctx, p, testSchema)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// 1. The database file is read-only: refused, naming it, with a hint,
	// and no read-only sidecar is left behind.
	if err := os.Chmod(p, 0o444); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, p, testSchema)
	var se *Error
	if !errors.Is(err, ErrReadOnlyFile) || !errors.As(err, &se) || se.Path != p || !strings.Contains(se.Hint(), "writable") {
		t.Fatalf("open of a read-only database: err = %v, want ErrReadOnlyFile naming %s with a hint", err, p)
	}
	for _, side := range []string{p + "-shm", p + "-wal"} {
		if fi, err := os.Stat(side); err == nil && fi.Mode().Perm()&0o200 == 0 {
			t.Fatalf("%s left read-only (%v)", side, fi.Mode())
		}
	}

	// 2. What an earlier KI-Check did: SQLite opened the read-only file and
	// made read-only sidecars.
	raw, err := sql.Open("sqlite", "file:"+p+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if fi, err := os.Stat(p + "-shm"); err != nil || fi.Mode().Perm()&0o200 != 0 {
		t.Fatalf("the old trap was not set up: -shm %v, %v", fi, err)
	}
	// 3. The database is writable again: the next run works.
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, p, testSchema)
	if err != nil {
		t.Fatalf("open after the database is writable again: %v", err)
	}
	defer db.Close()
	if _, err := db.StartRun(ctx, "check"); err != nil {
		t.Fatalf("write after the database is writable again: %v", err)
	}
}

// TestReadOnlySidecarOfAnotherUser: a read-only -shm KI-Check may not
// change (another user's) is explained, naming the file and what to do.
func TestReadOnlySidecarOfAnotherUser(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes: Unix only")
	}
	if os.Getenv("KICHECK_TEST_DIR") == "" && os.Geteuid() != 0 {
		t.Skip("needs root to leave a file of another user")
	}
	dir, delegated := asUser(t, "TestReadOnlySidecarOfAnotherUser")
	p := filepath.Join(dir, FileName)
	if delegated {
		// As root: a database of the user, with a root-owned read-only -shm.
		db, err := Open(context.Background(), p, testSchema)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		for _, f := range []string{p, p + ".lock"} {
			if err := os.Chown(f, unprivileged, unprivileged); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(p+"-shm", make([]byte, 32768), 0o444); err != nil {
			t.Fatal(err)
		}
		runChild(t, "TestReadOnlySidecarOfAnotherUser", dir)
		return
	}
	_, err := Open(context.Background(), p, testSchema)
	var se *Error
	if !errors.Is(err, ErrReadOnlyFile) || !errors.As(err, &se) || se.Path != p+"-shm" ||
		!strings.Contains(se.Hint(), "delete "+p+"-shm") {
		t.Fatalf("err = %v (hint %q), want ErrReadOnlyFile naming %s-shm with a hint", err, hintOf(err), p)
	}
}

func hintOf(err error) string {
	var se *Error
	if errors.As(err, &se) {
		return se.Hint()
	}
	return ""
}
