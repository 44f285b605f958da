package ui

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/store"
)

// TestDescribeStoreErrors: the read-only files and the full drive of
// issue 20 are explained in the window, naming the file, in German and
// English.
func TestDescribeStoreErrors(t *testing.T) {
	newTestApp(t)
	t.Cleanup(func() { applyLanguage("de") })
	mk := func(path string, sentinel error) error {
		return &store.Error{Path: path, Err: errors.Join(sentinel, errors.New("permission denied"))}
	}
	for _, tc := range []struct {
		lang string
		err  error
		want []string
	}{
		{"de", mk("/d/kicheck.db", store.ErrReadOnlyFile), []string{"/d/kicheck.db", "schreibgeschützt"}},
		{"de", mk("/d/kicheck.db-shm", store.ErrReadOnlyFile), []string{"/d/kicheck.db-shm", "löschen Sie die Datei"}},
		{"de", mk("/d/kicheck.db-wal", store.ErrReadOnlyFile), []string{"/d/kicheck.db-wal", "nicht löschen"}},
		{"de", mk("/d/kicheck.db", store.ErrDiskFull), []string{"/d/kicheck.db", "kein Platz"}},
		{"en", mk("/d/kicheck.db-shm", store.ErrReadOnlyFile), []string{"/d/kicheck.db-shm", "delete the file"}},
		{"en", mk("/d/kicheck.db", store.ErrDiskFull), []string{"/d/kicheck.db", "is full"}},
		// The check of "Arbeitsplatz prüfen" could not keep its report.
		{"de", &check.KeepError{DataDir: "/d", Err: &os.PathError{Op: "write", Path: "/d/reports/x", Err: syscall.ENOSPC}}, []string{"(/d)", "kein Platz"}},
	} {
		applyLanguage(tc.lang)
		got := describeError(tc.err)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.lang, got, w)
			}
		}
	}
}
