package bundles_test

import (
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/quiz"
)

// TestPackagedQuizzes checks every packaged quiz against the bundle schema
// and the promises: four knowledge quizzes of at least 20 scored
// items, each item with area, level, roles and feedback, and self-rating
// statements only in the separate "-selbst" bundles.
func TestPackagedQuizzes(t *testing.T) {
	bs, err := quiz.LoadBundles(bundles.Quizzes, "quizzes")
	if err != nil {
		t.Fatal(err)
	}
	knowledge := map[string]int{}
	selfRating := map[string]int{}
	for _, b := range bs {
		if b.License != "CC-BY-4.0" || b.Language != "de" || b.Framework != "ki-kompetenz-kommunen@1.0" {
			t.Errorf("%s: license %q language %q framework %q", b.ID, b.License, b.Language, b.Framework)
		}
		isSelf := strings.HasSuffix(b.ID, "-selbst")
		for _, q := range b.Questions {
			if q.Area == "" || q.Level == "" || len(q.Roles) == 0 {
				t.Errorf("%s/%s: area, level and roles are required", b.ID, q.ID)
			}
			if (q.Type == quiz.SelfRating) != isSelf {
				t.Errorf("%s/%s: type %s in the wrong bundle (self-rating statements live in *-selbst bundles only)", b.ID, q.ID, q.Type)
			}
			if q.Type.Scored() {
				knowledge[b.ID]++
				if q.GeneralFeedback == "" {
					t.Errorf("%s/%s: general feedback is missing", b.ID, q.ID)
				}
			}
			if q.Type == quiz.SelfRating {
				selfRating[strings.TrimSuffix(b.ID, "-selbst")]++
			}
		}
	}
	for _, id := range []string{"ki-grundlagen", "datenschutz-ki-verordnung", "prompting-halluzinationen", "ki-verwaltungsalltag"} {
		if knowledge[id] < 20 {
			t.Errorf("%s: %d scored items, want at least 20", id, knowledge[id])
		}
		if selfRating[id] == 0 {
			t.Errorf("%s: no self-rating bundle %s-selbst", id, id)
		}
		t.Logf("%s: %d scored items, %d self-rating statements", id, knowledge[id], selfRating[id])
	}
}
