package quiz

import (
	"strings"
	"testing"
)

func ptr(f float64) *float64 { return &f }

func TestScore(t *testing.T) {
	single := &Question{Type: Single, Answers: []Answer{
		{Text: "a", Fraction: 1, Feedback: "ja"}, {Text: "b", Fraction: 0.5}, {Text: "c", Fraction: -0.25, Feedback: "nein"}}, GeneralFeedback: "allg"}
	multi := &Question{Type: Multi, Answers: []Answer{
		{Text: "a", Fraction: 0.5}, {Text: "b", Fraction: 0.5}, {Text: "c", Fraction: -1}, {Text: "d", Fraction: 1.0 / 3}}}
	tf := &Question{Type: TrueFalse, Answers: []Answer{{Text: TrueText, Fraction: 0, Feedback: "falsch"}, {Text: FalseText, Fraction: 1}}}
	short := &Question{Type: Short, Answers: []Answer{
		{Text: "KI-Verordnung", Fraction: 1}, {Text: "KI*", Fraction: 0.5, Feedback: "ungenau"}, {Text: "AI Act", Fraction: 1}}}
	num := &Question{Type: Numerical, Numeric: []NumericAnswer{
		{Value: 3.14, Tolerance: 0.01, Fraction: 1},
		{Min: ptr(3), Max: ptr(4), Value: 3.5, Tolerance: 0.5, Fraction: 0.5},
		{Other: true, Feedback: "daneben"}}}
	match := &Question{Type: Matching, Pairs: []Pair{{Question: "A", Answer: "1"}, {Question: "B", Answer: "2"}, {Question: "C", Answer: "2"}, {Answer: "3"}}}
	essay := &Question{Type: Essay}
	self := &Question{Type: SelfRating, Scale: []string{"nein", "ja"}}

	tests := []struct {
		name   string
		q      *Question
		r      Response
		want   float64
		scored bool
		fb     int // number of feedback texts
	}{
		{"single right", single, Response{Choices: []int{0}}, 1, true, 2},
		{"single partial", single, Response{Choices: []int{1}}, 0.5, true, 1},
		{"single negative stays negative (Moodle)", single, Response{Choices: []int{2}}, -0.25, true, 2},
		{"single none", single, Response{}, 0, true, 1},
		{"single out of range", single, Response{Choices: []int{7}}, 0, true, 1},
		{"multi both right", multi, Response{Choices: []int{0, 1}}, 1, true, 0},
		{"multi all: 0.5+0.5-1+1/3 = 1/3", multi, Response{Choices: []int{0, 1, 2, 3}}, 0.3333333, true, 0},
		{"multi over 1 clamped: 0.5+0.5+1/3", multi, Response{Choices: []int{0, 1, 3}}, 1, true, 0},
		{"multi below 0 clamped: 0.5-1", multi, Response{Choices: []int{0, 2}}, 0, true, 0},
		{"multi duplicate tick counts once", multi, Response{Choices: []int{0, 0}}, 0.5, true, 0},
		{"truefalse right", tf, Response{Choices: []int{1}}, 1, true, 0},
		{"truefalse wrong", tf, Response{Choices: []int{0}}, 0, true, 1},
		{"short exact", short, Response{Text: "KI-Verordnung"}, 1, true, 0},
		{"short case and spaces", short, Response{Text: "  ai   act "}, 1, true, 0},
		{"short wildcard, first match wins", short, Response{Text: "KI-VO"}, 0.5, true, 1},
		{"short no match", short, Response{Text: "DSGVO"}, 0, true, 0},
		{"short empty", short, Response{Text: " "}, 0, true, 0},
		{"numerical exact", num, Response{Text: "3.14"}, 1, true, 0},
		{"numerical edge of tolerance", num, Response{Text: "3.15"}, 1, true, 0},
		{"numerical decimal comma", num, Response{Text: "3,13"}, 1, true, 0},
		{"numerical range", num, Response{Text: "3.9"}, 0.5, true, 0},
		{"numerical other", num, Response{Text: "10"}, 0, true, 1},
		{"numerical not a number", num, Response{Text: "drei"}, 0, true, 0},
		{"matching 2 of 3", match, Response{Matches: []string{"1", "2", "3"}}, 0.6666667, true, 0},
		{"matching all", match, Response{Matches: []string{"1", "2", "2"}}, 1, true, 0},
		{"matching none given", match, Response{}, 0, true, 0},
		{"essay not scored", essay, Response{Text: "lang"}, 0, false, 0},
		{"selfrating not scored", self, Response{Rating: 1}, 0, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(tc.q, tc.r)
			if got.Fraction != tc.want || got.Scored != tc.scored || len(got.Feedback) != tc.fb {
				t.Errorf("Score = %+v, want fraction %v scored %v with %d feedback texts", got, tc.want, tc.scored, tc.fb)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		q    Question
		want string // "" = valid
	}{
		{"valid single", Question{Type: Single, Text: "t", Answers: []Answer{{Text: "a", Fraction: 1}, {Text: "b"}}}, ""},
		{"unknown type", Question{Type: "cloze", Text: "t"}, "type: unknown question type"},
		{"empty text", Question{Type: Essay, Text: " "}, "text: the question text is empty"},
		{"single one answer", Question{Type: Single, Text: "t", Answers: []Answer{{Text: "a", Fraction: 1}}}, "at least 2 answers"},
		{"fraction out of range", Question{Type: Multi, Text: "t", Answers: []Answer{{Text: "a", Fraction: 1.5}, {Text: "b"}}}, "outside -1..1"},
		{"multi no positive", Question{Type: Multi, Text: "t", Answers: []Answer{{Text: "a", Fraction: -1}, {Text: "b"}}}, "positive fraction"},
		{"truefalse wrong texts", Question{Type: TrueFalse, Text: "t", Answers: []Answer{{Text: "ja", Fraction: 1}, {Text: "nein"}}}, "exactly the answers"},
		{"short none", Question{Type: Short, Text: "t"}, "at least one accepted answer"},
		{"numerical min>max", Question{Type: Numerical, Text: "t", Numeric: []NumericAnswer{{Min: ptr(5), Max: ptr(1), Fraction: 1}}}, "greater than max"},
		{"matching one pair", Question{Type: Matching, Text: "t", Pairs: []Pair{{Question: "a", Answer: "b"}, {Answer: "c"}}}, "at least 2 pairs"},
		{"essay with answers", Question{Type: Essay, Text: "t", Answers: []Answer{{Text: "a"}}}, "a essay question has no answers"},
		{"selfrating short scale", Question{Type: SelfRating, Text: "t", Scale: []string{"ja"}}, "scale of at least 2"},
		{"bad level", Question{Type: Essay, Text: "t", Level: "experte"}, "unknown level"},
		{"bad role", Question{Type: Essay, Text: "t", Roles: []Role{"chef"}}, "unknown role"},
		{"reserved tag", Question{Type: Essay, Text: "t", Tags: []string{"area:A1"}}, "reserved prefix"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := tc.q.Check()
			if tc.want == "" {
				if len(ps) > 0 {
					t.Fatalf("unexpected problems %v", ps)
				}
				return
			}
			if len(ps) == 0 || !contains(ps[0].String(), tc.want) {
				t.Fatalf("problems %v, want %q", ps, tc.want)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
