package quiz

import (
	"bytes"
	"testing"

	"github.com/ki-reise/kicheck/bundles"
)

// TestPackagedQuizzesSurviveExport: the packaged quizzes load, and their
// GIFT, Moodle XML and YAML exports read back the same questions (so a
// trainer can move them to Moodle and back).
func TestPackagedQuizzesSurviveExport(t *testing.T) {
	bs, err := LoadBundles(bundles.Quizzes, "quizzes")
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) < 4 {
		t.Fatalf("%d packaged bundles", len(bs))
	}
	for _, b := range bs {
		t.Run(b.ID, func(t *testing.T) {
			var g bytes.Buffer
			if err := WriteGIFT(&g, b.Questions); err != nil {
				t.Fatal(err)
			}
			qs, errs := ParseGIFT(b.ID+".gift", g.Bytes())
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			assertSameQuestions(t, b.Questions, qs)

			var y bytes.Buffer
			if err := WriteBundle(&y, b); err != nil {
				t.Fatal(err)
			}
			b2, errs := ParseBundle(b.ID+".yaml", y.Bytes())
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			assertSameQuestions(t, b.Questions, b2.Questions)

			var x bytes.Buffer
			if err := WriteMoodleXML(&x, b.Questions); err != nil {
				t.Fatal(err)
			}
			xs, errs := ParseMoodleXML(b.ID+".xml", &x)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			want := make([]Question, len(b.Questions))
			for i, q := range b.Questions {
				q.Title = q.DisplayTitle() // Moodle needs a name
				q.Numeric = append([]NumericAnswer(nil), q.Numeric...)
				for k := range q.Numeric {
					q.Numeric[k].Min, q.Numeric[k].Max = nil, nil // no ranges in Moodle
				}
				want[i] = q
			}
			assertSameQuestions(t, want, xs)
		})
	}
}
