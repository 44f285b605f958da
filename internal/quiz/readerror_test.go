package quiz

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// TestReadFileMissingSpeaksTheReadersLanguage: a question file that is not
// there is an error in the reader's language that names the file, keeps
// the operating system's text only as its detail, and still is
// fs.ErrNotExist for errors.Is.
func TestReadFileMissingSpeaksTheReadersLanguage(t *testing.T) {
	name := filepath.Join(t.TempDir(), "fehlt.gift")
	_, err := ReadFile(name, FormatGIFT)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist in its chain", err)
	}
	var l i18n.Localizer
	if !errors.As(err, &l) {
		t.Fatalf("err %T is no i18n.Localizer", err)
	}
	for lang, want := range map[string]string{
		"de": "die Fragendatei " + name + " lässt sich nicht lesen: ",
		"en": "the question file " + name + " cannot be read: ",
	} {
		msg, hint := l.Localize(lang)
		if !strings.HasPrefix(msg, want) || strings.Count(msg, name) != 1 || hint == "" {
			t.Errorf("%s: %q / %q, want %q…, the file named once, and a hint", lang, msg, hint, want)
		}
	}
}
