package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/ki-reise/kicheck/internal/check"
)

// TestCheckProgressIsPlain: the clerk's check dialog names the step that
// runs, not the probe's or the test's own details ("matvec", prompt ids).
func TestCheckProgressIsPlain(t *testing.T) {
	st := newScreenState(t, fyne.NewSize(1024, 720))
	f := newCheckFlow(st)
	f.build()
	for _, e := range []check.Event{{Step: "probe", Detail: "matvec", Fraction: 0.3}, {Step: "inference", Detail: "kb-017-bescheid", Fraction: 0.6}} {
		f.onProgress(e)
		if got := f.detail.Text; strings.Contains(got, e.Detail) || !strings.Contains(got, check.StepLabel(e.Step, "de")) {
			t.Errorf("%s: progress line %q", e.Step, got)
		}
	}
}

// TestEveryStepHasAName: the dialog names every step of the check in
// words, in both languages; an id or a bare step name ("cost", as the
// dialog once showed) fails.
func TestEveryStepHasAName(t *testing.T) {
	for _, lng := range []string{"de", "en"} {
		for _, name := range []string{"inventory", "probe", "fit", "inference", "cloud", "cost", "quiz", "sign"} {
			got := check.StepLabel(name, lng)
			if got == "" || got == name || strings.Contains(got, ".") {
				t.Errorf("%s: step %q reads %q", lng, name, got)
			}
		}
	}
}
