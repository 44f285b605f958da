package ui

import (
	"encoding/json"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// fyneLocales are the locales Fyne ships translations for (lang/translations
// in Fyne v2.7) plus English, its fallback.
var fyneLocales = []string{"cs", "de", "el", "en", "es", "fr", "pl", "pt", "pt_BR", "ru", "sv", "ta", "uk", "zh_Hans"}

// shownLang is the language applyLanguage chose last: the one lang.L
// speaks, for texts rendered from message ids outside lang.L (errors).
var shownLang atomic.Value // string

// textLang is the language the GUI shows now ("de" before any choice).
func textLang() string {
	if l, ok := shownLang.Load().(string); ok {
		return l
	}
	return i18n.Default
}

// applyLanguage makes lang.L return KI-Check's texts in code ("de", "en").
//
// Fyne's lang package always follows the OS locale and has no setter, but
// KI-Check must default to German and let the user switch. So the chosen
// file is registered under every locale Fyne can pick (its own ones and the
// system's), which makes our ids resolve to the chosen language whatever
// the OS says. Re-registering overwrites the previous language's texts.
func applyLanguage(code string) {
	texts := i18n.Catalog(code)
	if texts == nil {
		texts = i18n.Catalog(i18n.Default)
		code = i18n.Default
	}
	shownLang.Store(code)
	data, err := json.Marshal(texts)
	if err != nil {
		fyne.LogError("encode translations", err)
		return
	}
	locales := append([]string{}, fyneLocales...)
	locales = append(locales, string(lang.SystemLocale()), lang.SystemLocale().LanguageString())
	for _, l := range locales {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(l)); err != nil {
			fyne.LogError("load translations", err)
		}
	}
}
