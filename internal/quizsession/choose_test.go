package quizsession

import (
	"reflect"
	"testing"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// The shown option numbers map through the shown order to what is
// stored; numbers that were not shown record nothing.
func TestChooseFromShownNumbers(t *testing.T) {
	single := Shown{Item: Item{Position: 3, Question: quiz.Question{ID: "q1", Type: quiz.Single,
		Answers: []quiz.Answer{{Text: "a"}, {Text: "b"}, {Text: "c"}}}}, Order: []int{2, 0, 1}}
	multi := single
	multi.Question.Type = quiz.Multi
	tf := Shown{Item: Item{Question: quiz.Question{ID: "q2", Type: quiz.TrueFalse}}}
	self := Shown{Item: Item{Question: quiz.Question{ID: "q3", Type: quiz.SelfRating, Scale: []string{"nein", "teils", "ja"}}}}
	for _, tt := range []struct {
		name    string
		sh      Shown
		nums    []int
		ok      bool
		choices []int
		rating  int
	}{
		{"single, first shown is answer 2", single, []int{1}, true, []int{2}, 0},
		{"multi maps each", multi, []int{3, 2}, true, []int{1, 0}, 0},
		{"single, not shown", single, []int{4}, false, nil, 0},
		{"multi, one not shown", multi, []int{1, 0}, false, nil, 0},
		{"true/false 2 is false", tf, []int{2}, true, []int{1}, 0},
		{"true/false 3", tf, []int{3}, false, nil, 0},
		{"true/false two numbers", tf, []int{1, 2}, false, nil, 0},
		{"self-rating third step", self, []int{3}, true, nil, 2},
		{"self-rating beyond the scale", self, []int{4}, false, nil, 0},
		{"none chosen", single, nil, true, nil, 0},
	} {
		a, ok := tt.sh.Choose(tt.nums...)
		answered := ok && len(tt.nums) > 0
		if ok != tt.ok || a.Answered != answered || !reflect.DeepEqual(a.Response.Choices, tt.choices) || a.Response.Rating != tt.rating {
			t.Errorf("%s: ok %v answered %v choices %v rating %d", tt.name, ok, a.Answered, a.Response.Choices, a.Response.Rating)
		}
		if a.Position != tt.sh.Position || a.QID != tt.sh.Question.ID || !reflect.DeepEqual(a.Shown, tt.sh.Order) {
			t.Errorf("%s: answer not tied to the item: %+v", tt.name, a)
		}
	}

	m := Shown{Item: Item{Question: quiz.Question{ID: "m", Type: quiz.Matching, Pairs: []quiz.Pair{
		{Question: "Hund", Answer: "bellt"}, {Question: "Katze", Answer: "miaut"}}}}}
	choices := m.Question.MatchChoices()
	m.Order = []int{1, 0}
	a := m.Match(1, 0, 9)
	if !a.Answered || !reflect.DeepEqual(a.Response.Matches, []string{"miaut", "", ""}) {
		t.Errorf("match: %+v (choices %v)", a.Response, choices)
	}
	if a := m.Match(0); a.Answered {
		t.Error("no choice counts as answered")
	}
	if a := single.Write("  30 "); !a.Answered || a.Response.Text != "30" {
		t.Errorf("write: %+v", a)
	}
	if a := single.Write(" "); a.Answered {
		t.Error("blank counts as answered")
	}
}
