package check

import (
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/store"
)

// TestDataFolderFull: the data folder's drive is full. This test injects
// the fault with a fake writer for the data folder's copy (keepReport),
// which fails with "no space left on device", so that it runs everywhere;
// app's TestCheckWithFullDataFolder fills a real small tmpfs where it can
// mount one. The report still goes to the output folder, first; the run
// ends with a *KeepError that names where the report is and says the drive
// is full.
func TestDataFolderFull(t *testing.T) {
	dataDir, out := t.TempDir(), t.TempDir()
	db := openDB(t, dataDir)
	keepReport = func(dir, base string, c report.Content) (report.Files, error) {
		return report.Files{}, &report.ExportError{Dir: dir, Err: &os.PathError{Op: "write", Path: dir + "/x", Err: syscall.ENOSPC}}
	}
	t.Cleanup(func() { keepReport = report.WriteNew })
	res, err := Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir, DB: db, OutDir: out}, nil)
	var ke *KeepError
	if res == nil || !errors.As(err, &ke) || !store.IsDiskFull(err) {
		t.Fatalf("res %v, err %v; want a result and a *KeepError for a full drive", res, err)
	}
	for _, p := range []string{res.Exported.JSON, res.Exported.Sig, res.Exported.PDF, res.Exported.HTML} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if !strings.Contains(err.Error(), res.Exported.JSON) || !strings.Contains(ke.Hint(), dataDir+" is full") {
		t.Fatalf("error %q / hint %q does not name the report and the full drive", err, ke.Hint())
	}
	// Without an output folder, a report that cannot be kept is an error.
	res, err = Run(context.Background(), Options{Probe: quickProbe, DataDir: dataDir, DB: db}, nil)
	if res != nil || !store.IsDiskFull(err) {
		t.Fatalf("without --out: res %v, err %v", res, err)
	}
}
