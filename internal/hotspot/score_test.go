package hotspot

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/fit"
	"github.com/ki-reise/kicheck/internal/golden"
)

// exampleRate is a test value for the staff-cost rate, not a price:
// the packaged parameters leave it to the municipality.
const exampleRate = 50.0

// samplePortfolio scores the two sample sheets, the conflict decided for
// the Sozialamt's figures, with readiness as a PC could have measured it.
func samplePortfolio(t *testing.T) (Portfolio, *Catalogue) {
	t.Helper()
	cat := loadCatalogue(t, "")
	sheets, ps := ReadFiles([]string{"testdata/sozialamt-excel.csv", "testdata/buergeramt.csv"}, cat.TaskIDs())
	if ps != nil {
		t.Fatal(ps)
	}
	res, rows := Plan(sheets, nil, ImportOptions{Prefer: "testdata/sozialamt-excel.csv"})
	if len(res.Conflicts) != 0 || len(rows) != 15 {
		t.Fatalf("plan: %+v", res)
	}
	rate := exampleRate
	in := Inputs{Catalogue: cat, Params: Params{StaffEURPerHour: &rate, RateSource: "Testwert", AVV: false},
		Readiness: Readiness{UseCases: map[string]UseCaseReadiness{
			"anfrage-klassifizieren":     {Verdict: fit.Ready, Model: "llama3.2-3b"},
			"formular-extrahieren":       {Verdict: fit.Limited, Model: "qwen2.5-7b"},
			"bescheid-zusammenfassen":    {Verdict: fit.Limited, Model: "llama3.1-8b"},
			"antwort-entwurf":            {Verdict: fit.Ready, Model: "llama3.1-8b"},
			"leichte-sprache":            {Verdict: fit.Ready, Model: "llama3.1-8b"},
			"uebersetzen":                {Verdict: fit.NotReady, Model: "mistral-nemo-12b"},
			"vorschriften-recherche":     {Verdict: fit.Limited, Model: "qwen2.5-7b"},
			"besprechung-transkribieren": {Verdict: fit.Ready, Model: "whisper-large-v3-turbo"},
		}}}
	return Score(rows, in), cat
}

var testMeta = Meta{Kommune: "Musterstadt", Contact: "ki@musterstadt.example", Created: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC), Lang: "de"}

func TestRanking(t *testing.T) {
	pf, _ := samplePortfolio(t)
	var got []string
	for _, h := range pf.Hotspots {
		got = append(got, h.Process.ID+":"+h.Quadrant+":"+string(h.Legal.Result.Class))
	}
	want := []string{
		"so-02:schnell_umsetzen:minimal", "ba-01:schnell_umsetzen:minimal", "so-04:schnell_umsetzen:minimal",
		"so-06:schnell_umsetzen:transparenz", "so-07:schnell_umsetzen:minimal", "post-01:schnell_umsetzen:minimal",
		"so-09:schnell_umsetzen:minimal",
		"so-03:strategisch:hochrisiko", // high benefit and feasible, but high-risk: never "schnell"
		"so-01:pruefen:minimal", "so-05:pruefen:minimal", "so-08:pruefen:minimal", "ba-02:pruefen:minimal",
		"so-10:pruefen:hochrisiko", "so-12:pruefen:minimal",
		"ba-03:zurueckstellen:minimal",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ranking\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i, h := range pf.Hotspots {
		if h.Rank != i+1 {
			t.Errorf("%s has rank %d at %d", h.Process.ID, h.Rank, i+1)
		}
	}
	// The median of the 15 hours is the 8th value: so-09's 126 h.
	if math.Abs(pf.BenefitThreshold-126) > 1e-9 {
		t.Errorf("benefit threshold %v", pf.BenefitThreshold)
	}
}

// TestLegalClassesOfTheSample: the survey's columns reach aiact as the
// facts the cases name.
func TestLegalClassesOfTheSample(t *testing.T) {
	pf, _ := samplePortfolio(t)
	for id, want := range map[string]aiact.Class{
		"so-01":   aiact.Minimal,      // pre-sorting Wohngeld, preparatory, documented (Art. 6(3)(d))
		"so-03":   aiact.HighRisk,     // AI decides Wohngeld eligibility (Annex III 5(a))
		"so-06":   aiact.Transparency, // citizens' chatbot (Art. 50)
		"so-10":   aiact.HighRisk,     // Annex III area, no exception
		"post-01": aiact.Minimal,      // general mail, no Annex III area
	} {
		h, _ := pf.Get(id)
		if h.Legal.Result.Class != want {
			t.Errorf("%s: %s, want %s", id, h.Legal.Result.Class, want)
		}
	}
	h, _ := pf.Get("so-03")
	if !h.Legal.Result.HasDuty("vwvfg35a") {
		t.Error("so-03 decides: § 35a VwVfG missing")
	}
	profiled := Process{ID: "x", Area: "oeffentliche_leistungen", Effect: "vorbereitend", Exception: "vorbereitung", ExceptionDocumented: true, Profiling: true, DataClass: "sozialdaten"}
	if c := Classify(profiled).Result.Class; c != aiact.HighRisk {
		t.Errorf("pre-sorting with profiling: %s, want hochrisiko", c)
	}
}

// TestSteckbriefNumbersByHand recomputes every figure of so-02's
// Steckbrief from its sheet row and the bundles, and checks that the
// Steckbrief shows exactly these numbers, in this order.
func TestSteckbriefNumbersByHand(t *testing.T) {
	pf, cat := samplePortfolio(t)
	// Sheet row (testdata/sozialamt-excel.csv line 3): 3500 cases, 25
	// min, 40 % text, extrahieren, sozialdaten, digital teilweise,
	// quality mittel.
	// bundles/tasktypes/extrahieren.yaml: saving 40 %, use case
	// formular-extrahieren; on this PC limited (qwen2.5-7b).
	hours := 3500.0 * 25 * 0.40 * 0.40 / 60 // 233.33
	eur := hours * exampleRate              // 11666.67
	digital, quality := 0.5, 0.5            // teilweise, mittel
	place := 0.5                            // Sozialdaten, no AVV: local only
	ready := 0.5                            // limited
	feas := 100 * (0.2*digital + 0.2*quality + 0.2*place + 0.4*ready)
	h, _ := pf.Get("so-02")
	if math.Abs(h.Hours-hours) > 1e-9 || math.Abs(*h.EUR-eur) > 1e-6 || math.Abs(h.Feasibility-feas) > 1e-9 {
		t.Fatalf("hours %v eur %v feasibility %v; by hand %v %v %v", h.Hours, *h.EUR, h.Feasibility, hours, eur, feas)
	}
	text, err := SteckbriefText(&pf, "so-02", cat, testMeta)
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(text, "\nNutzen\n")
	end := strings.Index(text, "\nRecht (")
	if start < 0 || end < start {
		t.Fatalf("sections not found:\n%s", text)
	}
	num := regexp.MustCompile(`[0-9][0-9.]*(,[0-9]+)?`)
	got := num.FindAllString(text[start:end], -1)
	want := []string{
		"233,3", "11.667", // hours, €
		"3.500", "25", "40", "40", "60", "233,3", // cases × min × text share × saving ÷ 60
		"233,3", "50", "11.667", // € formula
		"100", "0,2", "0,5", "0,2", "0,5", "0,2", "0,5", "0,4", "0,5", "50,0", // feasibility formula
		"233,3", "126,0", "50", "50", // quadrant: hours, median (so-09's 126 h), feasibility, threshold: hours, median, feasibility, threshold
		"0,2", "0,5", "0,5", // digital: weight, value, basis "teilweise digital = 0,5"
		"0,2", "0,5", "0,5", // quality
		"0,2", "0,5", "0,5", // place
		"0,4", "0,5", "0,5", // readiness: "eingeschränkt = 0,5"
		"50,0", "100", "50", // total, "von 100; hoch ab 50"
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("numbers on the Steckbrief\n%s\nby hand\n%s\n%s", strings.Join(got, " "), strings.Join(want, " "), text[start:end])
	}
	head := strings.SplitN(text, "\n", 3)[1]
	if !strings.Contains(head, "Rang 1 von 15") {
		t.Errorf("rank line %q", head)
	}
}

func TestGoldenOutputs(t *testing.T) {
	pf, cat := samplePortfolio(t)
	for _, lang := range []string{"de", "en"} {
		m := testMeta
		m.Lang = lang
		for _, id := range []string{"so-02", "so-03", "so-06"} {
			s, err := SteckbriefText(&pf, id, cat, m)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(s, "hotspot.") || strings.Contains(s, "aiact.") || strings.Contains(s, "<no value>") {
				t.Errorf("%s %s: a text is missing:\n%s", id, lang, s)
			}
			golden.Check(t, "steckbrief-"+id+"."+lang+".golden", []byte(s))
		}
		var recs []Record
		for _, h := range pf.Hotspots[:3] {
			recs = append(recs, RegisterRecord(h, m))
		}
		b, _ := json.MarshalIndent(recs, "", "  ")
		golden.Check(t, "algoritmeregister."+lang+".golden", append(b, '\n'))
		golden.Check(t, "portfolio."+lang+".csv.golden", PortfolioCSV(pf, lang))
		golden.Check(t, "LIESMICH."+lang+".golden", Readme(cat, lang))
	}
}

func TestRegisterRecordHasExactlyTheRequiredFields(t *testing.T) {
	pf, _ := samplePortfolio(t)
	required := strings.Fields("name description_short organization department contact_email area domain status decision_making_process goal impact risks risk_category proportionality lawful_basis training_data source_data connected_data_sources algorithm_type description monitoring type human_intervention objection_procedure standard_version lang publication_date last_change_date revision_date")
	in := func(v string, set []string) bool {
		for _, s := range set {
			if s == v {
				return true
			}
		}
		return false
	}
	date := regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	for _, h := range pf.Hotspots {
		r := RegisterRecord(h, testMeta)
		b, _ := json.Marshal(r)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if len(m) != len(required) {
			t.Errorf("%d fields, want %d", len(m), len(required))
		}
		for _, f := range required {
			if s, _ := m[f].(string); s == "" {
				t.Errorf("%s: %s empty", h.Process.ID, f)
			}
		}
		if len([]rune(r.DescriptionShort)) > 150 || r.StandardVersion != "0.3.1" || !in(r.Status, RegisterStatuses) ||
			!in(r.RiskCategory, RegisterRiskCategories) || !in(r.AlgorithmType, RegisterAlgorithmTypes) || !in(r.Type, RegisterTypes) ||
			!in(r.Domain, RegisterDomains) || !date.MatchString(r.PublicationDate) || !date.MatchString(r.LastChangeDate) || !date.MatchString(r.RevisionDate) {
			t.Errorf("%s: %+v", h.Process.ID, r)
		}
	}
	h, _ := pf.Get("so-03")
	if r := RegisterRecord(*h, testMeta); r.RiskCategory != "high risk" || r.Domain != "subsidies, benefits and allowances" {
		t.Errorf("so-03: %s, %s", r.RiskCategory, r.Domain)
	}
}

func TestScoreWithoutRateOrMeasurement(t *testing.T) {
	cat := loadCatalogue(t, "")
	p := Process{ID: "a", Name: "A", Unit: "Amt", CasesPerYear: 600, MinutesPerCase: 10, TextSharePercent: 50, Task: "entwerfen", DataClass: "oeffentlich", Effect: "vorbereitend", Area: "keiner"}
	pf := Score([]Process{p}, Inputs{Catalogue: cat})
	h := pf.Hotspots[0]
	// 600 × 10 × 0.5 × 0.3 ÷ 60 = 15 h; no rate: no €; readiness not measured = 0;
	// public data may go to the cloud: place 1; digital and quality not asked: 0.5.
	if h.Hours != 15 || h.EUR != nil || h.Feasibility != 100*(0.2*0.5+0.2*0.5+0.2*1+0.4*0) {
		t.Errorf("%+v", h)
	}
	var ids []string
	for _, m := range h.Next {
		ids = append(ids, m.ID)
	}
	for _, want := range []string{"hotspot.next.rate", "hotspot.next.ask_input", "hotspot.next.trial", "hotspot.next.measure"} {
		if !strings.Contains(strings.Join(ids, " "), want) {
			t.Errorf("next steps %v lack %s", ids, want)
		}
	}
	// The Sammelstelle's share and a trial's pass rate join the measured readiness.
	rate := 0.9
	p.PassRate = &rate
	pf = Score([]Process{p}, Inputs{Catalogue: cat, Readiness: Readiness{UnitReadyShare: map[string]float64{"Amt": 0.5}}})
	if r := pf.Hotspots[0].Parts[3]; !r.Known || math.Abs(r.Value-0.7) > 1e-9 {
		t.Errorf("readiness %+v", r)
	}
}

func TestCloudAllowed(t *testing.T) {
	for _, tc := range []struct {
		class string
		avv   bool
		want  bool
	}{{"oeffentlich", false, true}, {"intern", false, false}, {"intern", true, true}, {"sozialdaten", true, true}, {"personenbezogen", false, false}, {"vs_nfd", true, false}} {
		if got := CloudAllowed(dataclassOf(tc.class), tc.avv); got != tc.want {
			t.Errorf("%s avv=%v: %v", tc.class, tc.avv, got)
		}
	}
}

func dataclassOf(s string) dataclass.Class { return dataclass.Class(s) }
