package quizstats

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func ptrNear(p *float64, want float64) bool { return p != nil && near(*p, want) }

// Six participants, three right/wrong items. Worked by hand:
//
//	      I1 I2 I3 | total   (I1 choices: A right; B, C, D wrong)
//	P1     1  1  1 |  3       A
//	P2     1  1  0 |  2       A
//	P3     0  1  1 |  2       B
//	P4     1  0  0 |  1       A
//	P5     0  0  1 |  1       B
//	P6     0  0  0 |  0       C
//
// Ranking (total desc, ties by name): P1 P2 P3 P4 P5 P6; a third is 6/3 = 2,
// so top = {P1, P2}, bottom = {P5, P6}.
//
// Facility: every item 3/6 = 0.5.
// SD: deviations ±0.5, squares 0.25 × 6 = 1.5, sample variance 1.5/5 = 0.3,
// SD = √0.3 = 0.5477226.
// Discrimination: I1 top (1+1)/2 − bottom (0+0)/2 = 1; I2 likewise 1;
// I3 top (1+0)/2 − bottom (1+0)/2 = 0.
// Maximum discrimination with the same scores (three 1s, three 0s sorted):
// top (1+1)/2 − bottom (0+0)/2 = 1, so efficiency = DI: 1, 1, 0 → I3 flagged.
// Totals 3,2,2,1,1,0: mean 1.5, squared deviations 2.25+0.25+0.25+0.25+0.25+2.25
// = 5.5, sample variance 5.5/5 = 1.1.
// α = 3/2 · (1 − (0.3+0.3+0.3)/1.1) = 1.5 · 0.2/1.1 = 0.2727273.
// Distractors of I1: A 3/6 = 0.5 (top 2/2, bottom 0/2), B 2/6 (top 0, bottom
// 1/2), C 1/6 (top 0, bottom 1/2), D 0 → "never chosen".
// Areas: I1, I2 in A1 → mean facility 0.5; I3 in A4 → 0.5.
// n = 6 < 10 → small-sample warning.
func TestAnalyzeSixParticipants(t *testing.T) {
	items := []Item{
		{ID: "I1", Area: "A1", Options: []Option{{"A", 1}, {"B", 0}, {"C", 0}, {"D", 0}}},
		{ID: "I2", Area: "A1"},
		{ID: "I3", Area: "A4"},
	}
	at := func(p string, s1, s2, s3 float64, choice int) Attempt {
		return Attempt{Participant: p, Scores: []float64{s1, s2, s3}, Choices: [][]int{{choice}, nil, nil}}
	}
	r, err := Analyze(items, []Attempt{
		at("P1", 1, 1, 1, 0), at("P2", 1, 1, 0, 0), at("P3", 0, 1, 1, 1),
		at("P4", 1, 0, 0, 0), at("P5", 0, 0, 1, 1), at("P6", 0, 0, 0, 2),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id                   string
		facility, sd, di, de float64
		flagged              bool
	}{
		{"I1", 0.5, math.Sqrt(0.3), 1, 1, false},
		{"I2", 0.5, math.Sqrt(0.3), 1, 1, false},
		{"I3", 0.5, math.Sqrt(0.3), 0, 0, true},
	}
	for i, tt := range tests {
		got := r.Items[i]
		if got.ID != tt.id || !near(got.Facility, tt.facility) || !near(got.SD, tt.sd) || !ptrNear(got.Discrimination, tt.di) || !ptrNear(got.Efficiency, tt.de) {
			t.Errorf("%s: got F=%v SD=%v DI=%v DE=%v", tt.id, got.Facility, got.SD, deref(got.Discrimination), deref(got.Efficiency))
		}
		if flagged := strings.Contains(strings.Join(got.Flags, ","), FlagLowEfficiency); flagged != tt.flagged {
			t.Errorf("%s: flags %v, want low-efficiency flag %v", tt.id, got.Flags, tt.flagged)
		}
	}
	if !ptrNear(r.Alpha, 1.5*0.2/1.1) || !near(r.MeanTotal, 1.5) || !near(r.SDTotal, math.Sqrt(1.1)) {
		t.Errorf("alpha %v mean %v sd %v", deref(r.Alpha), r.MeanTotal, r.SDTotal)
	}
	d := r.Items[0].Distractors
	wantD := []OptionStats{
		{Text: "A", Fraction: 1, Count: 3, Share: 0.5, TopShare: 1, BottomShare: 0},
		{Text: "B", Count: 2, Share: 2.0 / 6, TopShare: 0, BottomShare: 0.5},
		{Text: "C", Count: 1, Share: 1.0 / 6, TopShare: 0, BottomShare: 0.5},
		{Text: "D", Count: 0, Share: 0, Flag: DistractorNever},
	}
	for i, w := range wantD {
		g := d[i]
		if g.Text != w.Text || g.Count != w.Count || !near(g.Share, w.Share) || !near(g.TopShare, w.TopShare) || !near(g.BottomShare, w.BottomShare) || g.Flag != w.Flag {
			t.Errorf("option %s: got %+v want %+v", w.Text, g, w)
		}
	}
	if len(r.Areas) != 2 || r.Areas[0].Area != "A1" || r.Areas[0].Items != 2 || !near(r.Areas[0].Facility, 0.5) || !near(r.Areas[1].Facility, 0.5) {
		t.Errorf("areas %+v", r.Areas)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Code != WarnSmallSample || !strings.Contains(r.Warnings[0].Text, "small sample: 6") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

// Three participants, partial credit, negative α. By hand:
//
//	      I1   I2 | total
//	P1    1    0  | 1
//	P2    0.5  0  | 0.5
//	P3    0    1  | 1
//
// Ranking: P1 (1), P3 (1, after P1 by name), P2 (0.5); third = 1: top {P1},
// bottom {P2}.
// I1: facility 1.5/3 = 0.5; deviations 0.5, 0, −0.5 → 0.5/2 = 0.25, SD 0.5;
// DI = 1 − 0.5 = 0.5; max: sorted 1, 0.5, 0 → 1 − 0 = 1; DE = 0.5.
// I2: facility 1/3; deviations −1/3, −1/3, 2/3 → (1+1+4)/9/2 = 1/3, SD
// √(1/3); DI = 0 − 0 = 0; max 1 − 0 = 1; DE = 0 → flagged.
// Totals 1, 0.5, 1: mean 5/6; deviations 1/6, −1/3, 1/6 → (1/36+4/36+1/36)/2
// = 1/12.
// α = 2/1 · (1 − (1/4 + 1/3)/(1/12)) = 2 · (1 − 7) = −12 (items that pull
// in opposite directions give a negative α).
func TestAnalyzePartialCreditNegativeAlpha(t *testing.T) {
	items := []Item{{ID: "I1", Area: "A6"}, {ID: "I2", Area: "A6"}}
	r, err := Analyze(items, []Attempt{
		{Participant: "P1", Scores: []float64{1, 0}},
		{Participant: "P2", Scores: []float64{0.5, 0}},
		{Participant: "P3", Scores: []float64{0, 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	i1, i2 := r.Items[0], r.Items[1]
	if !near(i1.Facility, 0.5) || !near(i1.SD, 0.5) || !ptrNear(i1.Discrimination, 0.5) || !ptrNear(i1.Efficiency, 0.5) || len(i1.Flags) != 0 {
		t.Errorf("I1 %+v", i1)
	}
	if !near(i2.Facility, 1.0/3) || !near(i2.SD, math.Sqrt(1.0/3)) || !ptrNear(i2.Discrimination, 0) || !ptrNear(i2.Efficiency, 0) || i2.Flags[0] != FlagLowEfficiency {
		t.Errorf("I2 %+v", i2)
	}
	if !ptrNear(r.Alpha, -12) {
		t.Errorf("alpha %v, want -12", deref(r.Alpha))
	}
	if len(r.Areas) != 1 || !near(r.Areas[0].Facility, (0.5+1.0/3)/2) {
		t.Errorf("areas %+v", r.Areas)
	}
}

// Negative discrimination and a distractor that attracts the strong. By
// hand, 3 participants, third = 1:
//
//	      I1 (choice)  I2 | total
//	P1    0 (chose B)  1  | 1
//	P2    1 (chose A)  0  | 1
//	P3    1 (chose A)  0  | 1
//
// All totals tie, so the ranking is by name: P1, P2, P3; top {P1}, bottom
// {P3}. I1: DI = 0 − 1 = −1 → "negative discrimination"; the best possible
// order of the scores (1, 1, 0) gives 1 − 0 = 1, so DE = −1 → also below
// 15 %. Distractor B is chosen by P1 (top share 1) and not by P3 (bottom
// share 0): it attracts the top third.
func TestNegativeDiscrimination(t *testing.T) {
	items := []Item{{ID: "I1", Area: "A1", Options: []Option{{"A", 1}, {"B", 0}}}, {ID: "I2", Area: "A1"}}
	r, err := Analyze(items, []Attempt{
		{Participant: "P1", Scores: []float64{0, 1}, Choices: [][]int{{1}, nil}},
		{Participant: "P2", Scores: []float64{1, 0}, Choices: [][]int{{0}, nil}},
		{Participant: "P3", Scores: []float64{1, 0}, Choices: [][]int{{0}, nil}},
	})
	if err != nil {
		t.Fatal(err)
	}
	i1 := r.Items[0]
	if !ptrNear(i1.Discrimination, -1) || !ptrNear(i1.Efficiency, -1) || strings.Join(i1.Flags, "|") != FlagLowEfficiency+"|"+FlagNegative {
		t.Errorf("I1 %+v DI %v", i1, deref(i1.Discrimination))
	}
	if i1.Distractors[1].Flag != DistractorAttractsTop {
		t.Errorf("distractor B %+v", i1.Distractors[1])
	}
}

func TestTinySamples(t *testing.T) {
	items := []Item{{ID: "I1"}, {ID: "I2"}}
	r, err := Analyze(items, []Attempt{{Participant: "P1", Scores: []float64{1, 1}}, {Participant: "P2", Scores: []float64{1, 0}}})
	if err != nil {
		t.Fatal(err)
	}
	// Two participants: no thirds, so no DI; I1 has no spread.
	if r.Items[0].Discrimination != nil || len(r.Warnings) < 2 {
		t.Errorf("%+v %v", r.Items[0], r.Warnings)
	}
	// Totals 2, 1 → variance 0.5; I1 variance 0, I2 variance 0.5:
	// α = 2 · (1 − 0.5/0.5) = 0.
	if !ptrNear(r.Alpha, 0) {
		t.Errorf("alpha %v", deref(r.Alpha))
	}
	r, _ = Analyze(items, nil)
	if r.N != 0 || r.Alpha != nil || len(r.Items) != 0 {
		t.Errorf("empty %+v", r)
	}
	if _, err := Analyze(items, []Attempt{{Participant: "P1", Scores: []float64{1}}}); err == nil {
		t.Error("short score row accepted")
	}
}

func TestWriteCSV(t *testing.T) {
	items := []Item{{ID: "I1", Title: "Frage, mit Komma", Area: "A1", Options: []Option{{"ja", 1}, {"nein", 0}}}, {ID: "I2", Area: "A1"}, {ID: "I3", Area: "A1"}}
	r, _ := Analyze(items, []Attempt{
		{Participant: "P1", Scores: []float64{1, 1, 1}, Choices: [][]int{{0}}},
		{Participant: "P2", Scores: []float64{1, 0, 0}, Choices: [][]int{{0}}},
		{Participant: "P3", Scores: []float64{0, 0, 1}, Choices: [][]int{{1}}},
	})
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	// I1: facility 2/3 = 66.7 %; scores 1,1,0 → variance ((1/3)²·2 + (2/3)²)/2
	// = (2/9 + 4/9)/2 = 1/3, SD 57.7 %; ranking P1 (3), P2 (1), P3 (1):
	// top {P1}, bottom {P3}: DI = 1 − 0 = 100 %, max 100 % → DE 100 %.
	want := `I1,"Frage, mit Komma",A1,3,66.7,57.7,100.0,100.0,`
	if !strings.Contains(b.String(), want+"\n") {
		t.Errorf("CSV lacks %q:\n%s", want, b.String())
	}
	if !strings.Contains(b.String(), "I1,nein,0,1,33.3,0.0,100.0,\n") {
		t.Errorf("distractor row missing:\n%s", b.String())
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
