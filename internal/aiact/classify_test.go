package aiact

import (
	"slices"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/dataclass"
)

// Every Annex III high-risk result carries these deployer duties, in this
// order, from 2 Dec 2027 (Art. 26, 14, 49, and Art. 27 except area 2).
var highRiskDuties = []string{"art26_instructions", "art26_oversight", "art26_input", "art26_monitoring", "art26_workers", "art26_inform", "art49"}

func hr(extra ...string) []string {
	return append(slices.Clone(highRiskDuties), extra...)
}

// classifyCase is one use of AI, worked out by hand from the reference
// (shared/recht/ki-verordnung-kurzreferenz.md, Stand 2026-12-04).
type classifyCase struct {
	name   string
	facts  Facts
	class  Class
	since  Date
	basis  []string // Ref.Article, in order
	duties []string // Duty.ID, in order
	notes  []string // Notes' message ids without "aiact.note.", in order
}

var classifyCases = []classifyCase{
	{
		// Issue 12: AI deciding eligibility for Wohngeld → Annex III 5(a).
		// A person adopts the proposal, so no § 35a note; no exception.
		name:   "Wohngeld: Anspruch prüfen (Vorschlag)",
		facts:  Facts{Area: AreaPublicServices, Point: "5a", Effect: EffectSuggestion, PersonalData: true, DataClass: dataclass.SocialData},
		class:  HighRisk,
		since:  DateAnnexIII,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO"},
		duties: hr("art27", "art4"),
		notes:  []string{"no_exception", "annex3_date", "art25", "dsfa_check", "sozialdaten", "avv", "automation_bias"},
	},
	{
		// The same from the CSV, which knows the area but not the point.
		name:   "Wohngeld: Anspruch prüfen, nur Bereich bekannt",
		facts:  Facts{Area: AreaPublicServices, Effect: EffectSuggestion, PersonalData: true},
		class:  HighRisk,
		since:  DateAnnexIII,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 KI-VO"},
		duties: hr("art27", "art4"),
		notes:  []string{"point_missing", "no_exception", "annex3_date", "art25", "dsfa_check", "avv", "automation_bias"},
	},
	{
		// Issue 12: pre-sorting Wohngeld applications by topic, preparatory,
		// no profiling → not high-risk via Art. 6(3)(d); documented; the
		// documentation and registration duties stay (Art. 6(4), 49(2)).
		name:   "Wohngeld: Anträge nach Thema vorsortieren, dokumentiert",
		facts:  Facts{Area: AreaPublicServices, Point: "5a", Effect: EffectPreparatory, Exception: ExceptionPreparatory, ExceptionDocumented: true, PersonalData: true},
		class:  Minimal,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO", "Art. 6 Abs. 3 Buchst. d KI-VO"},
		duties: []string{"art6_4", "art49_2", "art4"},
		notes:  []string{"exception_provider", "exception_conditions", "dsfa_check", "avv"},
	},
	{
		// The same without the written assessment: still not high-risk,
		// but the result says the documentation is missing (first note).
		name:   "Wohngeld: vorsortieren, Begründung fehlt",
		facts:  Facts{Area: AreaPublicServices, Point: "5a", Effect: EffectPreparatory, Exception: ExceptionPreparatory, PersonalData: true},
		class:  Minimal,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO", "Art. 6 Abs. 3 Buchst. d KI-VO"},
		duties: []string{"art6_4", "art49_2", "art4"},
		notes:  []string{"exception_undocumented", "exception_provider", "exception_conditions", "dsfa_check", "avv"},
	},
	{
		// Issue 12: the same pre-sorting with profiling of the applicants
		// → high-risk, whatever exception is claimed; the DSGVO names a
		// DSFA for evaluating persons by profiling.
		name:   "Wohngeld: vorsortieren mit Profiling",
		facts:  Facts{Area: AreaPublicServices, Point: "5a", Profiling: true, Effect: EffectPreparatory, Exception: ExceptionPreparatory, ExceptionDocumented: true, PersonalData: true},
		class:  HighRisk,
		since:  DateAnnexIII,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO", "Art. 6 Abs. 3 KI-VO"},
		duties: hr("art27", "art4", "dsfa_profiling"),
		notes:  []string{"exception_profiling", "annex3_date", "art25", "avv"},
	},
	{
		// Issue 12: pre-sorting general incoming mail to departments, no
		// Annex III area → minimal; personal data → check DSFA, AVV.
		name:   "Posteingang an Fachämter verteilen",
		facts:  Facts{Area: AreaNone, Effect: EffectPreparatory, PersonalData: true},
		class:  Minimal,
		basis:  []string{"Art. 5, 6, 50 KI-VO"},
		duties: []string{"art4"},
		notes:  []string{"dsfa_check", "avv"},
	},
	{
		// Issue 12: a citizens' chatbot → Art. 50(1), since 2 Aug 2026.
		name:   "Bürger-Chatbot auf der Website",
		facts:  Facts{Area: AreaNone, Effect: EffectPreparatory, InteractsWithPublic: true},
		class:  Transparency,
		since:  DateArt50,
		basis:  []string{"Art. 50 Abs. 1 KI-VO"},
		duties: []string{"art50_1", "art4"},
		notes:  []string{"provider_own_name", "since"},
	},
	{
		// Issue 12: ranking job applicants → Annex III 4(a); ranking
		// evaluates persons (profiling), so a DSFA is named; informing
		// the staff council: the Land's provision is left open.
		name:   "Bewerbungen ranken",
		facts:  Facts{Area: AreaEmployment, Point: "4a", Profiling: true, Effect: EffectSuggestion, PersonalData: true, AffectsStaff: true},
		class:  HighRisk,
		since:  DateAnnexIII,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 4 Buchst. a KI-VO", "Art. 6 Abs. 3 KI-VO"},
		duties: hr("art27", "art4", "dsfa_profiling", "personalrat"),
		notes:  []string{"annex3_date", "art25", "avv", "automation_bias"},
	},
	{
		// Issue 12: emotion recognition of staff → Art. 5(1)(f), since
		// 2 Feb 2025; nothing else matters then.
		name:   "Emotionserkennung bei Beschäftigten",
		facts:  Facts{Area: AreaBiometrics, Practice: PracticeEmotionWorkEducation, AffectsStaff: true, PersonalData: true, Effect: EffectSuggestion},
		class:  Prohibited,
		since:  DateArt5,
		basis:  []string{"Art. 5 Abs. 1 Buchst. f KI-VO"},
		duties: []string{"art5"},
		notes:  []string{"limit.emotion_arbeitsplatz_bildung", "art5_since", "art99"},
	},
	{
		// Wohngeld granted automatically: the output is the decision, so
		// the claimed exception cannot hold (Art. 6(3) requires no
		// material influence); § 35a VwVfG and Art. 22 DSGVO apply.
		name:   "Wohngeld: Bescheid automatisch",
		facts:  Facts{Area: AreaPublicServices, Point: "5a", Effect: EffectDecision, Exception: ExceptionPreparatory, ExceptionDocumented: true, PersonalData: true},
		class:  HighRisk,
		since:  DateAnnexIII,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO"},
		duties: hr("art27", "art4", "art22", "vwvfg35a"),
		notes:  []string{"exception_decision", "oversight_decision", "annex3_date", "art25", "dsfa_check", "avv", "effect_decision"},
	},
	{
		// A fully automated act outside Annex III (e.g. a parking permit):
		// minimal under the AI Act, but § 35a VwVfG and Art. 22 DSGVO.
		name:   "Bewohnerparkausweis vollautomatisch",
		facts:  Facts{Area: AreaNone, Effect: EffectDecision, PersonalData: true},
		class:  Minimal,
		basis:  []string{"Art. 5, 6, 50 KI-VO"},
		duties: []string{"art4", "art22", "vwvfg35a"},
		notes:  []string{"dsfa_check", "avv", "effect_decision"},
	},
	{
		// The same in Saxony-Anhalt: the VwVfG LSA refers to the federal act.
		name:   "Bewohnerparkausweis vollautomatisch, Sachsen-Anhalt",
		facts:  Facts{Area: AreaNone, Effect: EffectDecision, PersonalData: true, Land: "ST"},
		class:  Minimal,
		basis:  []string{"Art. 5, 6, 50 KI-VO"},
		duties: []string{"art4", "art22", "vwvfg35a"},
		notes:  []string{"dsfa_check", "avv", "effect_decision"},
	},
	{
		// Press releases written by AI and published unchecked → Art. 50(4).
		name:   "Pressemitteilung ohne Redaktion",
		facts:  Facts{Area: AreaNone, Effect: EffectSuggestion, PublishesText: true},
		class:  Transparency,
		since:  DateArt50,
		basis:  []string{"Art. 50 Abs. 4 KI-VO"},
		duties: []string{"art50_4", "art4"},
		notes:  []string{"since", "automation_bias"},
	},
	{
		// The same, reviewed with editorial responsibility → no disclosure.
		name:   "Pressemitteilung mit Redaktion",
		facts:  Facts{Area: AreaNone, Effect: EffectSuggestion, PublishesText: true, EditorialReview: true},
		class:  Minimal,
		basis:  []string{"Art. 5, 6, 50 KI-VO"},
		duties: []string{"art4"},
		notes:  []string{"art50_4_reviewed", "automation_bias"},
	},
	{
		// Critical infrastructure (area 2): high-risk, but no FRIA.
		name:   "Wasserversorgung: Sicherheitsbauteil",
		facts:  Facts{Area: AreaInfrastructure, Effect: EffectSuggestion},
		class:  HighRisk,
		since:  DateAnnexIII,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 2 KI-VO"},
		duties: hr("art4"),
		notes:  []string{"no_exception", "art27_area2", "annex3_date", "art25", "automation_bias"},
	},
	{
		name:   "Social Scoring",
		facts:  Facts{Practice: PracticeSocialScoring, Effect: EffectDecision, PersonalData: true},
		class:  Prohibited,
		since:  DateArt5,
		basis:  []string{"Art. 5 Abs. 1 Buchst. c KI-VO"},
		duties: []string{"art5"},
		notes:  []string{"limit.social_scoring", "art5_since", "art99"},
	},
	{
		// (ba), added by the Omnibus, applies from 2 Dec 2026.
		name:   "intime Bilder ohne Einwilligung",
		facts:  Facts{Practice: PracticeIntimateImages},
		class:  Prohibited,
		since:  DateArt5Omnibus,
		basis:  []string{"Art. 5 Abs. 1 Buchst. ba KI-VO"},
		duties: []string{"art5"},
		notes:  []string{"limit.omnibus", "art5_omnibus", "art99"},
	},
	{
		// Ausländerbehörde: pointing out deviations from earlier decisions
		// on residence permits, reviewed by a person → Art. 6(3)(c).
		name:   "Aufenthaltstitel: Abweichungen erkennen",
		facts:  Facts{Area: AreaMigration, Point: "7c", Effect: EffectPreparatory, Exception: ExceptionPatterns, ExceptionDocumented: true, PersonalData: true},
		class:  Minimal,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 7 Buchst. c KI-VO", "Art. 6 Abs. 3 Buchst. c KI-VO"},
		duties: []string{"art6_4", "art49_2", "art4"},
		notes:  []string{"exception_provider", "exception_conditions", "dsfa_check", "avv"},
	},
	{
		// Emotion recognition of citizens (not staff, not education):
		// Annex III 1, high-risk, and the persons are to be informed.
		name:   "Emotionserkennung am Bürgertelefon",
		facts:  Facts{Area: AreaBiometrics, Point: Point1Emotion, Effect: EffectPreparatory, PersonalData: true, InteractsWithPublic: true},
		class:  HighRisk,
		since:  DateAnnexIII,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 1 KI-VO", "Art. 50 Abs. 1 KI-VO", "Art. 50 Abs. 3 KI-VO"},
		duties: slices.Concat([]string{"art50_1", "art50_3"}, hr("art27", "art4")),
		notes:  []string{"no_exception", "provider_own_name", "annex3_date", "art25", "dsfa_check", "avv"},
	},
	{
		// Improving a finished human draft (Art. 6(3)(b)) but as a
		// suggestion: not high-risk, with the hint to check the influence.
		name:   "Bescheidentwurf sprachlich glätten",
		facts:  Facts{Area: AreaPublicServices, Point: "5a", Effect: EffectSuggestion, Exception: ExceptionImprovement, ExceptionDocumented: true, PersonalData: true},
		class:  Minimal,
		basis:  []string{"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO", "Art. 6 Abs. 3 Buchst. b KI-VO"},
		duties: []string{"art6_4", "art49_2", "art4"},
		notes:  []string{"exception_provider", "exception_conditions", "exception_suggestion", "dsfa_check", "avv", "automation_bias"},
	},
	{
		// Health data (Art. 9) outside Annex III: the DSGVO names a DSFA
		// for large-scale processing.
		name:   "Gesundheitsamt: Befunde zusammenfassen",
		facts:  Facts{Area: AreaNone, Effect: EffectPreparatory, DataClass: dataclass.SpecialCat},
		class:  Minimal,
		basis:  []string{"Art. 5, 6, 50 KI-VO"},
		duties: []string{"art4", "dsfa_art9"},
		notes:  []string{"avv"},
	},
	{
		// A ticket system that shows who handles how many cases: staff
		// council; its provision is for the municipality to fill in.
		name:   "Fallzahlen je Beschäftigtem",
		facts:  Facts{Area: AreaNone, Effect: EffectPreparatory, AffectsStaff: true},
		class:  Minimal,
		basis:  []string{"Art. 5, 6, 50 KI-VO"},
		duties: []string{"art4", "personalrat"},
	},
	{
		// Bad ids are noted and ignored, never taken as "no area".
		name:   "unbekannter Bereich",
		facts:  Facts{Area: "sozialamt", Effect: "irgendwas"},
		class:  Minimal,
		basis:  []string{"Art. 5, 6, 50 KI-VO"},
		duties: []string{"art4"},
		notes:  []string{"invalid", "invalid", "effect_missing"},
	},
}

func TestClassify(t *testing.T) {
	if len(classifyCases) < 15 {
		t.Fatalf("%d cases; the issue asks for at least 15", len(classifyCases))
	}
	for _, tc := range classifyCases {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.facts)
			if r.Class != tc.class {
				t.Errorf("class %s, want %s", r.Class, tc.class)
			}
			if r.Since != tc.since {
				t.Errorf("since %q, want %q", r.Since, tc.since)
			}
			if r.Stand != "2026-12-04" {
				t.Errorf("stand %q", r.Stand)
			}
			var basis, duties, notes []string
			for _, b := range r.Basis {
				basis = append(basis, b.Article)
			}
			for _, d := range r.Duties {
				duties = append(duties, d.ID)
			}
			for _, n := range r.Notes {
				notes = append(notes, strings.TrimPrefix(n.ID, "aiact.note."))
			}
			if !slices.Equal(basis, tc.basis) {
				t.Errorf("basis\n got  %q\n want %q", basis, tc.basis)
			}
			if !slices.Equal(duties, tc.duties) {
				t.Errorf("duties\n got  %q\n want %q", duties, tc.duties)
			}
			if !slices.Equal(notes, tc.notes) {
				t.Errorf("notes\n got  %q\n want %q", notes, tc.notes)
			}
		})
	}
}

// TestDutyDates: each duty carries the date the reference gives for its
// rule, and the DSGVO and German duties carry none (the reference gives
// none).
func TestDutyDates(t *testing.T) {
	want := map[string]Date{"art5": "", "art4": "2025-02-02", "art50_1": "2026-08-02", "art50_3": "2026-08-02", "art50_4": "2026-08-02",
		"art27": "2027-12-02", "art6_4": "", "art49_2": "", "dsfa_profiling": "", "dsfa_art9": "", "art22": "", "vwvfg35a": "", "personalrat": ""}
	for _, id := range highRiskDuties {
		want[id] = "2027-12-02"
	}
	seen := map[string]bool{}
	for _, tc := range classifyCases {
		r := Classify(tc.facts)
		for _, d := range r.Duties {
			w, ok := want[d.ID]
			if d.ID == "art5" {
				w, ok = r.Since, true // the practice's own date
			}
			if !ok {
				t.Errorf("%s: duty %s has no expected date in this test", tc.name, d.ID)
			} else if d.From != w {
				t.Errorf("%s: duty %s from %q, want %q", tc.name, d.ID, d.From, w)
			}
			seen[d.ID] = true
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("no case produces duty %s", id)
		}
	}
}

// TestNamedRules checks the brief's rules across every combination of
// facts, not only the hand-worked cases.
func TestNamedRules(t *testing.T) {
	for _, f := range allFacts() {
		r := Classify(f)
		switch {
		case f.Practice != "":
			if r.Class != Prohibited {
				t.Fatalf("%+v: practice %s gives %s", f, f.Practice, r.Class)
			}
			continue
		case f.Area != AreaNone && (f.Profiling || f.Exception == "" || f.Effect == EffectDecision):
			if r.Class != HighRisk {
				t.Fatalf("%+v: want hochrisiko, got %s", f, r.Class)
			}
		case f.Area != AreaNone:
			if r.Class == HighRisk || !r.HasDuty("art6_4") || !r.HasDuty("art49_2") {
				t.Fatalf("%+v: the exception must hold with its duties: %s %v", f, r.Class, r.Duties)
			}
			if r.HasNote("aiact.note.exception_undocumented") == f.ExceptionDocumented {
				t.Fatalf("%+v: documentation note wrong", f)
			}
		}
		if r.Class == HighRisk && (r.HasDuty("art27") == (f.Area == AreaInfrastructure)) {
			t.Fatalf("%+v: FRIA must follow high-risk except area 2", f)
		}
		if f.Effect == EffectDecision != r.HasDuty("vwvfg35a") {
			t.Fatalf("%+v: § 35a VwVfG must follow effect entscheidung", f)
		}
		if f.AffectsStaff != r.HasDuty("personalrat") {
			t.Fatalf("%+v: staff council must follow affected staff", f)
		}
		if (f.InteractsWithPublic || f.PublishesText) && r.Class == Minimal {
			if f.InteractsWithPublic || !f.EditorialReview {
				t.Fatalf("%+v: Art. 50 duty lost", f)
			}
		}
		if !r.HasDuty("art4") {
			t.Fatalf("%+v: Art. 4 AI literacy missing", f)
		}
	}
}

// allFacts enumerates the facts the survey can produce (points left out,
// two data classes).
func allFacts() []Facts {
	var out []Facts
	bools := []bool{false, true}
	for _, p := range append([]Practice{""}, PracticeSocialScoring, PracticeAbuseMaterial) {
		for _, a := range Areas {
			for _, e := range Effects {
				for _, x := range append([]Exception{""}, Exceptions...) {
					for _, prof := range bools {
						for _, doc := range bools {
							for _, pub := range bools {
								for _, rev := range bools {
									for _, staff := range bools {
										out = append(out, Facts{Practice: p, Area: a, Effect: e, Exception: x, Profiling: prof, ExceptionDocumented: doc,
											PublishesText: pub, EditorialReview: rev, InteractsWithPublic: pub && !rev, AffectsStaff: staff, PersonalData: prof || staff})
									}
								}
							}
						}
					}
				}
			}
		}
	}
	return out
}

func TestParse(t *testing.T) {
	if a, err := ParseArea(" Oeffentliche_Leistungen "); err != nil || a != AreaPublicServices {
		t.Errorf("ParseArea: %q %v", a, err)
	}
	if _, err := ParseArea("sozialamt"); err == nil || !strings.Contains(err.Error(), "justiz_wahlen") {
		t.Errorf("ParseArea(sozialamt) error must list the valid ids: %v", err)
	}
	if _, err := ParseArea(""); err == nil {
		t.Error("ParseArea(\"\") must fail: the column needs keiner")
	}
	if e, err := ParseEffect("entscheidung"); err != nil || e != EffectDecision {
		t.Errorf("ParseEffect: %q %v", e, err)
	}
	if _, err := ParseEffect("automatisch"); err == nil {
		t.Error("ParseEffect(automatisch) must fail")
	}
	for in, want := range map[string]Practice{"": "", "keine": "", "social_scoring": PracticeSocialScoring, "EMOTION_ARBEITSPLATZ_BILDUNG": PracticeEmotionWorkEducation} {
		if p, err := ParsePractice(in); err != nil || p != want {
			t.Errorf("ParsePractice(%q) = %q, %v", in, p, err)
		}
	}
	if _, err := ParsePractice("5f"); err == nil {
		t.Error("ParsePractice(5f) must fail")
	}
	for in, want := range map[string]Point{"5a": "5a", "5(a)": "5a", " 4 A ": "4a", "1_emotionserkennung": Point1Emotion, "": ""} {
		if p, err := ParsePoint(in); err != nil || p != want {
			t.Errorf("ParsePoint(%q) = %q, %v", in, p, err)
		}
	}
	for _, in := range []string{"5e", "2a", "6a", "1a", "9"} {
		if _, err := ParsePoint(in); err == nil {
			t.Errorf("ParsePoint(%q) must fail: the reference names no such point", in)
		}
	}
	if x, err := ParseException("vorbereitung"); err != nil || x.Letter() != "d" {
		t.Errorf("ParseException: %q %v", x, err)
	}
	if err := (Facts{Area: AreaEmployment, Point: "5a"}).Validate(); err == nil {
		t.Error("a point of another area must not validate")
	}
	if err := (Facts{Area: AreaPublicServices, Point: "5a", Effect: EffectDecision, DataClass: dataclass.SocialData}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestPointsBelongToTheirArea(t *testing.T) {
	for _, p := range Points {
		if p.Area() == "" || p.Area() == AreaNone {
			t.Errorf("point %s has no area", p)
		}
	}
	for _, a := range []Area{AreaInfrastructure, AreaLawEnforcement} {
		for _, p := range Points {
			if p.Area() == a {
				t.Errorf("the reference names no points of %s, but %s", a, p)
			}
		}
	}
}

func TestCite(t *testing.T) {
	for de, en := range map[string]string{
		"Art. 6 Abs. 3 Buchst. d KI-VO":                                   "Art. 6(3)(d) AI Act",
		"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 5 Buchst. a KI-VO":         "Art. 6(2) with Annex III point 5(a) AI Act",
		"Art. 6 Abs. 2 i. V. m. Anhang III Nr. 2 KI-VO":                   "Art. 6(2) with Annex III point 2 AI Act",
		"Art. 5 Abs. 1 Buchst. ba KI-VO":                                  "Art. 5(1)(ba) AI Act",
		"Art. 35 DSGVO":                                                   "Art. 35 GDPR",
		"§ 35a VwVfG":                                                     "§ 35a VwVfG",
		"Art. 26, Art. 14 KI-VO":                                          "Art. 26, Art. 14 AI Act",
		"§ 35a VwVfG i. V. m. VwVfG LSA":                                  "§ 35a VwVfG with VwVfG LSA",
		"§ 35a VwVfG i. V. m. dem Verwaltungsverfahrensgesetz des Landes": "§ 35a VwVfG with the federal state's administrative procedure act",
		"Verwaltungsverfahrensgesetz des Landes (Vorschrift von der Kommune einzutragen)": "the federal state's administrative procedure act (provision to be filled in by the municipality)",
		"LVwG (Vorschrift zu prüfen)": "LVwG (provision to be checked)",
		"Personalvertretungsgesetz des Landes (Vorschrift von der Kommune einzutragen)": "the federal state's staff representation act (provision to be filled in by the municipality)",
	} {
		if got := Cite(de, "en"); got != en {
			t.Errorf("Cite(%q) = %q, want %q", de, got, en)
		}
		if got := Cite(de, "de"); got != de {
			t.Errorf("German citation changed: %q", got)
		}
	}
}

func TestRiskCategory(t *testing.T) {
	want := map[Class]string{Prohibited: "unacceptable", HighRisk: "high risk", Transparency: "limited risk", Minimal: "minimal risk"}
	for _, c := range Classes {
		if c.RiskCategory() != want[c] {
			t.Errorf("%s: %q, want %q", c, c.RiskCategory(), want[c])
		}
	}
}

// TestVwVfGProvisionPerLand: the provision the reference names for the
// Land, else a field for the municipality.
func TestVwVfGProvisionPerLand(t *testing.T) {
	for land, want := range map[Land]string{
		"":   "§ 35a VwVfG",
		"ST": "§ 35a VwVfG i. V. m. VwVfG LSA",
		"SN": "§ 35a VwVfG i. V. m. dem Verwaltungsverfahrensgesetz des Landes",
		"BY": "Art. 35a BayVwVfG",
		"NW": "§ 35a VwVfG NRW",
		"SH": "LVwG (Vorschrift zu prüfen)",
		"HE": "Verwaltungsverfahrensgesetz des Landes (Vorschrift von der Kommune einzutragen)",
	} {
		r := Classify(Facts{Effect: EffectDecision, Land: land})
		i := slices.IndexFunc(r.Duties, func(d Duty) bool { return d.ID == "vwvfg35a" })
		if i < 0 || r.Duties[i].Article != want {
			t.Errorf("Land %q: duties %v, want vwvfg35a with %q", land, r.Duties, want)
		}
	}
	if l, err := ParseLand(" st "); err != nil || l != "ST" {
		t.Errorf("ParseLand: %q %v", l, err)
	}
	if _, err := ParseLand("LSA"); err == nil {
		t.Error("ParseLand(LSA) must fail")
	}
}
