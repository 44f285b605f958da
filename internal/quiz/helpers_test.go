package quiz

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// assertSameQuestions compares through JSON, the normalized form.
func assertSameQuestions(t *testing.T, want, got []Question) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%d questions, want %d", len(got), len(want))
	}
	for i := range want {
		w, _ := json.Marshal(want[i])
		g, _ := json.Marshal(got[i])
		if string(w) != string(g) {
			t.Errorf("question %d differs:\nwant %s\ngot  %s", i, w, g)
		}
	}
}

// readTestdata reads a file of testdata/ and fails the test when it is
// missing or empty: a round trip of nothing proves nothing.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("testdata: %v", err)
	}
	if len(data) == 0 {
		t.Fatalf("testdata/%s is empty", name)
	}
	return data
}

// moodleDocsQuestions is how many questions testdata/moodle-docs.gift
// holds (the examples of Moodle's GIFT documentation).
const moodleDocsQuestions = 35

// parseMoodleDocs parses testdata/moodle-docs.gift and fails unless all
// its questions come out.
func parseMoodleDocs(t *testing.T) []Question {
	t.Helper()
	qs, errs := ParseGIFT("m.gift", readTestdata(t, "moodle-docs.gift"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(qs) != moodleDocsQuestions {
		t.Fatalf("%d questions in testdata/moodle-docs.gift, want %d", len(qs), moodleDocsQuestions)
	}
	return qs
}

// assertRendered fails when a problem does not render in German and
// English: a message id missing from a catalogue prints as the id, and
// the question's name from the file must print escaped.
func assertRendered(t *testing.T, errs bundle.Errors) {
	t.Helper()
	for _, e := range errs {
		for _, lang := range []string{"de", "en"} {
			m := e.Message(lang)
			if m == "" || e.Text.ID != "" && m == e.Text.ID {
				t.Fatalf("%s: message %q of %#v", lang, m, e)
			}
			if full, _ := e.Localize(lang); e.Question != "" && !strings.Contains(full, i18n.Escape(e.Question)) {
				t.Fatalf("%s: question %q not in %q", lang, e.Question, full)
			}
		}
	}
}
