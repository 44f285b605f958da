package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// smallDisk mounts a tmpfs of size bytes (a drive that fills up) and
// returns its folder; it skips the test where mounting is not possible
// (not root, no mount(8)); the check package's TestDataFolderFull covers
// the same with an injected fault.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root on Linux; internal/check TestDataFolderFull injects the fault instead")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); internal/check TestDataFolderFull injects the fault instead", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes to dir until the drive is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	// Fill the last bytes too.
	for range 64 {
		f.Write(buf[:64])
	}
}

// TestCheckWithFullDataFolder is issue 20's failure 9: with the data
// folder's drive full, `check --headless` exited 1 ("disk I/O error", no
// hint) without writing a report to --out, though --out had space and
// `help` promises the report is still written on exit 1. Now the report
// goes to --out first; the failed record ends the run with exit 1, naming
// the data folder, with a hint about the full drive. A real full drive: a
// small tmpfs.
func TestCheckWithFullDataFolder(t *testing.T) {
	disk := smallDisk(t, "4m")
	data := filepath.Join(disk, "kicheck")
	// A first check on the empty drive: key, database, a stored report.
	if _, errOut, code := kicheck(t, "--data-dir", data, "check", "--headless", "--out", t.TempDir()); code == exitFailure || code == exitUsage {
		t.Fatalf("first check: exit %d\n%s", code, errOut)
	}
	fill(t, disk)
	for _, fresh := range []bool{false, true} {
		out := t.TempDir()
		if fresh {
			// The database's WAL files gone too: opening needs space.
			os.Remove(filepath.Join(data, "kicheck.db-shm"))
		}
		stdout, errOut, code := kicheck(t, "--data-dir", data, "check", "--headless", "--out", out)
		if code != exitFailure {
			t.Fatalf("full data folder: exit %d, want 1\n%s\n%s", code, stdout, errOut)
		}
		reports, _ := filepath.Glob(filepath.Join(out, "*.json"))
		if len(reports) != 1 {
			t.Fatalf("no report in --out on a full data folder (%v):\n%s", reports, errOut)
		}
		for _, ext := range []string{".json.sig", ".pdf", ".html"} {
			if _, err := os.Stat(strings.TrimSuffix(reports[0], ".json") + ext); err != nil {
				t.Fatalf("report file missing: %v", err)
			}
		}
		if _, vErr, vCode := kicheck(t, "--data-dir", t.TempDir(), "verify", reports[0]); vCode != 0 {
			t.Fatalf("the report in --out does not verify: %s", vErr)
		}
		if !strings.Contains(errOut, "error: the report was written to "+reports[0]) || !strings.Contains(errOut, data) ||
			!strings.Contains(errOut, "hint: the drive of the data folder "+data+" is full") {
			t.Fatalf("error without the report, the data folder or the disk-full hint:\n%s", errOut)
		}
		if !strings.Contains(stdout, reports[0]) {
			t.Fatalf("the summary does not name the report:\n%s", stdout)
		}
	}
}
