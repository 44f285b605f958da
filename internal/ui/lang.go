package ui

import (
	"path"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/ki-reise/kicheck/assets"
)

// fyneLocales are the locales Fyne ships translations for (lang/translations
// in Fyne v2.7) plus English, its fallback.
var fyneLocales = []string{"cs", "de", "el", "en", "es", "fr", "pl", "pt", "pt_BR", "ru", "sv", "ta", "uk", "zh_Hans"}

// applyLanguage makes lang.L return KI-Check's texts in code ("de", "en").
//
// Fyne's lang package always follows the OS locale and has no setter, but
// KI-Check must default to German and let the user switch. So the chosen
// file is registered under every locale Fyne can pick (its own ones and the
// system's), which makes our ids resolve to the chosen language whatever
// the OS says. Re-registering overwrites the previous language's texts.
func applyLanguage(code string) {
	data, err := assets.Lang.ReadFile(path.Join("lang", code+".json"))
	if err != nil {
		data, _ = assets.Lang.ReadFile("lang/de.json")
	}
	locales := append([]string{}, fyneLocales...)
	locales = append(locales, string(lang.SystemLocale()), lang.SystemLocale().LanguageString())
	for _, l := range locales {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(l)); err != nil {
			fyne.LogError("load translations", err)
		}
	}
}
