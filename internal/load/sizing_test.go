package load

import (
	"errors"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/fit"
)

func TestSizeWithoutServer(t *testing.T) {
	cat, err := fit.LoadCatalogue(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	slow, err := SizeWithoutServer(cat, Candidate{RAMGB: 64, BandwidthGBps: 50}, "llama3.1-8b", "Q4_K_M", "antwort-entwurf")
	if err != nil {
		t.Fatal(err)
	}
	fast, err := SizeWithoutServer(cat, Candidate{RAMGB: 64, BandwidthGBps: 100}, "llama3.1-8b", "Q4_K_M", "antwort-entwurf")
	if err != nil {
		t.Fatal(err)
	}
	a, b := slow.Prediction.DecodeTPS, fast.Prediction.DecodeTPS
	if a == nil || b == nil || a.Value <= 0 {
		t.Fatalf("no decode speed: %+v", slow.Prediction)
	}
	// Bandwidth-bound decoding: twice the bandwidth, twice the speed.
	if r := b.Value / a.Value; r < 1.99 || r > 2.01 {
		t.Errorf("speed ratio %.3f for twice the bandwidth", r)
	}
	if slow.Prediction.FirstTokenS != nil || slow.ComputeKnown {
		t.Error("first-token time predicted without a compute figure")
	}
	for _, lang := range []string{"de", "en"} {
		txt := slow.Text(lang)
		if !strings.Contains(txt, "kicheck load") || strings.Contains(txt, "load.sizing") {
			t.Errorf("%s: %s", lang, txt)
		}
	}
	_, err = SizeWithoutServer(cat, Candidate{RAMGB: 0, BandwidthGBps: 50}, "llama3.1-8b", "Q4_K_M", "antwort-entwurf")
	var le *Error
	if !errors.As(err, &le) || le.Msg.ID != "load.error.sizing_figures" {
		t.Errorf("no RAM: %v", err)
	}
	if _, err := SizeWithoutServer(cat, Candidate{RAMGB: 8, BandwidthGBps: 50}, "gibt-es-nicht", "Q4_K_M", "antwort-entwurf"); !errors.As(err, &le) || le.Msg.ID != "load.error.sizing_model" {
		t.Errorf("unknown model: %v", err)
	}
}
