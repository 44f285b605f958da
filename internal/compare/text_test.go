package compare

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/golden"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
)

// TestWriteTextInBothLanguages prints the hand-made comparison (with the
// runs swapped, so both warnings show) in German and English: labels,
// warnings, decimal separator and date follow the language.
func TestWriteTextInBothLanguages(t *testing.T) {
	local, remote := runs()
	netw := []cloudrun.SampleNetwork{{PromptIndex: 0, Rep: 1, NetworkTiming: cloud.NetworkTiming{ConnectMs: 20, TLSMs: 40, HeadersMs: 450, Retries: 1}}}
	c := Build(local, remote, nil, netw)
	c.Cloud.Consent = &cloud.Consent{Host: "api.example", GivenAt: time.Date(2026, 11, 2, 9, 30, 0, 0, time.Local), Via: "cli"}
	swapped := Build(remote, local, nil, nil)
	text := func(lang string, c Comparison) string {
		var b bytes.Buffer
		if err := WriteText(&b, lang, c); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	de, en := text("de", c), text("en", c)
	golden.CheckString(t, "compare.de.golden", de)
	golden.CheckString(t, "compare.en.golden", en)
	for _, want := range []string{"Vergleich lokal ↔ Cloud", "Erstes Token (TTFT)", "250 ms (200–300, σ 71, n=2)", "11,0 | 55,0",
		"3 von 4 (75 %)", "neue Verbindungen: 1", "erteilt am 02.11.2026 09:30", "(75 % gleich)"} {
		if !strings.Contains(de, want) {
			t.Errorf("German text lacks %q:\n%s", want, de)
		}
	}
	for _, want := range []string{"Comparison local ↔ cloud", "First token (TTFT)", "250 ms (200–300, σ 71, n=2)", "11.0 | 55.0",
		"3 of 4 (75%)", "new connections: 1", "given on 2026-11-02 09:30", "(75% the same)"} {
		if !strings.Contains(en, want) {
			t.Errorf("English text lacks %q:\n%s", want, en)
		}
	}
	sde, sen := text("de", swapped), text("en", swapped)
	golden.CheckString(t, "compare-swapped.de.golden", sde)
	golden.CheckString(t, "compare-swapped.en.golden", sen)
	if !strings.Contains(sde, "Achtung: Lauf 2 lief nicht auf diesem PC") || !strings.Contains(sen, "Note: Run 2 did not run on this PC") ||
		!strings.Contains(sen, "Run 1 did not run in the cloud but on this PC") {
		t.Errorf("warnings:\n%s\n%s", sde, sen)
	}
	if swapped.Localize("en").Warnings[0] != "Run 2 did not run on this PC (https://api.example/v1)." || !strings.HasPrefix(swapped.Warnings[0], "Lauf 2") {
		t.Errorf("Localize: %q, original %q", swapped.Localize("en").Warnings, swapped.Warnings)
	}
	// The word diff quotes the models' German answers; everything else
	// must be English.
	var ours []string
	for _, line := range strings.Split(en+sen, "\n") {
		if !strings.Contains(line, "the same): ") {
			ours = append(ours, line)
		}
	}
	for _, german := range []string{"ä", "ö", "ü", "ß", "Lauf", "Prüf", "Zustimmung", "gleich", "Achtung"} {
		if strings.Contains(strings.Join(ours, "\n"), german) {
			t.Errorf("English text contains German %q:\n%s\n%s", german, en, sen)
		}
	}
}
