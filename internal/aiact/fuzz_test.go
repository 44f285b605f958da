package aiact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseAndClassify: whatever a sheet cell, a flag or a survey answer
// holds, parsing either returns a known id or an error that quotes the
// input escaped, and Classify of any facts never panics and always gives
// a class with the Stand.
func FuzzParseAndClassify(f *testing.F) {
	for _, s := range []string{"", "keiner", "5(a)", " Oeffentliche_Leistungen ", "1_emotionserkennung", "keine", "entscheidung", "\x00\xff", "ba", "5a\n"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		check := func(kind string, v string, err error, known bool) {
			if err != nil {
				if !strings.Contains(err.Error(), "valid:") && kind != "point" {
					t.Fatalf("%s(%q): error %q lists no valid ids", kind, a, err)
				}
				if !utf8.ValidString(err.Error()) || strings.ContainsAny(err.Error(), "\x00\n") {
					t.Fatalf("%s(%q): error not escaped: %q", kind, a, err)
				}
			} else if !known {
				t.Fatalf("%s(%q) = %q, not a known id", kind, a, v)
			}
		}
		ar, err := ParseArea(a)
		check("area", string(ar), err, known(ar, Areas))
		ef, err := ParseEffect(a)
		check("effect", string(ef), err, known(ef, Effects))
		pr, err := ParsePractice(a)
		check("practice", string(pr), err, pr == "" || known(pr, Practices))
		ex, err := ParseException(a)
		check("exception", string(ex), err, ex == "" || known(ex, Exceptions))
		pt, err := ParsePoint(a)
		check("point", string(pt), err, pt == "" || known(pt, Points))

		facts := Facts{Area: Area(a), Effect: Effect(b), Practice: Practice(b), Exception: Exception(a), Point: Point(b)}
		r := Classify(facts)
		if !known(r.Class, Classes) || r.Stand != Stand {
			t.Fatalf("Classify(%+v) = class %q stand %q", facts, r.Class, r.Stand)
		}
		if (facts.Validate() == nil) && r.HasNote("aiact.note.invalid") {
			t.Fatalf("%+v validates but Classify calls a value unknown", facts)
		}
		_, _ = Answered(Facts{}, map[string]string{a: b, "bereich": a, "wirkung": b})
		_ = r.Localize("en")
	})
}
