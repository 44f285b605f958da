package ui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"

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
	th := newTheme("light", 100)
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

// blend is how Fyne draws a focused or hovered button: over on under
// (alpha compositing in sRGB, as widget.blendColor).
func blend(under, over color.Color) [3]uint8 {
	u, o := color.NRGBAModel.Convert(under).(color.NRGBA), color.NRGBAModel.Convert(over).(color.NRGBA)
	a := float64(o.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(float64(y)*a + float64(x)*(1-a) + 0.5) }
	return [3]uint8{mix(u.R, o.R), mix(u.G, o.G), mix(u.B, o.B)}
}

// themeContrasts computes, for one theme and variant, the contrast of
// every text colour on its backgrounds and of a focused button against
// an unfocused one.
func themeContrasts(th fyne.Theme, v fyne.ThemeVariant) (text map[string]float64, focus map[string]float64) {
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	bg, btn, input := c(theme.ColorNameBackground), c(theme.ColorNameButton), c(theme.ColorNameInputBackground)
	prim, focusC := c(theme.ColorNamePrimary), c(theme.ColorNameFocus)
	fg, onPrim := rgb8(c(theme.ColorNameForeground)), rgb8(c(theme.ColorNameForegroundOnPrimary))
	text = map[string]float64{
		"foreground on background":              report.ContrastRatio(fg, rgb8(bg)),
		"foreground on button":                  report.ContrastRatio(fg, rgb8(btn)),
		"foreground on input":                   report.ContrastRatio(fg, rgb8(input)),
		"foreground on focused button":          report.ContrastRatio(fg, blend(btn, focusC)),
		"foreground on hovered button":          report.ContrastRatio(fg, blend(btn, c(theme.ColorNameHover))),
		"on-primary on primary button":          report.ContrastRatio(onPrim, rgb8(prim)),
		"on-primary on focused primary button":  report.ContrastRatio(onPrim, blend(prim, focusC)),
		"placeholder on input":                  report.ContrastRatio(rgb8(c(theme.ColorNamePlaceHolder)), rgb8(input)),
		"hyperlink on background":               report.ContrastRatio(rgb8(c(theme.ColorNameHyperlink)), rgb8(bg)),
		"error on background":                   report.ContrastRatio(rgb8(c(theme.ColorNameError)), rgb8(bg)),
		"warning on background":                 report.ContrastRatio(rgb8(c(theme.ColorNameWarning)), rgb8(bg)),
		"success on background":                 report.ContrastRatio(rgb8(c(theme.ColorNameSuccess)), rgb8(bg)),
		"foreground on selected (list/nav) row": report.ContrastRatio(fg, blend(bg, c(theme.ColorNameSelection))),
	}
	focus = map[string]float64{
		"focused vs unfocused button":         report.ContrastRatio(blend(btn, focusC), rgb8(btn)),
		"focused vs unfocused primary button": report.ContrastRatio(blend(prim, focusC), rgb8(prim)),
	}
	return text, focus
}

// TestThemeContrast: in every theme KI-Check offers (light, dark, high
// contrast; the system choice is light or dark), every text reads at
// 4.5:1 or more on its background and a focused button stands 3:1 or
// more off an unfocused one (WCAG 1.4.3, 1.4.11, 2.4.7). Fyne's own
// default theme is logged as the "before".
func TestThemeContrast(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		text, focus := themeContrasts(theme.DefaultTheme(), v)
		for k, r := range text {
			if r < 4.5 {
				t.Logf("before (Fyne's default theme, variant %d): %s %.2f:1", v, k, r)
			}
		}
		for k, r := range focus {
			t.Logf("before (Fyne's default theme, variant %d): %s %.3f:1", v, k, r)
		}
	}
	for _, tc := range []struct {
		choice  string
		variant fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}, {"system", theme.VariantLight}, {"system", theme.VariantDark}, {"contrast", theme.VariantLight}} {
		text, focus := themeContrasts(newTheme(tc.choice, 100), tc.variant)
		for k, r := range text {
			if r < 4.5 {
				t.Errorf("%s theme (variant %d): %s %.2f:1, want at least 4.5:1", tc.choice, tc.variant, k, r)
			}
		}
		for k, r := range focus {
			t.Logf("%s theme (variant %d): %s %.2f:1", tc.choice, tc.variant, k, r)
			if r < 3 {
				t.Errorf("%s theme (variant %d): %s %.2f:1, want at least 3:1", tc.choice, tc.variant, k, r)
			}
		}
	}
}

// TestTextSize: the text size setting scales the texts, not the padding.
func TestTextSize(t *testing.T) {
	th := newTheme("system", 150)
	if got, want := th.Size(theme.SizeNameText), theme.DefaultTheme().Size(theme.SizeNameText)*1.5; got != want {
		t.Errorf("text size at 150 %%: %v, want %v", got, want)
	}
	if got, want := th.Size(theme.SizeNamePadding), theme.DefaultTheme().Size(theme.SizeNamePadding); got != want {
		t.Errorf("padding at 150 %%: %v, want %v", got, want)
	}
}
