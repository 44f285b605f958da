package hotspot

import (
	"math"
	"testing"

	"github.com/ki-reise/kicheck/internal/aiact"
)

// relativeLuminance follows WCAG 2.1 (sRGB).
func relativeLuminance(c [3]int) float64 {
	var l [3]float64
	for i, v := range c {
		x := float64(v) / 255
		if x <= 0.03928 {
			l[i] = x / 12.92
		} else {
			l[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

// The legal-class colours carry white text on the Steckbrief's badge and
// in the matrix legend: at least 4.5:1 (WCAG 1.4.3).
func TestClassColoursCarryWhiteText(t *testing.T) {
	for _, c := range []aiact.Class{aiact.Prohibited, aiact.HighRisk, aiact.Transparency, aiact.Minimal} {
		col := ClassColour(c)
		ratio := (1 + 0.05) / (relativeLuminance(col) + 0.05)
		if ratio < 4.5 {
			t.Errorf("%s: white on rgb%v is %.2f:1, want at least 4.5:1", c, col, ratio)
		}
	}
}
