package quizsession

import (
	"strings"

	"github.com/ki-reise/kicheck/internal/quiz"
)

// The CLI (numbers typed after the numbered options) and the GUI (number
// keys, radio buttons, check boxes, selects in the shown order) build an
// answer from what the participant saw; these functions are the one place
// that maps a shown option number to what is stored.

// NewAnswer is the unanswered answer to the shown item.
func (sh Shown) NewAnswer() Answer {
	return Answer{Position: sh.Position, QID: sh.Question.ID, Shown: sh.Order}
}

// Choose is the answer from the option numbers the participant chose, as
// displayed (1-based). Single and multiple choice map every number through
// the shown order; true/false (1 true, 2 false) and self-rating (1 is the
// scale's first step) take exactly one. No number is no answer. ok is
// false when a number was not shown (or too many were given): nothing is
// recorded then.
func (sh Shown) Choose(numbers ...int) (a Answer, ok bool) {
	a = sh.NewAnswer()
	if len(numbers) == 0 {
		return a, true
	}
	q := sh.Question
	in := func(n, max int) bool { return n >= 1 && n <= max }
	switch q.Type {
	case quiz.Single, quiz.Multi:
		var choices []int
		for _, n := range numbers {
			if !in(n, len(sh.Order)) {
				return sh.NewAnswer(), false
			}
			choices = append(choices, sh.Order[n-1])
		}
		a.Response.Choices, a.Answered = choices, true
	case quiz.TrueFalse:
		if len(numbers) != 1 || !in(numbers[0], 2) {
			return a, false
		}
		a.Response.Choices, a.Answered = []int{numbers[0] - 1}, true
	case quiz.SelfRating:
		if len(numbers) != 1 || !in(numbers[0], len(q.Scale)) {
			return a, false
		}
		a.Response.Rating, a.Answered = numbers[0]-1, true
	default:
		return a, false
	}
	return a, true
}

// Match is the answer to a matching item from the option number chosen
// for each sub-question in turn, as displayed (1-based; 0 or a number not
// shown: none chosen for that sub-question).
func (sh Shown) Match(numbers ...int) Answer {
	a := sh.NewAnswer()
	choices := sh.Question.MatchChoices()
	for _, n := range numbers {
		m := ""
		if n >= 1 && n <= len(sh.Order) {
			m = choices[sh.Order[n-1]]
			a.Answered = true
		}
		a.Response.Matches = append(a.Response.Matches, m)
	}
	return a
}

// Write is the answer to a short, numerical or essay item: the text
// typed, trimmed; blank is no answer.
func (sh Shown) Write(text string) Answer {
	a := sh.NewAnswer()
	if t := strings.TrimSpace(text); t != "" {
		a.Response.Text, a.Answered = t, true
	}
	return a
}
