package aiact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/assets"
	"github.com/ki-reise/kicheck/internal/golden"
	"github.com/ki-reise/kicheck/internal/i18n"
)

// TestBothLanguagesHaveEveryID: de.aiact.json and en.aiact.json hold the
// same ids, no empty text, and every id the package uses is in them.
func TestBothLanguagesHaveEveryID(t *testing.T) {
	files := map[string]map[string]string{}
	for _, lang := range []string{"de", "en"} {
		b, err := assets.Lang.ReadFile("lang/" + lang + ".aiact.json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.aiact.json: %v", lang, err)
		}
		files[lang] = m
	}
	for id, text := range files["de"] {
		if strings.TrimSpace(text) == "" || strings.TrimSpace(files["en"][id]) == "" {
			t.Errorf("%s: missing or empty in one language", id)
		}
		if !strings.HasPrefix(id, "aiact.") {
			t.Errorf("%s: ids of this package start with aiact.", id)
		}
	}
	for id := range files["en"] {
		if _, ok := files["de"][id]; !ok {
			t.Errorf("%s: in en.aiact.json only", id)
		}
	}
	used := usedIDs()
	for id := range used {
		for _, lang := range []string{"de", "en"} {
			if _, ok := files[lang][id]; !ok {
				t.Errorf("%s: used but not in %s.aiact.json", id, lang)
			}
		}
	}
	// Every text is used (or a template for ids built at run time).
	for id := range files["de"] {
		// The command line's texts and the input errors' (aiact.err.*, with
		// the kinds they name) are checked where they are produced: app's
		// TestCLIMessageIDsExist and the bad-input tests.
		if !used[id] && !strings.HasPrefix(id, "aiact.cli.") && !strings.HasPrefix(id, "aiact.err.") && !strings.HasPrefix(id, "aiact.kind.") {
			t.Errorf("%s: in the catalogue but never used", id)
		}
	}
}

// usedIDs collects every message id the package can produce.
func usedIDs() map[string]bool {
	ids := map[string]bool{}
	var add func(m i18n.Msg)
	add = func(m i18n.Msg) {
		ids[m.ID] = true
		for _, v := range m.Data {
			if n, ok := v.(i18n.Msg); ok {
				add(n)
			}
		}
	}
	for _, c := range Classes {
		add(c.Label())
	}
	for _, a := range Areas {
		add(a.Label())
		add(msg("aiact.area." + string(a) + ".desc"))
	}
	for _, p := range Points {
		add(p.Label())
	}
	for _, e := range Effects {
		add(e.Label())
	}
	for _, x := range append([]Exception{""}, Exceptions...) {
		add(x.Label())
	}
	for _, p := range append([]Practice{""}, Practices...) {
		add(p.Label())
	}
	for _, f := range append(allFacts(), casesFacts()...) {
		r := Classify(f)
		for _, b := range r.Basis {
			add(b.Text)
		}
		for _, d := range r.Duties {
			add(d.Text)
		}
		for _, n := range r.Notes {
			add(n)
		}
	}
	for _, q := range Questions() {
		add(q.Text)
		add(q.Help)
		for _, a := range q.Answers {
			add(a.Text)
		}
	}
	for _, id := range []string{"class", "since", "basis", "duties", "from", "notes", "stand"} {
		ids["aiact.text."+id] = true
	}
	return ids
}

func casesFacts() []Facts {
	var out []Facts
	for _, tc := range classifyCases {
		out = append(out, tc.facts)
	}
	for _, p := range Points {
		out = append(out, Facts{Area: p.Area(), Point: p})
	}
	for _, p := range Practices {
		out = append(out, Facts{Practice: p})
	}
	for _, l := range Lands {
		out = append(out, Facts{Effect: EffectDecision, PersonalData: true, Land: l})
	}
	return out
}

// TestRenderedTextsAreComplete: every message any result can carry
// renders in both languages without a raw id, an unfilled field or a
// template error, and every text output names the Stand.
func TestRenderedTextsAreComplete(t *testing.T) {
	raw := regexp.MustCompile(`aiact\.[a-z_.0-9]+|<no value>|\{\{`)
	msgs := map[string]i18n.Msg{} // one of each id+data
	for _, f := range allFacts() {
		r := Classify(f)
		all := slices.Clone(r.Notes)
		for _, b := range r.Basis {
			all = append(all, b.Text)
		}
		for _, d := range r.Duties {
			all = append(all, d.Text)
		}
		for _, m := range all {
			msgs[fmt.Sprint(m.ID, m.Data)] = m
		}
	}
	for _, m := range msgs {
		for _, lang := range []string{"de", "en"} {
			if s := m.Text(lang); raw.MatchString(s) || s == "" {
				t.Errorf("%s in %s renders as %q", m.ID, lang, s)
			}
		}
	}
	for _, f := range casesFacts() {
		for _, lang := range []string{"de", "en"} {
			var b bytes.Buffer
			if err := WriteText(&b, lang, Classify(f)); err != nil {
				t.Fatal(err)
			}
			if m := raw.FindString(b.String()); m != "" {
				t.Fatalf("%+v in %s: %q in\n%s", f, lang, m, b.String())
			}
			if !strings.Contains(b.String(), map[string]string{"de": "4. Dezember 2026", "en": "4 December 2026"}[lang]) {
				t.Fatalf("%+v in %s: no Stand date:\n%s", f, lang, b.String())
			}
		}
	}
}

func TestDateText(t *testing.T) {
	for _, tc := range []struct {
		d          Date
		lang, want string
	}{
		{"2027-12-02", "de", "2. Dezember 2027"}, {"2027-12-02", "en", "2 December 2027"},
		{"2025-02-02", "de", "2. Februar 2025"}, {"kaputt", "de", "kaputt"},
	} {
		if got := tc.d.Text(tc.lang); got != tc.want {
			t.Errorf("%s in %s = %q, want %q", tc.d, tc.lang, got, tc.want)
		}
	}
}

// TestGolden: the text output of the named cases, as a person
// reads it, in both languages. go test ./internal/aiact -update rewrites.
func TestGolden(t *testing.T) {
	named := []string{"Wohngeld: Anspruch prüfen (Vorschlag)", "Wohngeld: vorsortieren, Begründung fehlt", "Wohngeld: vorsortieren mit Profiling",
		"Posteingang an Fachämter verteilen", "Bürger-Chatbot auf der Website", "Bewerbungen ranken", "Emotionserkennung bei Beschäftigten", "Wohngeld: Bescheid automatisch"}
	for _, lang := range []string{"de", "en"} {
		var b bytes.Buffer
		for _, name := range named {
			i := slices.IndexFunc(classifyCases, func(c classifyCase) bool { return c.name == name })
			if i < 0 {
				t.Fatalf("no case %q", name)
			}
			b.WriteString("=== " + name + "\n")
			if err := WriteText(&b, lang, Classify(classifyCases[i].facts)); err != nil {
				t.Fatal(err)
			}
			b.WriteString("\n")
		}
		golden.Check(t, "named-cases."+lang+".golden", b.Bytes())
	}
}
