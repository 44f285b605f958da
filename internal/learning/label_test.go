package learning

import (
	"testing"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// TestLabelsInTheReadersLanguage: the packaged framework names its levels,
// areas and roles in English for an English run and in German otherwise;
// a municipality's framework without title_en falls back to KI-Check's
// English name of a standard role, and to the German title elsewhere.
func TestLabelsInTheReadersLanguage(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	fw := c.Framework
	for _, x := range []struct{ got, want string }{
		{fw.RoleLabel(quiz.Fachverantwortlich, "de"), "Fachverantwortliche:r"},
		{fw.RoleLabel(quiz.Fachverantwortlich, "en"), "Process owner"},
		{fw.LevelLabel(quiz.Hochspezialisiert, "de"), "Hochspezialisiert"},
		{fw.LevelLabel(quiz.Hochspezialisiert, "en"), "Highly specialised"},
		{fw.Area("A1").Label("de"), "KI verstehen"},
		{fw.Area("A1").Label("en"), "Understanding AI"},
		{fw.RoleLabel("kaemmerer", "en"), "kaemmerer"},
	} {
		if x.got != x.want {
			t.Errorf("got %q, want %q", x.got, x.want)
		}
	}
	for _, l := range fw.Levels {
		if l.TitleEN == "" {
			t.Errorf("level %s has no title_en", l.ID)
		}
	}
	for _, a := range fw.Areas {
		if a.TitleEN == "" {
			t.Errorf("area %s has no title_en", a.ID)
		}
	}
	own := &Framework{Roles: []RoleProfile{{ID: quiz.Fuehrungskraft, Title: "Amtsleitung"}}, Areas: []Area{{ID: "B1", Title: "Eigenes"}}}
	if got := own.RoleLabel(quiz.Fuehrungskraft, "en"); got != quiz.Fuehrungskraft.Label("en") {
		t.Errorf("own role without title_en in English: %q", got)
	}
	if got := own.RoleLabel(quiz.Fuehrungskraft, "de"); got != "Amtsleitung" {
		t.Errorf("own role in German: %q", got)
	}
	if got := own.Area("B1").Label("en"); got != "Eigenes" {
		t.Errorf("own area without title_en in English: %q", got)
	}
}
