package quiz

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseBundleAllTypes(t *testing.T) {
	b, err := LoadBundleFile("testdata/all-types.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != "beispiel" || b.Version != "1.0.0" || len(b.Questions) != 9 {
		t.Fatalf("bundle %s %s with %d questions", b.ID, b.Version, len(b.Questions))
	}
	byID := map[string]Question{}
	for _, q := range b.Questions {
		byID[q.ID] = q
	}
	tf := byID["b-tf"]
	if len(tf.Answers) != 2 || tf.Answers[0].Text != "true" || tf.Answers[0].Fraction != 1 || tf.Answers[1].Feedback != "Leider doch." {
		t.Errorf("truefalse answers %+v", tf.Answers)
	}
	num := byID["b-num"].Numeric
	if !num[1].IsRange() || num[1].Value != 2025 || num[1].Tolerance != 1 || !num[2].Other {
		t.Errorf("numeric %+v", num)
	}
	s := byID["b-single"]
	if s.Format != Markdown || s.Area != "A1" || s.Level != Grundlage || len(s.Roles) != 2 || s.Category != "KI-Grundlagen/Begriffe" {
		t.Errorf("single %+v", s)
	}
	if byID["b-desc"].Format != Plain {
		t.Errorf("description format %q", byID["b-desc"].Format)
	}
}

func TestBundleWriteRoundTrip(t *testing.T) {
	b, err := LoadBundleFile("testdata/all-types.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteBundle(&buf, b); err != nil {
		t.Fatal(err)
	}
	b2, errs := ParseBundle("written.yaml", buf.Bytes())
	if len(errs) > 0 {
		t.Fatalf("%v\n%s", errs, buf.String())
	}
	assertSameQuestions(t, b.Questions, b2.Questions)
}

func TestParseBundleErrors(t *testing.T) {
	const head = "format: kicheck-quiz/1\nid: x\nversion: '1'\ntitle: X\nquestions:\n"
	tests := []struct {
		name      string
		yaml      string
		wantLine  int
		wantField string
		wantMsg   string
		wantValid int // questions that survive
	}{
		{"syntax", "format: [kicheck\nid: x\n", 0, "", "", -1},
		{"unknown type", head + "  - id: a\n    type: quiz\n    text: T\n", 7, "questions[0].type", "", 0},
		// The unknown key itself is named, at its line (it used to be the question, line 6).
		{"unknown field", head + "  - id: a\n    type: essay\n    text: T\n    colour: red\n", 9, "questions[0].colour", "colour", 0},
		{"empty answer", head + "  - id: a\n    type: single\n    text: T\n    answers:\n      - {text: '', fraction: 1}\n      - {text: b}\n", 10, "questions[0].answers[0].text", "answer 1 is empty", 0},
		{"duplicate id", head + "  - id: a\n    type: essay\n    text: T\n  - id: a\n    type: essay\n    text: U\n", 9, "questions[1].id", "duplicate id", 1},
		{"no correct", head + "  - id: a\n    type: single\n    text: T\n    answers:\n      - {text: a, fraction: 0.5}\n      - {text: b}\n", 10, "questions[0].answers", "fraction 1", 0},
		{"missing version", "format: kicheck-quiz/1\nid: x\ntitle: X\nquestions:\n  - {id: a, type: essay, text: T}\n", 1, "", "version", -1},
		{"wrong format", "format: other/2\nid: x\nversion: '1'\ntitle: X\nquestions:\n  - {id: a, type: essay, text: T}\n", 1, "format", "", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, errs := ParseBundle("f.yaml", []byte(tc.yaml))
			if len(errs) == 0 {
				t.Fatal("no error")
			}
			e := errs[0]
			if e.File != "f.yaml" || e.Line == 0 {
				t.Errorf("error without position: %v", e)
			}
			if tc.wantLine > 0 && e.Line != tc.wantLine {
				t.Errorf("line %d, want %d: %v", e.Line, tc.wantLine, e)
			}
			if e.Field() != tc.wantField {
				t.Errorf("field %q, want %q: %v", e.Field(), tc.wantField, e)
			}
			if !strings.Contains(e.Error(), tc.wantMsg) {
				t.Errorf("message %q lacks %q", e.Error(), tc.wantMsg)
			}
			if tc.wantValid < 0 {
				if b != nil {
					t.Errorf("bundle returned for a broken file")
				}
			} else if b == nil || len(b.Questions) != tc.wantValid {
				t.Errorf("valid questions: %v", b)
			}
		})
	}
}

// TestBundleRoundTripProperty: generated questions of every type survive
// WriteBundle and ParseBundle unchanged.
func TestBundleRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 100; i++ {
		qs := genQuestions(rng, 1+rng.IntN(5))
		for j := range qs {
			qs[j].ID = fmt.Sprintf("q%d", j) // bundle ids are plain
		}
		b := &Bundle{ID: "gen", Version: "1", Title: "Gen", Questions: qs}
		var buf bytes.Buffer
		if err := WriteBundle(&buf, b); err != nil {
			t.Fatal(err)
		}
		got, errs := ParseBundle("gen.yaml", buf.Bytes())
		if len(errs) > 0 {
			t.Fatalf("iteration %d: %v\n%s", i, errs, buf.String())
		}
		assertSameQuestions(t, qs, got.Questions)
		if t.Failed() {
			t.Fatalf("iteration %d:\n%s", i, buf.String())
		}
	}
}

func FuzzParseBundle(f *testing.F) {
	seed := readTestdata(f, "all-types.yaml")
	f.Add(seed)
	f.Add([]byte("format: kicheck-quiz/1\nid: x\nversion: '1'\ntitle: X\nquestions:\n  - {id: a, type: essay, text: T}\n"))
	f.Add([]byte("questions: [1, {id: 2}]"))
	f.Add([]byte("- a\n- b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, errs := ParseBundle("fuzz.yaml", data)
		assertRendered(t, errs)
		if b == nil && len(errs) == 0 {
			t.Fatal("no bundle and no error")
		}
		for _, e := range errs {
			if e.File != "fuzz.yaml" || e.Msg == "" {
				t.Fatalf("error without file or message: %#v", e)
			}
		}
		if b == nil || len(errs) > 0 {
			return
		}
		// A valid bundle is written and read back the same.
		var buf bytes.Buffer
		if err := WriteBundle(&buf, b); err != nil {
			t.Fatal(err)
		}
		again, errs := ParseBundle("again.yaml", buf.Bytes())
		if len(errs) > 0 {
			t.Fatalf("written bundle does not parse: %v\n%s", errs, buf.String())
		}
		if !sameQuestions(b.Questions, again.Questions) {
			t.Fatalf("round trip differs:\n%s", buf.String())
		}
	})
}
