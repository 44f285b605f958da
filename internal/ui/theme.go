package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ki-reise/kicheck/internal/report"
)

// variantTheme is Fyne's default theme held to one variant (light or dark)
// when the user does not want the system's choice.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// readableTheme is Fyne's theme with a darker warning colour on light
// backgrounds: Fyne's orange (#ffa000-ish) reads at about 2:1 on white;
// the report's orange for "eingeschränkt" (report.LevelRGB) reaches 4.5:1,
// so a warning label and the traffic light look the same everywhere.
type readableTheme struct {
	fyne.Theme
}

func (t readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameWarning && v == theme.VariantLight {
		c := report.LevelRGB(report.LevelLimited)
		return color.NRGBA{R: c[0], G: c[1], B: c[2], A: 255}
	}
	return t.Theme.Color(n, v)
}

// applyTheme sets "system", "light" or "dark".
func applyTheme(a fyne.App, choice string) {
	switch choice {
	case "light":
		a.Settings().SetTheme(variantTheme{Theme: readableTheme{theme.DefaultTheme()}, variant: theme.VariantLight})
	case "dark":
		a.Settings().SetTheme(variantTheme{Theme: readableTheme{theme.DefaultTheme()}, variant: theme.VariantDark})
	default:
		a.Settings().SetTheme(readableTheme{theme.DefaultTheme()})
	}
}
