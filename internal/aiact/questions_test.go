package aiact

import (
	"slices"
	"testing"
)

// TestSurveyFindsTheNamedCases: answering the plain questions as a clerk
// would gives the facts, and the class, of the named cases.
func TestSurveyFindsTheNamedCases(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers map[string]string
		class   Class
		basis   string // one article the basis must name
		duty    string // one duty the result must carry ("" for none)
	}{
		{"Wohngeld: Anspruch prüfen", map[string]string{"verbot": "keine", "bereich": "oeffentliche_leistungen", "nummer_oeffentliche_leistungen": "5a",
			"profiling": "nein", "wirkung": "vorschlag", "ausnahme": "keine", "personenbezug": "ja"},
			HighRisk, "Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO", "art27"},
		{"Wohngeld: vorsortieren", map[string]string{"verbot": "keine", "bereich": "oeffentliche_leistungen", "nummer_oeffentliche_leistungen": "5a",
			"profiling": "nein", "wirkung": "vorbereitend", "ausnahme": "vorbereitung", "ausnahme_dokumentiert": "ja"},
			Minimal, "Art. 6 Abs. 3 Buchst. d KI-VO", "art6_4"},
		// Profiling: the exception question is not asked; an answer to it
		// (left from an earlier round) is ignored.
		{"Wohngeld: vorsortieren mit Profiling", map[string]string{"verbot": "keine", "bereich": "oeffentliche_leistungen", "nummer_oeffentliche_leistungen": "5a",
			"profiling": "ja", "wirkung": "vorbereitend", "ausnahme": "vorbereitung", "ausnahme_dokumentiert": "ja"},
			HighRisk, "Art. 6 Abs. 3 KI-VO", "dsfa_profiling"},
		{"Posteingang", map[string]string{"verbot": "keine", "bereich": "keiner", "profiling": "nein", "wirkung": "vorbereitend", "ausnahme": "vorbereitung"},
			Minimal, "Art. 5, 6, 50 KI-VO", ""},
		{"Chatbot", map[string]string{"verbot": "keine", "bereich": "keiner", "profiling": "nein", "wirkung": "vorbereitend", "buerger_dialog": "ja"},
			Transparency, "Art. 50 Abs. 1 KI-VO", "art50_1"},
		{"Bewerbungen ranken", map[string]string{"verbot": "keine", "bereich": "beschaeftigung", "nummer_beschaeftigung": "4a", "profiling": "ja", "wirkung": "vorschlag", "personenbezug": "ja"},
			HighRisk, "Art. 6 Abs. 2 i. V. m. Anhang III Nr. 4 Buchst. a KI-VO", "dsfa_profiling"},
		{"Emotionserkennung Beschäftigte", map[string]string{"verbot": "emotion_arbeitsplatz_bildung", "bereich": "biometrie", "beschaeftigte": "ja"},
			Prohibited, "Art. 5 Abs. 1 Buchst. f KI-VO", "art5"},
		{"Bescheid automatisch", map[string]string{"verbot": "keine", "bereich": "keiner", "profiling": "nein", "wirkung": "entscheidung", "personenbezug": "ja"},
			Minimal, "Art. 5, 6, 50 KI-VO", "vwvfg35a"},
		{"Pressemitteilung geprüft", map[string]string{"verbot": "keine", "bereich": "keiner", "profiling": "nein", "wirkung": "vorschlag", "veroeffentlichung": "ja", "redaktion": "ja"},
			Minimal, "Art. 5, 6, 50 KI-VO", ""},
	} {
		f, err := Answered(Facts{}, tc.answers)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		r := Classify(f)
		if r.Class != tc.class {
			t.Errorf("%s: %+v gives %s, want %s", tc.name, f, r.Class, tc.class)
		}
		if !slices.ContainsFunc(r.Basis, func(b Ref) bool { return b.Article == tc.basis }) {
			t.Errorf("%s: basis %v lacks %q", tc.name, r.Basis, tc.basis)
		}
		if tc.duty != "" && !r.HasDuty(tc.duty) {
			t.Errorf("%s: no duty %s", tc.name, tc.duty)
		}
	}
}

// TestQuestionsAreConsistent: every answer sets known fields to valid
// values, every condition names a known field, ids are unique, and each
// question that determines a field other than the practice is skipped
// once a prohibited practice is chosen.
func TestQuestionsAreConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range Questions() {
		if seen[q.ID] {
			t.Errorf("question %s twice", q.ID)
		}
		seen[q.ID] = true
		if len(q.Answers) < 2 {
			t.Errorf("%s: fewer than two answers", q.ID)
		}
		for _, c := range q.When {
			if _, err := (Facts{}).Get(c.Field); err != nil {
				t.Errorf("%s: condition %v", q.ID, err)
			}
		}
		for _, a := range q.Answers {
			if _, ok := a.Set[q.Field]; !ok {
				t.Errorf("%s/%s does not set the question's field %s", q.ID, a.ID, q.Field)
			}
			if _, err := a.Apply(Facts{}); err != nil {
				t.Errorf("%s/%s: %v", q.ID, a.ID, err)
			}
		}
		if q.Field != FieldPractice && q.Asked(Facts{Practice: PracticeSocialScoring}) {
			t.Errorf("%s is asked although a prohibited practice was chosen", q.ID)
		}
	}
	// Every practice, area, point, effect and exception can be reached.
	reach := map[string]bool{}
	for _, q := range Questions() {
		for _, a := range q.Answers {
			for k, v := range a.Set {
				reach[k+"="+v] = true
			}
		}
	}
	var want []string
	for _, p := range Practices {
		want = append(want, FieldPractice+"="+string(p))
	}
	for _, a := range Areas {
		want = append(want, FieldArea+"="+string(a))
	}
	for _, p := range Points {
		want = append(want, FieldPoint+"="+string(p))
	}
	for _, e := range Effects {
		want = append(want, FieldEffect+"="+string(e))
	}
	for _, x := range Exceptions {
		want = append(want, FieldException+"="+string(x))
	}
	for _, w := range want {
		if !reach[w] {
			t.Errorf("no answer sets %s", w)
		}
	}
}

func TestAskedFollowsEarlierAnswers(t *testing.T) {
	byID := map[string]Question{}
	for _, q := range Questions() {
		byID[q.ID] = q
	}
	x := byID["ausnahme"]
	for _, tc := range []struct {
		f    Facts
		want bool
	}{
		{Facts{Area: AreaPublicServices, Effect: EffectPreparatory}, true},
		{Facts{Area: AreaNone, Effect: EffectPreparatory}, false},
		{Facts{Area: AreaPublicServices, Effect: EffectPreparatory, Profiling: true}, false},
		{Facts{Area: AreaPublicServices, Effect: EffectDecision}, false},
		{Facts{}, false}, // no area yet counts as keiner
	} {
		if got := x.Asked(tc.f); got != tc.want {
			t.Errorf("ausnahme asked for %+v = %v, want %v", tc.f, got, tc.want)
		}
	}
	if byID["nummer_beschaeftigung"].Asked(Facts{Area: AreaPublicServices}) || !byID["nummer_beschaeftigung"].Asked(Facts{Area: AreaEmployment}) {
		t.Error("the point question must follow the area")
	}
	if byID["redaktion"].Asked(Facts{}) || !byID["redaktion"].Asked(Facts{PublishesText: true}) {
		t.Error("the editorial question must follow publishing")
	}
}

func TestAnsweredRejectsUnknownIDs(t *testing.T) {
	for _, answers := range []map[string]string{
		{"bereich": "sozialamt"},
		{"gibtsnicht": "ja"},
		{"profiling": "vielleicht"},
	} {
		if _, err := Answered(Facts{}, answers); err == nil {
			t.Errorf("%v must be refused", answers)
		}
	}
}
