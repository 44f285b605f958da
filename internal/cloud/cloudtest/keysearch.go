package cloudtest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// AssertKeyNowhere fails if any file under dir contains key, and also if
// there was no file to search (then the test would check nothing).
func AssertKeyNowhere(t testing.TB, dir, key string) {
	t.Helper()
	files := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("read %s: %v", path, err)
			return nil
		}
		files++
		if bytes.Contains(b, []byte(key)) {
			t.Errorf("the API key is in %s", path)
		}
		return nil
	})
	if files == 0 {
		t.Fatal("no files searched: the test checked nothing")
	}
}
