package main

import (
	"strings"
	"testing"
)

// TestProbeBasisSpeaksOneLanguage: `kicheck probe` shows the compute
// estimate's basis (cores × clock × operations per cycle × efficiency) in
// the language asked for; it was an English formula inside the German
// table.
func TestProbeBasisSpeaksOneLanguage(t *testing.T) {
	dir := t.TempDir()
	want := map[string][2]string{ // lang → a word that must be there, one that must not
		"de": {"Operationen je Takt", "ops/cycle"},
		"en": {"ops/cycle", "Operationen je Takt"},
	}
	for _, lang := range []string{"de", "en"} {
		out, errOut, code := kicheck(t, "--data-dir", dir, "--lang", lang, "probe", "--quick")
		if code != 0 {
			t.Fatalf("--lang %s probe: exit %d\n%s", lang, code, errOut)
		}
		if !strings.Contains(out, want[lang][0]) || strings.Contains(out, want[lang][1]) {
			t.Errorf("--lang %s probe: want %q and no %q in:\n%s", lang, want[lang][0], want[lang][1], out)
		}
		for _, english := range []string{"cores ×", "efficiency ", "clock unknown"} {
			if lang == "de" && strings.Contains(out, english) {
				t.Errorf("--lang de probe prints English %q:\n%s", english, out)
			}
		}
	}
}
