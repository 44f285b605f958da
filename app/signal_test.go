package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/store"
)

// TestMain lets a test start this test binary as the real kicheck (main
// with its signal handling) in a child process: KICHECK_TEST_RUN_MAIN=1.
func TestMain(m *testing.M) {
	if os.Getenv("KICHECK_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// startKicheck starts kicheck with args as a child process. Its output
// goes to locked buffers: the tests read them while the child still
// writes (make race found the plain bytes.Buffer read under a write).
func startKicheck(t *testing.T, args ...string) (*exec.Cmd, *syncBuffer, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "KICHECK_TEST_RUN_MAIN=1")
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, &out, &errb
}

// waitFile waits until path exists (the child has the database open, so
// its signal handler is installed) or the child ended.
func waitFile(t *testing.T, path string, exited func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if exited() {
			t.Fatalf("kicheck ended before %s appeared", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s did not appear", path)
}

// TestSIGTERMIsGraceful is from issue 20: SIGTERM killed kicheck at once
// (exit 143, the database's WAL file left behind) while SIGINT was
// graceful. Both signals now cancel the command's context: `serve` stops
// and closes its database, `check` writes the report of what it measured.
// The signal is sent to a real child process.
func TestSIGTERMIsGraceful(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String()+"/serve", func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "central.db")
			tokens := filepath.Join(dir, "tokens")
			os.WriteFile(tokens, []byte("bauamt-0123456789abcdef0123456789abcdef Bauamt\n"), 0o600)
			cmd, out, errb := startKicheck(t, "--data-dir", dir, "serve", "--db", db, "--token-file", tokens, "--addr", "127.0.0.1:0")
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			exited := func() bool {
				select {
				case err := <-done:
					done <- err
					return true
				default:
					return false
				}
			}
			deadline := time.Now().Add(2 * time.Minute)
			for !strings.Contains(out.String(), "127.0.0.1:") { // listening
				if exited() || time.Now().After(deadline) {
					t.Fatalf("serve did not start: %s %s", out, errb)
				}
				time.Sleep(10 * time.Millisecond)
			}
			if _, err := os.Stat(db + "-wal"); err != nil {
				t.Fatalf("serve has no WAL open: %v", err)
			}
			cmd.Process.Signal(sig)
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("serve did not stop within a minute of the signal")
			}
			assertGraceful(t, cmd, db, errb.String())
		})
		t.Run(sig.String()+"/check", func(t *testing.T) {
			dir, outDir := t.TempDir(), t.TempDir()
			cmd, _, errb := startKicheck(t, "--data-dir", dir, "check", "--headless", "--out", outDir)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			exited := func() bool {
				select {
				case err := <-done:
					done <- err
					return true
				default:
					return false
				}
			}
			db := filepath.Join(dir, store.FileName)
			waitFile(t, db+"-wal", exited)
			cmd.Process.Signal(sig)
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("check did not stop within a minute of the signal")
			}
			assertGraceful(t, cmd, db, errb.String())
			reps, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
			if len(reps) != 1 {
				t.Fatalf("reports in --out after the signal: %v (stderr %s)", reps, errb)
			}
		})
	}
}

func assertGraceful(t *testing.T, cmd *exec.Cmd, db, stderr string) {
	t.Helper()
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		t.Fatalf("kicheck was killed by %v instead of stopping (stderr %s)", ws.Signal(), stderr)
	}
	if _, err := os.Stat(db + "-wal"); err == nil {
		t.Fatalf("%s-wal left behind: the database was not closed (exit %d, stderr %s)", db, cmd.ProcessState.ExitCode(), stderr)
	}
}

// TestTwoFirstStartsAtOnce is issue 20's failure 6 with real processes:
// two kicheck runs on a fresh data folder at the same moment; one used to
// fail with "table … already exists" or "duplicate column name".
func TestTwoFirstStartsAtOnce(t *testing.T) {
	for round := range 10 {
		dir := t.TempDir()
		var cmds []*exec.Cmd
		var errs []*syncBuffer
		for range 2 {
			cmd, _, errb := startKicheck(t, "--data-dir", dir, "info")
			cmds, errs = append(cmds, cmd), append(errs, errb)
		}
		for i, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("round %d, process %d: %v\n%s", round, i, err, errs[i])
			}
		}
	}
}
