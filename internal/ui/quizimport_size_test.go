package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// endless is a file that never ends (a 50 MB GIFT file, or worse); it
// counts what was read from it.
type endless struct{ read int }

func (e *endless) Read(p []byte) (int, error) {
	const q = "::Q:: Wahr? {T}\n\n"
	for i := range p {
		p[i] = q[(e.read+i)%len(q)]
	}
	e.read += len(p)
	return len(p), nil
}

// TestQuizImportTooLarge is issue 20's failure 7 in the window: a huge
// question file is read only up to its format's cap and refused with the
// file's name and the limit; nothing can be imported.
func TestQuizImportTooLarge(t *testing.T) {
	q, _ := newQuizImportForTest(t)
	r := &endless{}
	q.show(readQuizFile("riesig.gift", "riesig.gift", r))
	if r.read > quiz.MaxFileSize(quiz.FormatGIFT)+64<<10 {
		t.Fatalf("read %d bytes of an endless file", r.read)
	}
	if !strings.Contains(q.errList.Text, "größer als 2048 KiB") || !q.importBtn.Disabled() || q.validOnly.Visible() {
		t.Fatalf("summary %q, errors %q", q.summary.Text, q.errList.Text)
	}
}

// failing is a file whose reading fails (a share that went away): a fake
// that injects the fault, since a real one cannot be made on demand.
type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("input/output error") }

// TestQuizImportReadErrorSpeaksGerman: a question file that cannot be
// read is said in the window's language, naming the file once; nothing
// can be imported.
func TestQuizImportReadErrorSpeaksGerman(t *testing.T) {
	q, _ := newQuizImportForTest(t)
	q.show(readQuizFile("fragen.gift", "/freigabe/fragen.gift", failing{}))
	want := "die Fragendatei fragen.gift lässt sich nicht lesen: input/output error"
	if !strings.Contains(q.summary.Text, want) || strings.Count(q.summary.Text, "fragen.gift") != 1 || !q.importBtn.Disabled() {
		t.Fatalf("summary %q, want %q", q.summary.Text, want)
	}
}
