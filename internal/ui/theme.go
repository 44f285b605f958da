package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ki-reise/kicheck/internal/report"
)

// kcTheme is Fyne's default theme with KI-Check's readable colours
// (palette), an optional fixed variant (light or dark instead of the
// system's), the high-contrast palette, and a text size.
//
// The colours are chosen so that every text reads at 4.5:1 or more on its
// background and a focused button differs from an unfocused one by 3:1 or
// more (WCAG 1.4.3, 1.4.11, 2.4.7; theme_contrast_test.go computes it).
// Fyne draws a focused button as its background blended with the focus
// colour, the text colour unchanged; an opaque mid blue (#1a73e8) is the
// one colour that reads with black and with white text and stands 3:1 off
// the light grey and the dark grey buttons, so buttons with text in the
// foreground colour use black text in the light theme and white in the
// dark ones, and the primary colour is dark (light theme) or light (dark,
// high contrast) enough to stand 3:1 off the focus blue too.
type kcTheme struct {
	fyne.Theme
	variant  fyne.ThemeVariant
	fixed    bool    // variant instead of the system's
	contrast bool    // the high-contrast palette (white on black)
	scale    float32 // text size factor, 1 = normal
}

// palette holds the colours that differ from Fyne's default theme.
type palette map[fyne.ThemeColorName]color.Color

func hex(s string) color.Color {
	var v [3]uint8
	for i := range v {
		v[i] = hexNibble(s[1+2*i])<<4 | hexNibble(s[2+2*i])
	}
	return color.NRGBA{R: v[0], G: v[1], B: v[2], A: 255}
}

func hexNibble(c byte) uint8 {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// focusBlue is the focus colour of every palette (see kcTheme).
const focusBlue = "#1a73e8"

var (
	lightPalette = palette{
		theme.ColorNameBackground:          hex("#ffffff"),
		theme.ColorNameButton:              hex("#f0f0f0"),
		theme.ColorNameInputBackground:     hex("#f3f3f3"),
		theme.ColorNameForeground:          hex("#000000"),
		theme.ColorNamePrimary:             hex("#00205b"),
		theme.ColorNameForegroundOnPrimary: hex("#ffffff"),
		theme.ColorNameHyperlink:           hex("#0b3d91"),
		theme.ColorNameFocus:               hex(focusBlue),
		theme.ColorNamePlaceHolder:         hex("#595959"),
		theme.ColorNameDisabled:            hex("#6b6b6b"),
		theme.ColorNameError:               hex("#b3261e"),
		theme.ColorNameSuccess:             hex("#1e6b2a"),
		theme.ColorNameInputBorder:         hex("#767676"),
	}
	darkPalette = palette{
		theme.ColorNameBackground:          hex("#171718"),
		theme.ColorNameButton:              hex("#28292e"),
		theme.ColorNameInputBackground:     hex("#202023"),
		theme.ColorNameForeground:          hex("#ffffff"),
		theme.ColorNamePrimary:             hex("#c6dafc"),
		theme.ColorNameForegroundOnPrimary: hex("#000000"),
		theme.ColorNameHyperlink:           hex("#a8c7fa"),
		theme.ColorNameFocus:               hex(focusBlue),
		theme.ColorNamePlaceHolder:         hex("#b0b0b0"),
		theme.ColorNameDisabled:            hex("#9a9a9a"),
		theme.ColorNameError:               hex("#ff8a80"),
		theme.ColorNameWarning:             hex("#ffb74d"),
		theme.ColorNameSuccess:             hex("#81c995"),
		theme.ColorNameInputBorder:         hex("#8a8a8a"),
	}
	contrastPalette = palette{
		theme.ColorNameBackground:          hex("#000000"),
		theme.ColorNameButton:              hex("#1f1f1f"),
		theme.ColorNameInputBackground:     hex("#000000"),
		theme.ColorNameOverlayBackground:   hex("#000000"),
		theme.ColorNameMenuBackground:      hex("#000000"),
		theme.ColorNameHeaderBackground:    hex("#000000"),
		theme.ColorNameForeground:          hex("#ffffff"),
		theme.ColorNamePrimary:             hex("#ffff00"),
		theme.ColorNameForegroundOnPrimary: hex("#000000"),
		theme.ColorNameHyperlink:           hex("#ffff00"),
		theme.ColorNameFocus:               hex(focusBlue),
		theme.ColorNamePlaceHolder:         hex("#d0d0d0"),
		theme.ColorNameDisabled:            hex("#b0b0b0"),
		theme.ColorNameError:               hex("#ff8a80"),
		theme.ColorNameWarning:             hex("#ffc107"),
		theme.ColorNameSuccess:             hex("#69f0ae"),
		theme.ColorNameInputBorder:         hex("#ffffff"),
		theme.ColorNameSeparator:           hex("#ffffff"),
		theme.ColorNameSelection:           hex("#00205b"),
		theme.ColorNameHover:               color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0x30},
	}
)

func (t kcTheme) effectiveVariant(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch {
	case t.contrast:
		return theme.VariantDark
	case t.fixed:
		return t.variant
	}
	return v
}

func (t kcTheme) palette(v fyne.ThemeVariant) palette {
	switch {
	case t.contrast:
		return contrastPalette
	case t.effectiveVariant(v) == theme.VariantDark:
		return darkPalette
	}
	return lightPalette
}

func (t kcTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.effectiveVariant(v)
	if c, ok := t.palette(v)[n]; ok {
		return c
	}
	if n == theme.ColorNameWarning && v == theme.VariantLight {
		// The report's orange for "eingeschränkt" (report.LevelRGB), 4.5:1
		// on white; Fyne's reads at about 2:1.
		c := report.LevelRGB(report.LevelLimited)
		return color.NRGBA{R: c[0], G: c[1], B: c[2], A: 255}
	}
	return t.Theme.Color(n, v)
}

// textSizes are the sizes the text size setting scales.
var textSizes = map[fyne.ThemeSizeName]bool{
	theme.SizeNameText: true, theme.SizeNameHeadingText: true, theme.SizeNameSubHeadingText: true,
	theme.SizeNameCaptionText: true, theme.SizeNameInlineIcon: true,
}

func (t kcTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	if t.scale > 0 && textSizes[n] {
		return s * t.scale
	}
	return s
}

// newTheme makes the theme for a theme choice ("system", "light", "dark",
// "contrast") and a text size in percent.
func newTheme(choice string, textSize int) kcTheme {
	t := kcTheme{Theme: theme.DefaultTheme(), scale: 1}
	if textSize > 0 {
		t.scale = float32(textSize) / 100
	}
	switch choice {
	case "light":
		t.fixed, t.variant = true, theme.VariantLight
	case "dark":
		t.fixed, t.variant = true, theme.VariantDark
	case "contrast":
		t.contrast = true
	}
	return t
}

// applyTheme sets the theme choice and the text size (percent).
func applyTheme(a fyne.App, choice string, textSize int) {
	a.Settings().SetTheme(newTheme(choice, textSize))
}
