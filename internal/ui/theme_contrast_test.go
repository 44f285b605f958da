package ui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2/theme"

	"github.com/ki-reise/kicheck/internal/report"
)

func rgb8(c color.Color) [3]uint8 {
	r, g, b, _ := color.NRGBAModel.Convert(c).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

// TestWarningColourContrast: in the light theme the warning colour (used
// for "eingeschränkt" and warning labels) is the report's dark orange and
// reads at 4.5:1 or more on the window's background, as in the HTML and
// the PDF; Fyne's own orange does not.
func TestWarningColourContrast(t *testing.T) {
	th := readableTheme{theme.DefaultTheme()}
	bg := rgb8(th.Color(theme.ColorNameBackground, theme.VariantLight))
	if c := report.ContrastRatio(rgb8(theme.DefaultTheme().Color(theme.ColorNameWarning, theme.VariantLight)), bg); c >= 4.5 {
		t.Logf("Fyne's own warning colour already reads at %.2f:1", c)
	}
	warn := rgb8(th.Color(theme.ColorNameWarning, theme.VariantLight))
	if warn != report.LevelRGB(report.LevelLimited) {
		t.Errorf("warning colour %v differs from the report's orange %v", warn, report.LevelRGB(report.LevelLimited))
	}
	if c := report.ContrastRatio(warn, bg); c < 4.5 {
		t.Errorf("warning on the light background: %.2f:1, want at least 4.5:1", c)
	}
	if c := report.ContrastRatio(rgb8(levelColor(report.LevelLimited)), bg); c < 4.5 {
		t.Errorf("the check's traffic light for eingeschränkt: %.2f:1", c)
	}
}
