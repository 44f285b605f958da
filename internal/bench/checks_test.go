package bench

import (
	"math"
	"strings"
	"testing"
)

func compileOne(t *testing.T, c Check) Check {
	t.Helper()
	if _, err := c.compile(); err != nil {
		t.Fatal(err)
	}
	return c
}

func str(s string) *string { return &s }

func TestChecks(t *testing.T) {
	schema := map[string]any{
		"type":     "object",
		"required": []any{"fachbereich"},
		"properties": map[string]any{
			"fachbereich": map[string]any{"enum": []any{"Ordnungsamt", "Bauamt"}},
		},
	}
	german := "Sehr geehrte Frau Beispiel, der Betrag ist bis zum 15. Mai zu zahlen. Wenn Sie nicht einverstanden sind, können Sie innerhalb eines Monats Widerspruch einlegen."
	english := "Dear Ms Example, the amount is due by 15 May. If you do not agree, you can object within one month of the notice."
	cases := []struct {
		name   string
		check  Check
		answer string
		pass   bool
	}{
		{"contains case-insensitive", Check{Contains: str("widerspruch")}, german, true},
		{"contains missing", Check{Contains: str("Klage")}, german, false},
		{"not_contains ok", Check{NotContains: str("Als KI")}, german, true},
		{"not_contains hit", Check{NotContains: str("betrag")}, german, false},
		{"regex", Check{Regex: str(`\d+\. Mai`)}, german, true},
		{"regex miss", Check{Regex: str(`Juni`)}, german, false},
		{"json plain", Check{JSONSchema: schema}, `{"fachbereich": "Ordnungsamt"}`, true},
		{"json fenced", Check{JSONSchema: schema}, "Hier:\n```json\n{\"fachbereich\": \"Bauamt\"}\n```\nGruß", true},
		{"json with prose", Check{JSONSchema: schema}, `Die Antwort: {"fachbereich": "Bauamt"} – fertig.`, true},
		{"json wrong enum", Check{JSONSchema: schema}, `{"fachbereich": "Zoo"}`, false},
		{"json invalid", Check{JSONSchema: schema}, `{"fachbereich": }`, false},
		{"json none", Check{JSONSchema: schema}, `Ordnungsamt`, false},
		{"length ok", Check{Length: &LengthBounds{Min: 10, Max: 500}}, german, true},
		{"length short", Check{Length: &LengthBounds{Min: 500}}, german, false},
		{"length long", Check{Length: &LengthBounds{Min: 1, Max: 20}}, german, false},
		{"german", Check{LanguageIsGerman: &GermanCheck{}}, german, true},
		{"english is not german", Check{LanguageIsGerman: &GermanCheck{}}, english, false},
		{"too short to judge", Check{LanguageIsGerman: &GermanCheck{}}, "Ja, bitte.", false},
		{"german without umlauts", Check{LanguageIsGerman: &GermanCheck{}}, strings.NewReplacer("ö", "oe", "ä", "ae", "ü", "ue").Replace(german), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := compileOne(t, tc.check)
			r := c.Run(tc.answer)
			if r.Passed != tc.pass {
				t.Errorf("passed = %v, want %v (%s)", r.Passed, tc.pass, r.Detail)
			}
			if !r.Passed && r.Detail == "" {
				t.Error("a failed check must say why")
			}
		})
	}
}

func TestMeasureGerman(t *testing.T) {
	g := MeasureGerman("Der Antrag ist bei der Stadt und nicht beim Land zu stellen.")
	if g.Words != 12 || g.GermanRatio < 0.4 || g.EnglishRatio != 0 {
		t.Errorf("%+v", g)
	}
	if g := MeasureGerman(""); g.Words != 0 || g.GermanRatio != 0 {
		t.Errorf("empty: %+v", g)
	}
}

func TestSummarise(t *testing.T) {
	s := Summarise([]float64{4, 2, math.NaN(), 8, 6})
	if s.N != 4 || s.Mean != 5 || s.Median != 5 || s.Min != 2 || s.Max != 8 {
		t.Errorf("%+v", s)
	}
	// Sample standard deviation of 2,4,6,8: sqrt(20/3).
	if math.Abs(s.Stddev-math.Sqrt(20.0/3)) > 1e-12 {
		t.Errorf("stddev %v", s.Stddev)
	}
	if s := Summarise(nil); s.N != 0 {
		t.Errorf("empty: %+v", s)
	}
	if s := Summarise([]float64{3, 1, 2}); s.Median != 2 || s.Stddev != 1 {
		t.Errorf("odd: %+v", s)
	}
}

func TestSynthText(t *testing.T) {
	a := SynthText("pp512", 1, 100)
	if a != SynthText("pp512", 1, 100) {
		t.Error("not deterministic")
	}
	b := SynthText("pp512", 2, 100)
	if a == b || a[:20] == b[:20] {
		t.Errorf("repetitions share a prefix:\n%s\n%s", a[:40], b[:40])
	}
	if n := len(strings.Fields(a)); n != 102 { // "Vorgang N-XXXXXX." + 100 words
		t.Errorf("%d fields", n)
	}
	c := Calibration{Overhead: 20, PerWord: 2}
	if w := c.WordsFor(512); w != 246 {
		t.Errorf("WordsFor = %d", w)
	}
	if w := c.WordsFor(5); w != 1 {
		t.Errorf("WordsFor small = %d", w)
	}
}

func FuzzParseBundle(f *testing.F) {
	f.Add([]byte(goodBundle))
	f.Add([]byte("format: 1\nid: x\nprompts: [{checks: [{regex: '('}]}]"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBundle("fuzz.yaml", data)
		if err == nil && (b.ID == "" || len(b.Prompts) == 0) {
			t.Fatal("accepted a bundle without id or prompts")
		}
	})
}

func FuzzExtractJSON(f *testing.F) {
	f.Add("```json\n{}\n```")
	f.Add("text {\"a\": [1]} more")
	f.Add("[")
	f.Fuzz(func(t *testing.T, s string) {
		_ = ExtractJSON(s)
	})
}

func TestCalibrationObserve(t *testing.T) {
	c := Calibration{Overhead: 30, PerWord: 2, Words: 200, Measured: true}
	// 100 words gave 30 + 300 tokens: pooled (400 + 300) / 300 words.
	c.observe(100, 330)
	if c.Words != 300 || c.PerWord != 700.0/300 {
		t.Errorf("%+v", c)
	}
	c.observe(10, 20) // below the overhead: ignored
	if c.Words != 300 {
		t.Errorf("%+v", c)
	}
}
