package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with what the tests produce")

// Updating says whether the test run rewrites the golden files (-update).
func Updating() bool { return *update }

// Check compares got with testdata/name (name may hold a sub-folder);
// with -update it writes got there first. A difference names the first
// line that differs and how to accept the change.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (go test -run '%s' -update writes it)", err, rootName(t))
		return
	}
	if bytes.Equal(got, want) {
		return
	}
	line, w, g := firstDifference(string(want), string(got))
	t.Errorf("%s differs from the output at line %d:\n  want: %q\n  got:  %q\nIf the change is intended: go test -run '%s' -update, and review the diff of testdata/.\nThe whole output:\n%s",
		path, line, w, g, rootName(t), got)
}

// CheckString is Check for a string.
func CheckString(t testing.TB, name, got string) {
	t.Helper()
	Check(t, name, []byte(got))
}

// firstDifference returns the 1-based number of the first line where a and
// b differ and that line of each ("" past the end).
func firstDifference(a, b string) (int, string, string) {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y || i >= len(al) || i >= len(bl) {
			return i + 1, x, y
		}
	}
	return len(al), "", ""
}

// rootName is the top-level test's name, for the -run pattern.
func rootName(t testing.TB) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return "^" + name + "$"
}
