package quiz

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/bundle"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// TestEveryMessageIsTranslated finds every message id of the package
// ("quizparse.…" literals) and checks that German and English have it,
// with the same template fields.
func TestEveryMessageIsTranslated(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	fields := regexp.MustCompile(`\{\{[^}]*\}\}`)
	de, en := i18n.Catalog("de"), i18n.Catalog("en")
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			if !strings.HasPrefix(id, "quizparse.") {
				return true
			}
			seen++
			d, okDe := de[id]
			e, okEn := en[id]
			if !okDe || !okEn {
				t.Errorf("%s: %s: German %v, English %v", fset.Position(lit.Pos()), id, okDe, okEn)
				return true
			}
			a, b := fields.FindAllString(d, -1), fields.FindAllString(e, -1)
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Errorf("%s: German fields %v differ from English %v", id, a, b)
			}
			return true
		})
	}
	if seen < 60 {
		t.Fatalf("found only %d message ids; the scan is broken", seen)
	}
}

func TestErrorTextInGerman(t *testing.T) {
	_, errs := ParseGIFT("k.gift", []byte("::Q:: Offen {=a ~b\n\n::R:: Leer {=a ~}\n\n::S:: Nur falsch {~a ~b}\n"))
	if len(errs) != 4 {
		t.Fatalf("errors %v", errs)
	}
	errs = bundle.Errors{errs[0], errs[1], errs[3]}
	want := []string{
		"der hier begonnene Antwortblock wird nicht mit } geschlossen; eine Klammer als Text wird als \\{ geschrieben",
		"Antwort 2 ist leer",
		"mindestens eine Antwort muss einen positiven Anteil haben",
	}
	for i, w := range want {
		if got := errs[i].Message("de"); got != w {
			t.Errorf("error %d in German: %q, want %q", i, got, w)
		}
		if errs[i].Message("en") != errs[i].Msg {
			t.Errorf("English text %q differs from Msg %q", errs[i].Message("en"), errs[i].Msg)
		}
	}
	msg, hint := errs.Localize("de")
	wantMsg := "k.gift:1:13: Frage „Q“: der hier begonnene Antwortblock wird nicht mit } geschlossen; eine Klammer als Text wird als \\{ geschrieben\n" +
		"k.gift:3:16: Frage „R“: Antwort 2 ist leer\n" +
		"k.gift:5:1: Frage „S“: answers: mindestens eine Antwort muss einen positiven Anteil haben"
	if msg != wantMsg {
		t.Errorf("German:\n%s\nwant\n%s", msg, wantMsg)
	}
	if !strings.Contains(hint, "--valid-only") || !strings.Contains(hint, "korrigieren") {
		t.Errorf("German hint %q", hint)
	}
	if en := errs[2].Error(); en != `k.gift:5:1: question "S": answers: at least one answer must have a positive fraction` {
		t.Errorf("English: %s", en)
	}
	if !errors.Is(errs, ErrSyntax) || !errors.Is(errs[0], ErrSyntax) {
		t.Error("errors.Is(…, ErrSyntax) does not hold")
	}
}

// TestValuesFromTheFileAreEscaped: an id with a control character or a
// bidi override prints as an escape in the message and its position.
func TestValuesFromTheFileAreEscaped(t *testing.T) {
	_, errs := ParseGIFT("k\x1b.gift", []byte("// [id:a\u202eb]\n::Q:: Eins {=a ~b}\n\n// [id:a\u202eb]\n::R:: Zwei {=a ~b}\n"))
	if len(errs) != 1 {
		t.Fatalf("errors %v", errs)
	}
	for _, lang := range []string{"de", "en"} {
		msg, _ := errs.Localize(lang)
		if strings.ContainsAny(msg, "\x1b\u202e") || !strings.Contains(msg, `a\u202eb`) || !strings.HasPrefix(msg, `k\x1b.gift:`) {
			t.Errorf("%s: %q", lang, msg)
		}
	}
}

// TestNumbersInMessagesPerLanguage: a number from the file is written
// with the language's decimal separator and all its digits.
func TestNumbersInMessagesPerLanguage(t *testing.T) {
	q := Question{Type: Multi, Text: "Welche?", Answers: []Answer{{Text: "a", Fraction: 1.25}, {Text: "b", Fraction: 0.3333333}}}
	ps := q.Check()
	if len(ps) != 1 || ps[0].Field != "answers[0].fraction" {
		t.Fatalf("problems %v", ps)
	}
	if de, en := ps[0].Text("de"), ps[0].Text("en"); de != "der Anteil 1,25 liegt nicht zwischen -1 und 1" || en != "fraction 1.25 is outside -1..1" {
		t.Errorf("German %q, English %q", de, en)
	}
}
