package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// TestProbeProgressSpeaksTheUsersLanguage: `kicheck --lang de probe`
// printed English progress lines ("bandwidth", "matvec") before; each step
// is now a message id.
func TestProbeProgressSpeaksTheUsersLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, want, notWant string }{
		{"de", "Speicherbandbreite wird gemessen", "measuring"},
		{"en", "measuring memory bandwidth", "Speicherbandbreite"},
	} {
		var out, progress bytes.Buffer
		if _, err := probeAndPrint(context.Background(), probeOptions{Quick: true, Lang: tc.lang, DataDir: t.TempDir()}, nil, &out, &progress); err != nil {
			t.Fatal(err)
		}
		// The table speaks the language too (labels and decimal commas).
		label, foreign := i18n.T(tc.lang, "cli.probe.label.read"), i18n.T(map[string]string{"de": "en", "en": "de"}[tc.lang], "cli.probe.label.read")
		if o := out.String(); !strings.Contains(o, label) || strings.Contains(o, foreign) {
			t.Errorf("%s table:\n%s", tc.lang, o)
		}
		p := progress.String()
		if !strings.Contains(p, tc.want) || strings.Contains(p, tc.notWant) || !strings.Contains(p, i18n.T(tc.lang, "fitsteady.probe.step.done")) {
			t.Errorf("%s progress:\n%s", tc.lang, p)
		}
		for _, line := range strings.Split(strings.TrimSpace(p), "\n") {
			if !strings.Contains(line, " %  ") {
				t.Errorf("%s: progress line without its percentage: %q", tc.lang, line)
			}
		}
	}
	for _, id := range []string{"fitsteady.models.measuring", "fitsteady.probe.step.kernel", "fitsteady.probe.step.prompt", "fitsteady.probe.step.matvec", "fitsteady.probe.step.matmul", "fitsteady.probe.step.prepare"} {
		for _, l := range []string{"de", "en"} {
			if got := i18n.T(l, id); got == id || got == "" {
				t.Errorf("%s: %s missing", l, id)
			}
		}
	}
}
