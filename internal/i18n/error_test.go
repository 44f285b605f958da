package i18n

import (
	"errors"
	"io/fs"
	"testing"
)

// TestWithHintKeepsTheCausesMessage: a hint added around an error renders
// in the reader's language, and the cause's own message stays: localized
// when the cause is an Error, as it is when it comes from the system.
func TestWithHintKeepsTheCausesMessage(t *testing.T) {
	cause := NewError("cli.usage.lang", "", map[string]any{"Lang": "fr"}, nil)
	e := WithHint(cause, "cli.usage.needs_subcommand", map[string]any{"Command": "quiz"})
	for _, lang := range []string{"de", "en"} {
		msg, hint := e.Localize(lang)
		if want := T(lang, "cli.usage.lang", map[string]any{"Lang": "fr"}); msg != want {
			t.Errorf("%s: message %q, want the cause's %q", lang, msg, want)
		}
		if want := T(lang, "cli.usage.needs_subcommand", map[string]any{"Command": "quiz"}); hint != want {
			t.Errorf("%s: hint %q, want %q", lang, hint, want)
		}
	}
	if de, _ := e.Localize("de"); de == e.Error() {
		t.Errorf("German and English render alike: %q", de)
	}

	sys := WithHint(fs.ErrNotExist, "cli.usage.needs_subcommand", map[string]any{"Command": "quiz"})
	if msg, _ := sys.Localize("de"); msg != fs.ErrNotExist.Error() {
		t.Errorf("system error rendered as %q", msg)
	}
	if !errors.Is(sys, fs.ErrNotExist) || sys.Error() != fs.ErrNotExist.Error() {
		t.Errorf("cause lost: %v", sys)
	}
}
