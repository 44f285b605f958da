package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what a check reports instead of
// failing the test that checks the check.
type recorder struct {
	testing.TB
	msgs  []string
	fatal bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
}

func TestCheckNamesTheFirstDifferingLine(t *testing.T) {
	if Updating() {
		t.Skip("-update rewrites golden files; this test checks the comparison")
	}
	t.Chdir(t.TempDir())
	if err := os.MkdirAll("testdata/sub", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "sub", "out.txt"), []byte("eins\nzwei\ndrei\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	same := &recorder{TB: t}
	CheckString(same, "sub/out.txt", "eins\nzwei\ndrei\n")
	if len(same.msgs) != 0 {
		t.Errorf("equal output reported: %v", same.msgs)
	}

	changed := &recorder{TB: t}
	CheckString(changed, "sub/out.txt", "eins\nZWEI\ndrei\n")
	if len(changed.msgs) != 1 || !strings.Contains(changed.msgs[0], "at line 2") || !strings.Contains(changed.msgs[0], `want: "zwei"`) ||
		!strings.Contains(changed.msgs[0], `got:  "ZWEI"`) || !strings.Contains(changed.msgs[0], "-update") {
		t.Errorf("a changed line: %q", changed.msgs)
	}

	longer := &recorder{TB: t}
	CheckString(longer, "sub/out.txt", "eins\nzwei\ndrei\nvier\n")
	if len(longer.msgs) != 1 || !strings.Contains(longer.msgs[0], "at line 4") {
		t.Errorf("an added line: %q", longer.msgs)
	}

	missing := &recorder{TB: t}
	CheckString(missing, "nope.txt", "x")
	if !missing.fatal || !strings.Contains(missing.msgs[0], "-update writes it") {
		t.Errorf("a missing golden file: %q", missing.msgs)
	}
}
