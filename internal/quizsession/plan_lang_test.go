package quizsession

import (
	"errors"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// TestPlanErrorsSpeakTheReadersLanguage: every way a session cannot be
// drawn as asked is a message in the reader's language, not English text
// inside a German sentence.
func TestPlanErrorsSpeakTheReadersLanguage(t *testing.T) {
	b := packaged(t, "ki-grundlagen")
	for _, c := range []struct {
		name   string
		b      *quiz.Bundle
		opts   Options
		de, en string
	}{
		{"empty", &quiz.Bundle{ID: "leer"}, Options{}, "das Quiz hat keine Fragen", "the quiz has no questions"},
		{"id", b, Options{ID: "zwei worte"}, "die Sitzungskennung „zwei worte“ ist nicht erlaubt", "session id \"zwei worte\" is not allowed"},
		{"per cell", b, Options{PerCell: -1}, "die Anzahl je Bereich und Stufe (-1) darf nicht negativ sein", "the count per area and level (-1) must not be negative"},
		{"time", b, Options{TimeLimit: -60e9}, "die Zeitbegrenzung -1m0s darf nicht negativ sein", "the time limit -1m0s must not be negative"},
		{"cell", b, Options{Draw: map[Cell]int{{"A9", quiz.Mittel}: 1}}, "das Quiz ki-grundlagen hat im Bereich A9 auf der Stufe mittel keine Fragen", "the quiz ki-grundlagen has no questions in area A9 at level mittel"},
	} {
		_, err := Plan(c.b, nil, c.opts, now)
		var l i18n.Localizer
		if !errors.As(err, &l) {
			t.Errorf("%s: err %v (%T) is no i18n.Localizer", c.name, err, err)
			continue
		}
		if de, _ := l.Localize("de"); !strings.HasPrefix(de, c.de) {
			t.Errorf("%s: de %q, want %q…", c.name, de, c.de)
		}
		if en, _ := l.Localize("en"); !strings.HasPrefix(en, c.en) {
			t.Errorf("%s: en %q, want %q…", c.name, en, c.en)
		}
	}
}
