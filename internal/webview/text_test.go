package webview

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/quiz"
)

func TestParagraphs(t *testing.T) {
	cases := []struct {
		text string
		f    quiz.TextFormat
		want []string
	}{
		{"Erster Absatz\nzweite Zeile.\n\nZweiter  Absatz.", quiz.Markdown, []string{"Erster Absatz zweite Zeile.", "Zweiter Absatz."}},
		{"<p>Was ist <b>richtig</b>?</p><ul><li>eins</li><li>zwei &amp; drei</li></ul><script>x</script>", quiz.HTML, []string{"Was ist richtig?", "eins", "zwei & drei", "x"}},
		{"a<br>b", quiz.HTML, []string{"a", "b"}},
		{"", quiz.Plain, nil},
	}
	for _, c := range cases {
		if got := paragraphs(c.text, c.f); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q (%s): %q, want %q", c.text, c.f, got, c.want)
		}
	}
	if n := len(paragraphs(strings.Repeat("<p>x</p>", 1000), quiz.HTML)); n != maxParas {
		t.Errorf("%d paragraphs", n)
	}
}

func FuzzParagraphs(f *testing.F) {
	f.Add("<p>a</p><br>b", true)
	f.Add("x\n\ny", false)
	f.Fuzz(func(t *testing.T, s string, isHTML bool) {
		fm := quiz.Markdown
		if isHTML {
			fm = quiz.HTML
		}
		ps := paragraphs(s, fm)
		if len(ps) > maxParas {
			t.Fatalf("%d paragraphs", len(ps))
		}
		for _, p := range ps {
			if p == "" || strings.TrimSpace(p) != p {
				t.Fatalf("paragraph %q", p)
			}
		}
	})
}
