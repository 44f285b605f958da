package cost

import "testing"

// TestParseAmount: German and English decimal notation, spaces; no
// negative amount, no text.
func TestParseAmount(t *testing.T) {
	for in, want := range map[string]float64{"1,5": 1.5, " 1.5 ": 1.5, "400": 400, "0": 0} {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "zehn", "1.000,5"} {
		if got, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) = %v, want an error", in, got)
		}
	}
}

// TestEntryWinsInApply: the entered values lie over the measured and
// estimated layers and over this PC's verdict; an empty entered verdict
// keeps the fit's.
func TestEntryWinsInApply(t *testing.T) {
	var p Params
	l := Layers{
		Measured:   func(p *Params) ([]string, error) { p.Usage.Users = 1; return []string{"users"}, nil },
		FitVerdict: "ready",
		Entered:    Entry{Users: 400, RequestsPerDay: 2.5, PriceIn: 0.4, PriceOut: 1.6, PriceDate: "2026-11-01", AVV: true}.Apply,
	}
	if _, err := Apply(&p, l); err != nil {
		t.Fatal(err)
	}
	if p.Usage.Users != 400 || p.Usage.RequestsPerUserPerDay != 2.5 || p.Cloud.PriceDate != "2026-11-01" || !p.Cloud.AVVAvailable {
		t.Errorf("entered values lost: %+v", p)
	}
	if p.Local.HardwareVerdict != "ready" {
		t.Errorf("verdict %q, want the fit's", p.Local.HardwareVerdict)
	}
	Entry{Verdict: "not_ready"}.Apply(&p)
	if p.Local.HardwareVerdict != "not_ready" {
		t.Errorf("verdict %q, want the entered one", p.Local.HardwareVerdict)
	}
}
