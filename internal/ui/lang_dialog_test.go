package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

// TestFyneDialogsFollowTheChosenLanguage: Fyne's own dialogs (the folder
// dialog of "Bericht exportieren", confirmations) take their words from
// Fyne's translations for the OS locale, so under an English OS a German
// KI-Check showed "Open", "Cancel", "Create Folder". KI-Check registers
// Fyne's words for the chosen language (assets/lang/*.fyne.json) with its
// own, so the dialogs follow the language setting.
func TestFyneDialogsFollowTheChosenLanguage(t *testing.T) {
	defer applyLanguage("de")
	applyLanguage("de")
	for id, want := range map[string]string{"Cancel": "Abbrechen", "Open": "Öffnen", "Create Folder": "Erstelle Ordner", "Save": "Speichern", "New Folder": "Neuer Ordner"} {
		if got := lang.L(id); got != want {
			t.Errorf("de: lang.L(%q) = %q, want %q", id, got, want)
		}
	}
	applyLanguage("en")
	for id, want := range map[string]string{"Cancel": "Cancel", "Open": "Open", "Create Folder": "Create Folder"} {
		if got := lang.L(id); got != want {
			t.Errorf("en: lang.L(%q) = %q, want %q", id, got, want)
		}
	}
}
